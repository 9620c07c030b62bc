import { closeSync, openSync, readSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.js';
import { dialectOf, isDatabaseFile } from './dialect.js';
import type { Database } from './types.js';

/** Row counts for the metrics gauges. */
export async function countContent(db: Kysely<Database>): Promise<{ articles: number; stories: number }> {
  const [articles, stories] = await Promise.all([
    db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('stories').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { articles: Number(articles.n), stories: Number(stories.n) };
}

/** Bytes on disk: the main file and its write-ahead log (pages in memory for :memory:; 0 without a file, i.e. PostgreSQL). */
export function databaseSize(store: Pick<Store, 'file' | 'sqlite'>): { db: number; wal: number } {
  if (store.file === ':memory:') {
    const pages = store.sqlite.pragma('page_count', { simple: true }) as number;
    const size = store.sqlite.pragma('page_size', { simple: true }) as number;
    return { db: pages * size, wal: 0 };
  }
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return { db: size(store.file), wal: size(`${store.file}-wal`) };
}

/** PostgreSQL: bytes of the current schema's tables with their indexes and TOAST (what newsgate stores). */
export async function postgresSchemaSize(db: Kysely<Database>): Promise<number> {
  const { rows } = await sql<{ bytes: number | string | null }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relkind in ('r', 'm')`.execute(db);
  return Number(rows[0]?.bytes ?? 0);
}

/** The newest migration recorded in the database; null when none ran (or the table is missing). */
export async function lastAppliedMigration(db: Kysely<Database>): Promise<string | null> {
  const exists =
    dialectOf(db) === 'postgres'
      ? await sql<{ n: number }>`select count(*) as n from (select to_regclass('kysely_migration') as t) r where t is not null`.execute(db)
      : await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = 'kysely_migration'`.execute(db);
  if (Number(exists.rows[0]?.n ?? 0) === 0) return null;
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(db);
  return rows.rows[0]?.name ?? null;
}

/** Which file an open store is on (device and inode), to notice it being swapped underneath. */
export function fileIdentity(file: string): string | null {
  if (!isDatabaseFile(file)) return null;
  try {
    const stat = statSync(file);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return null;
  }
}

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Readiness probe of the file itself, which an open connection does not notice going bad (it
 * keeps its descriptor, its cache and the write-ahead log): the path must still be the file
 * the store opened, start like an SQLite database, and open and read afresh.
 */
export function probeDatabaseFile(file: string, openedIdentity: string | null): void {
  if (!isDatabaseFile(file)) return;
  const identity = fileIdentity(file);
  if (identity === null) throw new Error(`database file ${file} is missing`);
  if (openedIdentity !== null && identity !== openedIdentity) throw new Error(`database file ${file} was replaced since it was opened; restart to use the new file`);
  const header = Buffer.alloc(MAGIC.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(MAGIC)) throw new Error(`database file ${file} is not a database (bad header)`);
  const probe = new SQLite(file, { readonly: true, fileMustExist: true, timeout: 1000 });
  try {
    probe.prepare('select count(*) from sqlite_master').get();
  } finally {
    probe.close();
  }
}
