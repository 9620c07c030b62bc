import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen in time: never edit a released migration, add a new one.
//
// PostgreSQL only (SQLite's triggers already fold in JavaScript through newsgate_search_text).
// Folding in SQL cost ~140 µs per article (the regular expressions of newsgate_search_text) and
// placing lexemes in PL/pgSQL ~60 µs more: most of PostgreSQL's CPU per stored article, all of it
// inside the transaction that holds the instances' shared store lock (src/store/articles.ts).
// From here storeArticles writes the search rows itself, from text folded by toSearchText (the
// same fold, tested equal on the fixture corpus) through newsgate_search_doc(), which only places
// the tokens — in plain SQL. It says so per transaction (set_config('newsgate.app_search', 'on',
// true)) and the trigger then steps aside; every other writer (copy, admin edits, plain SQL) still
// gets the trigger's index, unchanged.
/** What migration 003's trigger function does (kept here as it is, whatever 003's file becomes). */
const INDEX_FROM_TRIGGER = sql`insert into article_search (rowid, published_at, doc)
      values (new.id, new.published_at,
              newsgate_search_vector(new.title, (select name from sources where id = new.source_id), new.summary))
      on conflict (rowid) do update set published_at = excluded.published_at, doc = excluded.doc;`;

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  // Positions as newsgate_search_vector gives them: title (A), source (B), summary (C), one
  // position left empty after each field so that a phrase never spans two fields.
  await sql`create function newsgate_search_doc(title text, source text, summary text) returns tsvector
    language sql immutable parallel safe as $fn$
      select coalesce(string_agg('''' || replace(replace(x.tok, '\\', '\\\\'), '''', '''''') || ''':' || least(x.pos, 16383) || x.w, ' '), '')::tsvector
      from (
        select f.w, t.tok, f.base + t.n as pos
        from (
          select p.w, p.part,
                 sum(p.len + 1) over (order by p.i) - (p.len + 1) as base
          from (
            select u.part, u.w, u.i, coalesce(array_length(string_to_array(nullif(u.part, ''), ' '), 1), 0) as len
            from unnest(array[title, source, summary], array['A', 'B', 'C']) with ordinality as u(part, w, i)
          ) p
        ) f
        cross join lateral unnest(string_to_array(nullif(f.part, ''), ' ')) with ordinality as t(tok, n)
      ) x
    $fn$`.execute(db);
  await sql`create or replace function newsgate_article_search_sync() returns trigger
    language plpgsql as $fn$
    begin
      if current_setting('newsgate.app_search', true) = 'on' then
        return null;
      end if;
      ${INDEX_FROM_TRIGGER}
      return null;
    end
    $fn$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== 'postgres') return;
  await sql`create or replace function newsgate_article_search_sync() returns trigger
    language plpgsql as $fn$
    begin
      ${INDEX_FROM_TRIGGER}
      return null;
    end
    $fn$`.execute(db);
  await sql`drop function if exists newsgate_search_doc(text, text, text)`.execute(db);
}
