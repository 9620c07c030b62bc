import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load.js';
import { isLogLevel, LOG_LEVELS } from './ops/log-levels.js';
import { StoreError } from './store/database.js';

const HELP = `newsgate — a GraphQL news aggregation gateway

Usage: newsgate <command> [options]

Commands:
  serve              run the scheduler and the HTTP server (GraphQL, feeds)
  poll --once        poll every source once, print a line per source, exit
  sources            print each source's health as a table
  import-opml FILE   add the feeds of an OPML file as sources (--json for a machine-readable report)
  prune              delete articles older than retentionDays now (serve does it daily), print what went
  backup FILE        write a consistent copy of the database to FILE, also while serve is running (SQLite)
  migrate            apply pending database migrations and exit (PostgreSQL is only ever migrated so)
  copy --from DB --to DB   copy every row of a database into an empty one, ids kept
                     (newsgate copy --from sqlite:data/newsgate.db --to postgres://…)
  demo               serve feeds/demo/ on 127.0.0.1:4080 and run the gateway against it (offline)

Options:
  --config FILE      configuration file (default feeds/sources.json, env NEWSGATE_CONFIG)
  --db FILE|URL      SQLite database file (default ./data/newsgate.db, env NEWSGATE_DB; :memory: for tests),
                     or a postgres://user@host/db URL (env DATABASE_URL) for PostgreSQL
  --read-db URL      serve on PostgreSQL: a read replica for API and feed queries (env DATABASE_READ_URL);
                     writes, leases and notifications stay on --db
  --port N           HTTP port for serve (default 4000, env PORT)
  --host H           HTTP host for serve (default 0.0.0.0, env HOST)
  --no-poll          serve only, do not poll sources
  --json             machine-readable output (poll, sources, prune, backup, migrate, copy)
  --log-level L      serve's log level: ${LOG_LEVELS.join(', ')} (default info, env NEWSGATE_LOG_LEVEL)
  -h, --help         this help
`;

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Runs a command and resolves to the process exit code; serve resolves only when it stops. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        db: { type: 'string' },
        'read-db': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'no-poll': { type: 'boolean', default: false },
        once: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr.write(`newsgate: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    (command || values.help ? io.stdout : io.stderr).write(HELP);
    return values.help ? 0 : 2;
  }
  const configFile = values.config ?? io.env.NEWSGATE_CONFIG ?? 'feeds/sources.json';
  // --db, else DATABASE_URL (postgres://…, the usual variable of hosted PostgreSQL), else NEWSGATE_DB.
  const dbFile = values.db ?? (io.env.DATABASE_URL || undefined) ?? io.env.NEWSGATE_DB ?? 'data/newsgate.db';
  const logLevel = values['log-level'] ?? (io.env.NEWSGATE_LOG_LEVEL || 'info');
  if (!isLogLevel(logLevel)) {
    io.stderr.write(`newsgate: --log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"\n`);
    return 2;
  }
  try {
    switch (command) {
      case 'poll': {
        if (!values.once) {
          io.stderr.write('newsgate poll: only --once is supported; use `newsgate serve` to poll on a schedule\n');
          return 2;
        }
        const config = loadConfig(configFile);
        const { runPollOnce } = await import('./commands/poll.js');
        return await runPollOnce({ config, dbFile, json: values.json, io });
      }
      case 'sources': {
        const config = loadConfig(configFile);
        const { runSources } = await import('./commands/sources.js');
        return await runSources({ config, dbFile, json: values.json, io });
      }
      case 'serve': {
        const config = loadConfig(configFile);
        const port = Number(values.port ?? io.env.PORT ?? 4000);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          io.stderr.write(`newsgate serve: --port must be an integer 0–65535, got "${values.port ?? io.env.PORT}"\n`);
          return 2;
        }
        const { runServe } = await import('./commands/serve.js');
        const readDb = values['read-db'] ?? (io.env.DATABASE_READ_URL || undefined);
        return await runServe({ config, dbFile, readDb, port, host: values.host ?? io.env.HOST ?? '0.0.0.0', poll: !values['no-poll'], logLevel, io });
      }
      case 'import-opml': {
        const file = positionals[1];
        if (!file) {
          io.stderr.write('newsgate import-opml: missing FILE (an OPML file exported by a feed reader)\n');
          return 2;
        }
        const config = loadConfig(configFile);
        const { runImportOpml } = await import('./commands/import-opml.js');
        return await runImportOpml({ config, dbFile, file, json: values.json, io });
      }
      case 'prune': {
        const config = loadConfig(configFile);
        const { runPrune } = await import('./commands/prune.js');
        return await runPrune({ config, dbFile, json: values.json, io });
      }
      case 'backup': {
        const file = positionals[1];
        if (!file) {
          io.stderr.write('newsgate backup: missing FILE (where to write the copy of the database)\n');
          return 2;
        }
        const { runBackup } = await import('./commands/backup.js');
        return await runBackup({ dbFile, file, json: values.json, io });
      }
      case 'migrate': {
        const { runMigrate } = await import('./commands/migrate.js');
        return await runMigrate({ dbFile, json: values.json, io });
      }
      case 'copy': {
        if (!values.from || !values.to) {
          io.stderr.write('newsgate copy: needs --from DB and --to DB (e.g. --from sqlite:data/newsgate.db --to postgres://user@host/newsgate)\n');
          return 2;
        }
        const { runCopy } = await import('./commands/copy.js');
        return await runCopy({ from: values.from, to: values.to, json: values.json, io });
      }
      case 'demo': {
        const demoConfig = values.config ?? 'feeds/demo/sources.json';
        const config = loadConfig(demoConfig);
        const { startDemoFeedServer } = await import('./commands/demo.js');
        const feeds = await startDemoFeedServer('feeds/demo', 4080);
        io.stdout.write('demo feeds on http://127.0.0.1:4080/\n');
        const { runServe } = await import('./commands/serve.js');
        try {
          const port = Number(values.port ?? io.env.PORT ?? 4000);
          return await runServe({ config, dbFile: values.db ?? 'data/demo.db', port, host: values.host ?? '127.0.0.1', poll: true, logLevel, io });
        } finally {
          feeds.close();
        }
      }
      default:
        io.stderr.write(`newsgate: unknown command "${command}"\n\n${HELP}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof StoreError) {
      io.stderr.write(`newsgate: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
