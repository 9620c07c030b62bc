import { createServer } from 'node:http';
import { createApp } from '../app.js';
import type { CliIo } from '../cli.js';
import type { Config } from '../config/types.js';
import { startScheduler } from '../ingest/scheduler.js';
import type { LogLevel } from '../ops/log-levels.js';
import { createLogger } from '../ops/logger.js';
import { startRetentionTimer } from '../ops/retention.js';
import { isPostgresUrl, redactUrl } from '../store/dialect.js';
import { openDatabase } from '../store/open.js';
import { pollLease } from './lease.js';

export async function runServe(options: { config: Config; dbFile: string; readDb?: string; port: number; host: string; poll: boolean; logLevel?: LogLevel; io: CliIo }): Promise<number> {
  const { io } = options;
  // The process logger: JSON lines on stdout, pretty on a terminal. Handed down, never global.
  const logger = createLogger({ level: options.logLevel, stream: io.stdout });
  // PostgreSQL: never migrated here (openDatabase checks the schema and says to run `newsgate migrate`).
  const postgres = isPostgresUrl(options.dbFile);
  if (options.readDb && !postgres) {
    io.stderr.write('newsgate serve: --read-db (DATABASE_READ_URL) needs a PostgreSQL --db; SQLite reads its own file\n');
    return 2;
  }
  const poolSize = readPoolSize(io.env);
  if (poolSize === null) {
    io.stderr.write(`newsgate serve: NEWSGATE_PG_POOL_SIZE must be a whole number from 1 to 1000, got "${io.env.NEWSGATE_PG_POOL_SIZE}"\n`);
    return 2;
  }
  const store = await openDatabase(options.dbFile, { ...(options.readDb ? { readUrl: options.readDb } : {}), ...(poolSize ? { poolSize } : {}) });
  // (createApp leaves the GraphQL response cache off on PostgreSQL: see src/app.ts.)
  const app = await createApp(options.config, store, { ...readSettings(io.env), logger });
  const server = createServer(app.handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, resolve);
    });
  } catch (error) {
    // Close what holds the process open (PostgreSQL's pool and notification connection), so it exits.
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'the address is already in use' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr.write(`newsgate serve: cannot listen on ${options.host}:${options.port}: ${why}\n`);
    return 1;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}/`;
  logger.info({ url, db: redactUrl(options.dbFile), ...(options.readDb ? { readDb: redactUrl(options.readDb) } : {}), poll: options.poll, retentionDays: options.config.retentionDays }, `newsgate listening on ${url}`);
  // Poll reports are logged (per source) and counted by the app itself (app.ops.observePoll).
  // PostgreSQL: other instances may poll the same database, so sources are claimed with leases.
  const lease = postgres ? pollLease(io.env) : undefined;
  if (lease) logger.info({ owner: lease.owner, leaseMs: lease.leaseMs }, 'polling with leases (PostgreSQL: other instances may share the database)');
  const scheduler = options.poll
    ? startScheduler(app.ingest, { lease, onError: (error) => logger.error({ err: error, component: 'scheduler' }, 'scheduling pass failed') })
    : null;
  app.ops.scheduler = scheduler ?? 'disabled';
  const retention = startRetentionTimer(app);

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, `${signal} received, shutting down`);
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  // Order matters: stop polling and let in-flight writes commit before the database closes.
  await retention.stop();
  await scheduler?.stop();
  server.closeIdleConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // The API's read connection closes with Yoga: the store's connections are then the last, and
  // closing them checkpoints the WAL and removes it, leaving the database in its one file.
  await app.yoga.dispose();
  await store.close();
  return 0;
}

function readSettings(env: NodeJS.ProcessEnv) {
  const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    adminToken: env.NEWSGATE_ADMIN_TOKEN || null,
    corsOrigins: list(env.NEWSGATE_CORS_ORIGINS),
    allowPrivateSources: env.NEWSGATE_ALLOW_PRIVATE_SOURCES === '1',
    embedOrigins: list(env.NEWSGATE_EMBED_ORIGINS),
  };
}

/** NEWSGATE_PG_POOL_SIZE: connections per PostgreSQL pool (primary, and replica if any); undefined when unset, null when invalid. */
function readPoolSize(env: NodeJS.ProcessEnv): number | undefined | null {
  const raw = env.NEWSGATE_PG_POOL_SIZE;
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : null;
}
