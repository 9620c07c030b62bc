import { STATUS_CODES } from 'node:http';

export type FetchErrorKind =
  | 'timeout'
  | 'http-error'
  | 'too-large'
  | 'network'
  | 'redirect'
  | 'blocked-address';

export interface FetchErrorDetails {
  status?: number;
  retryAfterMs?: number;
  url?: string;
  cause?: unknown;
}

/** The only error fetchFeed rejects with, so callers can branch on `kind` instead of sniffing messages. */
export class FetchError extends Error {
  override readonly name = 'FetchError';
  readonly kind: FetchErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** URL of the hop that failed (may differ from the requested one after redirects). */
  readonly url?: string;

  constructor(kind: FetchErrorKind, message: string, details: FetchErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    if (details.status !== undefined) this.status = details.status;
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
    if (details.url !== undefined) this.url = details.url;
  }
}

const MiB = 1024 * 1024;
const KiB = 1024;

export function formatBytes(bytes: number): string {
  const trim = (n: number) => String(Math.round(n * 10) / 10);
  if (bytes >= MiB) return `${trim(bytes / MiB)} MiB`;
  if (bytes >= KiB) return `${trim(bytes / KiB)} KiB`;
  return `${bytes} bytes`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

export function createTimeoutError(timeoutMs: number, url?: string): FetchError {
  return new FetchError('timeout', `timed out after ${formatDuration(timeoutMs)}`, { url });
}

export function createTooLargeError(maxBytes: number, url?: string, contentLength?: number): FetchError {
  const detail = contentLength === undefined ? '' : ` (Content-Length ${contentLength})`;
  return new FetchError('too-large', `body exceeds ${formatBytes(maxBytes)}${detail}`, { url });
}

export function createHttpError(
  status: number,
  statusText: string | undefined,
  url: string,
  retryAfterMs?: number,
): FetchError {
  const text = statusText || STATUS_CODES[status] || 'Unknown Status';
  const retry = retryAfterMs === undefined ? '' : ` (retry after ${formatDuration(retryAfterMs)})`;
  return new FetchError('http-error', `HTTP ${status} ${text}${retry}`, { status, retryAfterMs, url });
}

export function createRedirectLoopError(chain: readonly string[]): FetchError {
  return new FetchError('redirect', `redirect loop: ${chain.join(' → ')}`, { url: chain[0] });
}

export function createTooManyRedirectsError(maxRedirects: number, url: string): FetchError {
  return new FetchError('redirect', `too many redirects (more than ${maxRedirects})`, { url });
}

export function createBlockedAddressError(host: string, address: string): FetchError {
  const via = host === address ? '' : ` (resolved from ${host})`;
  return new FetchError(
    'blocked-address',
    `refusing to connect to non-public address ${address}${via}`,
    { url: host },
  );
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);

/**
 * Turns whatever node:http / zlib / dns threw into a FetchError with a message an operator can act on
 * (the raw Node messages such as "connect ECONNREFUSED" or "aborted" are too terse for a feed-health page).
 */
export function toFetchError(err: unknown, url?: string): FetchError {
  if (err instanceof FetchError) return err;
  const e = (err ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  const code = typeof e.code === 'string' ? e.code : undefined;
  const raw = e instanceof Error ? e.message : String(err);
  const host = e.hostname ?? (url ? safeHostname(url) : undefined);
  const details = { url, cause: err };

  if (code === 'ECONNREFUSED') {
    const target = e.address ? `${e.address}${e.port ? `:${e.port}` : ''}` : (host ?? 'unknown host');
    return new FetchError('network', `connection refused: ECONNREFUSED ${target}`, details);
  }
  if (code && DNS_CODES.has(code)) {
    return new FetchError('network', `DNS lookup failed for ${host ?? 'unknown host'}`, details);
  }
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || raw === 'aborted') {
    return new FetchError('network', 'connection reset before the response was complete', details);
  }
  if (code === 'ETIMEDOUT') return new FetchError('network', `connection timed out: ${raw}`, details);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') {
    return new FetchError('network', `host unreachable: ${raw}`, details);
  }
  if (code?.startsWith('Z_') || code?.startsWith('ERR__')) {
    return new FetchError('network', `invalid compressed body: ${raw}`, details);
  }
  if (code?.startsWith('HPE_')) return new FetchError('network', `invalid HTTP response: ${raw}`, details);
  if (code && (code.includes('CERT') || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))) {
    return new FetchError('network', `TLS error: ${raw}`, details);
  }
  return new FetchError('network', raw || 'network error', details);
}

function safeHostname(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
