import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const STATEMENT_CACHE_SIZE = 256;

/**
 * better-sqlite3 with an LRU of prepared statements, in the shape Kysely's SQLite driver expects.
 * better-sqlite3 prepares every statement anew, and preparing costs as much as running a small
 * indexed query — or far more for the few-hundred-row inserts of a poll (thousands of
 * placeholders). Kysely runs a small set of query shapes, so nearly every statement is a hit.
 * Statements survive schema changes (SQLite re-prepares them itself).
 */
export function withStatementCache(
  database: SQLite.Database,
  options: { size?: number; onCommit?: () => void } = {},
): SqliteDatabase {
  const size = options.size ?? STATEMENT_CACHE_SIZE;
  const cache = new Map<string, SqliteStatement>();
  const onCommit = options.onCommit;
  return {
    close: () => database.close(),
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        // Refresh its place in the LRU.
        cache.delete(sql);
      } else {
        statement = database.prepare(sql) as unknown as SqliteStatement;
        // Kysely ends its transactions with this statement: the one place to hear of a commit.
        if (onCommit && sql === 'commit') statement = notifyAfterRun(statement, onCommit);
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function notifyAfterRun(statement: SqliteStatement, notify: () => void): SqliteStatement {
  return {
    reader: statement.reader,
    all: (parameters) => statement.all(parameters),
    iterate: (parameters) => statement.iterate(parameters),
    run(parameters) {
      const result = statement.run(parameters);
      notify();
      return result;
    },
  };
}
