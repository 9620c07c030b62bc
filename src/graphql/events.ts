import type { PollReport } from '../ingest/pipeline.js';
import type { GraphQLHost } from './context.js';

/**
 * Polls that stored new articles, fanned out to subscriptions (in-process; one server).
 * A subscription is registered the moment subscribe() is called, before the client gets
 * its response headers, so nothing stored after that point is missed; reports wait in a
 * small per-subscription queue until the client's stream takes them.
 */
export interface ArticleEvents {
  subscribe(): AsyncIterableIterator<PollReport>;
  /** Subscriptions currently open. */
  size(): number;
  close(): void;
}

const MAX_QUEUED_REPORTS = 1000;

export function createArticleEvents(host: Pick<GraphQLHost, 'onStored'>): ArticleEvents {
  const listeners = new Set<(report: PollReport) => void>();
  const detach = host.onStored((report) => {
    if (report.newArticleIds.length === 0) return;
    for (const listener of listeners) listener(report);
  });
  return {
    subscribe() {
      const queue: PollReport[] = [];
      let wake: (() => void) | null = null;
      let done = false;
      const listener = (report: PollReport) => {
        // A client that stops reading loses the oldest reports, not the server's memory.
        if (queue.length >= MAX_QUEUED_REPORTS) queue.shift();
        queue.push(report);
        wake?.();
      };
      listeners.add(listener);
      const finish = async (): Promise<IteratorResult<PollReport>> => {
        done = true;
        listeners.delete(listener);
        wake?.();
        return { done: true, value: undefined };
      };
      const iterator: AsyncIterableIterator<PollReport> = {
        async next() {
          while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
          wake = null;
          if (done) return { done: true, value: undefined };
          return { done: false, value: queue.shift()! };
        },
        return: finish,
        throw: async (error?: unknown) => {
          await finish();
          throw error;
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    size: () => listeners.size,
    close() {
      detach();
      listeners.clear();
    },
  };
}
