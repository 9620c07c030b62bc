import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { findTopicsByIds, findTopicsBySlugs } from '../store/catalog-queries.js';
import { listTopics } from '../store/sources.js';
import type { TopicRow } from '../store/types.js';
import { ArticleConnection, articleConnectionsByLink } from './article.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { parseLocalId } from './errors.js';
import { ArticleFilter } from './filter.js';
import { connectionComplexity } from './pagination.js';

/** Topics by slug for this request (filters and Query.topic share it). */
export const topicsBySlug = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, TopicRow | null>(async (slugs) => {
      const rows = await findTopicsBySlugs(ctx.db, slugs);
      const bySlug = new Map(rows.map((row) => [row.slug, row]));
      return slugs.map((slug) => bySlug.get(slug) ?? null);
    }),
);

export const Topic = builder.loadableNodeRef('Topic', {
  id: { resolve: (topic: TopicRow) => topic.id, parse: parseLocalId },
  load: (ids: number[], ctx: GraphQLContext) => findTopicsByIds(ctx.db, ids),
  // Rows any resolver returns (lists, pages) land in the loader too, so later loads by id reuse them.
  toKey: (topic) => topic.id,
  sort: true,
  cacheResolved: true,
});

Topic.implement({
  description: 'A subject articles are filed under, from the configuration (Thời sự, Kinh doanh, …).',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    articleCount: t.int({ description: 'Articles filed under this topic.', resolve: (topic) => topic.article_count }),
    articles: t.loadable({
      type: ArticleConnection,
      description: 'Articles in this topic, newest first, optionally narrowed further by a filter.',
      byPath: true,
      args: { filter: t.arg({ type: ArticleFilter, required: false }), ...t.arg.connectionArgs() },
      complexity: connectionComplexity,
      load: (ids: number[], ctx, args) => articleConnectionsByLink(ctx, 'topic', ids, args),
      resolve: (topic) => topic.id,
    }),
  }),
});

builder.queryFields((t) => ({
  topics: t.field({
    type: [Topic],
    description: 'Every topic, by slug.',
    complexity: { field: 1, multiplier: 20 },
    resolve: (_root, _args, ctx) => listTopics(ctx.db),
  }),
  topic: t.field({
    type: Topic,
    nullable: true,
    description: 'A topic by slug, or null.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: (_root, { slug }, ctx) => topicsBySlug(ctx).load(slug),
  }),
}));
