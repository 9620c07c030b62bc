import DataLoader from 'dataloader';
import {
  countArticles,
  findArticleBodies,
  countArticlesByLink,
  findArticlesByIds,
  listArticleSearchPage,
  listArticleSummaryPage,
  listArticlePagesByLink,
  listSourceIdsOfArticles,
  listTopicsOfArticles,
  type ArticleFilterSpec,
  type ArticleListRow,
  type Keyset,
  type LinkGroup,
  type PageWindow,
  type RankedArticleRow,
} from '../store/article-queries.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { parseLocalId } from './errors.js';
import { loadRelated } from './related.js';
import { ArticleFilter, resolveFilter, type ArticleFilterInput } from './filter.js';
import { connectionComplexity, readWindow, toConnection, type ConnectionArgs, type ConnectionSource } from './pagination.js';
import { Source } from './source.js';
import { Story } from './story.js';
import { Topic } from './topic.js';

export const Article = builder.loadableNodeRef('Article', {
  id: { resolve: (article: ArticleListRow) => article.id, parse: parseLocalId },
  load: (ids: number[], ctx: GraphQLContext) => findArticlesByIds(ctx.db, ids),
  // Rows any resolver returns (lists, pages) land in the loader too, so later loads by id reuse them.
  toKey: (article) => article.id,
  sort: true,
  cacheResolved: true,
});

Article.implement({
  description: 'One news item. The same URL seen at several outlets is one article listing all of them.',
  fields: (t) => ({
    title: t.exposeString('title'),
    link: t.exposeString('link', { description: 'Canonical URL of the article.' }),
    summary: t.string({ nullable: true, description: 'Plain-text summary.', resolve: (a) => a.summary }),
    contentHtml: t.loadable({
      type: 'String',
      nullable: true,
      description: 'Sanitised HTML body, when the feed carries one.',
      // Bodies can be large, so lists leave them out and this loads them for the page at once.
      load: async (ids: number[], ctx) => {
        const bodies = await findArticleBodies(ctx.db, ids);
        return ids.map((id) => bodies.get(id) ?? null);
      },
      resolve: (a) => a.id,
    }),
    author: t.string({ nullable: true, resolve: (a) => a.author }),
    imageUrl: t.string({ nullable: true, resolve: (a) => a.image_url }),
    originalOutlet: t.string({
      nullable: true,
      description: 'For aggregator feeds (Google News, Báo Mới), the outlet that originally published the article.',
      resolve: (a) => a.original_outlet,
    }),
    publishedAt: t.field({ type: 'DateTime', resolve: (a) => a.published_at }),
    fetchedAt: t.field({ type: 'DateTime', description: 'When this gateway first stored the article.', resolve: (a) => a.fetched_at }),
    source: t.field({ type: Source, description: 'The outlet that delivered the article first.', resolve: (a) => a.source_id }),
    sources: t.loadableList({
      type: Source,
      description: 'Every outlet whose feed lists the article, the first one first.',
      complexity: { field: 1, multiplier: 3 },
      // The first source stays first (the ids come in that order).
      load: async (ids: number[], ctx) => loadRelated(ids, await listSourceIdsOfArticles(ctx.db, ids), Source.getDataloader(ctx)),
      resolve: (a) => a.id,
    }),
    topics: t.loadableList({
      type: Topic,
      complexity: { field: 1, multiplier: 3 },
      load: async (ids: number[], ctx) => {
        const map = await listTopicsOfArticles(ctx.db, ids);
        return ids.map((id) => map.get(id) ?? []);
      },
      resolve: (a) => a.id,
    }),
    story: t.field({ type: Story, description: 'The story this article reports on, with the other outlets’ articles.', resolve: (a) => a.story_id }),
  }),
});

export const ArticleConnection = builder.connectionObject({ type: Article, name: 'ArticleConnection' }, { name: 'ArticleEdge' });

export const articleKey = (row: ArticleListRow): Keyset => ({ time: row.published_at, id: row.id });
const rankedKey = (row: RankedArticleRow): Keyset => ({ rank: row.rank, time: row.published_at, id: row.id });

type ArticleConnectionArgs = ConnectionArgs & { filter?: ArticleFilterInput | null };

export const ArticleOrderField = builder.enumType('ArticleOrderField', {
  description: 'How Query.articles orders its results.',
  values: {
    RELEVANCE: { description: 'Best match for filter.search first, newer first among equals; without a search, the same as PUBLISHED_AT.' },
    PUBLISHED_AT: { description: 'Newest first (publishedAt, then id).' },
  },
});

export const ArticleOrder = builder.inputType('ArticleOrder', {
  description: 'Ordering of Query.articles. The default is RELEVANCE, which is newest first unless filter.search is given.',
  fields: (t) => ({ field: t.field({ type: ArticleOrderField, required: true }) }),
});

/** The window that tells whether anything lies beyond `key` on one side. */
const beyond = (key: Keyset, side: 'newer' | 'older'): PageWindow => (side === 'newer' ? { limit: 1, before: key, backward: true } : { limit: 1, after: key });

/** Query.articles: one filtered list. */
export async function articleConnection(ctx: GraphQLContext, args: ArticleConnectionArgs & { orderBy?: { field: 'RELEVANCE' | 'PUBLISHED_AT' } | null }) {
  const spec = await resolveFilter(ctx, args.filter);
  if (spec.search && (args.orderBy?.field ?? 'RELEVANCE') === 'RELEVANCE') {
    const window = readWindow('r', args);
    const read = (w: PageWindow) => listArticleSearchPage(ctx.db, spec, w, 'relevance', { columns: 'list' });
    return toConnection('r', await read(window), window, rankedKey, {
      existsBeyond: async (key, side) => (await read(beyond(key, side))).rows.length > 0,
      totalCount: () => countArticles(ctx.db, spec),
    });
  }
  const window = readWindow('a', args);
  const page = await listArticleSummaryPage(ctx.db, spec, window);
  return toConnection('a', page, window, articleKey, {
    existsBeyond: async (key, side) => (await listArticleSummaryPage(ctx.db, spec, beyond(key, side))).rows.length > 0,
    totalCount: () => countArticles(ctx.db, spec),
  });
}

/**
 * Topic.articles / Source.articles for every parent in the query at once: one statement for
 * the pages, and one for the counts or the far-side checks when selected, whatever the
 * number of topics or sources (the loader runs per field path, so all share the arguments).
 */
export async function articleConnectionsByLink(ctx: GraphQLContext, kind: LinkGroup['kind'], parentIds: number[], args: ArticleConnectionArgs) {
  const window = readWindow('a', args);
  const spec: ArticleFilterSpec = await resolveFilter(ctx, args.filter);
  const pages = await listArticlePagesByLink(ctx.db, kind, parentIds, spec, window);
  const counts = new DataLoader<number, number>(async (ids) => {
    const map = await countArticlesByLink(ctx.db, kind, ids, spec);
    return ids.map((id) => map.get(id) ?? 0);
  });
  const beyondLoaders = new Map<'newer' | 'older', DataLoader<number, boolean>>();
  const beyondLoader = (key: Keyset, side: 'newer' | 'older') => {
    let loader = beyondLoaders.get(side);
    if (!loader) {
      loader = new DataLoader<number, boolean>(async (ids) => {
        const map = await listArticlePagesByLink(ctx.db, kind, ids, spec, beyond(key, side));
        return ids.map((id) => (map.get(id)?.rows.length ?? 0) > 0);
      });
      beyondLoaders.set(side, loader);
    }
    return loader;
  };
  return parentIds.map((id) => {
    const source: ConnectionSource = {
      existsBeyond: (key, side) => beyondLoader(key, side).load(id),
      totalCount: () => counts.load(id),
    };
    return toConnection('a', pages.get(id) ?? { rows: [], hasMore: false }, window, articleKey, source);
  });
}

builder.queryFields((t) => ({
  articles: t.field({
    type: ArticleConnection,
    description: 'Articles newest first (by publishedAt, then id), or by relevance when filter.search is given; filtered and paginated by cursor.',
    args: {
      filter: t.arg({ type: ArticleFilter, required: false }),
      orderBy: t.arg({ type: ArticleOrder, required: false, description: 'Default RELEVANCE: by relevance for a search, else newest first.' }),
      ...t.arg.connectionArgs(),
    },
    complexity: connectionComplexity,
    resolve: (_root, args, ctx) => articleConnection(ctx, args),
  }),
}));
