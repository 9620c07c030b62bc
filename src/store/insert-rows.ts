import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { dialectOf } from './dialect.js';
import type { Database } from './types.js';

export interface InsertRowsOptions {
  /** ON CONFLICT (columns) DO NOTHING; an empty list: on any conflict. */
  onConflictDoNothing?: readonly string[];
  /** RETURNING id (PostgreSQL's way to learn which rows a DO NOTHING skipped). */
  returningId?: boolean;
}

/**
 * A multi-row INSERT of `columns`, compiled by Kysely once per shape (dialect, table, columns, row
 * count, options) and executed with each batch's values. A poll inserts thousands of rows in a
 * handful of shapes; building Kysely's operation tree anew for 400 rows × 16 values per statement
 * was ~4 % of ingest CPU and much of its garbage. The SQL is still Kysely's own, for either dialect.
 * Every row gives every column (null for none): a missing one would not fall back to its default.
 */
export async function insertRows<T extends keyof DB & string, DB = Database>(
  db: Kysely<DB>,
  table: T,
  columns: readonly (keyof Insertable<DB[T]> & string)[],
  rows: readonly Insertable<DB[T]>[],
  options: InsertRowsOptions = {},
): Promise<{ id: number }[]> {
  if (rows.length === 0) return [];
  const dialect = dialectOf(db);
  const shape = `${dialect}\0${table}\0${columns.join(',')}\0${rows.length}\0${options.onConflictDoNothing?.join(',') ?? '-'}\0${options.returningId ? 'r' : ''}`;
  let text = shapes.get(shape);
  if (text === undefined) {
    text = compileShape(db, table, columns, rows.length, options);
    if (shapes.size >= MAX_SHAPES) shapes.delete(shapes.keys().next().value!);
    shapes.set(shape, text);
  }
  const parameters: unknown[] = new Array(rows.length * columns.length);
  let i = 0;
  for (const row of rows) for (const column of columns) parameters[i++] = (row as Record<string, unknown>)[column] ?? null;
  const result = await db.executeQuery<{ id: number }>(CompiledQuery.raw(text, parameters));
  return result.rows;
}

/** Shapes seen (row counts vary with feed sizes); bounded like the statement cache behind them. */
const MAX_SHAPES = 1024;
const shapes = new Map<string, string>();

function compileShape(db: Kysely<any>, table: string, columns: readonly string[], count: number, options: InsertRowsOptions): string {
  const placeholder = Object.fromEntries(columns.map((column) => [column, null]));
  // The typed builder cannot follow a table chosen at run time; the shape is checked by insertRows' signature.
  let query = (db as Kysely<any>).insertInto(table).values(Array.from({ length: count }, () => placeholder));
  const conflict = options.onConflictDoNothing;
  if (conflict) query = query.onConflict((oc) => (conflict.length > 0 ? oc.columns(conflict as string[]) : oc).doNothing());
  const compiled = options.returningId ? query.returning('id').compile() : query.compile();
  if (compiled.parameters.length !== count * columns.length) throw new Error(`insertRows(${table}): expected ${count * columns.length} parameters, Kysely compiled ${compiled.parameters.length}`);
  return compiled.sql;
}
