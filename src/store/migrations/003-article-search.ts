import { sql, type Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
//
// Full-text search (SQLite FTS5). The index holds each article's title, summary and first
// source's name in their folded search form (src/text/search-query.ts toSearchText, registered
// on every connection that writes as the SQL function newsgate_search_text), so an accent-free
// query finds accented text and the other way round. Contentless: the text lives in `articles`;
// contentless_delete lets rows go by rowid. Triggers keep it in step with every insert, title or
// summary change and delete (ingestion, retention, admin removals) with no code path to forget.
// published_at rides along (UNINDEXED, stored by contentless_unindexed) so searches filter, order
// and page by date without looking up every matching article row.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create virtual table article_search using fts5(
    title, summary, source, published_at unindexed,
    content = '', contentless_delete = 1, contentless_unindexed = 1,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
  )`.execute(db);
  await sql`create trigger articles_search_insert after insert on articles begin
    insert into article_search (rowid, title, summary, source, published_at)
    values (new.id, newsgate_search_text(new.title), newsgate_search_text(new.summary),
            newsgate_search_text((select name from sources where id = new.source_id)), new.published_at);
  end`.execute(db);
  await sql`create trigger articles_search_update after update of title, summary, source_id, published_at on articles begin
    delete from article_search where rowid = old.id;
    insert into article_search (rowid, title, summary, source, published_at)
    values (new.id, newsgate_search_text(new.title), newsgate_search_text(new.summary),
            newsgate_search_text((select name from sources where id = new.source_id)), new.published_at);
  end`.execute(db);
  await sql`create trigger articles_search_delete after delete on articles begin
    delete from article_search where rowid = old.id;
  end`.execute(db);
  await sql`insert into article_search (rowid, title, summary, source, published_at)
    select a.id, newsgate_search_text(a.title), newsgate_search_text(a.summary), newsgate_search_text(s.name), a.published_at
    from articles a join sources s on s.id = a.source_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['articles_search_insert', 'articles_search_update', 'articles_search_delete']) {
    await sql`drop trigger if exists ${sql.raw(trigger)}`.execute(db);
  }
  await sql`drop table if exists article_search`.execute(db);
}
