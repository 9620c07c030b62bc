import type { Keyset, PageWindow } from '../store/article-queries.js';
import { countStories, findStoriesByIds, listArticleSummariesOfStories, listSourceIdsOfStories, listStoryPage, listTopicIdsOfStories } from '../store/story-queries.js';
import type { SourceRow, StoryRow, TopicRow } from '../store/types.js';
import { Article } from './article.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { parseLocalId } from './errors.js';
import { loadRelated } from './related.js';
import { ArticleFilter, resolveFilter, type ArticleFilterInput } from './filter.js';
import { connectionComplexity, readWindow, toConnection, type ConnectionArgs } from './pagination.js';
import { Source } from './source.js';
import { Topic } from './topic.js';

/**
 * Stories group the articles different outlets wrote about the same event. When stories
 * merge, the old ids live on in story_aliases, so a saved Story ID still resolves (to the
 * surviving story, with its own ID).
 */
export const Story = builder.loadableNodeRef('Story', {
  id: { resolve: (story: StoryRow) => story.id, parse: parseLocalId },
  load: async (ids: number[], ctx: GraphQLContext) => {
    const map = await findStoriesByIds(ctx.db, ids);
    return ids.map((id) => map.get(id) ?? null) as StoryRow[];
  },
});

Story.implement({
  description: 'One event as reported by one or more outlets.',
  fields: (t) => ({
    headline: t.exposeString('headline', { description: 'The title of the earliest article.' }),
    articleCount: t.int({ resolve: (s) => s.article_count }),
    firstSeenAt: t.field({ type: 'DateTime', description: 'Publication time of the earliest article.', resolve: (s) => s.first_seen_at }),
    lastSeenAt: t.field({ type: 'DateTime', description: 'Publication time of the latest article.', resolve: (s) => s.last_seen_at }),
    articles: t.loadableList({
      type: Article,
      description: 'The story’s articles, newest first.',
      load: async (ids: number[], ctx) => {
        const map = await listArticleSummariesOfStories(ctx.db, ids);
        return ids.map((id) => map.get(id) ?? []);
      },
      resolve: (s) => s.id,
    }),
    sources: t.loadableList({
      type: Source,
      description: 'The distinct outlets that carried the story, by name.',
      complexity: { field: 1, multiplier: 5 },
      load: async (ids: number[], ctx) =>
        loadRelated(ids, await listSourceIdsOfStories(ctx.db, ids), Source.getDataloader(ctx), (x: SourceRow, y: SourceRow) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.id - y.id)),
      resolve: (s) => s.id,
    }),
    topics: t.loadableList({
      type: Topic,
      description: 'Every topic any of its articles is filed under.',
      complexity: { field: 1, multiplier: 5 },
      load: async (ids: number[], ctx) =>
        loadRelated(ids, await listTopicIdsOfStories(ctx.db, ids), Topic.getDataloader(ctx), (x: TopicRow, y: TopicRow) => (x.slug < y.slug ? -1 : x.slug > y.slug ? 1 : 0)),
      resolve: (s) => s.id,
    }),
  }),
});

export const StoryConnection = builder.connectionObject({ type: Story, name: 'StoryConnection' }, { name: 'StoryEdge' });

const storyKey = (row: StoryRow): Keyset => ({ time: row.last_seen_at, id: row.id });

export async function storyConnection(ctx: GraphQLContext, args: ConnectionArgs & { filter?: ArticleFilterInput | null }) {
  const window = readWindow('s', args);
  const spec = await resolveFilter(ctx, args.filter);
  const page = await listStoryPage(ctx.db, spec, window);
  const beyond = (key: Keyset, side: 'newer' | 'older'): PageWindow => (side === 'newer' ? { limit: 1, before: key, backward: true } : { limit: 1, after: key });
  return toConnection('s', page, window, storyKey, {
    existsBeyond: async (key, side) => (await listStoryPage(ctx.db, spec, beyond(key, side))).rows.length > 0,
    totalCount: () => countStories(ctx.db, spec),
  });
}

builder.queryFields((t) => ({
  stories: t.field({
    type: StoryConnection,
    description: 'Stories newest first (by lastSeenAt, then id). A story matches the filter when at least one of its articles does.',
    args: { filter: t.arg({ type: ArticleFilter, required: false }), ...t.arg.connectionArgs() },
    complexity: connectionComplexity,
    resolve: (_root, args, ctx) => storyConnection(ctx, args),
  }),
}));
