import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/model/article.js';
import { refreshStory, storeArticles } from '../../src/store/articles.js';
import type { Store } from '../../src/store/database.js';
import { parseNotice, type StoredNotice } from '../../src/store/notify.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { createStoryAssigner } from '../../src/stories/assigner.js';
import { makeConfig } from '../helpers/config.js';
import { openSharedStores, testDialects } from '../helpers/dialects.js';

/**
 * Issue 7: two gateway instances (two stores, each with its own pool, story index and
 * notification origin) writing one PostgreSQL database at the same moment. Each round the two
 * store feeds that share URLs and report the same events in other words; both transactions
 * run concurrently on the server.
 */
const pgCase = (await testDialects()).find((d) => d.dialect === 'postgres')!;

const config = makeConfig({
  sources: [
    { slug: 'a', url: 'https://a.vn/rss', name: 'A', topics: ['thoi-su'] },
    { slug: 'b', url: 'https://b.vn/rss', name: 'B', topics: ['kinh-doanh'] },
  ],
});

const T = Date.UTC(2026, 10, 20, 1, 0);
const item = (link: string, title: string, minutes: number): ArticleInput => ({
  key: link,
  link,
  guid: null,
  title,
  summary: null,
  contentHtml: null,
  author: null,
  imageUrl: null,
  categories: [],
  publishedAt: new Date(T + minutes * 60_000),
});

/** Same events in two outlets' words (they group in one story: test/stories covers the clusterer). */
const EVENTS: [string, string][] = [
  ['Khánh thành cầu Rạch Miễu 2 nối Tiền Giang và Bến Tre', 'Cầu Rạch Miễu 2 nối Tiền Giang với Bến Tre chính thức khánh thành'],
  ['Cháy chung cư mini ở quận Thanh Xuân, nhiều người mắc kẹt', 'Hà Nội: Cảnh sát giải cứu 20 người trong vụ cháy chung cư mini ở Thanh Xuân'],
  ['Giá xăng giảm lần thứ ba liên tiếp từ chiều nay', 'Chiều nay giá xăng giảm lần thứ ba liên tiếp'],
];

let one: Store;
let two: Store;
let close: (() => Promise<void>) | null = null;

beforeAll(async () => {
  if (pgCase.skip !== null) return;
  const shared = await openSharedStores('postgres', 2, config);
  [one, two] = shared.stores;
  close = shared.close;
});
afterAll(async () => close?.());

describe.skipIf(pgCase.skip !== null)(`two instances storing into one PostgreSQL database at once${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
  it('stores each URL once, links it to both sources, and groups related articles in one story', async () => {
    const a = (await findSourceBySlug(one.db, 'a'))!.id;
    const b = (await findSourceBySlug(two.db, 'b'))!.id;
    const storiesOne = await createStoryAssigner(one.db, { now: T });
    const storiesTwo = await createStoryAssigner(two.db, { now: T });
    const heardByOne: StoredNotice[] = [];
    await one.listen!((notice) => heardByOne.push(notice));

    const storedByTwo: number[] = [];
    for (let round = 0; round < 12; round++) {
      const [titleA, titleB] = EVENTS[round % EVENTS.length];
      const event = `v${round}: `;
      // Four URLs both feeds carry, one of each feed's own: the same event in other words.
      const shared = [0, 1, 2, 3].map((n) => item(`https://shared.vn/${round}/${n}`, `${event}tin chung số ${n} của vòng ${round}`, round * 10 + n));
      const [ra, rb] = await Promise.all([
        storeArticles(one.db, { sourceId: a, articles: [...shared, item(`https://a.vn/${round}`, `${event}${titleA}`, round * 10 + 5)], stories: storiesOne, now: T }),
        storeArticles(two.db, { sourceId: b, articles: [item(`https://b.vn/${round}`, `${event}${titleB}`, round * 10 + 6), ...[...shared].reverse()], stories: storiesTwo, now: T }),
      ]);
      // Whichever committed first inserted the shared URLs; the other linked them.
      expect(ra.inserted.length + rb.inserted.length).toBe(6);
      expect(ra.inserted.length === 5 ? rb.linked : ra.linked).toBe(4);
      storedByTwo.push(...rb.inserted);

      const rows = await one.db.selectFrom('articles').select(['key', 'story_id']).where('key', 'in', [`https://a.vn/${round}`, `https://b.vn/${round}`]).execute();
      expect(rows).toHaveLength(2);
      expect(rows[0].story_id, `round ${round}: "${titleA}" and "${titleB}" in one story`).toBe(rows[1].story_id);
    }

    const articles = await one.db.selectFrom('articles').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.count<number>('key').distinct().as('keys')]).executeTakeFirstOrThrow();
    expect(Number(articles.n)).toBe(12 * 6);
    expect(Number(articles.keys)).toBe(12 * 6);
    const links = await one.db.selectFrom('article_sources').select(['source_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('source_id').orderBy('source_id').execute();
    expect(links.map((l) => Number(l.n))).toEqual([12 * 5, 12 * 5]);

    // Counters match the rows they count, whatever order the transactions ran in.
    const sources = await one.db.selectFrom('sources').select(['id', 'item_count']).orderBy('id').execute();
    expect(sources.map((s) => Number(s.item_count))).toEqual([12 * 5, 12 * 5]);
    const stories = await one.db
      .selectFrom('stories')
      .leftJoin('articles', 'articles.story_id', 'stories.id')
      .select(['stories.id', 'stories.article_count', (eb) => eb.fn.count<number>('articles.id').as('n')])
      .groupBy(['stories.id', 'stories.article_count'])
      .execute();
    for (const story of stories) expect(Number(story.article_count), `story ${story.id}`).toBe(Number(story.n));
    expect(stories.every((s) => Number(s.n) > 0)).toBe(true);

    // Instance one heard of every article instance two inserted, and not of its own.
    const until = Date.now() + 5000;
    while (heardByOne.flatMap((n) => n.newArticleIds).length < storedByTwo.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(heardByOne.flatMap((n) => n.newArticleIds).sort((x, y) => x - y)).toEqual([...storedByTwo].sort((x, y) => x - y));
    expect(heardByOne.every((n) => n.sourceId === b)).toBe(true);
  });
});

describe.skipIf(pgCase.skip !== null)(`notifications between instances${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
  it('reconnects after losing its connection, says notices may have been missed, and hears the next ones', async () => {
    const a = (await findSourceBySlug(two.db, 'a'))!.id;
    const heard: StoredNotice[] = [];
    let gaps = 0;
    await one.listen!((notice) => heard.push(notice), { onGap: () => gaps++, onError: () => {}, retryMs: 50 });
    const { rows } = await sql<{ channel: string }>`select 'newsgate_' || md5(current_schema()) as channel`.execute(one.db);
    const killed = await sql<{ ok: boolean }>`select pg_terminate_backend(pid) as ok from pg_stat_activity where query = ${`listen "${rows[0].channel}"`}`.execute(one.db);
    expect(killed.rows.length).toBeGreaterThan(0);
    const until = Date.now() + 10_000;
    // (The first test's listener on this store was cut off too; this one counts its own gap.)
    while (gaps < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(gaps).toBe(1);

    const stored = await storeArticles(two.db, { sourceId: a, articles: [item('https://a.vn/after-reconnect', 'Tin sau khi kết nối lại', 500)], now: T });
    while (!heard.some((n) => n.newArticleIds.includes(stored.inserted[0])) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(heard.flatMap((n) => n.newArticleIds)).toContain(stored.inserted[0]);
  });

  it('splits a large feed’s notice under PostgreSQL’s payload limit', async () => {
    const a = (await findSourceBySlug(two.db, 'a'))!.id;
    const heard: StoredNotice[] = [];
    await one.listen!((notice) => heard.push(notice));
    const big = Array.from({ length: 1000 }, (_, n) => item(`https://a.vn/big/${n}`, `Tin dài số ${n}`, 1000 + n));
    const stored = await storeArticles(two.db, { sourceId: a, articles: big, now: T });
    expect(stored.inserted).toHaveLength(1000);
    const until = Date.now() + 10_000;
    while (heard.flatMap((n) => n.newArticleIds).length < 1000 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(heard.flatMap((n) => n.newArticleIds).sort((x, y) => x - y)).toEqual([...stored.inserted].sort((x, y) => x - y));
    expect(heard.length).toBeGreaterThanOrEqual(3);
    expect(heard[0].topicIds).toEqual(stored.topicIds);
  });

  it('ignores its own notices and payloads that are not newsgate notices', () => {
    expect(parseNotice(JSON.stringify({ o: 'me', s: 1, n: [1, 2], u: 0 }), 'me')).toBeNull();
    expect(parseNotice(JSON.stringify({ o: 'other', s: 1, n: [1, 2.5, 'x', 3], u: 2, t: [4, null] }), 'me')).toEqual({ sourceId: 1, newArticleIds: [1, 3], updated: 2, topicIds: [4] });
    expect(parseNotice(JSON.stringify({ o: 'other', s: 1, n: [] }), 'me')).toEqual({ sourceId: 1, newArticleIds: [], updated: 0, topicIds: [] });
    expect(parseNotice('not json', 'me')).toBeNull();
    expect(parseNotice(JSON.stringify({ o: 'other', s: 'x', n: [] }), 'me')).toBeNull();
  });
});

describe.skipIf(pgCase.skip !== null)(`story decisions made with an out-of-date view${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
  it('follows merges another instance made: joining or merging into a story that is now an alias lands in its survivor', async () => {
    const a = (await findSourceBySlug(one.db, 'a'))!.id;
    // Three stories stored; then "another instance" merges 2 into 1 (as mergeStories leaves it).
    const base = await storeArticles(one.db, { sourceId: a, articles: [1, 2, 3].map((n) => item(`https://a.vn/view/${n}`, `Sự kiện riêng số ${n}`, 2000 + n)), now: T });
    const [s1, s2, s3] = base.inserted;
    await one.db.updateTable('articles').set({ story_id: s1 }).where('story_id', '=', s2).execute();
    await one.db.insertInto('story_aliases').values({ alias_id: s2, story_id: s1 }).execute();
    await one.db.deleteFrom('stories').where('id', '=', s2).execute();
    await refreshStory(one.db, s1);

    // This instance still believes story s2 exists: one article joins it, another merges s3 into it.
    const decisions = [{ storyId: s2, merged: [] }, { storyId: s2, merged: [s3] }];
    const stale = { assign: () => decisions.shift()! };
    const later = await storeArticles(one.db, { sourceId: a, articles: [item('https://a.vn/view/4', 'Tin thêm 4', 2010), item('https://a.vn/view/5', 'Tin thêm 5', 2011)], stories: stale, now: T });
    const rows = await one.db.selectFrom('articles').select(['id', 'story_id']).where('id', 'in', [...base.inserted, ...later.inserted]).orderBy('id').execute();
    expect(rows.map((r) => r.story_id)).toEqual([s1, s1, s1, s1, s1]);
    const story = await one.db.selectFrom('stories').select(['id', 'article_count']).where('id', 'in', [s1, s2, s3]).execute();
    expect(story).toEqual([{ id: s1, article_count: 5 }]);
    expect(await one.db.selectFrom('story_aliases').select(['alias_id', 'story_id']).where('alias_id', 'in', [s2, s3]).orderBy('alias_id').execute()).toEqual([
      { alias_id: s2, story_id: s1 },
      { alias_id: s3, story_id: s1 },
    ]);
  });
});
