import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoryAssigner } from '../../src/store/articles.js';
import { runRetention } from '../../src/ops/retention.js';
import { pruneExpired } from '../../src/store/retention.js';
import { buildRss, type RssItem } from '../helpers/rss.js';
import { metric, parseMetrics, startOpsHarness, type OpsHarness } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const OLD = NOW - 100 * DAY;
const EDGE = NOW - 90 * DAY;

const item = (n: string, hour: number): RssItem => ({
  title: `${n} tin số ${n.slice(1)}`,
  link: `https://example.vn/${n}.html`,
  pubDate: new Date(Date.UTC(2026, 7, 1, hour)).toUTCString(),
});
// Stories by the title's first letter-group: S1 = a1 + a4, S2 = a2 + a3, S3 = b1, S4 = a5, S5 = c1.
const story: Record<string, string> = { a1: 'S1', a4: 'S1', a2: 'S2', a3: 'S2', b1: 'S3', a5: 'S4', c1: 'S5' };

/** Groups articles into stories by the table above, so a story can straddle the retention cutoff. */
function tableStories(): StoryAssigner {
  const first = new Map<string, number>();
  return {
    assign(doc) {
      const tag = story[doc.title.split(' ')[0]];
      const existing = first.get(tag);
      if (existing !== undefined) return { storyId: existing, merged: [] };
      first.set(tag, doc.id);
      return { storyId: doc.id, merged: [] };
    },
  };
}

let h: OpsHarness;

beforeEach(async () => {
  h = await startOpsHarness({
    routes: {
      '/a.rss': buildRss([item('a1', 1), item('a2', 2), item('a3', 3)]),
      '/b.rss': buildRss([item('a1', 1), item('b1', 4)]),
      '/c.rss': buildRss([item('c1', 5)]),
    },
    sources: [
      { slug: 'a', path: '/a.rss', name: 'A', topics: ['kinh-doanh'] },
      { slug: 'b', path: '/b.rss', name: 'B', topics: ['thoi-su'] },
      { slug: 'c', path: '/c.rss', name: 'C', topics: ['cong-nghe'] },
    ],
  });
  h.app.ingest.stories = tableStories();
  // First seen 100 days ago: a1 (also listed by b), a2, a3, b1. c1 exactly at the 90-day cutoff.
  await h.poll('a', { now: () => OLD });
  await h.poll('b', { now: () => OLD });
  await h.poll('c', { now: () => EDGE });
  // Today a lists one more article for S1 and one for a new story; a1..a3 are still in its feed.
  h.feeds.set('/a.rss', { body: buildRss([item('a1', 1), item('a2', 2), item('a3', 3), item('a4', 6), item('a5', 7)]) });
  const report = await h.poll('a', { now: () => NOW });
  expect(report.new).toBe(2);
});
afterEach(async () => h.close());

const db = () => h.store.db;
const titles = async () => (await db().selectFrom('articles').select('title').orderBy('title').execute()).map((r) => r.title.split(' ')[0]);
const storyRows = async () => db().selectFrom('stories').select(['id', 'headline', 'article_count']).orderBy('id').execute();

/** Counters must equal what the link tables say, and no link may point at a missing article (portable SQL: runs on both engines). */
async function expectConsistent() {
  const rows = async (query: ReturnType<typeof sql>) => (await query.execute(db())).rows;
  expect(await rows(sql`select count(*) as n from article_sources where article_id not in (select id from articles)`)).toEqual([{ n: 0 }]);
  expect(await rows(sql`select count(*) as n from article_topics where article_id not in (select id from articles)`)).toEqual([{ n: 0 }]);
  expect(await rows(sql`select count(*) as n from articles where story_id not in (select id from stories)`)).toEqual([{ n: 0 }]);
  expect(await rows(sql`select count(*) as n from stories where id not in (select story_id from articles)`)).toEqual([{ n: 0 }]);
  expect(await rows(sql`select slug, item_count from sources where item_count <> (select count(*) from article_sources where source_id = sources.id)`)).toEqual([]);
  expect(await rows(sql`select slug, article_count from topics where article_count <> (select count(*) from article_topics where topic_id = topics.id)`)).toEqual([]);
  expect(
    await rows(
      sql`select id from stories s where article_count <> (select count(*) from articles where story_id = s.id) or headline <> (select title from articles where story_id = s.id order by published_at, id limit 1)`,
    ),
  ).toEqual([]);
}

describe('retention', () => {
  it('deletes exactly the articles first seen before the cutoff, with their links, stories and counters', async () => {
    expect(await titles()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'c1']);
    expect((await storyRows()).length).toBe(5);
    await expectConsistent();
    const s1Before = (await storyRows()).find((s) => s.headline.startsWith('a1'))!;
    expect(s1Before.article_count).toBe(2);

    const result = await pruneExpired(db(), { retentionDays: 90, now: NOW });
    expect(result).toMatchObject({ cutoff: EDGE, articles: 4, storiesRemoved: 2, tombstonesAdded: 4, tombstonesExpired: 0 });
    expect(await titles()).toEqual(['a4', 'a5', 'c1']);
    const stories = await storyRows();
    expect(stories.map((s) => s.headline.split(' ')[0]).sort()).toEqual(['a4', 'a5', 'c1']);
    // S1 kept its id (links to it stay valid) and now starts with a4.
    expect(stories.find((s) => s.headline.startsWith('a4'))).toMatchObject({ id: s1Before.id, article_count: 1 });
    const counts = Object.fromEntries(
      (await db().selectFrom('sources').select(['slug', 'item_count']).execute()).map((r) => [r.slug, r.item_count]),
    );
    expect(counts).toEqual({ a: 2, b: 0, c: 1 });
    const topics = Object.fromEntries((await db().selectFrom('topics').select(['slug', 'article_count']).execute()).map((r) => [r.slug, r.article_count]));
    expect(topics).toEqual({ 'kinh-doanh': 2, 'thoi-su': 0, 'cong-nghe': 1 });
    await expectConsistent();
    expect((await db().selectFrom('article_tombstones').select('key').execute()).length).toBe(4);

    // Nothing more to do on a second pass.
    expect(await pruneExpired(db(), { retentionDays: 90, now: NOW })).toMatchObject({ articles: 0, batches: 0 });
  });

  it('keeps purged articles out while their feeds still list them, until the tombstone expires', async () => {
    await pruneExpired(db(), { retentionDays: 90, now: NOW });
    const a = await h.poll('a', { now: () => NOW + DAY });
    const b = await h.poll('b', { now: () => NOW + DAY });
    expect(a).toMatchObject({ fetched: 5, new: 0, updated: 0, unchanged: 5 });
    expect(b).toMatchObject({ fetched: 2, new: 0, updated: 0, unchanged: 2 });
    expect(await titles()).toEqual(['a4', 'a5', 'c1']);
    await expectConsistent();

    // Tombstones live twice the retention period, then go, so the table stays bounded.
    const later = NOW + 181 * DAY;
    const result = await pruneExpired(db(), { retentionDays: 90, now: later });
    expect(result.tombstonesExpired).toBe(4);
    expect(result.articles).toBe(3);
    expect((await db().selectFrom('article_tombstones').select('key').execute()).length).toBe(3);
    await expectConsistent();
  });

  it('is disabled by retentionDays 0', async () => {
    const result = await pruneExpired(db(), { retentionDays: 0, now: NOW + 1000 * DAY });
    expect(result).toMatchObject({ cutoff: null, articles: 0 });
    expect((await titles()).length).toBe(7);
  });

  it('works in small transactions and lets other queries run between them', async () => {
    const many = Array.from({ length: 25 }, (_, i) => ({ title: `m${i} bài cũ`, link: `https://example.vn/m${i}.html`, pubDate: new Date(Date.UTC(2026, 6, 1, i)).toUTCString() }));
    h.feeds.set('/c.rss', { body: buildRss(many) });
    await h.poll('c', { now: () => OLD });
    let batches = 0;
    let readDuringPrune: number | null = null;
    let read: Promise<unknown> | null = null;
    const result = await pruneExpired(db(), {
      retentionDays: 90,
      now: NOW,
      batchSize: 4,
      onBatch: () => {
        batches++;
        read ??= db()
          .selectFrom('articles')
          .select('id')
          .execute()
          .then(() => (readDuringPrune = batches));
      },
    });
    await read;
    expect(result.articles).toBe(29);
    expect(result.batches).toBe(8);
    expect(readDuringPrune).not.toBeNull();
    expect(readDuringPrune!).toBeLessThan(8);
    await expectConsistent();
  });

  it("serve's pass counts what it pruned and refreshes cached feeds", async () => {
    const before = await (await h.get('/feeds/sources/b.rss')).text();
    expect(before).toContain('b1 tin số 1');
    const result = await runRetention(h.app, { now: NOW });
    expect(result.articles).toBe(4);
    const after = await (await h.get('/feeds/sources/b.rss')).text();
    expect(after).not.toContain('b1 tin số 1');
    const topic = await (await h.get('/feeds/topics/kinh-doanh.rss')).text();
    expect(topic).not.toContain('a2 tin số 2');
    expect(topic).toContain('a4 tin số 4');
    const m = parseMetrics(await (await h.get('/metrics')).text());
    expect(metric(m, 'newsgate_retention_pruned_articles_total')).toBe(4);
    expect(metric(m, 'newsgate_articles')).toBe(3);
    expect(h.logs.lines().find((l) => l.component === 'retention')).toMatchObject({ msg: 'retention: pruned 4 articles', articles: 4 });
  });
});
