import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/ops/logger.js';
import { buildRss } from '../helpers/rss.js';
import { startOpsHarness, type OpsHarness } from './harness.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let h: OpsHarness;

beforeEach(async () => {
  h = await startOpsHarness({
    routes: { '/a.rss': buildRss([{ title: 'Giá vàng hôm nay', link: 'https://example.vn/vang.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' }]) },
    sources: [
      { slug: 'a', path: '/a.rss', name: 'A', topics: [] },
      { slug: 'gone', path: '/gone.rss', name: 'Gone', topics: [] },
    ],
  });
});
afterEach(async () => h.close());

/** The request line is written when the response closes, just after the client has it. */
async function requestLine(reqId: string) {
  for (let i = 0; i < 50; i++) {
    const line = h.logs.lines().find((l) => l.reqId === reqId && l.msg === 'request completed');
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no request line for ${reqId}`);
}

describe('request ids and structured logs', () => {
  it("echoes the caller's x-request-id and logs the request under it", async () => {
    const response = await h.get('/feeds/sources/a.rss', { headers: { 'x-request-id': 'edge-7f3a.42' } });
    expect(response.headers.get('x-request-id')).toBe('edge-7f3a.42');
    expect(await requestLine('edge-7f3a.42')).toMatchObject({ level: 30, method: 'GET', url: '/feeds/sources/a.rss', route: '/feeds/sources/:slug', status: 200 });

    // GraphQL answers through Yoga, which must keep the header too.
    const gql = await h.get('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'gql-1' }, body: JSON.stringify({ query: 'query Q { topics { slug } }' }) });
    expect(gql.headers.get('x-request-id')).toBe('gql-1');
    expect(await requestLine('gql-1')).toMatchObject({ route: '/graphql', operation: 'Q' });

    // Probes are logged at debug so they do not drown the rest.
    await h.get('/healthz', { headers: { 'x-request-id': 'probe-1' } });
    expect(await requestLine('probe-1')).toMatchObject({ level: 20, route: '/healthz' });
  });

  it('makes up an id when there is none or it is not a sane token', async () => {
    const fresh = (await h.get('/healthz')).headers.get('x-request-id');
    expect(fresh).toMatch(UUID);
    const replaced = (await h.get('/healthz', { headers: { 'x-request-id': 'two words' } })).headers.get('x-request-id');
    expect(replaced).toMatch(UUID);
    const long = (await h.get('/healthz', { headers: { 'x-request-id': 'x'.repeat(200) } })).headers.get('x-request-id');
    expect(long).toMatch(UUID);
  });

  it("logs each poll with the source's slug", async () => {
    await h.poll('a');
    await h.poll('gone');
    const polls = h.logs.lines().filter((l) => 'source' in l);
    expect(polls.find((l) => l.source === 'a')).toMatchObject({ level: 30, outcome: 'ok', new: 1, msg: 'poll: 1 new, 0 updated, 0 unchanged' });
    expect(polls.find((l) => l.source === 'gone')).toMatchObject({ level: 40, outcome: 'http-error', status: 404, error: 'HTTP 404 Not Found' });
  });

  it('prints human-readable lines on a terminal and JSON otherwise', () => {
    const sink = (isTTY: boolean) => {
      let text = '';
      const stream = Object.assign(
        new Writable({
          write(chunk, _encoding, done) {
            text += String(chunk);
            done();
          },
        }),
        { isTTY },
      );
      return { stream, text: () => text };
    };
    const tty = sink(true);
    createLogger({ stream: tty.stream }).child({ source: 'vnexpress' }).info('poll: 3 new');
    expect(tty.text()).toContain('poll: 3 new');
    expect(tty.text()).toContain('vnexpress');
    expect(() => JSON.parse(tty.text())).toThrow();

    const pipe = sink(false);
    createLogger({ stream: pipe.stream, level: 'warn' }).info('hidden');
    createLogger({ stream: pipe.stream }).info({ source: 'tuoitre' }, 'shown');
    expect(JSON.parse(pipe.text())).toMatchObject({ level: 30, source: 'tuoitre', msg: 'shown' });
  });
});
