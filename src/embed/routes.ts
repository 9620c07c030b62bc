/**
 * HTTP for the embeddable widget:
 *   /embed/topics/{slug}, /embed/sources/{slug}, /embed/{curated-slug}   the iframe page (HTML)
 *   the same paths + ".json"                                             its data, for /embed.js (CORS)
 *   /embed.js                                                            the script that renders it inline
 * Query parameters: limit (1–50, default 10), theme (light|dark|auto), lang (vi|en), collapse (story|none).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { App } from '../app.js';
import { readRequestUrl, sendRepresentation, sendText, strongEtag } from '../output/http-util.js';
import { LOADER_JS } from './client.js';
import { listEmbedItems, resolveEmbed, widgetConfig, type EmbedRoute } from './data.js';
import { renderPage, PAGE_SCRIPT_HASH, PAGE_STYLE_HASH } from './page.js';
import { dataQuery, ParamError, parseEmbedParams } from './params.js';
import { frameAncestors, pageCsp } from './policy.js';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const EMBED_PATH = /^\/embed\/(?:(topics|sources)\/)?([^/]+?)(\.json)?$/;
/** Widgets are read at page load; new items arrive live, so a minute of caching costs nothing. */
const CACHE_CONTROL = 'public, max-age=60';
const SCRIPT_CACHE_CONTROL = 'public, max-age=3600';
const LOADER_BODY = Buffer.from(LOADER_JS, 'utf8');
const LOADER_ETAG = strongEtag(LOADER_BODY);

function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  return typeof header === 'string' && /(?:^|,)\s*gzip\s*(?:,|$|;(?!\s*q\s*=\s*0(?:\.0*)?\s*(?:,|$)))/i.test(header);
}

/** Same answer as the GraphQL endpoint's CORS (settings.corsOrigins; unset or "*": any origin, no credentials). */
function corsHeaders(app: App, req: IncomingMessage): Record<string, string> {
  const list = (app.settings.corsOrigins ?? []).map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
  if (list.length === 0 || list.includes('*')) return { 'access-control-allow-origin': '*' };
  const origin = req.headers.origin;
  return origin && list.includes(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : { vary: 'Origin' };
}

function send(req: IncomingMessage, res: ServerResponse, body: Buffer, contentType: string, cacheControl: string, extra: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(extra)) res.setHeader(name, value);
  const etag = strongEtag(body);
  const gzip = body.length > 1024 && acceptsGzip(req);
  sendRepresentation(req, res, {
    body: gzip ? gzipSync(body) : body,
    etag: gzip ? `${etag.slice(0, -1)}-gz"` : etag,
    lastModified: null,
    contentType,
    cacheControl,
    contentEncoding: gzip ? 'gzip' : undefined,
    vary: extra.vary ? `${extra.vary}, Accept-Encoding` : 'Accept-Encoding',
  });
}

export function handleEmbed(app: App, req: IncomingMessage, res: ServerResponse): void {
  serve(app, req, res).catch((error: unknown) => {
    app.ops.http.loggerFor(req).error({ err: error }, 'embed request failed');
    if (!res.headersSent) sendText(res, 500, 'internal error');
    else res.destroy(error as Error);
  });
}

async function serve(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
    return;
  }
  const url = readRequestUrl(req, res);
  if (!url) return;
  if (url.pathname === '/embed.js') {
    res.setHeader('access-control-allow-origin', '*');
    sendRepresentation(req, res, {
      body: LOADER_BODY,
      etag: LOADER_ETAG,
      lastModified: null,
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: SCRIPT_CACHE_CONTROL,
    });
    return;
  }
  const m = EMBED_PATH.exec(url.pathname);
  if (!m || !SLUG.test(m[2])) {
    sendText(res, 404, 'not found');
    return;
  }
  const [, kind, slug, json] = m;
  const route: EmbedRoute = kind === 'topics' ? { kind: 'topic', slug } : kind === 'sources' ? { kind: 'source', slug } : { kind: 'curated', slug };
  let params;
  try {
    params = parseEmbedParams(url.searchParams);
  } catch (error) {
    if (error instanceof ParamError) {
      sendText(res, 400, error.message);
      return;
    }
    throw error;
  }
  const db = app.store.db;
  const selection = await resolveEmbed(db, app.config, route);
  if (!selection) {
    const what = route.kind === 'topic' ? 'topic' : route.kind === 'source' ? 'source' : 'feed';
    sendText(res, 404, `not found: no ${what} "${slug}"`);
    return;
  }
  const collapse = (params.collapse ?? selection.feed.collapse) === 'story';
  const items = await listEmbedItems(db, selection.feed, { limit: params.limit, collapse });
  const config = widgetConfig(selection, { limit: params.limit, collapse, lang: params.lang });
  const now = Date.now();
  if (json) {
    const body = Buffer.from(JSON.stringify({ title: selection.title, at: now, config, items }), 'utf8');
    send(req, res, body, 'application/json; charset=utf-8', CACHE_CONTROL, corsHeaders(app, req));
    return;
  }
  // Relative to the page, so the widget keeps working behind a proxy that mounts us under a path.
  const up = route.kind === 'curated' ? '../' : '../../';
  const html = renderPage({
    title: selection.title,
    items,
    theme: params.theme,
    config: { ...config, gql: `${up}graphql`, data: `./${slug}.json?${dataQuery(params)}`, at: now },
    now,
  });
  send(req, res, Buffer.from(html, 'utf8'), 'text/html; charset=utf-8', CACHE_CONTROL, {
    'content-security-policy': pageCsp(PAGE_SCRIPT_HASH, PAGE_STYLE_HASH, frameAncestors(app.settings.embedOrigins)),
    'referrer-policy': 'strict-origin-when-cross-origin',
  });
}
