import { sql, type Kysely, type Transaction } from 'kysely';
import { toSearchText } from '../text/search-query.js';
import type { Database } from './types.js';

export interface SearchRow {
  id: number;
  published_at: number;
  title: string;
  summary: string | null;
}

/**
 * PostgreSQL (migration 005): storeArticles writes the search rows of the articles it inserts or
 * rewrites itself, from text folded here by toSearchText (the fold the SQL trigger repeats, ~4×
 * the database's CPU), and turns the trigger off for its transaction. The source named is the
 * articles' own (storeArticles only rewrites articles its source first delivered).
 */
const capable = new WeakMap<Kysely<Database>, Promise<boolean>>();

/**
 * Whether the database has migration 005's newsgate_search_doc (asked once per store). A store
 * opened before its migrations ran (tests, `migrate` itself) keeps the trigger doing the work.
 */
export function canWriteSearchRows(db: Kysely<Database>): Promise<boolean> {
  let known = capable.get(db);
  if (!known) {
    known = sql<{ ok: boolean }>`select to_regprocedure('newsgate_search_doc(text,text,text)') is not null as ok`
      .execute(db)
      .then((r) => r.rows[0]?.ok === true)
      // A failed check is asked again next time; meanwhile the trigger indexes.
      .catch(() => {
        capable.delete(db);
        return false;
      });
    capable.set(db, known);
  }
  return known;
}

export async function takeOverSearchIndex(trx: Transaction<Database>): Promise<void> {
  await sql`select set_config('newsgate.app_search', 'on', true)`.execute(trx);
}

export async function writeSearchRows(trx: Transaction<Database>, sourceId: number, rows: readonly SearchRow[]): Promise<void> {
  if (rows.length === 0) return;
  const source = await trx.selectFrom('sources').select('name').where('id', '=', sourceId).executeTakeFirst();
  const sourceText = toSearchText(source?.name ?? '');
  for (let i = 0; i < rows.length; i += 400) {
    const values = rows
      .slice(i, i + 400)
      .map((row) => sql`(${row.id}, ${row.published_at}, newsgate_search_doc(${toSearchText(row.title)}, ${sourceText}, ${row.summary ? toSearchText(row.summary) : ''}))`);
    await sql`insert into article_search (rowid, published_at, doc) values ${sql.join(values)}
      on conflict (rowid) do update set published_at = excluded.published_at, doc = excluded.doc`.execute(trx);
  }
}
