import * as crypto from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { ArticleInput } from '../model/article.js';
import { dialectOf, scalarMax, scalarMin } from './dialect.js';
import { searchKeyFrom } from './search.js';
import { canWriteSearchRows, handBackSearchIndex, readSourceSearchText, takeOverSearchIndex, writeSearchRows, writeSqliteSearchRows, type SearchRow } from './search-index.js';
import { insertRows } from './insert-rows.js';
import { notifyStored, originOf } from './notify.js';
import { listTopicIdsBySource } from './sources.js';
import type { Database, NewArticle } from './types.js';

/** Decides which story a newly stored article belongs to; the default makes each article its own story. */
export interface StoryAssigner {
  assign(doc: { id: number; title: string; summary: string | null; publishedAt: Date }): { storyId: number; merged: number[] };
  /**
   * PostgreSQL: called under the story lock before new articles are assigned, to learn what other
   * gateway instances stored since (see storeInTransaction).
   */
  catchUp?(trx: Transaction<Database>): Promise<void>;
}

export const singletonStories: StoryAssigner = {
  assign: (doc) => ({ storyId: doc.id, merged: [] }),
};

export interface StoreBatchInput {
  sourceId: number;
  /**
   * Topics every article of this source gets; when omitted, the source's topics as stored, read
   * in the write transaction (so a poll does not wait for the connection between parsing and
   * storing, which would keep it from joining a transaction already under way).
   */
  sourceTopicIds?: readonly number[];
  articles: readonly ArticleInput[];
  /** Extra topics per article (category aliases, keywords), by article key. */
  extraTopicIds?: (article: ArticleInput) => readonly number[];
  stories?: StoryAssigner;
  now: number;
  /**
   * SQLite: whether more feeds are on their way to the store (polls fetching or parsing). If so,
   * the write waits for them a little (see storeArticles); without it, it starts right away.
   */
  moreComing?: () => boolean;
}

export interface StoreBatchResult {
  inserted: number[];
  updated: number[];
  unchanged: number;
  /** Of the unchanged, how many were stored through another source and are now linked to this one too. */
  linked: number;
  /** Topics whose article lists changed: of articles inserted, updated or newly linked to a topic. */
  topicIds: number[];
}

const CHUNK = 400;

/**
 * SHA-1 of a string, base64url. crypto.hash (Node 20.12+) is one call into the native hash where
 * createHash().update().digest() is three and an object: 2-3x faster on article-sized input.
 */
const sha1 = (text: string): string =>
  typeof crypto.hash === 'function' ? crypto.hash('sha1', text, 'base64url') : crypto.createHash('sha1').update(text).digest('base64url');

export function hashArticle(a: ArticleInput): string {
  // The joined fields: the same bytes (and digest) as one update per field, in one call.
  return sha1(`${a.title}\0${a.summary ?? ''}\0${a.contentHtml ?? ''}\0${a.link}\0${a.imageUrl ?? ''}\0${a.author ?? ''}\0${a.categories.join('\u001f')}`);
}

/**
 * Stores one feed's articles in a single transaction, so a crash mid-poll leaves
 * no half-written feed. Identity is the article key across all sources: a known key
 * is updated in place when its content changed and linked to this source if new to it.
 *
 * On SQLite (one writer), feeds handed over in the same turn of the event loop, or while a
 * transaction is running, are written together in one transaction, each whole within a
 * savepoint of its own: a feed that fails rolls back alone, and a crash still leaves every feed
 * either fully written or not at all. A commit costs about as much as storing a few hundred
 * articles (the search index writes out its pending segment, the WAL its pages), so this takes
 * much of it off a busy poll. When the poller says more feeds are coming (`moreComing`), a write
 * waits up to GATHER_MS for GATHER_ARTICLES articles to gather (group commit): in bench:ingest
 * that halved the transactions (from ~2.5 feeds each to ~5) and took 4-9 % off the wall time.
 * The thread is not idle meanwhile: it fetches and parses the feeds that join. PostgreSQL keeps
 * one transaction per feed (within one process they run one at a time, see src/store/open.ts;
 * other instances write alongside).
 */
export async function storeArticles(db: Kysely<Database>, input: StoreBatchInput): Promise<StoreBatchResult> {
  if (dialectOf(db) === 'postgres') {
    const origin = originOf(db);
    const appSearch = await canWriteSearchRows(db);
    return db.transaction().execute(async (trx) => {
      // Rewrites too: on PostgreSQL the update trigger steps aside as well (migration 005).
      const search = appSearch ? { rows: [] as SearchRow[], rewrites: true } : undefined;
      if (search) await takeOverSearchIndex(trx);
      const result = await storeInTransaction(trx, input, search);
      if (search && search.rows.length > 0) await writeSearchRows(trx, search.rows);
      if (result.inserted.length > 0 || result.updated.length > 0) {
        await notifyStored(trx, origin, { sourceId: input.sourceId, newArticleIds: result.inserted, updated: result.updated.length, topicIds: result.topicIds });
      }
      return result;
    });
  }
  let queue = writeQueues.get(db);
  if (!queue) writeQueues.set(db, (queue = { waiting: [], running: false, timer: null, stats: { transactions: 0, feeds: 0 } }));
  const result = new Promise<StoreBatchResult>((resolve, reject) => queue.waiting.push({ input, queuedAt: performance.now(), resolve, reject }));
  scheduleWrites(db, queue);
  return result;
}

/**
 * A transaction starts once this many articles wait, or GATHER_MS after a feed, or when no more
 * are coming. Larger groups (4,500 articles, 12 feeds, with the pipeline's STORE_AHEAD at 12)
 * once took 3-6 % off bench:ingest, when each commit could stall on a WAL checkpoint. With the
 * checkpoints on their own thread (checkpointer.ts), groups of 1,500 / 3 feeds run as fast in
 * alternating runs (empty database and 1,000,000 stored), for 5-6 % less CPU time and ~15 MB
 * less peak RSS at 1,000,000 stored: fewer parsed feeds wait long enough to be promoted to V8's
 * old generation.
 */
const GATHER_ARTICLES = 1_500;
const GATHER_MS = 50;

/** At most this many feeds, and about this many articles, are written in one transaction. */
const GROUP_FEEDS = 3;
const GROUP_ARTICLES = 6_000;

interface QueuedWrite {
  input: StoreBatchInput;
  queuedAt: number;
  resolve(result: StoreBatchResult): void;
  reject(error: unknown): void;
}

interface WriteQueue {
  waiting: QueuedWrite[];
  running: boolean;
  timer: NodeJS.Timeout | null;
  stats: WriteStats;
}

export interface WriteStats {
  /** SQLite write transactions run by storeArticles, and the feeds they stored or tried to. */
  transactions: number;
  feeds: number;
}

/** How storeArticles grouped the feeds it wrote on this (SQLite) database so far. */
export function readWriteStats(db: Kysely<Database>): WriteStats {
  return { ...(writeQueues.get(db)?.stats ?? { transactions: 0, feeds: 0 }) };
}

const writeQueues = new WeakMap<Kysely<Database>, WriteQueue>();

function scheduleWrites(db: Kysely<Database>, queue: WriteQueue): void {
  if (queue.running || queue.waiting.length === 0) return;
  let articles = 0;
  for (const write of queue.waiting) articles += write.input.articles.length;
  const waited = performance.now() - queue.waiting[0].queuedAt;
  const gather = articles < GATHER_ARTICLES && queue.waiting.length < GROUP_FEEDS && waited < GATHER_MS && queue.waiting.at(-1)!.input.moreComing?.() === true;
  if (gather) {
    queue.timer ??= setTimeout(() => startWrites(db, queue), GATHER_MS - waited);
    return;
  }
  if (queue.timer) clearTimeout(queue.timer);
  queue.timer = null;
  // On the next turn of the event loop, after the I/O callbacks of this one: feeds fetched and
  // parsed meanwhile join the transaction (a transaction runs to its commit without yielding to
  // I/O: better-sqlite3 is synchronous).
  queue.running = true;
  setImmediate(() => void drainWrites(db, queue));
}

function startWrites(db: Kysely<Database>, queue: WriteQueue): void {
  queue.timer = null;
  if (queue.running) return;
  queue.running = true;
  void drainWrites(db, queue);
}

/** Writes the next group of queued feeds in one transaction. */
async function drainWrites(db: Kysely<Database>, queue: WriteQueue): Promise<void> {
  let articles = 0;
  let take = 0;
  while (take < queue.waiting.length && take < GROUP_FEEDS && (take === 0 || articles + queue.waiting[take].input.articles.length <= GROUP_ARTICLES)) {
    articles += queue.waiting[take++].input.articles.length;
  }
  const group = queue.waiting.splice(0, take);
  queue.stats.transactions++;
  queue.stats.feeds += group.length;
  const stored: [QueuedWrite, StoreBatchResult][] = [];
  try {
    // The search rows of every feed stored, written together at the end (src/store/search-index.ts).
    const appSearch = await canWriteSearchRows(db);
    const searchRows: SearchRow[] = [];
    await db.transaction().execute(async (trx) => {
      if (appSearch) await takeOverSearchIndex(trx);
      try {
        if (group.length === 1) {
          // Inserts only: rewrites go through SQLite's update trigger (migration 006).
          stored.push([group[0], await storeInTransaction(trx, group[0].input, appSearch ? { rows: searchRows, rewrites: false } : undefined)]);
        } else {
          for (const write of group) {
            const feedRows: SearchRow[] = [];
            await sql`savepoint newsgate_feed`.execute(trx);
            try {
              const result = await storeInTransaction(trx, write.input, appSearch ? { rows: feedRows, rewrites: false } : undefined);
              await sql`release newsgate_feed`.execute(trx);
              stored.push([write, result]);
              for (const row of feedRows) searchRows.push(row);
            } catch (error) {
              await sql`rollback to newsgate_feed`.execute(trx);
              await sql`release newsgate_feed`.execute(trx);
              write.reject(error);
            }
          }
        }
        if (searchRows.length > 0) await writeSqliteSearchRows(trx, searchRows);
      } finally {
        // Whatever happened: no other writer's transaction may find the trigger stepped aside.
        if (appSearch) await handBackSearchIndex(trx);
      }
    });
    for (const [write, result] of stored) write.resolve(result);
  } catch (error) {
    // The transaction failed as a whole (commit, or a feed alone in it): none of it is stored.
    for (const write of group) write.reject(error);
  }
  queue.running = false;
  // What queued meanwhile: written next, or gathered a little longer if more is coming.
  scheduleWrites(db, queue);
}

/**
 * `search`: the caller writes the search rows itself (src/store/search-index.ts); they are
 * collected here for what is inserted, and for what is rewritten when `rewrites` is set.
 */
async function storeInTransaction(trx: Transaction<Database>, input: StoreBatchInput, search?: { rows: SearchRow[]; rewrites: boolean }): Promise<StoreBatchResult> {
  const { sourceId, now } = input;
  const result: StoreBatchResult = { inserted: [], updated: [], unchanged: 0, linked: 0, topicIds: [] };
  const byKey = new Map<string, ArticleInput>();
  for (const article of input.articles) if (!byKey.has(article.key)) byKey.set(article.key, article);
  // Keys purged by retention stay out while their feed still lists them (src/store/retention.ts).
  for (const chunk of chunks([...byKey.keys()])) {
    for (const row of await trx.selectFrom('article_tombstones').select('key').where('key', 'in', chunk).execute()) {
      byKey.delete(row.key);
      result.unchanged++;
    }
  }
  const keys = [...byKey.keys()];
  const existing: StoredByKey = new Map();
  await readStored(trx, keys, existing);

  if (dialectOf(trx) === 'postgres' && keys.some((key) => !existing.has(key))) {
    // Other gateway instances write the same database. New articles are stored under one
    // transaction-scoped advisory lock, held to the commit: the keys still missing are read
    // again once it is ours (an instance that stored the same URL meanwhile has committed, so
    // its article is linked, not inserted twice — the unique key and ON CONFLICT below back
    // this up), and the story index learns what the others stored before it assigns stories,
    // so related articles arriving at two instances at once still land in one story. Ids are
    // taken under the lock too, so they follow commit order (what catchUp relies on).
    await sql`select pg_advisory_xact_lock(${STORY_LOCK})`.execute(trx);
    await readStored(trx, keys.filter((key) => !existing.has(key)), existing);
    await input.stories?.catchUp?.(trx);
  }

  const sourceTopicIds = input.sourceTopicIds ?? (await listTopicIdsBySource(trx, [sourceId])).get(sourceId) ?? [];
  const topicsFor = (article: ArticleInput): number[] => {
    const extra = input.extraTopicIds?.(article) ?? [];
    return extra.length === 0 ? [...sourceTopicIds] : [...new Set([...sourceTopicIds, ...extra])];
  };

  // Existing articles: update changed ones, link them to this source and its topics.
  const existingIds = [...existing.values()].map((row) => row.id);
  const linkedSources = new Set<number>();
  const linkedTopics = new Set<string>();
  for (const chunk of chunks(existingIds)) {
    for (const row of await trx.selectFrom('article_sources').select('article_id').where('source_id', '=', sourceId).where('article_id', 'in', chunk).execute()) {
      linkedSources.add(row.article_id);
    }
    for (const row of await trx.selectFrom('article_topics').select(['article_id', 'topic_id']).where('article_id', 'in', chunk).execute()) {
      linkedTopics.add(`${row.article_id}:${row.topic_id}`);
    }
  }
  // Read once, and only when a search row is written (most polls store nothing new).
  let sourceText: string | null = null;
  const searchSource = async () => (sourceText ??= await readSourceSearchText(trx, sourceId));
  const sourceLinks: { article_id: number; source_id: number; published_at: number }[] = [];
  const topicLinks: { article_id: number; topic_id: number; published_at: number }[] = [];
  for (const [key, row] of existing) {
    const article = byKey.get(key)!;
    const publishedAt = row.published_at;
    // Only the source that first delivered an article may rewrite it; otherwise two feeds
    // carrying different text for one URL would flip it back and forth on every poll.
    const hash = row.source_id === sourceId ? hashArticle(article) : row.content_hash;
    if (hash !== row.content_hash) {
      // Publishers fix typos and add images after the fact; keep the first publication time.
      await trx
        .updateTable('articles')
        .set({ ...articleText(article), content_hash: hash, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      result.updated.push(row.id);
      if (search?.rewrites) search.rows.push({ id: row.id, published_at: publishedAt, title: article.title, summary: article.summary, source: await searchSource() });
    } else {
      result.unchanged++;
    }
    if (!linkedSources.has(row.id)) {
      sourceLinks.push({ article_id: row.id, source_id: sourceId, published_at: publishedAt });
      result.linked++;
    }
    for (const topicId of topicsFor(article)) {
      if (!linkedTopics.has(`${row.id}:${topicId}`)) topicLinks.push({ article_id: row.id, topic_id: topicId, published_at: publishedAt });
    }
  }

  // New articles: ids are taken up front, each article is placed in a story in feed order
  // (deterministic), and the rows are written with their story at the end — one insert per row,
  // no second pass to set story_id. Ids ascend with publication time (to the second; feed order
  // within a second, so equal times keep the order they had), so that rows are inserted in both
  // id and search-index key order (migration 003: time, then id). FTS5 appends ascending rowids
  // to its in-memory segment, but a smaller rowid than the last one (a feed lists newest first)
  // makes it write out a segment per article and merge them all later; and rows inserted in
  // descending id order leave the articles table's pages half full.
  const fresh = keys.filter((key) => !existing.has(key)).map((key) => byKey.get(key)!);
  const reserved = await reserveArticleIds(trx, fresh.length);
  const timeKeys = fresh.map((article) => searchKeyFrom(article.publishedAt.getTime()));
  const byTime = fresh.map((_, i) => i).sort((a, b) => (timeKeys[a] < timeKeys[b] ? -1 : timeKeys[a] > timeKeys[b] ? 1 : a - b));
  const ids: number[] = new Array(fresh.length);
  for (const [rank, i] of byTime.entries()) ids[i] = reserved[rank];
  const stories = input.stories ?? singletonStories;
  const writes = new StoryWrites();
  const freshSource = search && fresh.length > 0 ? await searchSource() : '';
  for (const [i, article] of fresh.entries()) {
    const id = ids[i];
    const publishedAt = article.publishedAt.getTime();
    result.inserted.push(id);
    search?.rows.push({ id, published_at: publishedAt, title: article.title, summary: article.summary, source: freshSource });
    sourceLinks.push({ article_id: id, source_id: sourceId, published_at: publishedAt });
    for (const topicId of topicsFor(article)) topicLinks.push({ article_id: id, topic_id: topicId, published_at: publishedAt });
    const { storyId, merged } = stories.assign({ id, title: article.title, summary: article.summary, publishedAt: article.publishedAt });
    const row: NewArticle = {
      id,
      key: article.key,
      guid: article.guid,
      ...articleText(article),
      published_at: publishedAt,
      fetched_at: now,
      updated_at: now,
      source_id: sourceId,
      story_id: storyId,
      content_hash: hashArticle(article),
    };
    if (storyId === id) writes.start(row, { id, headline: article.title, article_count: 1, first_seen_at: publishedAt, last_seen_at: publishedAt });
    else writes.join(row, storyId, publishedAt);
    if (merged.length > 0) await mergeStories(trx, writes, storyId, merged);
  }
  await writes.flush(trx);

  // In key order: concurrent transactions (other instances linking the same stored article) then
  // take the unique keys' locks in one order and cannot deadlock on them.
  sourceLinks.sort((x, y) => x.article_id - y.article_id);
  topicLinks.sort((x, y) => x.article_id - y.article_id || x.topic_id - y.topic_id);
  for (const chunk of chunks(sourceLinks)) await insertRows(trx, 'article_sources', ['article_id', 'source_id', 'published_at'], chunk, { onConflictDoNothing: [] });
  for (const chunk of chunks(topicLinks)) await insertRows(trx, 'article_topics', ['article_id', 'topic_id', 'published_at'], chunk, { onConflictDoNothing: [] });

  const perTopic = new Map<number, number>();
  for (const link of topicLinks) perTopic.set(link.topic_id, (perTopic.get(link.topic_id) ?? 0) + 1);
  const touched = new Set(perTopic.keys());
  if (result.updated.length > 0) {
    const updated = new Set(result.updated);
    for (const link of linkedTopics) {
      const [articleId, topicId] = link.split(':').map(Number);
      if (updated.has(articleId)) touched.add(topicId);
    }
  }
  result.topicIds = [...touched];
  // In id order: concurrent transactions (other instances) then take the rows' locks in one
  // order and cannot deadlock on them.
  for (const [topicId, count] of [...perTopic].sort((a, b) => a[0] - b[0])) {
    await trx.updateTable('topics').set((eb) => ({ article_count: eb('article_count', '+', count) })).where('id', '=', topicId).execute();
  }
  if (sourceLinks.length > 0) {
    await trx.updateTable('sources').set((eb) => ({ item_count: eb('item_count', '+', sourceLinks.length) })).where('id', '=', sourceId).execute();
  }
  return result;
}

type StoredByKey = Map<string, { id: number; content_hash: string; published_at: number; source_id: number }>;

/** Adds the stored articles among `keys` to `into`. */
async function readStored(trx: Transaction<Database>, keys: readonly string[], into: StoredByKey): Promise<void> {
  for (const chunk of chunks(keys)) {
    const rows = await trx.selectFrom('articles').select(['id', 'key', 'content_hash', 'published_at', 'source_id']).where('key', 'in', chunk).execute();
    for (const row of rows) into.set(row.key, row);
  }
}

/** Every column an inserted article row gives (insertRows needs them all, in one order). */
const ARTICLE_COLUMNS = [
  'id', 'key', 'guid', 'link', 'title', 'summary', 'content_html', 'author', 'image_url', 'categories', 'original_outlet',
  'published_at', 'fetched_at', 'updated_at', 'source_id', 'story_id', 'content_hash',
] as const;

type PendingStory = { id: number; headline: string; article_count: number; first_seen_at: number; last_seen_at: number };

/**
 * New articles and story changes of one batch, written in a few statements at the end instead
 * of several per article: the article rows (with their story), new stories, and counter deltas
 * for stored stories.
 */
class StoryWrites {
  private readonly articles: NewArticle[] = [];
  private readonly pending = new Map<number, PendingStory>();
  private readonly deltas = new Map<number, { n: number; first: number; last: number }>();

  start(article: NewArticle, story: PendingStory): void {
    this.articles.push(article);
    this.pending.set(story.id, story);
  }

  join(article: NewArticle, storyId: number, publishedAt: number): void {
    this.articles.push(article);
    const local = this.pending.get(storyId);
    if (local) {
      local.article_count++;
      local.first_seen_at = Math.min(local.first_seen_at, publishedAt);
      local.last_seen_at = Math.max(local.last_seen_at, publishedAt);
      return;
    }
    const delta = this.deltas.get(storyId);
    if (delta) {
      delta.n++;
      delta.first = Math.min(delta.first, publishedAt);
      delta.last = Math.max(delta.last, publishedAt);
    } else {
      this.deltas.set(storyId, { n: 1, first: publishedAt, last: publishedAt });
    }
  }

  async flush(trx: Transaction<Database>): Promise<void> {
    const dialect = dialectOf(trx);
    // In id order, which is search-index key order too (see storeInTransaction).
    const rows = this.articles.splice(0).sort((a, b) => a.id! - b.id!);
    if (dialect === 'postgres') {
      await this.followMerges(trx, rows);
      for (const chunk of chunks(rows)) {
        const stored = await insertRows(trx, 'articles', ARTICLE_COLUMNS, chunk, { onConflictDoNothing: ['key'], returningId: true });
        // Only a writer outside the story lock can get here (see storeInTransaction).
        if (stored.length !== chunk.length) throw new StoreConflictError('an article of this feed was stored concurrently by another writer; the feed is stored on its next poll');
      }
    } else {
      for (const chunk of chunks(rows)) await insertRows(trx, 'articles', ARTICLE_COLUMNS, chunk);
    }
    for (const chunk of chunks([...this.pending.values()].sort((a, b) => a.id - b.id))) {
      await insertRows(trx, 'stories', ['id', 'headline', 'article_count', 'first_seen_at', 'last_seen_at'], chunk);
    }
    this.pending.clear();
    for (const [storyId, delta] of [...this.deltas].sort((a, b) => a[0] - b[0])) {
      await trx
        .updateTable('stories')
        .set((eb) => ({
          article_count: eb('article_count', '+', delta.n),
          // SQLite's scalar min()/max(); least()/greatest() on PostgreSQL.
          first_seen_at: scalarMin(dialect, eb.ref('first_seen_at'), eb.val(delta.first)),
          last_seen_at: scalarMax(dialect, eb.ref('last_seen_at'), eb.val(delta.last)),
        }))
        .where('id', '=', storyId)
        .execute();
    }
    this.deltas.clear();
  }

  /**
   * PostgreSQL: another instance may have merged a story this one still knows by its old id;
   * articles joining it follow the merge (story_aliases) to the story that survived.
   */
  private async followMerges(trx: Transaction<Database>, rows: NewArticle[]): Promise<void> {
    const ids = [...this.deltas.keys()];
    if (ids.length === 0) return;
    const moved = new Map<number, number>();
    for (const chunk of chunks(ids)) {
      for (const alias of await trx.selectFrom('story_aliases').select(['alias_id', 'story_id']).where('alias_id', 'in', chunk).execute()) {
        moved.set(alias.alias_id, alias.story_id);
      }
    }
    if (moved.size === 0) return;
    for (const row of rows) row.story_id = moved.get(row.story_id!) ?? row.story_id;
    for (const [from, to] of moved) {
      const delta = this.deltas.get(from)!;
      this.deltas.delete(from);
      const into = this.deltas.get(to);
      if (into) {
        into.n += delta.n;
        into.first = Math.min(into.first, delta.first);
        into.last = Math.max(into.last, delta.last);
      } else {
        this.deltas.set(to, delta);
      }
    }
  }
}

/** The advisory lock new articles are stored under on PostgreSQL ("news" in ASCII). */
const STORY_LOCK = 0x6e657773;

/** A write lost a race with a writer outside newsgate's locking; nothing of the feed was stored. */
export class StoreConflictError extends Error {
  override name = 'StoreConflictError';
}

/**
 * The next `count` article ids, ascending, for rows inserted with their id. SQLite: past both the
 * AUTOINCREMENT high-water mark and the largest id (what AUTOINCREMENT itself would take; writing
 * an explicit id moves the mark); the write transaction keeps them ours. PostgreSQL: from the
 * identity's sequence.
 */
async function reserveArticleIds(trx: Transaction<Database>, count: number): Promise<number[]> {
  if (count === 0) return [];
  if (dialectOf(trx) === 'postgres') {
    const { rows } = await sql<{ id: string | number }>`select nextval(pg_get_serial_sequence('articles', 'id')) as id from generate_series(1, ${count})`.execute(trx);
    return rows.map((row) => Number(row.id)).sort((a, b) => a - b);
  }
  const { rows } = await sql<{ last: number }>`select max(coalesce((select seq from sqlite_sequence where name = 'articles'), 0), coalesce((select max(id) from articles), 0)) as last`.execute(trx);
  const last = Number(rows[0].last);
  return Array.from({ length: count }, (_, i) => last + 1 + i);
}

/** The columns an article's text fills, on insert and on an update by its first source. */
function articleText(article: ArticleInput) {
  return {
    link: article.link,
    title: article.title,
    summary: article.summary,
    content_html: article.contentHtml,
    author: article.author,
    image_url: article.imageUrl,
    categories: JSON.stringify(article.categories),
    original_outlet: article.originalOutlet ?? null,
  };
}

/** Folds merged stories into the surviving one, keeping their ids resolvable as aliases. */
async function mergeStories(trx: Transaction<Database>, writes: StoryWrites, target: number, merged: number[]): Promise<void> {
  // Write what the batch decided so far, so every story and article involved is a stored row.
  await writes.flush(trx);
  // PostgreSQL: another instance may have merged the target away meanwhile; merge into its survivor.
  const storyId = dialectOf(trx) === 'postgres' ? await followAlias(trx, target) : target;
  merged = merged.filter((id) => id !== storyId);
  if (merged.length === 0) return;
  await trx.updateTable('articles').set({ story_id: storyId }).where('story_id', 'in', merged).execute();
  await trx.updateTable('story_aliases').set({ story_id: storyId }).where('story_id', 'in', merged).execute();
  await trx.insertInto('story_aliases').values(merged.map((alias) => ({ alias_id: alias, story_id: storyId }))).onConflict((oc) => oc.column('alias_id').doUpdateSet({ story_id: storyId })).execute();
  await trx.deleteFrom('stories').where('id', 'in', merged).execute();
  await refreshStory(trx, storyId);
}

async function followAlias(trx: Transaction<Database>, storyId: number): Promise<number> {
  const alias = await trx.selectFrom('story_aliases').select('story_id').where('alias_id', '=', storyId).executeTakeFirst();
  return alias?.story_id ?? storyId;
}

/** Recomputes a story's counters and headline (its earliest article's title) from its articles. */
export async function refreshStory(db: Kysely<Database>, storyId: number): Promise<void> {
  const stats = await db
    .selectFrom('articles')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('published_at').as('first'), eb.fn.max('published_at').as('last')])
    .where('story_id', '=', storyId)
    .executeTakeFirst();
  if (!stats || Number(stats.n) === 0) {
    await db.deleteFrom('stories').where('id', '=', storyId).execute();
    return;
  }
  const earliest = await db.selectFrom('articles').select('title').where('story_id', '=', storyId).orderBy('published_at').orderBy('id').limit(1).executeTakeFirstOrThrow();
  await db
    .updateTable('stories')
    .set({ article_count: Number(stats.n), first_seen_at: Number(stats.first), last_seen_at: Number(stats.last), headline: earliest.title })
    .where('id', '=', storyId)
    .execute();
}

function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
