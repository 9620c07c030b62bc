/** Shared set-up for the operations tests: a real app over a real HTTP server, fixture feeds, a log capture. */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApp, type App } from '../../src/app.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { pollSource, type IngestContext, type PollReport } from '../../src/ingest/pipeline.js';
import { createLogger, type Logger } from '../../src/ops/logger.js';
import { openStore, type Store } from '../../src/store/database.js';
import { dialectAppSettings } from '../helpers/dialects.js';
import { openTestStore } from '../helpers/store.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';

export interface LogCapture {
  logger: Logger;
  lines(): Record<string, unknown>[];
}

/** A JSON logger writing into memory. */
export function captureLogs(level: 'trace' | 'debug' | 'info' | 'warn' = 'debug'): LogCapture {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = createLogger({ level, stream, pretty: false });
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export interface OpsHarness {
  app: App;
  store: Store;
  feeds: FixtureServer;
  logs: LogCapture;
  base: string;
  dir: string;
  poll(slug: string, ctx?: Partial<IngestContext>): Promise<PollReport>;
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startOpsHarness(options: {
  routes: Record<string, string>;
  sources: (Omit<NonNullable<ConfigInput['sources']>[number], 'url'> & { path: string })[];
  retentionDays?: number;
  /** A database file in a fresh temp dir instead of :memory:. */
  file?: boolean;
}): Promise<OpsHarness> {
  const feeds = await startFixtureServer(Object.fromEntries(Object.entries(options.routes).map(([p, body]) => [p, { body }])));
  const config = makeConfig({
    sources: options.sources.map(({ path, ...s }) => ({ ...s, url: feeds.url(path) })),
    retentionDays: options.retentionDays ?? 90,
  });
  const dir = mkdtempSync(join(tmpdir(), 'newsgate-ops-'));
  // In memory: the test store of the run's dialect (PostgreSQL in the vitest "postgres" project).
  const store = options.file ? await openStore(join(dir, 'newsgate.db')) : await openTestStore();
  const logs = captureLogs();
  const app = await createApp(config, store, { ...dialectAppSettings(store), logger: logs.logger });
  const server: Server = createServer(app.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closed = false;
  return {
    app,
    store,
    feeds,
    logs,
    base,
    dir,
    poll: async (slug, ctx = {}) => pollSource({ ...app.ingest, ...ctx }, (await findSourceBySlug(store.db, slug))!),
    get: (path, init) => fetch(`${base}${path}`, init),
    close: async () => {
      if (closed) return;
      closed = true;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await feeds.close();
      await store.close().catch(() => {});
    },
  };
}

/** Parses Prometheus text into `name{labels}` → value (labels in the order printed). */
export function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}

/** The value of one series, matching labels in any order; undefined when absent. */
export function metric(values: Map<string, number>, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const [series, value] of values) {
    const brace = series.indexOf('{');
    const seriesName = brace === -1 ? series : series.slice(0, brace);
    if (seriesName !== name) continue;
    const have = brace === -1 ? [] : series.slice(brace + 1, -1).split(/,(?=[a-z_]+=")/);
    if (have.length === wanted.length && wanted.every((w) => have.includes(w))) return value;
  }
  return undefined;
}
