import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Store } from './database.js';
import { isDatabaseFile } from './dialect.js';
import { withStatementCache } from './statement-cache.js';
import type { Database } from './types.js';

/**
 * A second, read-only SQLite connection for the API's queries.
 *
 * - WAL lets it read while a poll's transaction is writing on the main connection, so API
 *   requests neither wait behind ingestion (Kysely serialises everything on one connection)
 *   nor see a poll's uncommitted rows.
 * - Statements are prepared once and reused: the API runs a small set of query shapes, and
 *   preparing a statement costs as much as running these indexed queries.
 *
 * An in-memory database cannot be opened twice, so for ":memory:" the store's own Kysely
 * instance is used as is, and so is PostgreSQL's pool (or its read replica's pool).
 */
export interface ReadConnection {
  db: Kysely<Database>;
  /** The raw handle reads run on (for registering SQL functions). */
  sqlite: SQLite.Database;
  close(): Promise<void>;
}

export function openReadConnection(store: Pick<Store, 'db' | 'sqlite' | 'file' | 'reader'>): ReadConnection {
  // PostgreSQL: the replica's pool when DATABASE_READ_URL names one (the store closes it).
  if (store.reader) return { db: store.reader, sqlite: store.sqlite, close: async () => {} };
  if (!isDatabaseFile(store.file)) {
    return { db: store.db, sqlite: store.sqlite, close: async () => {} };
  }
  const sqlite = new SQLite(store.file, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, close: () => db.destroy() };
}
