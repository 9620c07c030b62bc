import { lookup as dnsLookup } from 'node:dns';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import {
  FetchError,
  createBlockedAddressError,
  createHttpError,
  createRedirectLoopError,
  createTimeoutError,
  createTooLargeError,
  createTooManyRedirectsError,
  toFetchError,
} from './fetch-errors.js';
import type { Limiter } from './limiter.js';

export interface FetchOptions {
  /** Whole fetch (connect, headers, body, every redirect hop); time spent queued in `limiter` is not counted. */
  timeoutMs?: number;
  /** Applies to the bytes on the wire and, separately, to the decompressed body. */
  maxBytes?: number;
  maxRedirects?: number;
  userAgent?: string;
  etag?: string | null;
  lastModified?: string | null;
  limiter?: Limiter;
  /** Refuse loopback/private/link-local/unique-local/unspecified targets, checked on the resolved IP. */
  blockPrivateAddresses?: boolean;
  signal?: AbortSignal;
}

export interface FetchOk {
  kind: 'ok';
  status: number;
  /** Final URL after redirects. */
  url: string;
  body: Buffer;
  contentType: string | null;
  etag: string | null;
  lastModified: string | null;
  /** From Cache-Control max-age (seconds) or Expires, when present. */
  maxAgeSeconds: number | null;
  /** Decompressed body size, the quantity `maxBytes` bounds. */
  bytes: number;
  durationMs: number;
}

export interface FetchNotModified {
  kind: 'not-modified';
  status: 304;
  url: string;
  etag: string | null;
  lastModified: string | null;
  maxAgeSeconds: number | null;
  durationMs: number;
}

export type FetchResult = FetchOk | FetchNotModified;

export const DEFAULT_USER_AGENT = 'newsgate/0.1 (+https://github.com/newsgate/newsgate; feed aggregator)';
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

interface Settings {
  timeoutMs: number;
  maxBytes: number;
  maxRedirects: number;
  headers: Record<string, string>;
  blockPrivateAddresses: boolean;
  signal?: AbortSignal;
}

interface Hop {
  status: number;
  statusText: string | undefined;
  headers: IncomingHttpHeaders;
  body: Buffer | null;
}

/** Fetches a feed over HTTP(S). Rejects only with FetchError. */
export async function fetchFeed(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  try {
    const start = parseFeedUrl(url);
    const settings = resolveSettings(options);
    const task = () => fetchWithDeadline(start, settings);
    return options.limiter ? await options.limiter.run(start.hostname, task, options.signal) : await task();
  } catch (err) {
    if (!(err instanceof FetchError) && options.signal?.aborted) throw createCancelledError(err);
    throw toFetchError(err, url);
  }
}

function resolveSettings(options: FetchOptions): Settings {
  const headers: Record<string, string> = {
    'User-Agent': options.userAgent ?? DEFAULT_USER_AGENT,
    Accept: ACCEPT,
    'Accept-Encoding': 'gzip, deflate, br',
  };
  if (options.etag) headers['If-None-Match'] = options.etag;
  if (options.lastModified) headers['If-Modified-Since'] = options.lastModified;
  return {
    timeoutMs: options.timeoutMs ?? 20_000,
    maxBytes: options.maxBytes ?? 15 * 1024 * 1024,
    maxRedirects: options.maxRedirects ?? 5,
    headers,
    blockPrivateAddresses: options.blockPrivateAddresses ?? false,
    signal: options.signal,
  };
}

function parseFeedUrl(raw: string, kind: 'network' | 'redirect' = 'network', base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (err) {
    throw new FetchError(kind, `invalid URL: ${raw}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new FetchError(kind, `unsupported URL scheme "${url.protocol}" in ${url.href} (only http and https)`);
  }
  url.hash = '';
  return url;
}

function createCancelledError(cause: unknown): FetchError {
  return new FetchError('network', 'request cancelled', { cause });
}

async function fetchWithDeadline(start: URL, settings: Settings): Promise<FetchResult> {
  const startedAt = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(createTimeoutError(settings.timeoutMs, start.href)),
    settings.timeoutMs,
  );
  const onCancel = () => controller.abort(createCancelledError(settings.signal?.reason));
  if (settings.signal?.aborted) onCancel();
  else settings.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    return await followRedirects(start, settings, controller.signal, startedAt);
  } finally {
    clearTimeout(timer);
    settings.signal?.removeEventListener('abort', onCancel);
  }
}

async function followRedirects(
  start: URL,
  settings: Settings,
  signal: AbortSignal,
  startedAt: number,
): Promise<FetchResult> {
  const visited = [start.href];
  let current = start;
  for (;;) {
    const hop = await requestOnce(current, settings, signal);
    const location = hop.headers.location;
    if (!REDIRECT_STATUSES.has(hop.status) || !location) {
      return toResult(hop, current.href, Math.round(performance.now() - startedAt));
    }
    const next = parseFeedUrl(location, 'redirect', current);
    if (visited.includes(next.href)) throw createRedirectLoopError([...visited, next.href]);
    if (visited.length > settings.maxRedirects) {
      throw createTooManyRedirectsError(settings.maxRedirects, start.href);
    }
    visited.push(next.href);
    current = next;
  }
}

function requestOnce(target: URL, settings: Settings, signal: AbortSignal): Promise<Hop> {
  return new Promise<Hop>((resolve, reject) => {
    let req: http.ClientRequest | undefined;
    let settled = false;
    const settle = (err: unknown, hop?: Hop) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      // Destroying the socket is what actually stops a stalled or oversized download.
      if (err !== null || !hop?.body) req?.destroy();
      if (err !== null) reject(err);
      else resolve(hop as Hop);
    };
    const onAbort = () => settle(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });

    try {
      if (settings.blockPrivateAddresses) assertPublicLiteral(target);
      const client = target.protocol === 'https:' ? https : http;
      // agent: false — no pooled sockets, so a socket opened without the address guard is never reused.
      req = client.request(target, {
        method: 'GET',
        headers: settings.headers,
        agent: false,
        ...(settings.blockPrivateAddresses ? { lookup: lookupPublicOnly } : {}),
      });
    } catch (err) {
      return settle(err);
    }
    req.on('error', (err) => settle(err));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const head = { status, statusText: res.statusMessage, headers: res.headers };
      // Bodies of redirects and errors are never read: nothing needs them and they may be huge.
      if (status < 200 || status >= 300) return settle(null, { ...head, body: null });
      readBody(res, settings.maxBytes, target.href).then(
        (body) => settle(null, { ...head, body }),
        (err: unknown) => settle(err),
      );
    });
    req.end();
  });
}

async function readBody(res: IncomingMessage, maxBytes: number, url: string): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw createTooLargeError(maxBytes, url, declared);

  const decoder = createDecoder(res.headers['content-encoding']);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const stages = decoder
    ? [res, createByteLimit(maxBytes, url), decoder, createByteLimit(maxBytes, url), sink]
    : [res, createByteLimit(maxBytes, url), sink];
  await pipeline(stages);
  return Buffer.concat(chunks);
}

function createByteLimit(maxBytes: number, url: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length;
      if (seen > maxBytes) done(createTooLargeError(maxBytes, url));
      else done(null, chunk);
    },
  });
}

// Sync flush on end tolerates a missing gzip trailer, as browsers do; a cut connection is still an error.
const LENIENT_ZLIB: zlib.ZlibOptions = { finishFlush: zlib.constants.Z_SYNC_FLUSH };

function createDecoder(header: string | undefined): Transform | null {
  const encoding = (header ?? '').trim().toLowerCase();
  switch (encoding) {
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip(LENIENT_ZLIB);
    case 'deflate':
      return new DeflateDecoder();
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      throw new FetchError('network', `unsupported Content-Encoding: ${encoding}`);
  }
}

/** "deflate" should be zlib-wrapped (RFC 9110) but some servers send raw deflate; the first two bytes tell. */
class DeflateDecoder extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (!this.inner) {
      const inner = hasZlibHeader(chunk) ? zlib.createInflate(LENIENT_ZLIB) : zlib.createInflateRaw(LENIENT_ZLIB);
      inner.on('data', (data: Buffer) => this.push(data));
      inner.on('error', (err) => this.destroy(err));
      this.inner = inner;
    }
    this.inner.write(chunk, () => done());
  }

  override _flush(done: TransformCallback): void {
    if (!this.inner) return done();
    this.inner.once('end', () => done());
    this.inner.end();
  }

  override _destroy(err: Error | null, done: (error?: Error | null) => void): void {
    this.inner?.destroy();
    done(err);
  }
}

function hasZlibHeader(chunk: Buffer): boolean {
  if (chunk.length < 2) return true;
  return (chunk[0] & 0x0f) === 8 && ((chunk[0] << 8) | chunk[1]) % 31 === 0;
}

function toResult(hop: Hop, url: string, durationMs: number): FetchResult {
  const common = {
    url,
    etag: hop.headers.etag ?? null,
    lastModified: hop.headers['last-modified'] ?? null,
    maxAgeSeconds: readMaxAgeSeconds(hop.headers),
    durationMs,
  };
  if (hop.status === 304) return { kind: 'not-modified', status: 304, ...common };
  if (hop.body) {
    const contentType = hop.headers['content-type'] ?? null;
    return { kind: 'ok', status: hop.status, body: hop.body, contentType, bytes: hop.body.length, ...common };
  }
  const retryAfterMs =
    hop.status === 429 || hop.status === 503 ? parseRetryAfter(hop.headers['retry-after']) : undefined;
  throw createHttpError(hop.status, hop.statusText, url, retryAfterMs);
}

export function readMaxAgeSeconds(headers: IncomingHttpHeaders): number | null {
  const maxAge = /(?:^|,)\s*max-age\s*=\s*"?(\d+)"?/i.exec(headers['cache-control'] ?? '');
  if (maxAge) return Number(maxAge[1]);
  if (headers.expires === undefined) return null;
  const expiresAt = Date.parse(headers.expires);
  // RFC 9111 §5.3: an unparseable Expires (often "0" or "-1") means "already expired".
  if (Number.isNaN(expiresAt)) return 0;
  // Measure against the server's Date so clock skew between us and the server cancels out.
  const now = Date.parse(headers.date ?? '') || Date.now();
  return Math.max(0, Math.round((expiresAt - now) / 1000));
}

export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const NON_PUBLIC = createNonPublicBlockList();

function createNonPublicBlockList(): BlockList {
  const list = new BlockList();
  const v4: Array<[string, number]> = [
    ['0.0.0.0', 8], // "this network", incl. unspecified 0.0.0.0
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, incl. cloud metadata 169.254.169.254
    ['172.16.0.0', 12],
    ['192.168.0.0', 16],
    ['224.0.0.0', 4], // multicast
    ['240.0.0.0', 4], // reserved + broadcast
  ];
  const v6: Array<[string, number]> = [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7], // unique-local
    ['fe80::', 10], // link-local
    ['ff00::', 8], // multicast
  ];
  for (const [net, prefix] of v4) list.addSubnet(net, prefix, 'ipv4');
  for (const [net, prefix] of v6) list.addSubnet(net, prefix, 'ipv6');
  return list; // BlockList matches IPv4-mapped IPv6 (::ffff:a.b.c.d) against the IPv4 rules.
}

export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return NON_PUBLIC.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Node skips `lookup` for IP-literal hosts, so those are checked up front. */
function assertPublicLiteral(target: URL): void {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) && isNonPublicAddress(host)) throw createBlockedAddressError(host, host);
}

/**
 * Checks the addresses the socket will actually connect to, so a hostname that resolves to a public IP at
 * validation time and a private one at connect time (DNS rebinding) is still refused.
 */
const lookupPublicOnly: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, (err, address, family) => {
    if (err) return callback(err, address, family);
    const addresses = typeof address === 'string' ? [address] : address.map((entry) => entry.address);
    const blocked = addresses.find(isNonPublicAddress);
    if (blocked) return callback(createBlockedAddressError(hostname, blocked), address, family);
    callback(null, address, family);
  });
};
