import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { filterArticles, type ArticleFilterSpec, type ArticleListRow } from '../store/article-queries.js';
import { Article } from './article.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { ArticleFilter, resolveFilter } from './filter.js';

/**
 * articleAdded: every new article a poll stores, as it commits, over Server-Sent Events
 * (POST /graphql with Accept: text/event-stream, or GET with the query in the URL).
 * The stream is registered when the subscription starts, and ends (unregistering it) as
 * soon as the client goes away, even while waiting for the next poll.
 */
function articleStream(ctx: GraphQLContext, spec: ArticleFilterSpec): AsyncIterableIterator<ArticleListRow> {
  // What a stream reads has just been committed: read it (and its fields) from the primary, which
  // a read replica (DATABASE_READ_URL) may not have caught up with yet.
  if (ctx.host.store.reader) ctx.db = ctx.host.store.db;
  const events = ctx.events.subscribe();
  const ready: ArticleListRow[] = [];
  const stream: AsyncIterableIterator<ArticleListRow> = {
    async next() {
      while (ready.length === 0) {
        const event = await events.next();
        if (event.done) return { done: true, value: undefined };
        // Loaders live as long as the subscription's context; a new poll may change what they cached.
        clearAllDataLoaders(ctx);
        ready.push(...(await filterArticles(ctx.db, event.value.newArticleIds, spec)));
      }
      return { done: false, value: ready.shift()! };
    },
    async return() {
      await events.return?.();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
  };
  return stream;
}

builder.subscriptionType({ description: 'Live updates over Server-Sent Events.' });

builder.subscriptionField('articleAdded', (t) =>
  t.field({
    type: Article,
    description: 'Each article a poll stores from now on that matches the filter, newest first within one poll.',
    args: { filter: t.arg({ type: ArticleFilter, required: false }) },
    subscribe: async (_root, args, ctx) => articleStream(ctx, await resolveFilter(ctx, args.filter)),
    resolve: (article) => article,
  }),
);
