import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/ingest/pipeline.js';
import { runRetention } from '../../src/ops/retention.js';
import { openStore, type Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss } from '../helpers/rss.js';
import { openTestStore } from '../helpers/store.js';
import { startApi, type Api } from './harness.js';

/**
 * The GraphQL response cache (src/graphql/response-cache.ts) over the real app, real HTTP and
 * real SQLite: repeated queries are answered from it, and every way the store changes — a poll
 * through the real pipeline, an admin mutation, retention, another process writing the same
 * file — is visible to the very next query.
 */

const TOKEN = 'test-admin-token-0123456789';
const LATEST = 'query Latest { articles(first: 10) { totalCount edges { node { title source { slug name } } } } }';
const SOURCES = 'query Sources { sources { slug name health { lastFetchedAt consecutiveFailures } } }';

type Item = { title: string; link: string; pubDate: string };
const item = (n: number): Item => ({ title: `Tin số ${n}`, link: `https://example.vn/tin-${n}`, pubDate: `Thu, 26 Nov 2026 0${n}:00:00 +0700` });

let feeds: FixtureServer;
let store: Store;
let api: Api;
let dir: string | null = null;

const config = () =>
  makeConfig({ retentionDays: 30, sources: [{ slug: 'nguon', url: feeds.url('/nguon.rss'), name: 'Nguồn', topics: ['thoi-su'] }] });

async function start(kind: 'memory' | 'file') {
  if (kind === 'file') {
    dir = mkdtempSync(join(tmpdir(), 'newsgate-cache-'));
    store = await openStore(join(dir, 'db.sqlite'));
  } else {
    store = await openTestStore();
  }
  api = await startApi(config(), store, { adminToken: TOKEN });
}

async function poll() {
  const row = await findSourceBySlug(store.db, 'nguon');
  return pollSource(api.app.ingest, row!);
}

const titles = async (options?: { token?: string }) => {
  const { status, body } = await api.raw(LATEST, undefined, options);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  return (body.data.articles.edges as { node: { title: string } }[]).map((e) => e.node.title);
};

beforeEach(async () => {
  feeds = await startFixtureServer({ '/nguon.rss': { body: buildRss([item(1)]) } });
});
afterEach(async () => {
  await api?.close();
  await store?.close();
  await feeds.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe.each(['memory', 'file'] as const)('response cache (%s store)', (kind) => {
  beforeEach(() => start(kind));

  it('answers a repeated query from memory, with the same bytes', async () => {
    await poll();
    const cache = api.app.responseCache!;
    const first = await api.raw(LATEST);
    const second = await api.raw(LATEST);
    expect(second).toEqual(first);
    expect(cache.stats).toMatchObject({ misses: 1, stored: 1, hits: 1 });
    // Different variables or operation text are different entries.
    await api.raw('query One($n: Int!) { articles(first: $n) { totalCount } }', { n: 1 });
    await api.raw('query One($n: Int!) { articles(first: $n) { totalCount } }', { n: 2 });
    expect(cache.stats).toMatchObject({ misses: 3, hits: 1 });
  });

  it('answers GET, JSON and Server-Sent Events clients from one entry, with the same data', async () => {
    await poll();
    const expected = (await api.raw(LATEST)).body; // stored
    const get = await fetch(`${api.endpoint}?query=${encodeURIComponent(LATEST)}`, { headers: { accept: 'application/json' } });
    expect(get.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await get.json()).toEqual(expected);
    const sse = await fetch(api.endpoint, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' }, body: JSON.stringify({ query: LATEST }) });
    const text = await sse.text();
    const data = /^data: (.+)$/m.exec(text);
    expect(data && JSON.parse(data[1])).toEqual(expected);
    expect(api.app.responseCache!.stats).toMatchObject({ stored: 1, hits: 2 });
  });

  it('a poll through the real pipeline makes the next query see the new article', async () => {
    await poll();
    expect(await titles()).toEqual(['Tin số 1']);
    expect(await titles()).toEqual(['Tin số 1']);
    const hits = api.app.responseCache!.stats.hits;
    expect(hits).toBeGreaterThan(0);

    feeds.set('/nguon.rss', { body: buildRss([item(1), item(2)]) });
    const report = await poll();
    expect(report.new).toBe(1);
    expect(await titles()).toEqual(['Tin số 2', 'Tin số 1']);
    expect(api.app.responseCache!.stats.hits).toBe(hits);
  });

  it('a poll that stores nothing still shows the source health it wrote', async () => {
    await poll();
    const before = (await api.raw(SOURCES)).body.data.sources[0].health;
    feeds.set('/nguon.rss', { status: 500, body: 'down' });
    const report = await poll();
    expect(report.new).toBe(0);
    expect(report.error).not.toBeNull();
    const after = (await api.raw(SOURCES)).body.data.sources[0].health;
    expect(after.consecutiveFailures).toBe(before.consecutiveFailures + 1);
  });

  it('an admin mutation invalidates: the next query sees the added source', async () => {
    expect((await api.raw(SOURCES)).body.data.sources.map((s: { slug: string }) => s.slug)).toEqual(['nguon']);
    await api.raw(SOURCES); // now cached
    const invalidations = api.app.responseCache!.stats.invalidations;
    const added = await api.raw(
      'mutation Add($input: AddSourceInput!) { addSource(input: $input) { source { slug } } }',
      { input: { slug: 'moi', url: 'https://moi.example/rss', name: 'Mới', topics: ['thoi-su'] } },
      { token: TOKEN },
    );
    expect(added.body.errors).toBeUndefined();
    expect(api.app.responseCache!.stats.invalidations).toBeGreaterThan(invalidations);
    expect((await api.raw(SOURCES)).body.data.sources.map((s: { slug: string }) => s.slug)).toEqual(['moi', 'nguon']);
  });

  it('retention invalidates: a pruned article disappears from the next answer', async () => {
    await poll();
    expect(await titles()).toEqual(['Tin số 1']);
    expect(await titles()).toEqual(['Tin số 1']);
    const result = await runRetention(api.app, { now: Date.now() + 31 * 24 * 3_600_000 });
    expect(result.articles).toBe(1);
    expect(await titles()).toEqual([]);
  });

  it('requests with Authorization bypass the cache both ways', async () => {
    await poll();
    const cache = api.app.responseCache!;
    await titles({ token: TOKEN });
    await titles({ token: TOKEN });
    expect(cache.stats).toMatchObject({ hits: 0, misses: 0, stored: 0, bypassed: 2 });
    await titles();
    await titles({ token: 'not-even-valid' });
    expect(cache.stats).toMatchObject({ hits: 0, misses: 1, stored: 1, bypassed: 3 });
  });

  it('does not keep answers with errors, nor mutations', async () => {
    const cache = api.app.responseCache!;
    for (let i = 0; i < 2; i++) {
      const { body } = await api.raw('query Bad { node(id: "not-an-id") { id } }');
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(cache.stats).toMatchObject({ hits: 0, stored: 0, skipped: 2 });
    // Without a token the mutation fails (UNAUTHENTICATED) and is never stored or served.
    for (let i = 0; i < 2; i++) {
      const { body } = await api.raw('mutation { removeSource(input: { slug: "nguon" }) { slug } }');
      expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(cache.stats).toMatchObject({ hits: 0, stored: 0 });
  });

  it('counts answers from the cache under their operation in the metrics', async () => {
    await api.raw(SOURCES);
    await api.raw(SOURCES);
    expect(api.app.responseCache!.stats.hits).toBe(1);
    const metrics = await (await fetch(`${api.origin}/metrics`)).text();
    expect(metrics).toMatch(/newsgate_graphql_request_duration_seconds_count\{operation="Sources",type="query"\} 2/);
  });
});

describe('response cache on a database file another process writes', () => {
  beforeEach(() => start('file'));

  it('sees a write committed by another connection (a CLI command on the same file)', async () => {
    await api.raw(SOURCES);
    expect((await api.raw(SOURCES)).body.data.sources[0].name).toBe('Nguồn');
    const invalidations = api.app.responseCache!.stats.invalidations;
    const other = new SQLite(store.file);
    other.prepare("update sources set name = 'Nguồn đổi tên' where slug = 'nguon'").run();
    other.close();
    expect(api.app.responseCache!.stats.invalidations).toBe(invalidations); // nothing in this process was told
    expect((await api.raw(SOURCES)).body.data.sources[0].name).toBe('Nguồn đổi tên');
  });
});
