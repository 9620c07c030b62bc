import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '../../src/app.js';
import { openStore, type Store } from '../../src/store/database.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss } from '../helpers/rss.js';
import { openTestStore } from '../helpers/store.js';
import { graphql } from './gql/index.js';
import { codes, startApi, type Api } from './harness.js';

const TOKEN = 'test-admin-token-0123456789';

const AddSource = graphql(`
  mutation AddSource($input: AddSourceInput!) {
    addSource(input: $input) {
      source { id slug name url language intervalMinutes origin enabled topics { slug } health { lastFetchedAt itemCount } }
    }
  }
`);

const UpdateSource = graphql(`
  mutation UpdateSource($input: UpdateSourceInput!) {
    updateSource(input: $input) { source { slug name url language intervalMinutes topics { slug } } }
  }
`);

const RemoveSource = graphql(`
  mutation RemoveSource($input: RemoveSourceInput!) {
    removeSource(input: $input) { removedSourceId slug }
  }
`);

const RefreshSource = graphql(`
  mutation RefreshSource($input: RefreshSourceInput!) {
    refreshSource(input: $input) {
      poll { outcome status fetched newArticles updatedArticles error }
      source { slug health { lastFetchedAt lastStatus lastError consecutiveFailures nextPollAt itemCount } articles(first: 5) { totalCount edges { node { title source { slug } } } } }
    }
  }
`);

const SourceBySlug = graphql(`
  query SourceBySlug($slug: String!) {
    source(slug: $slug) { slug origin enabled }
    sources { slug }
  }
`);

let feeds: FixtureServer;
let store: Store;
let api: Api;

const config = () =>
  makeConfig({ sources: [{ slug: 'configured', url: feeds.url('/configured.rss'), name: 'Configured', topics: ['thoi-su'] }] });

async function start(settings: AppSettings) {
  await api?.close();
  await store?.close();
  store = await openTestStore();
  api = await startApi(config(), store, settings);
}

beforeEach(async () => {
  const rss = buildRss([
    { title: 'Tin nội bộ 1', link: 'https://intranet.example/1', pubDate: 'Thu, 26 Nov 2026 08:00:00 +0700' },
    { title: 'Tin nội bộ 2', link: 'https://intranet.example/2', pubDate: 'Thu, 26 Nov 2026 09:00:00 +0700' },
  ]);
  feeds = await startFixtureServer({ '/internal.rss': { body: rss }, '/configured.rss': { body: rss } });
});
afterEach(async () => {
  await api?.close();
  await store?.close();
  api = undefined as never;
  store = undefined as never;
  await feeds.close();
});

const input = (overrides: Record<string, unknown> = {}) => ({
  slug: 'noi-bo',
  url: feeds.url('/internal.rss'),
  name: 'Nội bộ',
  topics: ['kinh-doanh'],
  language: 'vi',
  intervalMinutes: 30,
  ...overrides,
});

describe('admin authentication', () => {
  it('refuses every mutation when no admin token is configured', async () => {
    await start({});
    const result = await api.request(AddSource, { input: input() }, { token: 'anything' });
    expect(codes(result)).toEqual(['UNAUTHENTICATED']);
    expect(result.errors![0].message).toMatch(/NEWSGATE_ADMIN_TOKEN/);
  });

  it('refuses a missing or wrong bearer token, and does nothing', async () => {
    await start({ adminToken: TOKEN });
    expect(codes(await api.request(AddSource, { input: input() }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await api.request(AddSource, { input: input() }, { token: 'wrong' }))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await api.request(AddSource, { input: input() }, { headers: { authorization: `Basic ${TOKEN}` } }))).toEqual(['UNAUTHENTICATED']);
    expect((await api.data(SourceBySlug, { slug: 'noi-bo' })).source).toBeNull();
    // Queries stay public whatever the header says.
    expect((await api.data(SourceBySlug, { slug: 'configured' }, { token: 'wrong' })).source).toMatchObject({ origin: 'CONFIG' });
  });
});

describe('admin mutations', () => {
  beforeEach(() => start({ adminToken: TOKEN }));

  it('adds a source with origin API; polling it refuses the loopback address', async () => {
    const added = await api.data(AddSource, { input: input() }, { token: TOKEN });
    expect(added.addSource.source).toMatchObject({
      slug: 'noi-bo',
      name: 'Nội bộ',
      language: 'vi',
      intervalMinutes: 30,
      origin: 'API',
      enabled: true,
      topics: [{ slug: 'kinh-doanh' }],
      health: { lastFetchedAt: null, itemCount: 0 },
    });
    expect((await api.data(SourceBySlug, { slug: 'noi-bo' })).sources.map((s) => s.slug)).toEqual(['configured', 'noi-bo']);

    const refreshed = await api.data(RefreshSource, { input: { slug: 'noi-bo' } }, { token: TOKEN });
    expect(refreshed.refreshSource.poll).toMatchObject({ outcome: 'NETWORK_ERROR', newArticles: 0 });
    expect(refreshed.refreshSource.source.health).toMatchObject({ consecutiveFailures: 1, itemCount: 0 });
    expect(refreshed.refreshSource.source.health.lastError).toMatch(/non-public address 127\.0\.0\.1/);
    expect(refreshed.refreshSource.source.health.lastFetchedAt).not.toBeNull();
    expect(feeds.hits('/internal.rss')).toBe(0);
  });

  it('trusts configured sources with the same address', async () => {
    const refreshed = await api.data(RefreshSource, { input: { slug: 'configured' } }, { token: TOKEN });
    expect(refreshed.refreshSource.poll).toMatchObject({ outcome: 'OK', status: 200, newArticles: 2 });
    expect(refreshed.refreshSource.source.articles.totalCount).toBe(2);
  });

  it('validates input like the config file', async () => {
    const bad = async (overrides: Record<string, unknown>) => {
      const result = await api.request(AddSource, { input: input(overrides) as never }, { token: TOKEN });
      expect(codes(result), JSON.stringify(result.errors)).toEqual(['BAD_USER_INPUT']);
      return result.errors![0];
    };
    expect((await bad({ slug: 'Not A Slug' })).extensions).toMatchObject({ problems: [{ field: 'slug' }] });
    expect((await bad({ url: 'ftp://example.vn/feed' })).extensions).toMatchObject({ problems: [{ field: 'url' }] });
    expect((await bad({ intervalMinutes: 0 })).extensions).toMatchObject({ problems: [{ field: 'intervalMinutes' }] });
    expect((await bad({ timezone: 'Mars/Olympus' })).extensions).toMatchObject({ problems: [{ field: 'timezone' }] });
    expect((await bad({ topics: ['khong-co'] })).message).toMatch(/Unknown topic: khong-co/);
    expect((await bad({ slug: 'configured' })).message).toMatch(/already exists/);
    expect((await bad({ slug: 'other', url: feeds.url('/configured.rss') })).message).toMatch(/already polls/);
  });

  it('updates an API source and refuses to change configured ones', async () => {
    await api.data(AddSource, { input: input() }, { token: TOKEN });
    const updated = await api.data(UpdateSource, { input: { slug: 'noi-bo', name: 'Nội bộ (mới)', topics: ['thoi-su', 'cong-nghe'], language: null } }, { token: TOKEN });
    expect(updated.updateSource.source).toMatchObject({
      name: 'Nội bộ (mới)',
      url: feeds.url('/internal.rss'),
      intervalMinutes: 30,
      language: null,
      topics: [{ slug: 'cong-nghe' }, { slug: 'thoi-su' }],
    });
    expect(codes(await api.request(UpdateSource, { input: { slug: 'configured', name: 'X' } }, { token: TOKEN }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await api.request(UpdateSource, { input: { slug: 'missing', name: 'X' } }, { token: TOKEN }))).toEqual(['NOT_FOUND']);
    expect(codes(await api.request(UpdateSource, { input: { slug: 'noi-bo', intervalMinutes: 100_000 } }, { token: TOKEN }))).toEqual(['BAD_USER_INPUT']);
  });

  it('removes an API source but keeps its articles, and can add it back', async () => {
    await start({ adminToken: TOKEN, allowPrivateSources: true });
    const added = await api.data(AddSource, { input: input() }, { token: TOKEN });
    const refreshed = await api.data(RefreshSource, { input: { slug: 'noi-bo' } }, { token: TOKEN });
    expect(refreshed.refreshSource.poll).toMatchObject({ outcome: 'OK', newArticles: 2 });
    const removed = await api.data(RemoveSource, { input: { slug: 'noi-bo' } }, { token: TOKEN });
    expect(removed.removeSource).toEqual({ removedSourceId: added.addSource.source.id, slug: 'noi-bo' });
    expect((await api.data(SourceBySlug, { slug: 'noi-bo' })).source).toBeNull();
    expect(codes(await api.request(RemoveSource, { input: { slug: 'noi-bo' } }, { token: TOKEN }))).toEqual(['NOT_FOUND']);
    expect(codes(await api.request(RemoveSource, { input: { slug: 'configured' } }, { token: TOKEN }))).toEqual(['BAD_USER_INPUT']);
    // Its articles stay, still attributed to it.
    const kept = await api.raw('{ articles { edges { node { title source { slug enabled } } } } }');
    expect(kept.body.data.articles.edges).toEqual([
      { node: { title: 'Tin nội bộ 2', source: { slug: 'noi-bo', enabled: false } } },
      { node: { title: 'Tin nội bộ 1', source: { slug: 'noi-bo', enabled: false } } },
    ]);
    const again = await api.data(AddSource, { input: input({ name: 'Nội bộ 2' }) }, { token: TOKEN });
    expect(again.addSource.source).toMatchObject({ id: added.addSource.source.id, name: 'Nội bộ 2', enabled: true });
  });

  it('polls private addresses when NEWSGATE_ALLOW_PRIVATE_SOURCES is set', async () => {
    await start({ adminToken: TOKEN, allowPrivateSources: true });
    await api.data(AddSource, { input: input() }, { token: TOKEN });
    const refreshed = await api.data(RefreshSource, { input: { slug: 'noi-bo' } }, { token: TOKEN });
    expect(refreshed.refreshSource.poll).toMatchObject({ outcome: 'OK', status: 200, newArticles: 2, error: null });
    expect(refreshed.refreshSource.source.health).toMatchObject({ lastStatus: 200, lastError: null, consecutiveFailures: 0, itemCount: 2 });
    expect(refreshed.refreshSource.source.articles.edges.map((e) => e.node.title)).toEqual(['Tin nội bộ 2', 'Tin nội bộ 1']);
  });
});

describe('persistence', () => {
  it('keeps API sources across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newsgate-admin-'));
    const file = join(dir, 'newsgate.db');
    try {
      store = await openStore(file);
      api = await startApi(config(), store, { adminToken: TOKEN });
      await api.data(AddSource, { input: input() }, { token: TOKEN });
      // Queries read on their own read-only connection for a file database: the write is visible at once.
      expect((await api.data(SourceBySlug, { slug: 'noi-bo' })).source).toMatchObject({ origin: 'API' });
      await api.close();
      await store.close();
      api = undefined as never;

      store = await openStore(file);
      api = await startApi(config(), store, {});
      expect((await api.data(SourceBySlug, { slug: 'noi-bo' })).source).toMatchObject({ slug: 'noi-bo', origin: 'API', enabled: true });
    } finally {
      await api.close();
      await store.close();
      api = undefined as never;
      store = undefined as never;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
