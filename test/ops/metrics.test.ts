import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMetrics, METRIC_NAMES } from '../../src/ops/metrics.js';
import { routePattern } from '../../src/ops/http.js';
import { buildRss } from '../helpers/rss.js';
import { metric, parseMetrics, startOpsHarness, type OpsHarness } from './harness.js';

const items = [
  { title: 'Giá vàng hôm nay tăng mạnh', link: 'https://vnexpress.net/gia-vang-1.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' },
  { title: 'Bão số 6 hướng vào miền Trung', link: 'https://vnexpress.net/bao-so-6-2.html', pubDate: 'Thu, 27 Nov 2026 09:00:00 +0700' },
  { title: 'Xăng E10 bán đại trà từ tháng sau', link: 'https://vnexpress.net/xang-e10-3.html', pubDate: 'Thu, 27 Nov 2026 08:00:00 +0700' },
];

let h: OpsHarness;

beforeEach(async () => {
  h = await startOpsHarness({
    routes: { '/a.rss': buildRss(items), '/broken.rss': '<rss><channel><item><title>x</title></channel>' },
    sources: [
      { slug: 'a', path: '/a.rss', name: 'A', topics: ['kinh-doanh'] },
      { slug: 'broken', path: '/broken.rss', name: 'Broken', topics: [] },
      { slug: 'gone', path: '/gone.rss', name: 'Gone', topics: [] },
    ],
  });
});
afterEach(async () => h.close());

async function scrape(): Promise<Map<string, number>> {
  const response = await h.get('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

describe('/metrics', () => {
  it('counts items and outcomes per source, and they move with each poll', async () => {
    const before = await scrape();
    expect(metric(before, METRIC_NAMES.itemsFetched, { source: 'a' })).toBeUndefined();
    expect(metric(before, METRIC_NAMES.articles)).toBe(0);

    await h.poll('a');
    await h.poll('broken');
    await h.poll('gone');
    let m = await scrape();
    expect(metric(m, METRIC_NAMES.itemsFetched, { source: 'a' })).toBe(3);
    expect(metric(m, METRIC_NAMES.itemsNew, { source: 'a' })).toBe(3);
    expect(metric(m, METRIC_NAMES.itemsUpdated, { source: 'a' })).toBe(0);
    expect(metric(m, METRIC_NAMES.polls, { source: 'a', outcome: 'ok' })).toBe(1);
    expect(metric(m, METRIC_NAMES.polls, { source: 'broken', outcome: 'parse-error' })).toBe(1);
    expect(metric(m, METRIC_NAMES.polls, { source: 'gone', outcome: 'http-error' })).toBe(1);
    expect(metric(m, `${METRIC_NAMES.pollDuration}_count`, { outcome: 'ok' })).toBe(1);
    expect(metric(m, `${METRIC_NAMES.pollDuration}_count`, { outcome: 'http-error' })).toBe(1);
    expect(metric(m, METRIC_NAMES.articles)).toBe(3);
    expect(metric(m, METRIC_NAMES.stories)).toBe(3);
    expect(metric(m, METRIC_NAMES.databaseSize, { file: 'db' })).toBeGreaterThan(0);

    // A publisher edit: one item updated, nothing new.
    h.feeds.set('/a.rss', { body: buildRss([{ ...items[0], title: 'Giá vàng hôm nay tăng mạnh, vượt đỉnh' }, items[1], items[2]]) });
    await h.poll('a');
    // And a 304.
    h.feeds.set('/a.rss', { status: 304, body: '' });
    await h.poll('a');
    m = await scrape();
    expect(metric(m, METRIC_NAMES.itemsFetched, { source: 'a' })).toBe(6);
    expect(metric(m, METRIC_NAMES.itemsNew, { source: 'a' })).toBe(3);
    expect(metric(m, METRIC_NAMES.itemsUpdated, { source: 'a' })).toBe(1);
    expect(metric(m, METRIC_NAMES.polls, { source: 'a', outcome: 'ok' })).toBe(2);
    expect(metric(m, METRIC_NAMES.polls, { source: 'a', outcome: 'not-modified' })).toBe(1);
    expect(metric(m, `${METRIC_NAMES.pollDuration}_count`, { outcome: 'ok' })).toBe(2);
    // Process metrics come along.
    expect(metric(m, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('times HTTP requests by route pattern, never by raw path', async () => {
    await h.poll('a');
    await (await h.get('/feeds/topics/kinh-doanh.rss')).text();
    await (await h.get('/feeds/topics/kinh-doanh.atom')).text();
    await (await h.get('/feeds/sources/a.json?limit=2')).text();
    await (await h.get('/no/such/thing-1')).text();
    await (await h.get('/no/such/thing-2')).text();
    await (await h.get('/healthz')).text();
    const m = await scrape();
    expect(metric(m, `${METRIC_NAMES.httpDuration}_count`, { route: '/feeds/topics/:slug', method: 'GET', status: '200' })).toBe(2);
    expect(metric(m, `${METRIC_NAMES.httpDuration}_count`, { route: '/feeds/sources/:slug', method: 'GET', status: '200' })).toBe(1);
    expect(metric(m, `${METRIC_NAMES.httpDuration}_count`, { route: 'unmatched', method: 'GET', status: '404' })).toBe(2);
    expect(metric(m, `${METRIC_NAMES.httpDuration}_count`, { route: '/healthz', method: 'GET', status: '200' })).toBe(1);
    const routes = new Set([...m.keys()].filter((k) => k.startsWith(METRIC_NAMES.httpDuration)).map((k) => /route="([^"]*)"/.exec(k)?.[1]));
    expect([...routes].every((r) => r && !/kinh-doanh|thing|a\.json/.test(r))).toBe(true);
  });

  it('times GraphQL requests by operation name, with bounded anonymous/unknown buckets', async () => {
    const post = (body: unknown) =>
      h.get('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.text());
    await post({ query: 'query LatestTopics { topics { slug } }' });
    await post({ query: 'query LatestTopics { topics { slug } }' });
    await post({ query: '{ topics { slug } }' });
    await post({ query: 'query A { topics { slug } } query B { sources { slug } }', operationName: 'B' });
    await post({ query: '{ topics { slug ' });
    const m = await scrape();
    const count = (operation: string, type: string) => metric(m, `${METRIC_NAMES.graphqlDuration}_count`, { operation, type });
    expect(count('LatestTopics', 'query')).toBe(2);
    expect(count('anonymous', 'query')).toBe(1);
    expect(count('B', 'query')).toBe(1);
    expect(count('unknown', 'unknown')).toBe(1);
    expect(metric(m, `${METRIC_NAMES.httpDuration}_count`, { route: '/graphql', method: 'POST', status: '200' })).toBeGreaterThanOrEqual(4);
  });

  it('keeps per-app registries apart and caps distinct operation names', async () => {
    const a = createMetrics(h.store, { maxOperationNames: 2, processMetrics: false });
    const b = createMetrics(h.store, { processMetrics: false });
    for (const name of ['One', 'Two', 'Three', 'Four', 'One']) a.observeGraphQL(name, 'query', 0.01);
    a.observeGraphQL('not a name!', 'query', 0.01);
    const ma = parseMetrics((await a.render()).body);
    const mb = parseMetrics((await b.render()).body);
    expect(metric(ma, `${METRIC_NAMES.graphqlDuration}_count`, { operation: 'One', type: 'query' })).toBe(2);
    expect(metric(ma, `${METRIC_NAMES.graphqlDuration}_count`, { operation: 'Two', type: 'query' })).toBe(1);
    expect(metric(ma, `${METRIC_NAMES.graphqlDuration}_count`, { operation: 'other', type: 'query' })).toBe(2);
    expect(metric(ma, `${METRIC_NAMES.graphqlDuration}_count`, { operation: 'unknown', type: 'query' })).toBe(1);
    expect(metric(mb, `${METRIC_NAMES.graphqlDuration}_count`, { operation: 'One', type: 'query' })).toBeUndefined();
    expect(metric(mb, 'process_resident_memory_bytes')).toBeUndefined();
  });

  it('maps paths to a fixed set of route patterns', () => {
    expect(routePattern('/feeds/topics/cong-nghe.rss')).toBe('/feeds/topics/:slug');
    expect(routePattern('/feeds/sources/vnexpress.json')).toBe('/feeds/sources/:slug');
    expect(routePattern('/feeds/tin-nong.atom')).toBe('/feeds/:slug');
    expect(routePattern('/feeds/sources.opml')).toBe('/feeds/sources.opml');
    expect(routePattern('/embed/topics/cong-nghe')).toBe('/embed/topics/:slug');
    expect(routePattern('/')).toBe('/');
    expect(routePattern('/wp-login.php')).toBe('unmatched');
    expect(routePattern('/feeds/topics/a/b')).toBe('unmatched');
  });
});
