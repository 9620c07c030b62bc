import { clearAllDataLoaders } from '@pothos/plugin-dataloader';
import { Repeater } from 'graphql-yoga';
import { filterArticles, type ArticleFilterSpec } from '../store/article-queries.js';
import type { ArticleRow } from '../store/types.js';
import { Article } from './article.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { ArticleFilter, resolveFilter } from './filter.js';

/**
 * articleAdded: every new article a poll stores, as it commits, over Server-Sent Events
 * (POST /graphql with Accept: text/event-stream, or GET with the query in the URL).
 */
function articleStream(ctx: GraphQLContext, spec: ArticleFilterSpec): AsyncIterable<ArticleRow> {
  return new Repeater<ArticleRow>(async (push, stop) => {
    const events = ctx.events.subscribe();
    // Ends the loop below at once when the client goes away, not at the next event.
    void stop.then(() => events.return?.());
    for await (const report of events) {
      // Loaders live on the subscription's context; a new poll may have changed what they cached.
      clearAllDataLoaders(ctx);
      for (const row of await filterArticles(ctx.db, report.newArticleIds, spec)) await push(row);
    }
    stop();
  });
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
