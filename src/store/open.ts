import { Kysely, Migrator, PostgresDialect, sql, type KyselyConfig, type TransactionBuilder } from 'kysely';
import pg from 'pg';
import { migrateStore, openStore, StoreError, type Store } from './database.js';
import { dialectOf, isPostgresUrl, redactUrl } from './dialect.js';
import { latestMigration, migrationProvider } from './migrations/index.js';
import { createOrigin, listenStored, type NoticeListener } from './notify.js';
import { lastAppliedMigration } from './stats.js';
import type { Database } from './types.js';

/**
 * Opens the store a `--db` / `DATABASE_URL` value names: a postgres:// (or postgresql://) URL
 * selects PostgreSQL through Kysely's PostgresDialect and the pg pool; anything else is a
 * SQLite file (or ":memory:") as before. Callers never choose the dialect themselves.
 *
 * Migrations:
 * - SQLite: applied on open, as before (one process owns the file).
 * - PostgreSQL: never applied implicitly. Several instances share the database, and a rolling
 *   upgrade must not let the first new instance change the schema under the old ones, so the
 *   schema moves only when an operator runs `newsgate migrate` (which Kysely serialises with
 *   an advisory lock anyway). Opening checks that the database is at this build's latest
 *   migration and fails with a message saying to run `newsgate migrate` otherwise.
 *   `migrate: true` applies them (what `newsgate migrate` and the tests do).
 */
export interface OpenOptions {
  /** true: apply pending migrations; false: neither apply nor check. Default: the dialect's rule above. */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL: Kysely's query log hook (tests count statements with it). */
  log?: KyselyConfig['log'];
  /** PostgreSQL: a read replica's URL (DATABASE_READ_URL); API and feed queries read there, writes go to `target`. */
  readUrl?: string;
}

export async function openDatabase(target: string, options: OpenOptions = {}): Promise<Store> {
  if (!isPostgresUrl(target)) return openStore(sqliteFile(target), { migrate: options.migrate });
  if (options.readUrl && !isPostgresUrl(options.readUrl)) throw new StoreError(`the read database URL must be a postgres:// URL, got ${redactUrl(options.readUrl)}`);
  const store = openPostgres(target, options);
  for (const [db, url] of [[store.db, target], ...(store.reader ? [[store.reader, options.readUrl!] as const] : [])] as const) {
    try {
      await db.selectNoFrom(sql<number>`1`.as('one')).execute();
    } catch (error) {
      await store.close();
      throw new StoreError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
    }
  }
  if (options.migrate === true) {
    try {
      await migrateDatabase(store);
    } catch (error) {
      await store.close();
      throw error;
    }
  } else if (options.migrate === undefined) {
    const applied = await lastAppliedMigration(store.db);
    if (applied !== latestMigration) {
      await store.close();
      const state = applied === null ? 'has no newsgate schema yet' : applied < latestMigration ? `is at migration ${applied}` : `is at migration ${applied}, newer than this build`;
      throw new StoreError(
        `${redactUrl(target)} ${state} (this build expects ${latestMigration}); run \`newsgate migrate --db URL\` first (PostgreSQL databases are never migrated implicitly)`,
      );
    }
  }
  return store;
}

/**
 * Applies pending migrations; returns the names applied. On PostgreSQL the migrator's own
 * tables are looked up in the current schema (search_path's first): Kysely otherwise takes a
 * kysely_migration table in any schema of the database for its own and skips creating it.
 * Kysely serialises concurrent runs with an advisory lock and one transaction.
 */
export async function migrateDatabase(store: Pick<Store, 'db'>): Promise<string[]> {
  if (dialectOf(store.db) !== 'postgres') return migrateStore(store);
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s;
  if (!schema) throw new StoreError('no current schema: check search_path (or the options parameter of the URL)');
  const migrator = new Migrator({ db: store.db, provider: migrationProvider, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new StoreError(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The SQLite file a non-PostgreSQL target names: a path, ":memory:", or "sqlite:PATH" (the form
 * `newsgate copy --from` documents). Another URL scheme is refused rather than taken for a
 * file name ("mysql://…" must not quietly become a SQLite file of that name).
 */
export function sqliteFile(target: string): string {
  if (/^sqlite:/i.test(target)) return target.replace(/^sqlite:(\/\/)?/i, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) {
    throw new StoreError(`unsupported database URL ${redactUrl(target).replace(/\/\/.*@/, '//…@')}: use postgres://… for PostgreSQL, or a SQLite file path`);
  }
  return target;
}

/** bigint (int8) columns hold millisecond times and ids: read them as JS numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8 && format !== 'binary') return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** A PostgreSQL Store: `db` on a pg pool; the SQLite raw handle is not available. */
export function openPostgres(url: string, options: Pick<OpenOptions, 'poolSize' | 'log' | 'readUrl'> = {}): Store {
  const pool = (connectionString: string) => {
    const created = new pg.Pool({ connectionString, max: options.poolSize ?? 10, types });
    // An idle client losing its server (restart, failover) must not crash the process; the pool replaces it.
    created.on('error', () => {});
    return new PostgresDialect({ pool: created });
  };
  const log = options.log ? { log: options.log } : {};
  const db = new SerialWriteKysely<Database>({ dialect: pool(url), ...log });
  const reader = options.readUrl ? new Kysely<Database>({ dialect: pool(options.readUrl), ...log }) : undefined;
  const origin = createOrigin(db);
  const listeners: NoticeListener[] = [];
  return {
    db,
    reader,
    sqlite: sqliteOnly(),
    // No file: readiness and size probes of the file are skipped; the read connection is the pool.
    file: '',
    // Notices come from the primary: NOTIFY is not replicated to standbys.
    listen: async (onNotice, listenOptions) => {
      listeners.push(await listenStored(url, origin, onNotice, listenOptions));
    },
    close: async () => {
      await Promise.all(listeners.splice(0).map((listener) => listener.close()));
      await reader?.destroy();
      await db.destroy();
    },
  };
}

/**
 * One write transaction at a time per process, as on SQLite (one connection, Kysely queues its
 * transactions). The repository's transactions were written for that: storeArticles reads which
 * keys exist, then inserts the others, and bumps topic counters in feed order; two of them
 * running at once on a pool fail on the articles' unique key or deadlock on the counters. Queries
 * outside transactions (every API read) still run in parallel on the pool. The queue is taken
 * before a connection is, so waiting writers hold no connection. Across instances, storeArticles
 * stores new articles under an advisory lock and updates counters in id order (src/store/articles.ts).
 */
class SerialWriteKysely<DB> extends Kysely<DB> {
  #tail: Promise<unknown> = Promise.resolve();

  override transaction(): TransactionBuilder<DB> {
    return this.#serialised(super.transaction());
  }

  #serialised(builder: TransactionBuilder<DB>): TransactionBuilder<DB> {
    const queue = (run: () => Promise<unknown>) => {
      const result = this.#tail.then(run, run);
      this.#tail = result.catch(() => {});
      return result;
    };
    return new Proxy(builder, {
      get: (target, property, receiver) => {
        if (property === 'execute') return (callback: Parameters<TransactionBuilder<DB>['execute']>[0]) => queue(() => target.execute(callback));
        if (property === 'setAccessMode' || property === 'setIsolationLevel') {
          return (value: never) => this.#serialised((target[property] as (v: never) => TransactionBuilder<DB>).call(target, value));
        }
        return Reflect.get(target, property, receiver);
      },
    });
  }
}

/** What stands in for the better-sqlite3 handle on PostgreSQL: any use says what happened. */
function sqliteOnly(): Store['sqlite'] {
  return new Proxy({} as Store['sqlite'], {
    get(_target, property) {
      if (property === 'then' || typeof property === 'symbol') return undefined;
      throw new StoreError(`${String(property)}: a SQLite-only operation (backup, file size, response-cache versioning) was used on a PostgreSQL store`);
    },
  });
}
