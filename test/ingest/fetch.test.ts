import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFeed, type FetchOptions } from '../../src/ingest/fetch.js';
import { FetchError, createTimeoutError, createTooLargeError } from '../../src/ingest/fetch-errors.js';
import { createLimiter } from '../../src/ingest/limiter.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  url: string;
  port: number;
  requests: IncomingMessage[];
}

const servers: http.Server[] = [];

async function startServer(handler: Handler): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, requests };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function fetchError(url: string, options: FetchOptions = {}): Promise<FetchError> {
  try {
    await fetchFeed(url, options);
  } catch (err) {
    expect(err).toBeInstanceOf(FetchError);
    return err as FetchError;
  }
  throw new Error(`expected ${url} to fail`);
}

const RSS = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Tin tức</title></channel></rss>';
const MiB = 1024 * 1024;

describe('fetchFeed: conditional requests', () => {
  it('returns the body with validators, then 304 when they are sent back', async () => {
    const etag = '"v1"';
    const lastModified = 'Tue, 01 Apr 2025 10:00:00 GMT';
    const server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { ETag: etag, 'Cache-Control': 'max-age=300' }).end();
        return;
      }
      res
        .writeHead(200, {
          'Content-Type': 'application/rss+xml; charset=utf-8',
          ETag: etag,
          'Last-Modified': lastModified,
          'Cache-Control': 'public, max-age=600',
        })
        .end(RSS);
    });

    const first = await fetchFeed(`${server.url}/feed`);
    expect(first.kind).toBe('ok');
    if (first.kind !== 'ok') return;
    expect(first.status).toBe(200);
    expect(first.body.toString('utf8')).toBe(RSS);
    expect(first.bytes).toBe(Buffer.byteLength(RSS));
    expect(first.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(first.etag).toBe(etag);
    expect(first.lastModified).toBe(lastModified);
    expect(first.maxAgeSeconds).toBe(600);
    expect(first.url).toBe(`${server.url}/feed`);

    const second = await fetchFeed(`${server.url}/feed`, { etag: first.etag, lastModified: first.lastModified });
    expect(second).toMatchObject({ kind: 'not-modified', status: 304, etag, maxAgeSeconds: 300 });

    const [plain, conditional] = server.requests;
    expect(plain.headers['if-none-match']).toBeUndefined();
    expect(plain.headers['user-agent']).toBe('newsgate/0.1 (+https://github.com/newsgate/newsgate; feed aggregator)');
    expect(plain.headers.accept).toContain('application/rss+xml');
    expect(plain.headers['accept-encoding']).toBe('gzip, deflate, br');
    expect(conditional.headers['if-none-match']).toBe(etag);
    expect(conditional.headers['if-modified-since']).toBe(lastModified);
  });

  it('derives maxAgeSeconds from Expires relative to the server Date', async () => {
    const date = new Date('2025-04-01T10:00:00Z');
    const server = await startServer((_req, res) => {
      res
        .writeHead(200, { Date: date.toUTCString(), Expires: new Date(date.getTime() + 900_000).toUTCString() })
        .end(RSS);
    });
    const result = await fetchFeed(server.url);
    expect(result.maxAgeSeconds).toBe(900);
  });

  it('reports null maxAgeSeconds and null validators when absent', async () => {
    const server = await startServer((_req, res) => res.end(RSS));
    const result = await fetchFeed(server.url, { userAgent: 'custom/1.0' });
    expect(result).toMatchObject({ kind: 'ok', etag: null, lastModified: null, maxAgeSeconds: null });
    expect(server.requests[0].headers['user-agent']).toBe('custom/1.0');
  });
});

describe('fetchFeed: redirects', () => {
  it('follows a relative Location and reports the final URL', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/old/feed') res.writeHead(301, { Location: '../new/feed.xml' }).end();
      else res.writeHead(200).end(RSS);
    });
    const result = await fetchFeed(`${server.url}/old/feed`);
    expect(result).toMatchObject({ kind: 'ok', status: 200, url: `${server.url}/new/feed.xml` });
  });

  it('follows a chain of 3 mixed redirects', async () => {
    const server = await startServer((req, res) => {
      const next: Record<string, [number, string]> = {
        '/a': [302, '/b'],
        '/b': [307, 'c'],
        '/c': [308, '/final?x=1'],
      };
      const hop = next[req.url ?? ''];
      if (hop) res.writeHead(hop[0], { Location: hop[1] }).end();
      else res.writeHead(200).end(RSS);
    });
    const result = await fetchFeed(`${server.url}/a`);
    expect(result.url).toBe(`${server.url}/final?x=1`);
    expect(server.requests.map((r) => r.url)).toEqual(['/a', '/b', '/c', '/final?x=1']);
  });

  it('reports a loop with the whole chain', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(302, { Location: req.url === '/a' ? '/b' : '/a' }).end();
    });
    const error = await fetchError(`${server.url}/a`);
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe(`redirect loop: ${server.url}/a → ${server.url}/b → ${server.url}/a`);
  });

  it('allows exactly maxRedirects hops but not one more', async () => {
    const server = await startServer((req, res) => {
      const n = Number(req.url?.slice(1));
      if (n > 0) res.writeHead(303, { Location: `/${n - 1}` }).end();
      else res.writeHead(200).end(RSS);
    });
    await expect(fetchFeed(`${server.url}/5`)).resolves.toMatchObject({ kind: 'ok', url: `${server.url}/0` });
    const error = await fetchError(`${server.url}/6`);
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe('too many redirects (more than 5)');
    // The sixth redirect is refused without being followed.
    expect(server.requests.slice(6).map((r) => r.url)).toEqual(['/6', '/5', '/4', '/3', '/2', '/1']);
  });

  it('refuses a redirect to a non-http scheme', async () => {
    const server = await startServer((_req, res) => res.writeHead(302, { Location: 'file:///etc/passwd' }).end());
    const error = await fetchError(server.url);
    expect(error.kind).toBe('redirect');
    expect(error.message).toContain('unsupported URL scheme "file:"');
  });
});

describe('fetchFeed: timeouts and cancellation', () => {
  it('times out when the server stalls mid-body', async () => {
    let closed = false;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.write('<?xml version="1.0"?><rss><channel>');
      res.on('close', () => (closed = true));
    });
    const error = await fetchError(server.url, { timeoutMs: 300 });
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('timed out after 300 ms');
    await expect.poll(() => closed).toBe(true);
  });

  it('times out when the server never sends headers', async () => {
    const server = await startServer(() => {});
    const error = await fetchError(server.url, { timeoutMs: 300 });
    expect(error.kind).toBe('timeout');
  });

  it('words the default timeout in seconds', () => {
    expect(createTimeoutError(20_000).message).toBe('timed out after 20 s');
    expect(createTooLargeError(15 * MiB).message).toBe('body exceeds 15 MiB');
  });

  it('aborts an in-flight request when the external signal fires', async () => {
    let closed = false;
    const server = await startServer((req) => req.socket.on('close', () => (closed = true)));
    const controller = new AbortController();
    const pending = fetchError(server.url, { signal: controller.signal });
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort(new Error('shutdown'));
    const error = await pending;
    expect(error).toMatchObject({ kind: 'network', message: 'request cancelled' });
    await expect.poll(() => closed).toBe(true);
  });

  it('drops a request still queued in the limiter when the external signal fires', async () => {
    const server = await startServer(() => {});
    const limiter = createLimiter({ global: 1, perHost: 1 });
    const controller = new AbortController();
    const first = fetchError(`${server.url}/first`, { limiter, timeoutMs: 300 });
    const queued = fetchError(`${server.url}/queued`, { limiter, signal: controller.signal });
    controller.abort();
    expect(await queued).toMatchObject({ kind: 'network', message: 'request cancelled' });
    expect((await first).kind).toBe('timeout');
    expect(server.requests.map((r) => r.url)).toEqual(['/first']);
  });
});

describe('fetchFeed: size limits', () => {
  it('stops reading a streamed body as soon as it exceeds maxBytes', async () => {
    const total = 20 * MiB;
    let sent = 0;
    let finished = false;
    let closedEarly = false;
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      res.on('close', () => (closedEarly = !finished));
      const pump = () => {
        while (sent < total) {
          if (res.destroyed) return;
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        finished = true;
        res.end();
      };
      pump();
    });
    const error = await fetchError(server.url, { maxBytes: MiB });
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe('body exceeds 1 MiB');
    await expect.poll(() => closedEarly).toBe(true);
    expect(finished).toBe(false);
    // Kernel socket buffers absorb some data after the client hangs up, but far from all 20 MiB.
    expect(sent).toBeLessThan(total / 2);
  });

  it('rejects up front when Content-Length exceeds maxBytes', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': String(20 * MiB) });
      res.write('<rss>'); // then stall: only the header can make the client give up quickly
    });
    const error = await fetchError(server.url, { maxBytes: MiB, timeoutMs: 10_000 });
    expect(error.kind).toBe('too-large');
    expect(error.message).toBe(`body exceeds 1 MiB (Content-Length ${20 * MiB})`);
  });

  it('accepts a body of exactly maxBytes', async () => {
    const body = Buffer.alloc(1000, 'x');
    const server = await startServer((_req, res) => res.end(body));
    const result = await fetchFeed(server.url, { maxBytes: 1000 });
    expect(result).toMatchObject({ kind: 'ok', bytes: 1000 });
  });

  it('cuts off a gzip bomb by its decompressed size', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(64 * MiB));
    expect(bomb.length).toBeLessThan(MiB);
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': bomb.length }).end(bomb);
    });
    const error = await fetchError(server.url, { maxBytes: MiB });
    expect(error.kind).toBe('too-large');
  });
});

describe('fetchFeed: content encodings', () => {
  const encoders: Array<[string, (b: Buffer) => Buffer]> = [
    ['gzip', (b) => zlib.gzipSync(b)],
    ['x-gzip', (b) => zlib.gzipSync(b)],
    ['deflate', (b) => zlib.deflateSync(b)],
    ['deflate (raw, as some servers send it)', (b) => zlib.deflateRawSync(b)],
    ['br', (b) => zlib.brotliCompressSync(b)],
  ];

  it.each(encoders)('decodes %s', async (name, encode) => {
    const body = Buffer.from(RSS.repeat(200));
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': name.split(' ')[0] }).end(encode(body));
    });
    const result = await fetchFeed(server.url);
    expect(result.kind).toBe('ok');
    if (result.kind === 'ok') {
      expect(result.body.equals(body)).toBe(true);
      expect(result.bytes).toBe(body.length);
    }
  });

  it('reports a corrupt gzip body as a network error', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' }).end('definitely not gzip');
    });
    const error = await fetchError(server.url);
    expect(error.kind).toBe('network');
    expect(error.message).toMatch(/^invalid compressed body/);
  });
});

describe('fetchFeed: HTTP errors', () => {
  it('maps 404 to http-error', async () => {
    const server = await startServer((_req, res) => res.writeHead(404).end('nope'));
    const error = await fetchError(server.url);
    expect(error).toMatchObject({ kind: 'http-error', status: 404, message: 'HTTP 404 Not Found' });
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('parses Retry-After seconds on 429', async () => {
    const server = await startServer((_req, res) => res.writeHead(429, { 'Retry-After': '120' }).end());
    const error = await fetchError(server.url);
    expect(error).toMatchObject({ kind: 'http-error', status: 429, retryAfterMs: 120_000 });
    expect(error.message).toBe('HTTP 429 Too Many Requests (retry after 120 s)');
  });

  it('parses an HTTP-date Retry-After on 503', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(503, { 'Retry-After': new Date(Date.now() + 60_000).toUTCString() }).end();
    });
    const error = await fetchError(server.url);
    expect(error).toMatchObject({ kind: 'http-error', status: 503 });
    expect(error.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('treats a redirect without Location as an HTTP error', async () => {
    const server = await startServer((_req, res) => res.writeHead(302).end());
    const error = await fetchError(server.url);
    expect(error).toMatchObject({ kind: 'http-error', status: 302 });
  });
});

describe('fetchFeed: network failures', () => {
  it('reports connection refused with the address', async () => {
    const server = await startServer(() => {});
    const { port } = server;
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const error = await fetchError(`http://127.0.0.1:${port}/feed`);
    expect(error.kind).toBe('network');
    expect(error.message).toBe(`connection refused: ECONNREFUSED 127.0.0.1:${port}`);
  });

  it('reports DNS failures with the host name', async () => {
    const error = await fetchError('http://example.invalid/feed', { timeoutMs: 10_000 });
    expect(error.kind).toBe('network');
    expect(error.message).toBe('DNS lookup failed for example.invalid');
  });

  it.each(['ftp://example.com/feed', 'not a url', 'file:///etc/passwd'])('rejects %s', async (url) => {
    const error = await fetchError(url);
    expect(error.kind).toBe('network');
  });
});

describe('fetchFeed: blockPrivateAddresses', () => {
  it('refuses an IP-literal loopback target without connecting', async () => {
    const server = await startServer((_req, res) => res.end(RSS));
    const error = await fetchError(server.url, { blockPrivateAddresses: true });
    expect(error.kind).toBe('blocked-address');
    expect(error.message).toContain('127.0.0.1');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a host name that resolves to loopback (checked at connect time)', async () => {
    const server = await startServer((_req, res) => res.end(RSS));
    const error = await fetchError(`http://localhost:${server.port}/`, { blockPrivateAddresses: true });
    expect(error.kind).toBe('blocked-address');
    expect(error.message).toContain('resolved from localhost');
    expect(server.requests).toHaveLength(0);
  });

  it.each(['http://[::ffff:127.0.0.1]/', 'http://[::1]/', 'http://10.1.2.3/', 'http://169.254.169.254/', 'http://0.0.0.0/', 'http://2130706433/'])(
    'refuses %s',
    async (url) => {
      const error = await fetchError(url, { blockPrivateAddresses: true });
      expect(error.kind).toBe('blocked-address');
    },
  );

  it('allows loopback by default', async () => {
    const server = await startServer((_req, res) => res.end(RSS));
    await expect(fetchFeed(server.url)).resolves.toMatchObject({ kind: 'ok' });
  });
});

describe('fetchFeed: limiter', () => {
  async function startCountingServer() {
    let inFlight = 0;
    let maxInFlight = 0;
    const order: string[] = [];
    const server = await startServer((req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      order.push(req.url ?? '');
      setTimeout(() => {
        inFlight -= 1;
        res.end(RSS);
      }, 25);
    });
    return { server, stats: () => ({ maxInFlight, order }) };
  }

  it('never exceeds the per-host limit and serves a host FIFO', async () => {
    const { server, stats } = await startCountingServer();
    const limiter = createLimiter({ global: 16, perHost: 2 });
    const urls = Array.from({ length: 8 }, (_, i) => `${server.url}/${i}`);
    await Promise.all(urls.map((url) => fetchFeed(url, { limiter })));
    expect(stats().maxInFlight).toBe(2);
    const order = stats().order.map((path) => Number(path.slice(1)));
    // With two slots the pairs may swap on arrival, but nothing jumps ahead of an earlier pair.
    for (let i = 0; i < order.length; i += 2) expect(order.slice(i, i + 2).sort()).toEqual([i, i + 1]);
  });

  it('never exceeds the global limit', async () => {
    const { server, stats } = await startCountingServer();
    const limiter = createLimiter({ global: 3, perHost: 10 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => fetchFeed(`${server.url}/${i}`, { limiter })));
    expect(stats().maxInFlight).toBe(3);
    expect(limiter.activeCount).toBe(0);
  });

  it('does not count time spent queued against the timeout', async () => {
    const { server } = await startCountingServer();
    const limiter = createLimiter({ global: 1, perHost: 1 });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => fetchFeed(`${server.url}/${i}`, { limiter, timeoutMs: 100 })),
    );
    expect(results.every((r) => r.kind === 'ok')).toBe(true);
  });
});
