/** Shared set-up for the output tests: a fixture feed server, a real app over a real HTTP server, the real pipeline. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../src/app.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { pollSource } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { dialectAppSettings } from '../helpers/dialects.js';
import { openTestStore } from '../helpers/store.js';

export interface Harness {
  app: App;
  store: Store;
  feeds: FixtureServer;
  /** Base URL of the gateway, e.g. http://127.0.0.1:1234 */
  base: string;
  poll(slug: string): Promise<Awaited<ReturnType<typeof pollSource>>>;
  get(path: string, headers?: Record<string, string>, method?: string): Promise<Response>;
  close(): Promise<void>;
}

/**
 * `sources` get their url from the fixture server path given as `path` (e.g. '/a.rss');
 * routes are the fixture server's bodies.
 */
export async function startHarness(options: {
  routes: Record<string, string>;
  sources: (Omit<NonNullable<ConfigInput['sources']>[number], 'url'> & { path: string })[];
  feeds?: ConfigInput['feeds'];
}): Promise<Harness> {
  const feeds = await startFixtureServer(Object.fromEntries(Object.entries(options.routes).map(([p, body]) => [p, { body }])));
  const config = makeConfig({
    sources: options.sources.map(({ path, ...s }) => ({ ...s, url: feeds.url(path) })),
    feeds: options.feeds ?? [],
  });
  const store = await openTestStore();
  const app = await createApp(config, store, dialectAppSettings(store));
  const server: Server = createServer(app.handle);
  // Slow validators run between requests; a pooled connection must not expire mid-test (ECONNRESET race).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    app,
    store,
    feeds,
    base,
    poll: async (slug) => pollSource(app.ingest, (await findSourceBySlug(store.db, slug))!),
    get: (path, headers = {}, method = 'GET') => fetch(`${base}${path}`, { headers, method }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feeds.close();
      await store.close();
    },
  };
}
