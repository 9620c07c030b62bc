import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen in time: never edit a released migration, add a new one.
//
// Full-text search (SQLite FTS5). The index holds each article's title, summary and first
// source's name in their folded search form (src/text/search-query.ts toSearchText, registered
// on every connection that writes as the SQL function newsgate_search_text), so an accent-free
// query finds accented text and the other way round. Contentless: the text lives in `articles`;
// contentless_delete lets rows go by rowid. Triggers keep it in step with every insert, title or
// summary change and delete (ingestion, retention, admin removals) with no code path to forget.
// The rowid is not the article id but a time key — whole seconds since 2020 (clamped to ±68
// years) in the high 32 bits, the article id in the low 32 — so FTS5 walks matches newest first
// and a page stops after its rows, however many articles match. article_id and published_at ride
// along (UNINDEXED, stored by contentless_unindexed) so searches filter and page by date and find
// the article without looking up every matching article row. src/store/search.ts searchKey() is
// the same formula in JS.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return upPostgres(db);
  await sql`create virtual table article_search using fts5(
    title, summary, source, article_id unindexed, published_at unindexed,
    content = '', contentless_delete = 1, contentless_unindexed = 1,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
  )`.execute(db);
  const insertNew = sql`insert into article_search (rowid, title, summary, source, article_id, published_at)
    values ((min(max(new.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + new.id), newsgate_search_text(new.title), newsgate_search_text(new.summary),
            newsgate_search_text((select name from sources where id = new.source_id)), new.id, new.published_at);`;
  await sql`create trigger articles_search_insert after insert on articles begin ${insertNew} end`.execute(db);
  await sql`create trigger articles_search_update after update of title, summary, source_id, published_at on articles begin
    delete from article_search where rowid = (min(max(old.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + old.id);
    ${insertNew}
  end`.execute(db);
  await sql`create trigger articles_search_delete after delete on articles begin
    delete from article_search where rowid = (min(max(old.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + old.id);
  end`.execute(db);
  await sql`insert into article_search (rowid, title, summary, source, article_id, published_at)
    select (min(max(a.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + a.id), newsgate_search_text(a.title), newsgate_search_text(a.summary), newsgate_search_text(s.name), a.id, a.published_at
    from articles a join sources s on s.id = a.source_id`.execute(db);
}

/**
 * PostgreSQL: the same index as a table `article_search (rowid, published_at, doc)` — the
 * names the FTS5 table answers to, so the store's queries read both alike — where `doc` is a
 * tsvector with a GIN index. The tsvector is not built by PostgreSQL's text-search parser
 * (it would split "28/8", "1,6" or "u21_x" differently from the SQLite index); instead
 * newsgate_search_text() re-implements src/text/search-query.ts toSearchText in SQL — NFC,
 * invisible characters dropped, "U-21" glued, lower case (ICU, whatever the database's
 * locale), NFD with the combining marks U+0300–U+036F stripped, đ/ð → d, a lone "y" nucleus
 * after an onset spelled "i" ("kỳ" = "kì", "quý" = "quí", as src/text/tone.ts does), numbers
 * kept whole with "_" for their separators — and newsgate_search_vector() places its tokens as lexemes
 * at their positions: title (weight A), source name (B), summary (C), with a gap between
 * fields so a phrase never spans two of them, as in FTS5's columns. test/store/search-pg
 * checks the SQL fold against toSearchText on the fixture corpus. No extension is needed
 * (unaccent would be: it does not strip combining marks left by NFD-encoded text, and đ still
 * needs translate()); see src/store/search.ts for the queries and why not pg_trgm.
 */
async function upPostgres(db: Kysely<any>): Promise<void> {
  await sql`create function newsgate_search_text(input text) returns text
    language sql immutable parallel safe as $fn$
      select coalesce(string_agg(regexp_replace(regexp_replace(t.m[1], '^([bcdghklmnpqrstvx]{1,3}|qu)y$', '\\1i'), '[.,/:-]', '_', 'g'), ' ' order by t.n), '')
      from regexp_matches(
        translate(
          regexp_replace(
            normalize(lower(regexp_replace(
              normalize(regexp_replace(coalesce(input, ''), '[\\u00ad\\u200b-\\u200f\\u2060\\ufeff]', '', 'g'), NFC) collate "und-x-icu",
              '(^|[^[:alnum:]\\u0300-\\u036f])([A-Za-z]{1,5})-(?=[0-9])', '\\1\\2', 'g')), NFD),
            '[\\u0300-\\u036f]', '', 'g'),
          'đð', 'dd') collate "und-x-icu",
        '((?:[[:alnum:]]|(?<=[0-9])[.,/:-](?=[0-9]))+)', 'g') with ordinality as t(m, n)
    $fn$`.execute(db);
  await sql`create function newsgate_search_vector(title text, source text, summary text) returns tsvector
    language plpgsql immutable parallel safe as $fn$
    declare
      parts text[] := array[newsgate_search_text(title), newsgate_search_text(source), newsgate_search_text(summary)];
      weights text[] := array['A', 'B', 'C'];
      lexemes text[] := '{}';
      token text;
      pos int := 0;
    begin
      for i in 1..3 loop
        if parts[i] <> '' then
          foreach token in array string_to_array(parts[i], ' ') loop
            pos := pos + 1;
            lexemes := lexemes || ('''' || replace(replace(token, '\\', '\\\\'), '''', '''''') || ''':' || least(pos, 16383) || weights[i]);
          end loop;
        end if;
        pos := pos + 1;
      end loop;
      return array_to_string(lexemes, ' ')::tsvector;
    end
    $fn$`.execute(db);
  await sql`create table article_search (
    rowid bigint primary key references articles (id) on delete cascade,
    published_at bigint not null,
    doc tsvector not null
  )`.execute(db);
  await sql`create index article_search_doc_idx on article_search using gin (doc)`.execute(db);
  await sql`create index article_search_published_idx on article_search (published_at, rowid)`.execute(db);
  await sql`create function newsgate_article_search_sync() returns trigger
    language plpgsql as $fn$
    begin
      insert into article_search (rowid, published_at, doc)
      values (new.id, new.published_at,
              newsgate_search_vector(new.title, (select name from sources where id = new.source_id), new.summary))
      on conflict (rowid) do update set published_at = excluded.published_at, doc = excluded.doc;
      return null;
    end
    $fn$`.execute(db);
  await sql`create trigger articles_search_insert after insert on articles
    for each row execute function newsgate_article_search_sync()`.execute(db);
  await sql`create trigger articles_search_update after update of title, summary, source_id, published_at on articles
    for each row execute function newsgate_article_search_sync()`.execute(db);
  // Deletes go with the row (on delete cascade).
  await sql`insert into article_search (rowid, published_at, doc)
    select a.id, a.published_at, newsgate_search_vector(a.title, s.name, a.summary)
    from articles a join sources s on s.id = a.source_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    await sql`drop table if exists article_search`.execute(db);
    await sql`drop function if exists newsgate_article_search_sync() cascade`.execute(db);
    await sql`drop function if exists newsgate_search_vector(text, text, text)`.execute(db);
    await sql`drop function if exists newsgate_search_text(text)`.execute(db);
    return;
  }
  for (const trigger of ['articles_search_insert', 'articles_search_update', 'articles_search_delete']) {
    await sql`drop trigger if exists ${sql.raw(trigger)}`.execute(db);
  }
  await sql`drop table if exists article_search`.execute(db);
  // FTS5 (3.53) leaves the shadow table of a contentless_unindexed table behind when dropping it,
  // and a connection in defensive mode (better-sqlite3's default) may not drop it: only one with
  // unsafe mode on can (migrating up again needs that).
  try {
    await sql`drop table if exists article_search_content`.execute(db);
  } catch {
    // left behind, harmless until the table is created again
  }
}
