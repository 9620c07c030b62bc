import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss, type RssItem } from '../helpers/rss.js';
import { openTestStore } from '../helpers/store.js';
import type { SearchPageQuery } from './gql/graphql.js';
import { graphql } from './gql/index.js';
import { codes, startApi, type Api } from './harness.js';

/**
 * Full-text search through the real app: two outlets' feeds served on 127.0.0.1, stored by the
 * real pipeline (so the index is filled by the real triggers), queried over HTTP.
 */
const SearchPage = graphql(`
  query SearchPage($filter: ArticleFilter, $orderBy: ArticleOrder, $first: Int, $after: String, $last: Int, $before: String) {
    articles(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id title publishedAt } }
      pageInfo { hasNextPage hasPreviousPage endCursor startCursor }
    }
  }
`);

const SearchStories = graphql(`
  query SearchStories($filter: ArticleFilter) {
    stories(filter: $filter, first: 10) { edges { node { headline } } }
  }
`);

const T0 = Date.UTC(2026, 10, 27, 0, 0);
const rfc822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');
const at = (minutes: number) => rfc822(T0 + minutes * 60_000);

const VNEXPRESS: RssItem[] = [
  { title: 'Mưa lớn kéo dài ở Đà Nẵng', link: 'https://vnexpress.net/a1', description: 'Người dân chuẩn bị ứng phó', pubDate: at(10) },
  // Decomposed (NFD) in the feed: stored and indexed as NFC.
  { title: 'Du lịch Đà Nẵng hút khách'.normalize('NFD'), link: 'https://vnexpress.net/a2', pubDate: at(20) },
  { title: 'Thuỷ điện Hòa Bình xả lũ', link: 'https://vnexpress.net/a3', pubDate: at(30) },
  { title: 'Giá xăng E10 giảm từ chiều nay', link: 'https://vnexpress.net/a4', pubDate: at(40) },
  { title: 'Tin tổng hợp buổi sáng', link: 'https://vnexpress.net/a5', description: 'Có tin về bão và Đà Nẵng', pubDate: at(50) },
];
const DANTRI: RssItem[] = [
  { title: 'Thủy điện Sơn La vận hành', link: 'https://dantri.com.vn/b1', pubDate: at(15) },
  { title: 'ĐÀ NẴNG khai mạc lễ hội pháo hoa', link: 'https://dantri.com.vn/b2', pubDate: at(25) },
  ...Array.from({ length: 7 }, (_, i) => ({ title: `Bão số ${i + 1} gần bờ`, link: `https://dantri.com.vn/bao-${i}`, description: 'Cảnh báo bão', pubDate: at(60 + i) })),
];

let feeds: FixtureServer;
let store: Store;
let api: Api;

beforeAll(async () => {
  feeds = await startFixtureServer({
    '/vnexpress.rss': { body: buildRss(VNEXPRESS) },
    '/dantri.rss': { body: buildRss(DANTRI) },
  });
  const config = makeConfig({
    sources: [
      { slug: 'vnexpress', url: feeds.url('/vnexpress.rss'), name: 'VnExpress', topics: ['thoi-su'] },
      { slug: 'dantri', url: feeds.url('/dantri.rss'), name: 'Dân trí', topics: ['thoi-su'] },
    ],
  });
  store = await openTestStore();
  api = await startApi(config, store);
  for (const slug of ['vnexpress', 'dantri']) {
    const report = await pollSource(api.app.ingest, (await findSourceBySlug(store.db, slug))!);
    expect(report.error).toBeNull();
  }
});

afterAll(async () => {
  await api?.close();
  await store?.close();
  await feeds?.close();
});

const search = async (text: string, extra: { orderBy?: { field: 'RELEVANCE' | 'PUBLISHED_AT' }; first?: number } = {}) =>
  (await api.data(SearchPage, { filter: { search: text }, first: extra.first ?? 50, orderBy: extra.orderBy })).articles;
const titlesOf = async (text: string) => (await search(text, { orderBy: { field: 'PUBLISHED_AT' } })).edges.map((e) => e.node.title.normalize('NFC'));

describe('ArticleFilter.search', () => {
  it('ignores case, diacritics, Unicode form and tone-mark placement', async () => {
    const daNang = ['Tin tổng hợp buổi sáng', 'ĐÀ NẴNG khai mạc lễ hội pháo hoa', 'Du lịch Đà Nẵng hút khách', 'Mưa lớn kéo dài ở Đà Nẵng'];
    for (const q of ['da nang', 'Đà Nẵng', 'Đà Nẵng'.normalize('NFD'), 'ĐÀ NẴNG', 'dA NaNg']) expect(await titlesOf(q), q).toEqual(daNang);
    for (const q of ['thuy dien', 'Thủy điện', 'Thuỷ điện']) expect(await titlesOf(q), q).toEqual(['Thuỷ điện Hòa Bình xả lũ', 'Thủy điện Sơn La vận hành']);
    expect(await titlesOf('xang e10')).toEqual(['Giá xăng E10 giảm từ chiều nay']);
    expect(await titlesOf('"bão số 3"')).toEqual(['Bão số 3 gần bờ']);
    expect((await search('dan tri bao')).totalCount).toBe(7);
  });

  it('ranks by relevance by default and newest first with orderBy PUBLISHED_AT', async () => {
    const relevance = (await search('đà nẵng')).edges.map((e) => e.node.title.normalize('NFC'));
    // The summary-only match comes last by relevance although it is the newest.
    expect(relevance.at(-1)).toBe('Tin tổng hợp buổi sáng');
    expect(relevance).toHaveLength(4);
    const recent = (await search('đà nẵng', { orderBy: { field: 'PUBLISHED_AT' } })).edges.map((e) => e.node.publishedAt);
    expect(recent).toEqual([...recent].sort().reverse());
    // Without a search, RELEVANCE is newest first.
    const plain = await api.data(SearchPage, { first: 5, orderBy: { field: 'RELEVANCE' } });
    const times = plain.articles.edges.map((e) => e.node.publishedAt);
    expect(times).toEqual([...times].sort().reverse());
  });

  it('pages relevance results by cursor, forward and backward, without gaps or repeats', async () => {
    const all = (await search('bão')).edges.map((e) => e.node.id);
    expect(all).toHaveLength(8);
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: SearchPageQuery['articles'] = (await api.data(SearchPage, { filter: { search: 'bão' }, first: 3, after })).articles;
      forward.push(...page.edges.map((e) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(forward).toEqual(all);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: SearchPageQuery['articles'] = (await api.data(SearchPage, { filter: { search: 'bão' }, last: 3, before })).articles;
      backward.unshift(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(all);
    // A cursor from the newest-first list is not a relevance cursor, and the other way round.
    const recentCursor = (await search('bão', { orderBy: { field: 'PUBLISHED_AT' }, first: 1 })).pageInfo.endCursor;
    expect(codes(await api.request(SearchPage, { filter: { search: 'bão' }, first: 2, after: recentCursor }))).toEqual(['BAD_USER_INPUT']);
    const rankCursor = (await search('bão', { first: 1 })).pageInfo.endCursor;
    expect(codes(await api.request(SearchPage, { filter: { search: 'bão' }, orderBy: { field: 'PUBLISHED_AT' }, first: 2, after: rankCursor }))).toEqual(['BAD_USER_INPUT']);
  });

  it('answers any string with results or BAD_USER_INPUT, never a server error', async () => {
    const strings = [
      '"', "'", 'AND', 'OR', 'NOT', 'NOT bão', '(', 'bão)', '*', 'bão*', 'NEAR(bão mưa)', 'NEAR(', 'title:bão', '{title}: bão', '^bão',
      "x' OR '1'='1", "'; DROP TABLE articles; --", '%', '_', '\\', '\u0000', '🌀', 'bão'.repeat(60), 'x'.repeat(5000), 'bão '.repeat(2000),
    ];
    for (const text of strings) {
      const result = await api.request(SearchPage, { filter: { search: text }, first: 5 });
      if (result.errors) {
        expect(codes(result), text.slice(0, 40)).toEqual(['BAD_USER_INPUT']);
        expect(result.errors[0].message).toMatch(/^filter\.search: /);
      } else {
        expect(result.data?.articles.edges, text.slice(0, 40)).toBeInstanceOf(Array);
      }
    }
    const long = await api.request(SearchPage, { filter: { search: 'x'.repeat(5000) } });
    expect(long.errors?.[0].message).toContain('limited to 200 characters');
    // The data is still all there.
    expect((await api.data(SearchPage, { first: 50 })).articles.totalCount).toBe(VNEXPRESS.length + DANTRI.length);
  });

  it('prices searches so a query cannot hold many of them', async () => {
    const aliases = (n: number, variable: boolean) =>
      `query${variable ? '($q: String)' : ''} { ${Array.from({ length: n }, (_, i) => `s${i}: articles(first: 1, filter: { search: ${variable ? '$q' : '"bão"'} }) { edges { node { id } } }`).join(' ')} }`;
    const ok = await api.raw(aliases(150, false));
    expect(ok.body.errors).toBeUndefined();
    for (const variable of [false, true]) {
      const refused = await api.raw(aliases(250, variable), variable ? { q: 'bão' } : undefined);
      expect(refused.body.errors?.[0].extensions?.code, String(variable)).toBe('QUERY_COMPLEXITY');
    }
    // The same 250 lists without a search are cheap.
    expect((await api.raw(aliases(250, false).replaceAll(', filter: { search: "bão" }', ''))).body.errors).toBeUndefined();
  });

  it('filters stories too', async () => {
    const data = await api.data(SearchStories, { filter: { search: 'thuy dien' } });
    expect(data.stories.edges.map((e) => e.node.headline).sort()).toEqual(['Thuỷ điện Hòa Bình xả lũ', 'Thủy điện Sơn La vận hành']);
  });
});
