import type { ResultOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeArticles } from '../../src/store/articles.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { openTestStore } from '../helpers/store.js';
import { graphql } from './gql/index.js';
import { codes, startApi, type Api } from './harness.js';
import { ARTICLE_COUNT, SHARED_LINK, startWorld, T0, type World } from './world.js';

const ArticlesPage = graphql(`
  query ArticlesPage($filter: ArticleFilter, $first: Int, $after: String, $last: Int, $before: String) {
    articles(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      edges {
        cursor
        node {
          id
          title
          publishedAt
          source { slug }
        }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const ArticlesCount = graphql(`
  query ArticlesCount($filter: ArticleFilter) {
    articles(filter: $filter, first: 1) { totalCount }
  }
`);

const ArticleDetail = graphql(`
  query ArticleDetail($filter: ArticleFilter) {
    articles(filter: $filter, first: 1) {
      edges {
        node {
          id
          title
          link
          summary
          contentHtml
          author
          imageUrl
          originalOutlet
          publishedAt
          fetchedAt
          source { slug name }
          sources { slug }
          topics { slug }
          story { id headline articleCount firstSeenAt lastSeenAt articles { id } sources { slug } topics { slug } }
        }
      }
    }
  }
`);

const NodeLookup = graphql(`
  query NodeLookup($id: ID!) {
    node(id: $id) {
      id
      __typename
      ... on Article { title }
      ... on Source { slug }
      ... on Topic { slug }
      ... on Story { headline }
    }
  }
`);

let world: World;
let store: Store;
let api: Api;

beforeAll(async () => {
  world = await startWorld();
  store = await openTestStore();
  api = await startApi(world.config, store);
  await world.pollAll(api.app);
});
afterAll(async () => {
  await api.close();
  await store.close();
  await world.close();
});

type Edge = ResultOf<typeof ArticlesPage>['articles']['edges'][number];

async function all(filter: Record<string, unknown> | null, pageSize: number): Promise<Edge[]> {
  const edges: Edge[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 100; guard++) {
    const data: ResultOf<typeof ArticlesPage> = await api.data(ArticlesPage, { filter, first: pageSize, after });
    edges.push(...data.articles.edges);
    if (!data.articles.pageInfo.hasNextPage) return edges;
    after = data.articles.pageInfo.endCursor!;
  }
  throw new Error('pagination did not end');
}

const isNewestFirst = (edges: Edge[]) =>
  edges.every((edge, i) => {
    if (i === 0) return true;
    const prev = edges[i - 1].node;
    const cur = edge.node;
    return prev.publishedAt > cur.publishedAt || (prev.publishedAt === cur.publishedAt && prev.id !== cur.id);
  });

describe('Query.articles', () => {
  it('lists every stored article newest first, 20 by default, with UTC DateTimes', async () => {
    const data = await api.data(ArticlesPage, {});
    expect(data.articles.edges).toHaveLength(20);
    expect(data.articles.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(data.articles.edges[0].node.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(isNewestFirst(data.articles.edges)).toBe(true);
    expect((await api.data(ArticlesCount, {})).articles.totalCount).toBe(ARTICLE_COUNT);
  });

  it('pages by cursor through everything exactly once, ties broken by id', async () => {
    const edges = await all(null, 17);
    expect(edges).toHaveLength(ARTICLE_COUNT);
    expect(new Set(edges.map((e) => e.node.id)).size).toBe(edges.length);
    expect(isNewestFirst(edges)).toBe(true);
    // Two articles published at the same instant come in descending id order.
    const tied = edges.filter((e) => e.node.publishedAt === new Date(T0 + 100 * 60_000).toISOString());
    expect(tied).toHaveLength(2);
    const ids = await Promise.all(tied.map((e) => store.db.selectFrom('articles').select('id').where('title', '=', e.node.title).executeTakeFirstOrThrow()));
    expect(ids[0].id).toBeGreaterThan(ids[1].id);
  });

  it('pages backwards with last/before, mirroring the forward pages', async () => {
    const forward = await all(null, 25);
    const tail = await api.data(ArticlesPage, { last: 10 });
    expect(tail.articles.edges.map((e) => e.node.id)).toEqual(forward.slice(-10).map((e) => e.node.id));
    expect(tail.articles.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before = await api.data(ArticlesPage, { last: 10, before: tail.articles.pageInfo.startCursor });
    expect(before.articles.edges.map((e) => e.node.id)).toEqual(forward.slice(-20, -10).map((e) => e.node.id));
    expect(before.articles.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const head = await api.data(ArticlesPage, { last: 5, before: forward[5].cursor });
    expect(head.articles.edges.map((e) => e.node.id)).toEqual(forward.slice(0, 5).map((e) => e.node.id));
    expect(head.articles.pageInfo.hasPreviousPage).toBe(false);
  });

  it('keeps pages disjoint and stable while new articles arrive', async () => {
    const first = await api.data(ArticlesPage, { first: 10 });
    const source = (await findSourceBySlug(store.db, 'thanhnien'))!;
    await storeArticles(store.db, {
      sourceId: source.id,
      sourceTopicIds: [],
      now: Date.now(),
      articles: [
        { key: 'https://thanhnien.vn/late-1', link: 'https://thanhnien.vn/late-1', guid: null, title: 'Tin mới nhất', summary: null, contentHtml: null, author: null, imageUrl: null, categories: [], publishedAt: new Date(T0 + 10_000 * 60_000) },
      ],
    });
    try {
      const second = await api.data(ArticlesPage, { first: 10, after: first.articles.pageInfo.endCursor });
      const reference = await all(null, 50);
      const withoutNew = reference.filter((e) => e.node.title !== 'Tin mới nhất');
      expect(second.articles.edges.map((e) => e.node.id)).toEqual(withoutNew.slice(10, 20).map((e) => e.node.id));
      expect(second.articles.pageInfo.hasPreviousPage).toBe(true);
    } finally {
      await store.db.deleteFrom('article_sources').where('article_id', 'in', store.db.selectFrom('articles').select('id').where('title', '=', 'Tin mới nhất')).execute();
      await store.db.deleteFrom('articles').where('title', '=', 'Tin mới nhất').execute();
    }
  });

  it('filters by topic and source slugs: OR within a list, AND across fields', async () => {
    const thoiSu = await all({ topics: ['thoi-su'] }, 100);
    expect(thoiSu).toHaveLength(60);
    const either = await all({ topics: ['thoi-su', 'cong-nghe'] }, 30);
    expect(either).toHaveLength(75);
    expect(isNewestFirst(either)).toBe(true);
    expect(new Set(either.map((e) => e.node.id)).size).toBe(75);
    const sources = await all({ sources: ['tuoitre', 'thanhnien'] }, 40);
    expect(sources).toHaveLength(66); // 50 + 1 shared + 15
    // The shared article is in thoi-su (vnexpress) and carried by tuoitre: AND finds just it.
    const both = await all({ topics: ['thoi-su'], sources: ['tuoitre'] }, 10);
    expect(both.map((e) => e.node.title)).toEqual(['Giá xăng giảm lần thứ ba']);
    const count = await api.data(ArticlesCount, { filter: { topics: ['thoi-su', 'kinh-doanh'] } });
    expect(count.articles.totalCount).toBe(110); // 60 + 51, the shared article once
  });

  it('treats unknown slugs as matching nothing and an empty list as no filter', async () => {
    expect((await api.data(ArticlesPage, { filter: { topics: ['khong-co'] } })).articles.edges).toEqual([]);
    expect((await api.data(ArticlesPage, { filter: { topics: ['khong-co', 'cong-nghe'] }, first: 100 })).articles.edges).toHaveLength(15);
    expect((await api.data(ArticlesCount, { filter: { sources: [] } })).articles.totalCount).toBe(ARTICLE_COUNT);
  });

  it('applies since inclusively and until exclusively, accepting any UTC offset', async () => {
    // vnexpress item 6 is at T0+60min = 2026-11-20T01:00Z = 08:00 in Hanoi.
    const since = '2026-11-20T08:00:00+07:00';
    const until = '2026-11-20T02:00:00Z';
    const edges = await all({ sources: ['vnexpress'], since, until }, 100);
    expect(edges.map((e) => e.node.publishedAt)).toEqual(
      [11, 10, 9, 8, 7, 6].map((i) => new Date(T0 + i * 10 * 60_000).toISOString()),
    );
    const empty = await api.data(ArticlesPage, { filter: { since: until, until: since } });
    expect(empty.articles.edges).toEqual([]);
  });

  it('searches title and summary case-insensitively, Vietnamese capitals included', async () => {
    const hits = await all({ search: 'đà nẵng' }, 10);
    expect(hits.map((e) => e.node.title).sort()).toEqual(['Mưa lớn kéo dài ở Đà Nẵng', 'Thời sự số 20', 'ĐÀ NẴNG đón khách quốc tế'].sort());
    // Punctuation is not syntax: "100%" is the word "100".
    expect((await all({ search: '100%' }, 10)).map((e) => e.node.title)).toEqual(['Trí tuệ nhân tạo 100% tự động']);
    expect(await all({ search: 'đà nẵng', topics: ['kinh-doanh'] }, 10)).toEqual([]);
  });

  it('returns the article fields, all its outlets and topics, and its story', async () => {
    const data = await api.data(ArticleDetail, { filter: { search: 'Giá xăng giảm' } });
    const article = data.articles.edges[0].node;
    expect(article).toMatchObject({
      title: 'Giá xăng giảm lần thứ ba',
      link: SHARED_LINK,
      source: { slug: 'vnexpress', name: 'VnExpress' },
      sources: [{ slug: 'vnexpress' }, { slug: 'tuoitre' }],
      topics: [{ slug: 'kinh-doanh' }, { slug: 'thoi-su' }],
      originalOutlet: null,
      publishedAt: new Date(T0 + 30 * 60_000).toISOString(),
    });
    expect(article.story).toMatchObject({ headline: 'Giá xăng giảm lần thứ ba', articleCount: 1, articles: [{ id: article.id }] });
    expect(article.story.sources.map((s) => s.slug).sort()).toEqual(['tuoitre', 'vnexpress']);
    expect(Date.parse(article.fetchedAt)).toBeGreaterThan(T0);
  });

  it('resolves global IDs through Query.node', async () => {
    const data = await api.data(ArticleDetail, { filter: { search: 'Giá xăng giảm' } });
    const article = data.articles.edges[0].node;
    expect(Buffer.from(article.id, 'base64').toString()).toMatch(/^Article:\d+$/);
    expect((await api.data(NodeLookup, { id: article.id })).node).toMatchObject({ __typename: 'Article', id: article.id, title: article.title });
    expect((await api.data(NodeLookup, { id: article.story.id })).node).toMatchObject({ __typename: 'Story', headline: article.title });
    const missing = Buffer.from('Article:999999').toString('base64');
    expect((await api.data(NodeLookup, { id: missing })).node).toBeNull();
    for (const bad of ['nope', Buffer.from('Unknown:1').toString('base64'), Buffer.from('Article:abc').toString('base64')]) {
      const result = await api.request(NodeLookup, { id: bad });
      expect(codes(result), JSON.stringify(result.errors)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('refuses page sizes over 100, negative sizes, first with last, and foreign cursors', async () => {
    expect(codes(await api.request(ArticlesPage, { first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await api.request(ArticlesPage, { last: 500 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await api.request(ArticlesPage, { first: -1 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await api.request(ArticlesPage, { first: 5, last: 5 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await api.request(ArticlesPage, { after: 'garbage' }))).toEqual(['BAD_USER_INPUT']);
    expect((await api.data(ArticlesPage, { first: 100 })).articles.edges).toHaveLength(100);
    expect((await api.data(ArticlesPage, { first: 0 })).articles).toMatchObject({ edges: [], pageInfo: { startCursor: null, endCursor: null } });
  });

  it('rejects a DateTime without an offset or an impossible date as BAD_USER_INPUT', async () => {
    for (const since of ['2026-11-20T08:00:00', '2026-02-30T00:00:00Z', 'yesterday']) {
      const result = await api.request(ArticlesPage, { filter: { since } });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    }
    const literal = await api.raw('{ articles(filter: { until: "2026-13-01T00:00:00Z" }) { totalCount } }');
    expect(codes(literal.body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('topics and sources', () => {
  const Catalog = graphql(`
    query Catalog {
      topics { id slug name articleCount articles(first: 2) { totalCount edges { node { title } } } }
      sources {
        slug name url siteUrl language origin enabled intervalMinutes
        topics { slug }
        health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount }
        articles(first: 1, filter: { search: "số 1*" }) { totalCount edges { node { title } } pageInfo { hasNextPage } }
      }
      topic(slug: "cong-nghe") { name articles(first: 3, filter: { sources: ["thanhnien"] }) { edges { node { title } } } }
      source(slug: "nope") { slug }
    }
  `);

  it('lists topics and sources with counts, health and their own article connections', async () => {
    const data = await api.data(Catalog);
    expect(data.topics.map((t) => [t.slug, t.articleCount, t.articles.totalCount])).toEqual([
      ['cong-nghe', 15, 15],
      ['kinh-doanh', 51, 51],
      ['thoi-su', 60, 60],
    ]);
    expect(data.topics[0].articles.edges).toHaveLength(2);
    const vnexpress = data.sources.find((s) => s.slug === 'vnexpress')!;
    expect(vnexpress).toMatchObject({ name: 'VnExpress', origin: 'CONFIG', enabled: true, language: 'vi', topics: [{ slug: 'thoi-su' }], intervalMinutes: 15 });
    expect(vnexpress.siteUrl).toBe('https://vnexpress.net/');
    expect(vnexpress.health).toMatchObject({ lastStatus: 200, lastError: null, consecutiveFailures: 0, itemCount: 60 });
    expect(vnexpress.health.lastFetchedAt).toMatch(/Z$/);
    // "số 1*" (a prefix) matches "… số 1" and "… số 10" to "… số 19" (vnexpress item 12 has its own title).
    expect(data.sources.map((s) => [s.slug, s.articles.totalCount])).toEqual([
      ['thanhnien', 6],
      ['tuoitre', 11],
      ['vnexpress', 10],
    ]);
    expect(data.sources.every((s) => s.articles.edges.length === 1 && s.articles.pageInfo.hasNextPage)).toBe(true);
    expect(data.topic!.articles.edges).toHaveLength(3);
    expect(data.source).toBeNull();
  });
});

describe('unit: a store seeded without the pipeline', () => {
  it('serves articles stored directly', async () => {
    const local = await openTestStore(world.config);
    const localApi = await startApi(world.config, local);
    try {
      const source = (await findSourceBySlug(local.db, 'vnexpress'))!;
      await storeArticles(local.db, {
        sourceId: source.id,
        sourceTopicIds: [],
        now: Date.now(),
        articles: [1, 2, 3].map((n) => ({ key: `k${n}`, link: `https://x.vn/${n}`, guid: null, title: `T${n}`, summary: null, contentHtml: null, author: null, imageUrl: null, categories: [], publishedAt: new Date(T0 + n) })),
      });
      const data = await localApi.data(ArticlesPage, { first: 2 });
      expect(data.articles.edges.map((e) => e.node.title)).toEqual(['T3', 'T2']);
    } finally {
      await localApi.close();
      await local.close();
    }
  });
});
