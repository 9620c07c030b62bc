import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { graphql } from './gql/index.js';
import { codes, openCountingStore, startApi, type Api } from './harness.js';
import { startWorld, type World } from './world.js';

const TopicSlugs = graphql(`
  query TopicSlugs {
    topics { slug }
  }
`);

let world: World;
let store: Store;
let statements: string[];
let api: Api;

beforeAll(async () => {
  world = await startWorld();
  ({ store, statements } = await openCountingStore());
  api = await startApi(world.config, store);
  await world.pollAll(api.app);
});
afterAll(async () => {
  await api.close();
  await store.close();
  await world.close();
});

const aliases = (n: number, selection: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${selection}`).join(' ')} }`;

describe('limits', () => {
  it('refuses 500 aliases of articles(first: 100) before running a single statement', async () => {
    statements.length = 0;
    const started = performance.now();
    const { status, body } = await api.raw(aliases(500, 'articles(first: 100) { edges { node { id title } } }'));
    const elapsed = performance.now() - started;
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(codes(body)).toEqual(['QUERY_COMPLEXITY']);
    expect(body.errors![0].extensions).toMatchObject({ queryComplexity: { max: 20000 } });
    expect(statements).toEqual([]);
    // Generous: the box may be busy; a refused query must not come near running one.
    expect(elapsed).toBeLessThan(2500);
  });

  it('counts a connection by its page size and nested lists by their multipliers', async () => {
    // A full page of 100 with every relation is fine …
    const page = '{ articles(first: 100) { totalCount edges { cursor node { id title source { name } sources { name } topics { name } story { headline sources { name } } } } } }';
    expect((await api.raw(page)).body.errors).toBeUndefined();
    // … ten of them in one request are not.
    expect(codes((await api.raw(aliases(10, page.slice(2, -2)))).body)).toEqual(['QUERY_COMPLEXITY']);
    // first: 5000 is refused as BAD_USER_INPUT by the resolver, not as too costly: the cost uses min(first, 100).
    expect(codes((await api.raw('{ articles(first: 5000) { edges { node { id } } } }')).body)).toEqual(['BAD_USER_INPUT']);
  });

  it('limits query depth to 12', async () => {
    const chain = ['articles(first: 1)', 'edges', 'node', 'story', 'articles', 'story', 'articles', 'story', 'articles', 'story', 'articles'];
    const query = (fields: string[]) => `{ ${fields.map((f) => `${f} {`).join(' ')} headline ${'}'.repeat(fields.length)} }`.replace('articles { headline', 'articles { title');
    // articles › edges › node › story › … › articles › title: 12 levels, allowed; one more is not.
    expect(codes((await api.raw(query(chain.slice(0, -1).concat('articles')))).body)).not.toContain('QUERY_DEPTH');
    const deep = query([...chain, 'story']);
    const result = await api.raw(deep);
    expect(codes(result.body), JSON.stringify(result.body)).toContain('QUERY_DEPTH');
    expect(result.body.errors!.find((e) => e.extensions?.code === 'QUERY_DEPTH')!.message).toMatch(/depth 13 exceeds the maximum of 12/);
  });

  it('allows introspection, but not introspection that nests lists to blow up the response', async () => {
    const { status, body } = await api.raw(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, inputValueDeprecation: true }));
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.__schema.types.some((t: { name: string }) => t.name === 'Article')).toBe(true);
    const bomb = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    const refused = await api.raw(bomb);
    expect(refused.status).toBe(400);
    expect(refused.body.errors![0].message).toMatch(/introspection depth/);
  });

  it('caps the number of tokens in a document', async () => {
    const { status, body } = await api.raw(`{ ${'__typename '.repeat(20_000)}}`);
    expect(status).toBe(400);
    expect(body.errors![0].message).toMatch(/tokens/);
  });

  it('answers 413 to bodies over 1 MB, with or without a content-length', async () => {
    const big = JSON.stringify({ query: `{ topics { slug } } # ${'x'.repeat(1_100_000)}` });
    const withLength = await fetch(api.endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    expect(withLength.status).toBe(413);
    const chunked = await fetch(api.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(big));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it('does not batch', async () => {
    const response = await fetch(api.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ topics { slug } }' }, { query: '{ sources { slug } }' }]),
    });
    expect(response.status).toBe(400);
  });
});

describe('errors', () => {
  it('masks unexpected errors and logs them on the server', async () => {
    const { store: broken } = await openCountingStore(world.config);
    const brokenApi = await startApi(world.config, broken);
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      broken.sqlite.exec('DROP TABLE source_topics');
      const { body } = await brokenApi.raw('{ sources { slug topics { slug } } }');
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(body)).not.toMatch(/source_topics|SqliteError/);
      expect(log.mock.calls.flat().map(String).join('\n')).toMatch(/source_topics/);
    } finally {
      log.mockRestore();
      await brokenApi.close();
      await broken.close();
    }
  });

  it('gives variable values that do not coerce the BAD_USER_INPUT code', async () => {
    const { status, body } = await api.raw('query ($n: Int) { articles(first: $n) { totalCount } }', { n: 'ten' });
    expect(status).toBe(400);
    expect(codes(body)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('HTTP', () => {
  it('serves queries over GET and refuses mutations over GET', async () => {
    const get = await fetch(`${api.endpoint}?query=${encodeURIComponent('{ topics { slug } }')}`, { headers: { accept: 'application/json' } });
    expect(get.status).toBe(200);
    expect(((await get.json()) as { data: unknown }).data).toEqual({ topics: [{ slug: 'cong-nghe' }, { slug: 'kinh-doanh' }, { slug: 'thoi-su' }] });
    const mutation = await fetch(`${api.endpoint}?query=${encodeURIComponent('mutation { removeSource(input: { slug: "x" }) { slug } }')}`, {
      headers: { accept: 'application/graphql-response+json' },
    });
    expect(mutation.status).toBe(405);
  });

  it('shows GraphiQL to a browser, with nothing loaded from elsewhere (works offline)', async () => {
    const page = await fetch(api.endpoint, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toMatch(/graphiql/i);
    expect(html).toContain('newsgate GraphQL');
    // No script or stylesheet from a CDN: every <script src> and <link href> is inline or local.
    expect(html.match(/<(?:script|link)\b[^>]*\b(?:src|href)=["']?https?:/gi)).toBeNull();
  });

  it('allows any origin by default, without credentials', async () => {
    const preflight = await fetch(api.endpoint, {
      method: 'OPTIONS',
      headers: { origin: 'https://dashboard.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const post = await fetch(api.endpoint, { method: 'POST', headers: { origin: 'https://x.example', 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ topics { slug } }' }) });
    expect(post.headers.get('access-control-allow-origin')).toBe('*');
    expect((await api.data(TopicSlugs)).topics).toHaveLength(3);
  });

  it('allows only the configured origins when NEWSGATE_CORS_ORIGINS is set', async () => {
    const { store: local } = await openCountingStore(world.config);
    const restricted = await startApi(world.config, local, { corsOrigins: ['https://dashboard.example'] });
    try {
      const ask = (origin: string) =>
        fetch(restricted.endpoint, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
      expect((await ask('https://dashboard.example')).headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
      expect((await ask('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
      const post = await fetch(restricted.endpoint, {
        method: 'POST',
        headers: { origin: 'https://dashboard.example', 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ topics { slug } }' }),
      });
      expect(post.headers.get('access-control-allow-origin')).toBe('https://dashboard.example');
    } finally {
      await restricted.close();
      await local.close();
    }
  });
});
