import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { findSourcesBySlugs, listTopicsOfSources } from '../store/catalog-queries.js';
import { findSourcesByIds, listSources } from '../store/sources.js';
import type { SourceRow } from '../store/types.js';
import { ArticleConnection, articleConnectionsByLink } from './article.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { parseLocalId } from './errors.js';
import { ArticleFilter } from './filter.js';
import { connectionComplexity } from './pagination.js';
import { Topic } from './topic.js';

/** Sources by slug for this request, including disabled ones (filters still find their old articles). */
export const sourcesBySlug = createContextCache(
  (ctx: GraphQLContext) =>
    new DataLoader<string, SourceRow | null>(async (slugs) => {
      const rows = await findSourcesBySlugs(ctx.db, slugs, { includeDisabled: true });
      const bySlug = new Map(rows.map((row) => [row.slug, row]));
      return slugs.map((slug) => bySlug.get(slug) ?? null);
    }),
);

export const Source = builder.loadableNodeRef('Source', {
  id: { resolve: (source: SourceRow) => source.id, parse: parseLocalId },
  load: (ids: number[], ctx: GraphQLContext) => findSourcesByIds(ctx.db, ids),
  // Rows any resolver returns (lists, pages) land in the loader too, so later loads by id reuse them.
  toKey: (source) => source.id,
  sort: true,
  cacheResolved: true,
});

export const SourceOrigin = builder.enumType('SourceOrigin', {
  description: 'Where a source was defined.',
  values: {
    CONFIG: { value: 'config', description: 'The configuration file; changed by editing it.' },
    API: { value: 'api', description: 'Added through the addSource mutation.' },
    OPML: { value: 'opml', description: 'Imported from an OPML file.' },
  } as const,
});

export const SourceHealth = builder.objectRef<SourceRow>('SourceHealth').implement({
  description: 'How polling this source has been going.',
  fields: (t) => ({
    lastFetchedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.last_fetched_at }),
    lastStatus: t.int({ nullable: true, description: 'HTTP status of the last poll; null when it never got a response.', resolve: (s) => s.last_status }),
    lastError: t.string({ nullable: true, description: 'Why the last poll failed; null when it succeeded.', resolve: (s) => s.last_error }),
    consecutiveFailures: t.int({ resolve: (s) => s.consecutive_failures }),
    nextPollAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.next_poll_at }),
    itemCount: t.int({ description: 'Articles stored from this source.', resolve: (s) => s.item_count }),
  }),
});

Source.implement({
  description: 'An outlet whose feed is polled.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    url: t.string({ description: 'The feed URL.', resolve: (s) => s.url }),
    siteUrl: t.string({ nullable: true, resolve: (s) => s.site_url }),
    language: t.string({ nullable: true, resolve: (s) => s.language }),
    intervalMinutes: t.int({ description: 'Minutes between polls.', resolve: (s) => s.interval_minutes }),
    origin: t.field({ type: SourceOrigin, resolve: (s) => s.origin }),
    enabled: t.boolean({ description: 'False once removed (or dropped from the config); its articles stay.', resolve: (s) => s.enabled === 1 }),
    topics: t.loadableList({
      type: Topic,
      description: 'The topics every article of this source is filed under.',
      complexity: { field: 1, multiplier: 3 },
      load: async (ids: number[], ctx) => {
        const map = await listTopicsOfSources(ctx.db, ids);
        return ids.map((id) => map.get(id) ?? []);
      },
      resolve: (source) => source.id,
    }),
    health: t.field({ type: SourceHealth, resolve: (s) => s }),
    articles: t.loadable({
      type: ArticleConnection,
      description: 'Articles this source carried, newest first, optionally narrowed further by a filter.',
      byPath: true,
      args: { filter: t.arg({ type: ArticleFilter, required: false }), ...t.arg.connectionArgs() },
      complexity: connectionComplexity,
      load: (ids: number[], ctx, args) => articleConnectionsByLink(ctx, 'source', ids, args),
      resolve: (source) => source.id,
    }),
  }),
});

builder.queryFields((t) => ({
  sources: t.field({
    type: [Source],
    description: 'Every enabled source, by slug.',
    complexity: { field: 1, multiplier: 50 },
    resolve: (_root, _args, ctx) => listSources(ctx.db),
  }),
  source: t.field({
    type: Source,
    nullable: true,
    description: 'An enabled source by slug, or null.',
    args: { slug: t.arg.string({ required: true }) },
    resolve: async (_root, { slug }, ctx) => {
      const row = await sourcesBySlug(ctx).load(slug);
      return row && row.enabled === 1 ? row : null;
    },
  }),
}));
