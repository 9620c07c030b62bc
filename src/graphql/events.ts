import { createPubSub } from 'graphql-yoga';
import type { PollReport } from '../ingest/pipeline.js';
import type { GraphQLHost } from './context.js';

/** Polls that stored new articles, fanned out to subscriptions (in-process; one server). */
export type ArticleEvents = ReturnType<typeof createArticleEvents>;

export function createArticleEvents(host: Pick<GraphQLHost, 'onStored'>) {
  const pubsub = createPubSub<{ 'articles:stored': [report: PollReport] }>();
  const unsubscribe = host.onStored((report) => {
    if (report.newArticleIds.length > 0) pubsub.publish('articles:stored', report);
  });
  return {
    subscribe: () => pubsub.subscribe('articles:stored'),
    close: unsubscribe,
  };
}
