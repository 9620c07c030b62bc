import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

// Frozen in time: never edit a released migration, add a new one.
// SQLite gets exactly what it always got; PostgreSQL (issue 7) its own branch below.
export async function up(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') return upPostgres(db);
  await db.schema
    .createTable('topics')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('article_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site_url', 'text')
    .addColumn('language', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Asia/Ho_Chi_Minh'))
    .addColumn('interval_minutes', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('config'))
    // A source dropped from the config is disabled, not deleted: its articles keep their attribution.
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('feed_title', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_fetched_at', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_poll_at', 'bigint')
    .addColumn('publisher_min_minutes', 'integer')
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('source_topics')
    .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('source_topics_pk', ['source_id', 'topic_id'])
    .execute();

  await db.schema
    .createTable('stories')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('article_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stories_last_seen_idx').on('stories').columns(['last_seen_at', 'id']).execute();

  await db.schema
    .createTable('story_aliases')
    .addColumn('alias_id', 'integer', (c) => c.primaryKey())
    .addColumn('story_id', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('guid', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('content_html', 'text')
    .addColumn('author', 'text')
    .addColumn('image_url', 'text')
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id'))
    .addColumn('story_id', 'integer', (c) => c.notNull())
    .addColumn('original_outlet', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_published_idx').on('articles').columns(['published_at', 'id']).execute();
  await db.schema.createIndex('articles_story_idx').on('articles').columns(['story_id', 'published_at']).execute();
  await db.schema.createIndex('articles_fetched_idx').on('articles').column('fetched_at').execute();

  await db.schema
    .createTable('article_sources')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('source_id', 'integer', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_sources_pk', ['article_id', 'source_id'])
    .execute();
  await db.schema
    .createIndex('article_sources_page_idx')
    .on('article_sources')
    .columns(['source_id', 'published_at', 'article_id'])
    .execute();

  await db.schema
    .createTable('article_topics')
    .addColumn('article_id', 'integer', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('topic_id', 'integer', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_topics_pk', ['article_id', 'topic_id'])
    .execute();
  await db.schema
    .createIndex('article_topics_page_idx')
    .on('article_topics')
    .columns(['topic_id', 'published_at', 'article_id'])
    .execute();
  void sql;
}

/**
 * The same tables, columns, keys and indexes on PostgreSQL. Ids are bigint identities
 * ("generated by default", so `newsgate copy` can keep SQLite's ids, and stories can take
 * their first article's id as they do on SQLite); times stay bigint milliseconds; the 0/1
 * flag and the counters stay integers, so rows read the same on both engines; slugs are
 * collated "C" so lists ordered by slug come out as on SQLite in any database locale.
 */
async function upPostgres(db: Kysely<any>): Promise<void> {
  const id = (c: any) => c.primaryKey().generatedByDefaultAsIdentity();
  // Slugs sort by code point as on SQLite (lists are ordered by slug), whatever the database's locale.
  await db.schema
    .createTable('topics')
    .addColumn('id', 'bigint', id)
    .addColumn('slug', 'text', (c) => c.notNull().unique().modifyFront(sql`collate "C"`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('keywords', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('article_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sources')
    .addColumn('id', 'bigint', id)
    .addColumn('slug', 'text', (c) => c.notNull().unique().modifyFront(sql`collate "C"`))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('site_url', 'text')
    .addColumn('language', 'text')
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('Asia/Ho_Chi_Minh'))
    .addColumn('interval_minutes', 'integer', (c) => c.notNull().defaultTo(15))
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('config'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('feed_title', 'text')
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('last_fetched_at', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_poll_at', 'bigint')
    .addColumn('publisher_min_minutes', 'integer')
    .addColumn('item_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('source_topics')
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('topic_id', 'bigint', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('source_topics_pk', ['source_id', 'topic_id'])
    .execute();

  await db.schema
    .createTable('stories')
    .addColumn('id', 'bigint', id)
    .addColumn('headline', 'text', (c) => c.notNull())
    .addColumn('article_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stories_last_seen_idx').on('stories').columns(['last_seen_at', 'id']).execute();

  await db.schema
    .createTable('story_aliases')
    .addColumn('alias_id', 'bigint', (c) => c.primaryKey())
    .addColumn('story_id', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('articles')
    .addColumn('id', 'bigint', id)
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('link', 'text', (c) => c.notNull())
    .addColumn('guid', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('content_html', 'text')
    .addColumn('author', 'text')
    .addColumn('image_url', 'text')
    .addColumn('categories', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('fetched_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('sources.id'))
    .addColumn('story_id', 'bigint', (c) => c.notNull())
    .addColumn('original_outlet', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_published_idx').on('articles').columns(['published_at', 'id']).execute();
  await db.schema.createIndex('articles_story_idx').on('articles').columns(['story_id', 'published_at']).execute();
  await db.schema.createIndex('articles_fetched_idx').on('articles').column('fetched_at').execute();

  await db.schema
    .createTable('article_sources')
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('source_id', 'bigint', (c) => c.notNull().references('sources.id').onDelete('cascade'))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_sources_pk', ['article_id', 'source_id'])
    .execute();
  await db.schema.createIndex('article_sources_page_idx').on('article_sources').columns(['source_id', 'published_at', 'article_id']).execute();

  await db.schema
    .createTable('article_topics')
    .addColumn('article_id', 'bigint', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('topic_id', 'bigint', (c) => c.notNull().references('topics.id').onDelete('cascade'))
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('article_topics_pk', ['article_id', 'topic_id'])
    .execute();
  await db.schema.createIndex('article_topics_page_idx').on('article_topics').columns(['topic_id', 'published_at', 'article_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['article_topics', 'article_sources', 'articles', 'story_aliases', 'stories', 'source_topics', 'sources', 'topics']) {
    await db.schema.dropTable(table).execute();
  }
}
