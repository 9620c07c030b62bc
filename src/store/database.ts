import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { toSearchText } from '../text/search-query.js';
import { migrationProvider } from './migrations/index.js';
import { startCheckpointer } from './checkpointer.js';
import { isDatabaseFile } from './dialect.js';
import { fileIdentity } from './stats.js';
import { withStatementCache } from './statement-cache.js';
import type { ListenOptions, StoredNotice } from './notify.js';
import type { Database } from './types.js';

export interface Store {
  db: Kysely<Database>;
  /** The raw handle, for what Kysely has no words for: online backup, file size. */
  sqlite: SQLite.Database;
  file: string;
  /** PostgreSQL with DATABASE_READ_URL: the pool queries read from (a replica); writes stay on `db`. */
  reader?: Kysely<Database>;
  /** PostgreSQL: hear about articles other instances store (src/store/notify.ts); closed with the store. */
  listen?(onNotice: (notice: StoredNotice) => void, options?: ListenOptions): Promise<void>;
  close(): Promise<void>;
}

export class StoreError extends Error {
  override name = 'StoreError';
}

/** Page size of databases created from now on (see openStore). */
export const PAGE_SIZE = 16_384;
/** The WAL is copied into the database once it holds this much. */
const WAL_CHECKPOINT_BYTES = 16 * 2 ** 20;
/** With a background checkpointer, the writer checkpoints only a WAL this many times larger. */
const BACKSTOP_FACTOR = 4;

/** Opens (creating when needed) the database file and brings it to the latest migration. */
export async function openStore(file: string, options: { migrate?: boolean } = {}): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(file);
  } catch (error) {
    throw new StoreError(`cannot open database ${file}: ${(error as Error).message}`);
  }
  // 16 KiB pages for a new database (an existing one keeps the size it was made with): a commit
  // writes a quarter as many WAL frames, one write call each, and the B-trees are a level
  // shallower. bench:ingest, alternating runs: 5-10 % less wall time into an empty database and
  // into one holding 1,000,000 articles, where random inserts into the key index dirty larger
  // pages but fewer of them. Only takes effect before the first table is created.
  sqlite.pragma(`page_size = ${PAGE_SIZE}`);
  // WAL lets readers (GraphQL, feeds) run while a poll writes.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // 16 MB of page cache for the writer: what it touches per feed (index tails, the search index's
  // pending segment, the keys it looks up) fits, and the pages it misses are in the OS cache.
  // bench:ingest measured no slowdown from 32 MB at 1,000,000 stored articles, and 16 MB less RSS.
  sqlite.pragma('cache_size = -16000');
  // Statement journals in memory: a multi-row insert (or any insert on articles, which has a
  // trigger) within a transaction keeps the pages it changes in a statement journal, which SQLite
  // otherwise writes to a temporary file (1.6 million pwrite calls per 100,000 single-row inserts
  // under strace). bench:ingest: 9-25 % less wall time in alternating runs (those single-row
  // inserts: 6.9 s against 2.2 s); the journal lives as long as one statement.
  sqlite.pragma('temp_store = memory');
  // A file database is checkpointed from a thread of its own after commits (checkpointer.ts:
  // ~10 % less wall time in bench:ingest). The writer's own checkpoint stays as a backstop at
  // four times WAL_CHECKPOINT_BYTES, and comes back to WAL_CHECKPOINT_BYTES should the thread
  // fail (or for a file-less database): 16 MB rather than SQLite's 4 MB, so that pages every poll
  // rewrites (index tails, the search index's structure, counters) are copied over a quarter as
  // often (about 5 % of a busy poll's CPU time when the writer did it). The thresholds count
  // pages, whose size depends on when the database was made.
  const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
  const checkpointEvery = (bytes: number) => sqlite.pragma(`wal_autocheckpoint = ${Math.ceil(bytes / pageSize)}`);
  const checkpointer = isDatabaseFile(file)
    ? startCheckpointer(file, {
        identity: fileIdentity(file),
        onError(message) {
          if (sqlite.open) checkpointEvery(WAL_CHECKPOINT_BYTES);
          process.emitWarning(`${message} (${file}); the writer checkpoints the WAL itself`);
        },
      })
    : null;
  checkpointEvery(checkpointer ? WAL_CHECKPOINT_BYTES * BACKSTOP_FACTOR : WAL_CHECKPOINT_BYTES);
  registerWriteFunctions(sqlite);
  // Statements prepared once: a poll runs the same few statement shapes for every feed.
  const database = withStatementCache(sqlite, { onCommit: checkpointer ? () => checkpointer.committed() : undefined });
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const store: Store = {
    db,
    sqlite,
    file,
    close: async () => {
      // The thread's connection first: the last connection to close checkpoints what is left and removes the WAL.
      await checkpointer?.close();
      await db.destroy();
    },
  };
  if (options.migrate !== false) await migrateStore(store);
  return store;
}

/**
 * SQL functions the schema's triggers call (the search index, migration 003). Every connection
 * that writes articles needs them; read-only connections do not.
 */
export function registerWriteFunctions(sqlite: SQLite.Database): void {
  sqlite.function('newsgate_search_text', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? toSearchText(value) : null));
  // newsgate_app_search(1) / (0): storeArticles writes the search rows of what it inserts itself
  // (migration 006); newsgate_app_search(): whether it does, read by the insert trigger. Like
  // PostgreSQL's transaction-local setting it holds only inside a transaction, so a flag left set
  // by a failed write can never keep another writer's articles out of the index.
  let appSearch = false;
  sqlite.function('newsgate_app_search', { varargs: true, deterministic: false }, (...args: unknown[]) => {
    if (args.length > 0) appSearch = Boolean(args[0]);
    return appSearch && sqlite.inTransaction ? 1 : 0;
  });
}

export async function migrateStore(store: Pick<Store, 'db'>): Promise<string[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new StoreError(`migration ${failed?.migrationName ?? '?'} failed: ${(error as Error).message ?? error}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
