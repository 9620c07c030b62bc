import { sql, type Kysely, type Transaction } from 'kysely';
import { toSearchText } from '../text/search-query.js';
import { dialectOf } from './dialect.js';
import { insertRows } from './insert-rows.js';
import { searchKey } from './search.js';
import type { Database } from './types.js';

/** An article's search row before its text is folded; `source` is its source's name, folded already. */
export interface SearchRow {
  id: number;
  published_at: number;
  title: string;
  summary: string | null;
  source: string;
}

/** The source's name as the search index holds it (what the triggers look up per article). */
export async function readSourceSearchText(trx: Transaction<Database>, sourceId: number): Promise<string> {
  const source = await trx.selectFrom('sources').select('name').where('id', '=', sourceId).executeTakeFirst();
  return toSearchText(source?.name);
}

/**
 * storeArticles writes the search rows of the articles it stores itself, from text folded here by
 * toSearchText, and turns the insert trigger off for its transaction:
 * - PostgreSQL (migration 005): rows of articles inserted or rewritten, through
 *   newsgate_search_doc(); the fold the SQL trigger repeats cost ~4× the database's CPU. The
 *   source named is the articles' own (storeArticles only rewrites articles its source first
 *   delivered).
 * - SQLite (migration 006): rows of articles inserted, all of a write transaction's feeds sorted
 *   by index key and written at its end (rewrites still go through the update trigger). FTS5 runs
 *   its insert about twice as fast as a statement of its own as from a trigger, and appends
 *   ascending keys to one pending segment instead of starting one per feed.
 */
const capable = new WeakMap<Kysely<Database>, Promise<boolean>>();

/**
 * Whether the database has migration 005 (PostgreSQL) or 006 (SQLite), asked once per store. A
 * store opened before its migrations ran (tests, `migrate` itself) keeps the trigger doing the work.
 */
export function canWriteSearchRows(db: Kysely<Database>): Promise<boolean> {
  let known = capable.get(db);
  if (!known) {
    const check =
      dialectOf(db) === 'postgres'
        ? sql<{ ok: boolean }>`select to_regprocedure('newsgate_search_doc(text,text,text)') is not null as ok`
        : sql<{ ok: number }>`select count(*) > 0 as ok from sqlite_master where type = 'trigger' and name = 'articles_search_insert' and sql like '%newsgate_app_search%'`;
    known = check
      .execute(db)
      .then((r) => Boolean(r.rows[0]?.ok))
      // A failed check is asked again next time; meanwhile the trigger indexes.
      .catch(() => {
        capable.delete(db);
        return false;
      });
    capable.set(db, known);
  }
  return known;
}

/** For the rest of this transaction, the insert trigger leaves the search rows to storeArticles. */
export async function takeOverSearchIndex(trx: Transaction<Database>): Promise<void> {
  if (dialectOf(trx) === 'postgres') await sql`select set_config('newsgate.app_search', 'on', true)`.execute(trx);
  else await sql`select newsgate_app_search(1)`.execute(trx);
}

/** SQLite: the trigger indexes again (PostgreSQL's setting ends with its transaction). */
export async function handBackSearchIndex(trx: Transaction<Database>): Promise<void> {
  if (dialectOf(trx) !== 'postgres') await sql`select newsgate_app_search(0)`.execute(trx);
}

interface SqliteSearchTables {
  article_search: { rowid: bigint; title: string; summary: string | null; source: string; article_id: number; published_at: number };
}

/** SQLite: writes the rows in index key order (FTS5 appends ascending keys to its pending segment). */
export async function writeSqliteSearchRows(trx: Transaction<Database>, rows: readonly SearchRow[]): Promise<void> {
  const keyed = rows.map((row) => ({
    rowid: searchKey(row.published_at, row.id),
    title: toSearchText(row.title),
    summary: row.summary === null ? null : toSearchText(row.summary),
    source: row.source,
    article_id: row.id,
    published_at: row.published_at,
  }));
  keyed.sort((a, b) => (a.rowid < b.rowid ? -1 : a.rowid > b.rowid ? 1 : 0));
  const search = trx as unknown as Kysely<SqliteSearchTables>;
  for (let i = 0; i < keyed.length; i += 400) {
    await insertRows(search, 'article_search', ['rowid', 'title', 'summary', 'source', 'article_id', 'published_at'], keyed.slice(i, i + 400));
  }
}

/** PostgreSQL: writes (or rewrites) the rows through newsgate_search_doc(). */
export async function writeSearchRows(trx: Transaction<Database>, rows: readonly SearchRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 400) {
    const values = rows
      .slice(i, i + 400)
      .map((row) => sql`(${row.id}, ${row.published_at}, newsgate_search_doc(${toSearchText(row.title)}, ${row.source}, ${row.summary ? toSearchText(row.summary) : ''}))`);
    await sql`insert into article_search (rowid, published_at, doc) values ${sql.join(values)}
      on conflict (rowid) do update set published_at = excluded.published_at, doc = excluded.doc`.execute(trx);
  }
}
