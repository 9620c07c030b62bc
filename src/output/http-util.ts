import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Representation {
  body: Buffer;
  etag: string;
  lastModified: string | null;
  contentType: string;
  cacheControl: string;
  contentEncoding?: string;
  vary?: string;
}

export function strongEtag(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha1');
  for (const part of parts) hash.update(part).update('\0');
  return `"${hash.digest('base64url')}"`;
}

/** RFC 9110 §13.1.2: If-None-Match uses weak comparison; "*" matches any current representation. */
function etagMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === opaque);
}

/**
 * Answers 304 when the client's validators match (If-None-Match first; If-Modified-Since only
 * without it, at one-second precision), else 200; HEAD gets the headers without the body.
 */
export function sendRepresentation(req: IncomingMessage, res: ServerResponse, rep: Representation, matching: readonly string[] = [rep.etag]): void {
  const headers: Record<string, string | number> = {
    etag: rep.etag,
    'cache-control': rep.cacheControl,
    'x-content-type-options': 'nosniff',
  };
  if (rep.lastModified) headers['last-modified'] = rep.lastModified;
  if (rep.vary) headers.vary = rep.vary;
  const inm = req.headers['if-none-match'];
  const ims = req.headers['if-modified-since'];
  let notModified = false;
  if (inm !== undefined) {
    notModified = matching.some((etag) => etagMatches(inm, etag));
  } else if (ims !== undefined && rep.lastModified) {
    const since = Date.parse(ims);
    notModified = Number.isFinite(since) && Math.floor(Date.parse(rep.lastModified) / 1000) <= Math.floor(since / 1000);
  }
  if (notModified) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  headers['content-type'] = rep.contentType;
  if (rep.contentEncoding) headers['content-encoding'] = rep.contentEncoding;
  headers['content-length'] = rep.body.length;
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else res.end(rep.body);
}

export function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(text.endsWith('\n') ? text : `${text}\n`);
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...extra,
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The scheme and host clients used to reach us, for self links: the Host header (validated)
 * and X-Forwarded-Proto when a TLS-terminating proxy sets it. X-Forwarded-Host is not trusted.
 */
export function requestBase(req: IncomingMessage): string | null {
  let host = req.headers.host;
  if (host === undefined) {
    // HTTP/1.0 may omit Host: name the address the request came in on.
    const { localAddress, localPort } = req.socket;
    if (!localAddress) return null;
    host = `${localAddress.includes(':') ? `[${localAddress}]` : localAddress}:${localPort}`;
  }
  if (!HOST.test(host)) return null;
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0].trim().toLowerCase();
  const tls = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : tls ? 'https' : 'http';
  return `${proto}://${host.toLowerCase()}`;
}

/** The request's URL, or null after answering 400 when it cannot be parsed. */
export function readRequestUrl(req: IncomingMessage, res: ServerResponse): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    sendText(res, 400, 'bad request URL');
    return null;
  }
}
