import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/model/article.js';
import { storeArticles, type StoryAssigner } from '../../src/store/articles.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug, listTopicIdsBySource } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { openTestStore } from '../helpers/store.js';
import { graphql } from './gql/index.js';
import { codes, startApi, type Api } from './harness.js';

/**
 * Stories seeded through storeArticles with a story assigner (the clustering engine's
 * interface): articles whose title starts with the same word share a story, and one article
 * links two stories, merging the second into the first.
 */
const config = makeConfig({
  sources: [
    { slug: 'vnexpress', url: 'https://vnexpress.net/rss/thoi-su.rss', name: 'VnExpress', topics: ['thoi-su'] },
    { slug: 'tuoitre', url: 'https://tuoitre.vn/rss/kinh-doanh.rss', name: 'Tuổi Trẻ', topics: ['kinh-doanh'] },
    { slug: 'thanhnien', url: 'https://thanhnien.vn/rss/cong-nghe.rss', name: 'Thanh Niên', topics: ['cong-nghe'] },
  ],
});

const T0 = Date.UTC(2026, 10, 25, 0, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000);

function article(slug: string, title: string, minutes: number): ArticleInput {
  const link = `https://${slug}.vn/${encodeURIComponent(title)}-${minutes}`;
  return { key: link, link, guid: null, title, summary: null, contentHtml: null, author: null, imageUrl: null, categories: [], publishedAt: at(minutes) };
}

/** Same first word → same story; "Bão và lũ" links the "Bão" and "Lũ" stories. */
function byFirstWord(): StoryAssigner {
  const stories = new Map<string, number>();
  return {
    assign: ({ id, title }) => {
      const word = title.split(' ')[0];
      if (title.startsWith('Bão và lũ')) {
        const bao = stories.get('Bão')!;
        const lu = stories.get('Lũ')!;
        stories.set('Lũ', bao);
        return { storyId: bao, merged: [lu] };
      }
      const existing = stories.get(word);
      if (existing) return { storyId: existing, merged: [] };
      stories.set(word, id);
      return { storyId: id, merged: [] };
    },
  };
}

const StoriesPage = graphql(`
  query StoriesPage($filter: ArticleFilter, $first: Int, $after: String) {
    stories(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage endCursor }
      edges {
        cursor
        node {
          id
          headline
          articleCount
          firstSeenAt
          lastSeenAt
          articles { title publishedAt source { slug } }
          sources { slug name }
          topics { slug }
        }
      }
    }
  }
`);

const StoryNode = graphql(`
  query StoryNode($id: ID!) {
    node(id: $id) { id ... on Story { headline articleCount } }
  }
`);

let store: Store;
let api: Api;
let luStoryId: number;

beforeAll(async () => {
  store = await openTestStore(config);
  api = await startApi(config, store);
  const stories = byFirstWord();
  const put = async (slug: string, articles: ArticleInput[]) => {
    const source = (await findSourceBySlug(store.db, slug))!;
    const topics = (await listTopicIdsBySource(store.db, [source.id])).get(source.id) ?? [];
    return storeArticles(store.db, { sourceId: source.id, sourceTopicIds: topics, articles, stories, now: Date.now() });
  };
  await put('vnexpress', [article('vnexpress', 'Bão số 6 hình thành', 0), article('vnexpress', 'Giá vàng tăng', 10)]);
  await put('tuoitre', [article('tuoitre', 'Bão số 6 đổ bộ', 30), article('tuoitre', 'Giá vàng giảm', 40)]);
  const lu = await put('thanhnien', [article('thanhnien', 'Lũ lên nhanh', 50), article('thanhnien', 'Chip AI mới', 60)]);
  luStoryId = lu.inserted[0];
  // Links the two stories: "Lũ" merges into "Bão".
  await put('tuoitre', [article('tuoitre', 'Bão và lũ miền Trung', 70)]);
});
afterAll(async () => {
  await api.close();
  await store.close();
});

describe('Query.stories', () => {
  it('lists stories newest first by lastSeenAt with their articles, distinct outlets and topics', async () => {
    const data = await api.data(StoriesPage, {});
    expect(data.stories.totalCount).toBe(3);
    const [bao, chip, gia] = data.stories.edges.map((e) => e.node);
    expect([bao.headline, chip.headline, gia.headline]).toEqual(['Bão số 6 hình thành', 'Chip AI mới', 'Giá vàng tăng']);
    expect(bao).toMatchObject({
      articleCount: 4,
      firstSeenAt: at(0).toISOString(),
      lastSeenAt: at(70).toISOString(),
      sources: [{ slug: 'thanhnien', name: 'Thanh Niên' }, { slug: 'tuoitre', name: 'Tuổi Trẻ' }, { slug: 'vnexpress', name: 'VnExpress' }],
      topics: [{ slug: 'cong-nghe' }, { slug: 'kinh-doanh' }, { slug: 'thoi-su' }],
    });
    expect(bao.articles.map((a) => a.title)).toEqual(['Bão và lũ miền Trung', 'Lũ lên nhanh', 'Bão số 6 đổ bộ', 'Bão số 6 hình thành']);
    expect(gia.sources.map((s) => s.slug)).toEqual(['tuoitre', 'vnexpress']);
  });

  it('pages with cursors', async () => {
    const first = await api.data(StoriesPage, { first: 2 });
    expect(first.stories.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await api.data(StoriesPage, { first: 2, after: first.stories.pageInfo.endCursor });
    expect(second.stories.edges.map((e) => e.node.headline)).toEqual(['Giá vàng tăng']);
    expect(second.stories.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // An article cursor is not a story cursor.
    const articles = await api.raw('{ articles(first: 1) { pageInfo { endCursor } } }');
    const result = await api.request(StoriesPage, { after: articles.body.data.articles.pageInfo.endCursor });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('keeps a story when any of its articles matches the filter', async () => {
    const byTopic = await api.data(StoriesPage, { filter: { topics: ['cong-nghe'] } });
    expect(byTopic.stories.edges.map((e) => e.node.headline)).toEqual(['Bão số 6 hình thành', 'Chip AI mới']);
    expect(byTopic.stories.totalCount).toBe(2);
    const bySource = await api.data(StoriesPage, { filter: { sources: ['vnexpress'], search: 'vàng' } });
    expect(bySource.stories.edges.map((e) => e.node.headline)).toEqual(['Giá vàng tăng']);
    const range = await api.data(StoriesPage, { filter: { since: at(35).toISOString(), until: at(45).toISOString() } });
    expect(range.stories.edges.map((e) => e.node.headline)).toEqual(['Giá vàng tăng']);
    const none = await api.data(StoriesPage, { filter: { since: at(71).toISOString() } });
    expect(none.stories).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('resolves the ID of a merged story to the story it was merged into', async () => {
    const merged = Buffer.from(`Story:${luStoryId}`).toString('base64');
    const data = await api.data(StoryNode, { id: merged });
    expect(data.node).toMatchObject({ headline: 'Bão số 6 hình thành', articleCount: 4 });
    expect(data.node!.id).not.toBe(merged);
    expect((await api.data(StoryNode, { id: data.node!.id })).node).toMatchObject({ headline: 'Bão số 6 hình thành' });
  });
});
