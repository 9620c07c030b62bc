import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen in time: never edit a released migration, add a new one.
//
// SQLite only: what migration 005 did for PostgreSQL. storeArticles writes the search rows of the
// articles it inserts itself, folded in JavaScript, sorted by index key across its whole write
// transaction, and says so with newsgate_app_search(1) (src/store/database.ts: a flag of the writing
// connection that only holds inside a transaction); the insert trigger then steps aside. Measured on
// the 100,000 benchmark articles (test/bench/ingest.ts): the FTS5 insert run from the trigger cost
// about twice the same insert run as a statement of its own (8.1 s against 5.3 s, five feeds per
// transaction, articles included), and the fold through an SQL function call per column adds more.
// Every other writer (copy, admin edits, plain SQL, updates by storeArticles) still gets the
// trigger's index, unchanged.

/** Migration 003's insert trigger body, as it was released. */
const INDEX_NEW = sql`insert into article_search (rowid, title, summary, source, article_id, published_at)
    values ((min(max(new.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + new.id), newsgate_search_text(new.title), newsgate_search_text(new.summary),
            newsgate_search_text((select name from sources where id = new.source_id)), new.id, new.published_at);`;

export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`drop trigger if exists articles_search_insert`.execute(db);
  await sql`create trigger articles_search_insert after insert on articles when not newsgate_app_search() begin ${INDEX_NEW} end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return;
  await sql`drop trigger if exists articles_search_insert`.execute(db);
  await sql`create trigger articles_search_insert after insert on articles begin ${INDEX_NEW} end`.execute(db);
}
