import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/model/article.js';
import { hashArticle, readWriteStats, storeArticles, type StoryAssigner } from '../../src/store/articles.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug, listTopicIdsBySource, listTopics } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { testDialects, type DialectCase } from '../helpers/dialects.js';

const config = makeConfig({
  sources: [
    { slug: 'a', url: 'https://a.vn/rss', name: 'A', topics: ['thoi-su'] },
    { slug: 'b', url: 'https://b.vn/rss', name: 'B', topics: ['kinh-doanh'] },
  ],
});

function article(n: number, patch: Partial<ArticleInput> = {}): ArticleInput {
  return {
    key: `https://a.vn/${n}`,
    link: `https://a.vn/${n}`,
    guid: null,
    title: `Tin số ${n}`,
    summary: `Tóm tắt ${n}`,
    contentHtml: null,
    author: null,
    imageUrl: null,
    categories: [],
    publishedAt: new Date(Date.UTC(2026, 7, 28, 3, n)),
    ...patch,
  };
}

const dialects = await testDialects();
let store: Store;
afterEach(async () => store?.close());

let current: DialectCase;
async function setup() {
  store = await current.open(config);
  const a = (await findSourceBySlug(store.db, 'a'))!;
  const b = (await findSourceBySlug(store.db, 'b'))!;
  const topics = await listTopicIdsBySource(store.db, [a.id, b.id]);
  return { a: { id: a.id, topics: topics.get(a.id)! }, b: { id: b.id, topics: topics.get(b.id)! } };
}

describe('hashArticle', () => {
  it('gives the digest stored by earlier versions (a change would rewrite every stored article on its next poll)', () => {
    const article: ArticleInput = {
      key: 'https://vnexpress.net/a-1.html',
      link: 'https://vnexpress.net/a-1.html',
      guid: null,
      title: 'Tiêu đề',
      summary: 'Tóm tắt',
      contentHtml: '<p>Nội dung</p>',
      author: 'Ngọc Anh',
      imageUrl: null,
      categories: ['Thời sự', 'Xã hội'],
      publishedAt: new Date(0),
    };
    // SHA-1 of the fields joined by NUL (categories by U+001F), base64url
    expect(hashArticle(article)).toBe('C4WqK5Bl98FC1h6a3fNQTVnbc68');
  });
});

for (const d of dialects)
describe.skipIf(d.skip !== null)(`storeArticles [${d.dialect}]${d.skip ? ` (skipped: ${d.skip})` : ''}`, () => {
  beforeEach(() => {
    current = d;
  });

  it('is idempotent and updates changed items in place', async () => {
    const { a } = await setup();
    const batch = [article(1), article(2), article(3)];
    const first = await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: batch, now: 1000 });
    expect(first.inserted).toHaveLength(3);
    expect(first.topicIds).toEqual(a.topics);
    const again = await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: batch, now: 2000 });
    expect(again).toMatchObject({ inserted: [], updated: [], unchanged: 3, linked: 0, topicIds: [] });

    const retitled = [article(1), article(2, { title: 'Tin số 2 (cập nhật)' }), article(3)];
    const third = await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: retitled, now: 3000 });
    expect(third.inserted).toEqual([]);
    expect(third.updated).toEqual([first.inserted[1]]);
    expect(third.topicIds).toEqual(a.topics);
    const rows = await store.db.selectFrom('articles').select(['id', 'title', 'updated_at', 'fetched_at']).orderBy('id').execute();
    expect(rows).toHaveLength(3);
    expect(rows[1]).toMatchObject({ title: 'Tin số 2 (cập nhật)', updated_at: 3000, fetched_at: 1000 });
    const source = await store.db.selectFrom('sources').select('item_count').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(source.item_count).toBe(3);
  });

  it('makes the same URL from two sources one article belonging to both, with both topics', async () => {
    const { a, b } = await setup();
    await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(1)], now: 1000 });
    const second = await storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: [article(1)], now: 2000 });
    expect(second).toMatchObject({ inserted: [], linked: 1, unchanged: 1, topicIds: b.topics });
    const links = await store.db.selectFrom('article_sources').select('source_id').orderBy('source_id').execute();
    expect(links.map((l) => l.source_id)).toEqual([a.id, b.id]);
    const topics = await listTopics(store.db);
    const counts = Object.fromEntries(topics.map((t) => [t.slug, t.article_count]));
    expect(counts).toEqual({ 'thoi-su': 1, 'kinh-doanh': 1, 'cong-nghe': 0 });
    // Re-linking the same pair does not double count.
    await storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: [article(1)], now: 3000 });
    expect((await listTopics(store.db)).find((t) => t.slug === 'kinh-doanh')!.article_count).toBe(1);
  });

  it('lets only the first source rewrite a shared article', async () => {
    const { a, b } = await setup();
    await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(1)], now: 1000 });
    const other = await storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: [article(1, { title: 'Bản sao khác' })], now: 2000 });
    expect(other).toMatchObject({ updated: [], unchanged: 1, linked: 1 });
    const row = await store.db.selectFrom('articles').select('title').executeTakeFirstOrThrow();
    expect(row.title).toBe('Tin số 1');
  });

  it('gives each article its own story by default and applies merges from a story assigner', async () => {
    const { a } = await setup();
    const first = await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(1), article(2)], now: 1000 });
    const stories = await store.db.selectFrom('stories').selectAll().orderBy('id').execute();
    expect(stories.map((s) => [s.id, s.article_count, s.headline])).toEqual([
      [first.inserted[0], 1, 'Tin số 1'],
      [first.inserted[1], 1, 'Tin số 2'],
    ]);
    // An assigner that says article 3 links stories 1 and 2 into story 1.
    const [s1, s2] = first.inserted;
    const linker: StoryAssigner = { assign: () => ({ storyId: s1, merged: [s2] }) };
    await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(3)], now: 2000, stories: linker });
    const after = await store.db.selectFrom('stories').selectAll().execute();
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ id: s1, article_count: 3, headline: 'Tin số 1' });
    const aliases = await store.db.selectFrom('story_aliases').selectAll().execute();
    expect(aliases).toEqual([{ alias_id: s2, story_id: s1 }]);
    const storyIds = await store.db.selectFrom('articles').select('story_id').distinct().execute();
    expect(storyIds).toEqual([{ story_id: s1 }]);
  });

  it('stores concurrent batches of the same articles from two sources as one article each, linked to both', async () => {
    const { a, b } = await setup();
    const batch = Array.from({ length: 40 }, (_, i) => article(i + 1));
    // As the scheduler does: several feeds' transactions in flight at once (a pool on PostgreSQL).
    const results = await Promise.all([
      storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: batch, now: 1000 }),
      storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: batch, now: 1000 }),
      storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: batch.slice(0, 10), now: 1000 }),
    ]);
    expect(results[0].inserted.length + results[1].inserted.length).toBe(40);
    const count = await store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(40);
    const links = await store.db.selectFrom('article_sources').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(links.n)).toBe(80);
    const counts = Object.fromEntries((await listTopics(store.db)).map((t) => [t.slug, t.article_count]));
    expect(counts).toEqual({ 'thoi-su': 40, 'kinh-doanh': 40, 'cong-nghe': 0 });
  });

  it('stores feeds that arrive together whole or not at all, each on its own', async () => {
    const { a, b } = await setup();
    // On SQLite these three share one transaction; the second fails after its articles and
    // stories are written (its topic links name a topic that does not exist).
    const results = await Promise.allSettled([
      storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(1), article(2)], now: 1000 }),
      storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: [article(10), article(11)], now: 1000, extraTopicIds: () => [999_999] }),
      storeArticles(store.db, { sourceId: b.id, articles: [article(20)], now: 1000 }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const titles = await store.db.selectFrom('articles').select('title').orderBy('title').execute();
    expect(titles.map((r) => r.title)).toEqual(['Tin số 1', 'Tin số 2', 'Tin số 20']);
    const stories = await store.db.selectFrom('stories').select('headline').orderBy('headline').execute();
    expect(stories.map((r) => r.headline)).toEqual(['Tin số 1', 'Tin số 2', 'Tin số 20']);
    // Read in the transaction when not given: source b's own topic.
    const counts = Object.fromEntries((await listTopics(store.db)).map((t) => [t.slug, t.article_count]));
    expect(counts).toEqual({ 'thoi-su': 2, 'kinh-doanh': 1, 'cong-nghe': 0 });
    const sources = await store.db.selectFrom('sources').select(['slug', 'item_count']).orderBy('slug').execute();
    expect(sources).toEqual([{ slug: 'a', item_count: 2 }, { slug: 'b', item_count: 1 }]);
  });

  it('gathers feeds handed over in separate turns into one transaction while more are coming (SQLite)', async () => {
    if (current.dialect !== 'sqlite') return;
    const { a, b } = await setup();
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const before = readWriteStats(store.db);
    const coming = { more: true };
    const moreComing = () => coming.more;
    const first = storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(1)], now: 1000, moreComing });
    await turn();
    const second = storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: [article(2)], now: 1000, moreComing });
    await turn();
    // The last one: nothing more is coming, the three are written now, together.
    coming.more = false;
    const third = storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(3)], now: 1000, moreComing });
    const results = await Promise.all([first, second, third]);
    expect(results.map((r) => r.inserted.length)).toEqual([1, 1, 1]);
    expect(readWriteStats(store.db)).toEqual({ transactions: before.transactions + 1, feeds: before.feeds + 3 });
    // More is said to be coming but never comes: the feed is still written (after the gathering time).
    coming.more = true;
    expect((await storeArticles(store.db, { sourceId: b.id, sourceTopicIds: b.topics, articles: [article(4)], now: 1000, moreComing })).inserted).toHaveLength(1);
    // Without the hint (a single poll, an API call), each write starts on the next turn.
    await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(5)], now: 1000 });
    await turn();
    await storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(6)], now: 1000 });
    expect(readWriteStats(store.db)).toEqual({ transactions: before.transactions + 4, feeds: before.feeds + 6 });
  });

  it('writes nothing when the batch fails midway', async () => {
    const { a } = await setup();
    const failing: StoryAssigner = {
      assign: (doc) => {
        if (doc.title === 'Tin số 2') throw new Error('boom');
        return { storyId: doc.id, merged: [] };
      },
    };
    await expect(
      storeArticles(store.db, { sourceId: a.id, sourceTopicIds: a.topics, articles: [article(1), article(2)], now: 1000, stories: failing }),
    ).rejects.toThrow('boom');
    const count = await store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });
});
