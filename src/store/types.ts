import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Times are stored as integer milliseconds since the epoch: exact, sortable,
 * cheap to index, and the same on SQLite and PostgreSQL (bigint).
 */
type Millis = number;

export interface TopicTable {
  id: Generated<number>;
  slug: string;
  name: string;
  /** JSON array of strings. */
  aliases: string;
  keywords: string;
  article_count: ColumnType<number, number | undefined, number>;
}

export interface SourceTable {
  id: Generated<number>;
  slug: string;
  url: string;
  name: string;
  site_url: string | null;
  language: string | null;
  timezone: string;
  interval_minutes: number;
  origin: 'config' | 'api' | 'opml';
  enabled: ColumnType<number, number | undefined, number>;
  feed_title: string | null;
  etag: string | null;
  last_modified: string | null;
  last_fetched_at: Millis | null;
  last_status: number | null;
  last_error: string | null;
  consecutive_failures: ColumnType<number, number | undefined, number>;
  next_poll_at: Millis | null;
  /** Minimum minutes between polls the publisher asked for (ttl, Cache-Control). */
  publisher_min_minutes: number | null;
  item_count: ColumnType<number, number | undefined, number>;
  created_at: Millis;
  /** The instance polling the source now (migration 004), until lease_expires_at. */
  lease_owner: ColumnType<string | null, string | null | undefined, string | null>;
  lease_expires_at: ColumnType<Millis | null, Millis | null | undefined, Millis | null>;
}

export interface SourceTopicTable {
  source_id: number;
  topic_id: number;
}

export interface StoryTable {
  id: Generated<number>;
  headline: string;
  article_count: ColumnType<number, number | undefined, number>;
  first_seen_at: Millis;
  last_seen_at: Millis;
}

export interface StoryAliasTable {
  alias_id: number;
  story_id: number;
}

export interface ArticleTable {
  id: Generated<number>;
  key: string;
  link: string;
  guid: string | null;
  title: string;
  summary: string | null;
  content_html: string | null;
  author: string | null;
  image_url: string | null;
  /** JSON array of strings. */
  categories: string;
  published_at: Millis;
  fetched_at: Millis;
  updated_at: Millis;
  /** The first source that delivered the article. */
  source_id: number;
  story_id: number;
  original_outlet: string | null;
  /** Hash of the fields whose change counts as an update; lets re-polls skip unchanged items cheaply. */
  content_hash: string;
}

/** published_at is copied here so topic/source pages are one index range scan. */
export interface ArticleSourceTable {
  article_id: number;
  source_id: number;
  published_at: Millis;
}

export interface ArticleTopicTable {
  article_id: number;
  topic_id: number;
  published_at: Millis;
}

/** Keys of articles removed by retention; storeArticles skips them (see src/store/retention.ts). */
export interface ArticleTombstoneTable {
  key: string;
  purged_at: Millis;
}

export interface Database {
  topics: TopicTable;
  sources: SourceTable;
  source_topics: SourceTopicTable;
  stories: StoryTable;
  story_aliases: StoryAliasTable;
  articles: ArticleTable;
  article_sources: ArticleSourceTable;
  article_topics: ArticleTopicTable;
  article_tombstones: ArticleTombstoneTable;
}

export type TopicRow = Selectable<TopicTable>;
export type SourceRow = Selectable<SourceTable>;
export type SourceUpdate = Updateable<SourceTable>;
export type StoryRow = Selectable<StoryTable>;
export type ArticleRow = Selectable<ArticleTable>;
export type NewArticle = Insertable<ArticleTable>;
