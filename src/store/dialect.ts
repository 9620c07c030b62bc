import { PostgresAdapter, sql, type Expression, type Kysely } from 'kysely';

/**
 * The two engines the store runs on: SQLite (embedded, the default) and PostgreSQL (several
 * gateway instances sharing one database, issue 7). Repository functions write portable SQL
 * through Kysely and ask `dialectOf(db)` only where the engines differ.
 */
export type Dialect = 'sqlite' | 'postgres';

/** A postgres:// or postgresql:// connection URL (anything else names a SQLite file). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** Whether a store's `file` names a file on disk: not ":memory:", nor '' (PostgreSQL's stores have none). */
export function isDatabaseFile(file: string): boolean {
  return file !== ':memory:' && file !== '';
}

/** Which engine a Kysely instance (or transaction) talks to. */
export function dialectOf(db: Kysely<any>): Dialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/** The larger of two values: SQLite's scalar max(a, b), PostgreSQL's greatest(a, b). */
export function scalarMax<T>(dialect: Dialect, a: Expression<T>, b: Expression<T>): Expression<T> {
  return dialect === 'postgres' ? sql<T>`greatest(${a}, ${b})` : sql<T>`max(${a}, ${b})`;
}

/** The smaller of two values: SQLite's scalar min(a, b), PostgreSQL's least(a, b). */
export function scalarMin<T>(dialect: Dialect, a: Expression<T>, b: Expression<T>): Expression<T> {
  return dialect === 'postgres' ? sql<T>`least(${a}, ${b})` : sql<T>`min(${a}, ${b})`;
}

/** A connection URL without its password, for logs and messages. */
export function redactUrl(target: string): string {
  if (!isPostgresUrl(target)) return target;
  try {
    const url = new URL(target);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'postgres://…';
  }
}
