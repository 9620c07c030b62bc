import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config/types.js';
import { handleEmbed } from './embed/routes.js';
import { ResponseCache, type ResponseCacheOptions } from './graphql/response-cache.js';
import { createGraphQLServer, GRAPHQL_PATH, type GraphQLServer } from './graphql/server.js';
import { createLimiter } from './ingest/limiter.js';
import type { IngestContext, PollReport } from './ingest/pipeline.js';
import { yogaLogger } from './ops/graphql.js';
import { createOps, type Ops } from './ops/index.js';
import type { Logger } from './ops/logger.js';
import { handleOutput } from './output/routes.js';
import type { Store } from './store/database.js';
import type { StoredNotice } from './store/notify.js';
import { dialectOf } from './store/dialect.js';
import { listTopics, syncConfig } from './store/sources.js';
import { createTopicMatcher } from './ingest/topics.js';
import { createStoryAssigner } from './stories/assigner.js';

/** Settings that come from the environment or the command line; main.ts/cli.ts read them, nothing else does. */
export interface AppSettings {
  adminToken?: string | null;
  corsOrigins?: string[];
  allowPrivateSources?: boolean;
  embedOrigins?: string[];
  userAgent?: string;
  /** The process logger (created by the entry point); apps without one log nothing. */
  logger?: Logger;
  /** The GraphQL response cache: on by default; false turns it off (the benchmark's uncached figure). */
  responseCache?: ResponseCacheOptions | false;
}

export interface App {
  config: Config;
  store: Store;
  ingest: IngestContext;
  settings: AppSettings;
  /** Node request handler serving every HTTP route. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Listeners told about every feed poll that stored something. */
  onStored(listener: (report: PollReport) => void): () => void;
  /**
   * Listeners told that changes stored elsewhere may have gone unheard (PostgreSQL: another
   * instance's notices, while this one's listening connection was down): whatever they keep
   * from the store is to be read again.
   */
  onChangesMissed(listener: () => void): () => void;
  /** The GraphQL server (Yoga) behind /graphql. */
  yoga: GraphQLServer;
  /** Its cache of public query results, invalidated on every write (src/graphql/response-cache.ts); null when turned off. */
  responseCache: ResponseCache | null;
  /** Logger, metrics, readiness (src/ops). */
  ops: Ops;
}

/**
 * Builds the gateway around an opened store: syncs the config into it and wires the
 * ingest context and HTTP routes. No listening, no timers, no env: the caller decides.
 */
export async function createApp(config: Config, store: Store, settings: AppSettings = {}): Promise<App> {
  await syncConfig(store.db, config, Date.now());
  const listeners = new Set<(report: PollReport) => void>();
  const missedListeners = new Set<() => void>();
  const ops = createOps(store, { logger: settings.logger });
  // SQLite only: the cache's freshness check is SQLite's data_version, which sees every writer of
  // the file. PostgreSQL has no per-request equivalent that costs less than the query, and other
  // instances write the same database, so there the API stays uncached.
  const responseCache = settings.responseCache === false || dialectOf(store.db) === 'postgres' ? null : new ResponseCache(settings.responseCache);
  const topics = await listTopics(store.db);
  const matchTopics = createTopicMatcher(
    topics.map((t) => ({ id: t.id, aliases: JSON.parse(t.aliases) as string[], keywords: JSON.parse(t.keywords) as string[] })),
  );
  const ingest: IngestContext = {
    db: store.db,
    limiter: createLimiter({ global: config.fetch.concurrency, perHost: config.fetch.perHostConcurrency }),
    fetch: {
      timeoutMs: config.fetch.timeoutSeconds * 1000,
      maxBytes: Math.round(config.fetch.maxBodyMiB * 1024 * 1024),
      userAgent: settings.userAgent ?? config.fetch.userAgent,
    },
    allowPrivateSources: settings.allowPrivateSources ?? false,
    matchTopics,
    stories: await createStoryAssigner(store.db),
    onStored: (report) => {
      // Retention reports here too, without a poll.
      responseCache?.invalidate();
      for (const listener of listeners) listener(report);
    },
    onReport: (report) => {
      // Every poll writes the source's health, whatever it fetched.
      responseCache?.invalidate();
      ops.observePoll(report);
    },
  };
  if (store.listen) {
    // PostgreSQL: other instances' stored articles reach this one's subscriptions and feed
    // caches as if polled here (src/store/notify.ts). After a lost connection every cache is
    // dropped, since what was stored meanwhile is unknown.
    await store.listen(
      (notice) => {
        const report = noticeReport(notice);
        for (const listener of listeners) listener(report);
      },
      {
        onGap: () => {
          responseCache?.invalidate();
          for (const listener of missedListeners) listener();
        },
        onError: (error) => settings.logger?.warn({ err: error, component: 'notify' }, 'notification connection lost; reconnecting'),
      },
    );
  }
  const app: App = {
    config,
    store,
    ingest,
    settings,
    handle: (req, res) => ops.http.instrument(req, res, () => handleRequest(app, req, res)),
    onStored(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onChangesMissed(listener) {
      missedListeners.add(listener);
      return () => missedListeners.delete(listener);
    },
    yoga: null as never, // set below: the GraphQL server is built around the finished app
    responseCache,
    ops,
  };
  app.yoga = createGraphQLServer(app, { responseCache: responseCache ?? undefined, plugins: [ops.graphqlPlugin], ...(settings.logger ? { logging: yogaLogger(settings.logger) } : {}) });
  return app;
}

/** What another instance's notice looks like to this one's listeners: a poll that stored it. */
function noticeReport(notice: StoredNotice): PollReport {
  const n = notice.newArticleIds.length;
  return { source: '', outcome: 'ok', status: null, fetched: n, new: n, unchanged: 0, error: null, durationMs: 0, ...notice };
}

function handleRequest(app: App, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok' }));
    return;
  }
  if (app.ops.handle(req, res, path)) return;
  if (path === GRAPHQL_PATH) {
    void app.yoga.requestListener(req, res);
    return;
  }
  if (path === '/embed.js' || path.startsWith('/embed/')) {
    handleEmbed(app, req, res);
    return;
  }
  if (path === '/' || path.startsWith('/feeds/')) {
    handleOutput(app, req, res);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}
