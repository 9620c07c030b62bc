/**
 * HTTP for the re-published feeds: /feeds/… (RSS, Atom, JSON Feed, OPML) and the index at /.
 * One FeedOutput per App, created on first use and subscribed to app.onStored for invalidation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { App } from '../app.js';
import type { PollReport } from '../ingest/pipeline.js';
import { listSources, listTopics } from '../store/sources.js';
import { FeedCache, type CachedFeed, type FeedCacheOptions } from './cache.js';
import { readRequestUrl, requestBase, sendRepresentation, sendText, strongEtag } from './http-util.js';
import { renderIndex } from './index-page.js';
import { CONTENT_TYPES, type FeedFormat, type FeedModel } from './model.js';
import { renderOpml } from './opml.js';
import { canonicalQuery, ParamError, parseFeedParams } from './params.js';
import { renderAtom } from './render-atom.js';
import { renderJson } from './render-json.js';
import { renderRss } from './render-rss.js';
import { buildFeedModel, resolveFeed, type FeedRoute, type ResolvedFeed } from './select.js';

/** Bump when rendering changes, so ETags computed from the model change with it. */
const RENDER_VERSION = '1';

const SLUG = /^[a-z0-9][a-z0-9-]{0,63}$/;
const MAX_ALIASES = 10_000;
const RESOLVE_TTL_MS = 60_000;

function rawKey(req: IncomingMessage): string {
  return `${req.headers.host}\u0000${req.headers['x-forwarded-proto'] ?? ''}\u0000${req.url}`;
}

/** Feed readers nearly all send Accept-Encoding: gzip; a feed compresses ~8:1. */
function acceptsGzip(req: IncomingMessage): boolean {
  const header = req.headers['accept-encoding'];
  return header !== undefined && /(?:^|,)\s*(?:gzip|\*)\s*(?:,|;(?!\s*q\s*=\s*0(?:\.0*)?\s*(?:,|$))|$)/i.test(header);
}

/**
 * Sends a cached feed: identity or gzip (compressed once, on first demand, kept with the entry;
 * its ETag gets a "-gz" suffix since its bytes differ), 304 when either ETag matches.
 */
function sendFeed(req: IncomingMessage, res: ServerResponse, entry: CachedFeed): void {
  const gzip = acceptsGzip(req);
  if (gzip && !entry.gzip) entry.gzip = gzipSync(entry.body, { level: 6 });
  const gzipEtag = `${entry.etag.slice(0, -1)}-gz"`;
  sendRepresentation(
    req,
    res,
    {
      body: gzip ? entry.gzip! : entry.body,
      etag: gzip ? gzipEtag : entry.etag,
      lastModified: entry.lastModified,
      contentType: entry.contentType,
      cacheControl: entry.cacheControl,
      contentEncoding: gzip ? 'gzip' : undefined,
      vary: 'Accept-Encoding',
    },
    [entry.etag, gzipEtag],
  );
}
const FEED_PATH = /^\/feeds\/(?:(topics|sources)\/)?([^/]+)\.(rss|atom|json)$/;

export function renderFeed(model: FeedModel, format: FeedFormat): string {
  return format === 'rss' ? renderRss(model) : format === 'atom' ? renderAtom(model) : renderJson(model);
}

export class FeedOutput {
  readonly cache: FeedCache;
  private readonly inflight = new Map<string, Promise<CachedFeed | null>>();
  private readonly reader: { db: App['store']['db'] };
  private readonly resolved = new Map<string, { feed: ResolvedFeed; at: number }>();
  /** Raw request (host, proto, URL as sent) → cache key, for the hot path. */
  private readonly aliases = new Map<string, string>();
  /** Counts invalidations, so a build that raced with a poll is stored as stale. */
  private generation = 0;
  private readonly unsubscribe: (() => void)[];

  constructor(
    private readonly app: App,
    options: FeedCacheOptions = {},
  ) {
    this.cache = new FeedCache(options);
    this.reader = { db: app.store.reader ?? app.store.db };
    this.unsubscribe = [app.onStored((report) => this.onStored(report)), app.onChangesMissed(() => this.onChangesMissed())];
  }

  close(): void {
    for (const unsubscribe of this.unsubscribe) unsubscribe();
    this.reset();
  }

  /** Forgets every rendered feed and remembered route (after a config change, or for a benchmark). */
  reset(): void {
    this.cache.clear();
    this.resolved.clear();
    this.aliases.clear();
  }

  /**
   * Runs before any other request does, so the cache is consistent with the store at once. A
   * poll's report names the topics whose lists it changed (src/store/articles.ts); reports that
   * do not (retention's) are looked up, on SQLite, or invalidate every topic feed. Source-keyed
   * feeds are always precise.
   */
  onStored(report: Pick<PollReport, 'sourceId' | 'newArticleIds' | 'updated' | 'topicIds'>): void {
    this.generation++;
    this.cache.invalidate({ sourceId: report.sourceId, topicIds: report.topicIds ? new Set(report.topicIds) : this.lookUpTopics(report) });
  }

  /** Another instance's changes went unheard (src/app.ts): every feed is read again. */
  onChangesMissed(): void {
    this.generation++;
    this.cache.invalidate({ sourceId: 'all', topicIds: 'all' });
  }

  private lookUpTopics(report: Pick<PollReport, 'sourceId' | 'newArticleIds' | 'updated'>): Set<number> | 'all' {
    if (report.updated > 0) return 'all';
    try {
      const rows = this.app.store.sqlite
        .prepare('select distinct topic_id from article_topics where article_id in (select value from json_each(?)) union select topic_id from source_topics where source_id = ?')
        .all(JSON.stringify(report.newArticleIds), report.sourceId) as { topic_id: number }[];
      return new Set(rows.map((row) => row.topic_id));
    } catch {
      // Never fail the poll that told us; lose precision instead (and PostgreSQL has no handle to ask synchronously).
      return 'all';
    }
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    // Hot path: a request already seen, for a cached feed that is still fresh, is answered
    // without parsing the URL or the parameters again.
    if (req.method === 'GET' || req.method === 'HEAD') {
      const key = this.aliases.get(rawKey(req));
      if (key !== undefined) {
        const entry = this.cache.get(key);
        if (entry && !entry.stale && Date.now() - entry.checkedAt < entry.maxAgeSeconds * 1000) {
          this.cache.stats.hits++;
          sendFeed(req, res, entry);
          return;
        }
      }
    }
    this.dispatch(req, res).catch((error) => {
      if (!res.headersSent) sendText(res, 500, 'internal error');
      else res.destroy(error as Error);
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendText(res, 405, 'method not allowed', { allow: 'GET, HEAD' });
      return;
    }
    const base = requestBase(req);
    if (!base) {
      sendText(res, 400, 'bad Host header');
      return;
    }
    const url = readRequestUrl(req, res);
    if (!url) return;
    const path = url.pathname;
    if (path === '/') return this.index(req, res, base);
    if (path === '/feeds/sources.opml') return this.opml(req, res, base);
    const m = FEED_PATH.exec(path);
    if (!m) {
      sendText(res, 404, 'not found');
      return;
    }
    const [, kind, slug, ext] = m;
    const format = ext as FeedFormat;
    let route: FeedRoute;
    if (!SLUG.test(slug)) {
      sendText(res, 404, `not found: no feed "${slug.slice(0, 64)}"`);
      return;
    }
    if (kind === 'topics') route = { kind: 'topic', slug };
    else if (kind === 'sources') route = { kind: 'source', slug };
    else if (slug === 'search') route = { kind: 'search' };
    else route = { kind: 'curated', slug };

    let params;
    try {
      params = parseFeedParams(url.searchParams, { requireQ: route.kind === 'search' });
    } catch (error) {
      if (error instanceof ParamError) {
        sendText(res, 400, error.message);
        return;
      }
      throw error;
    }
    const key = `${format} ${base} ${route.kind}/${'slug' in route ? route.slug : ''}${canonicalQuery(params)}`;
    let entry = this.cache.get(key);
    const now = Date.now();
    if (entry && !entry.stale && now - entry.checkedAt < entry.maxAgeSeconds * 1000) {
      this.cache.stats.hits++;
    } else {
      this.cache.stats.misses++;
      let pending = this.inflight.get(key);
      if (!pending) {
        pending = this.build(key, route, params, format, base, entry).finally(() => this.inflight.delete(key));
        this.inflight.set(key, pending);
      }
      entry = (await pending) ?? undefined;
    }
    if (!entry) {
      const what = route.kind === 'topic' ? 'topic' : route.kind === 'source' ? 'source' : 'feed';
      sendText(res, 404, `not found: no ${what} "${'slug' in route ? route.slug : ''}"`);
      return;
    }
    if (this.aliases.size >= MAX_ALIASES) this.aliases.clear();
    this.aliases.set(rawKey(req), key);
    sendFeed(req, res, entry);
  }

  private async build(
    key: string,
    route: FeedRoute,
    params: ReturnType<typeof parseFeedParams>,
    format: FeedFormat,
    base: string,
    previous: CachedFeed | undefined,
  ): Promise<CachedFeed | null> {
    const generation = this.generation;
    const ctx = { db: this.reader.db, config: this.app.config };
    const feed = await this.resolve(route);
    if (!feed) return null;
    const model = await buildFeedModel(ctx, feed, params, base);
    // The model fully determines the bytes, so its hash is a strong validator computed without rendering.
    const etag = strongEtag(RENDER_VERSION, format, JSON.stringify(model));
    const stale = generation !== this.generation;
    let entry: CachedFeed;
    if (previous && previous.etag === etag) {
      this.cache.stats.revalidated++;
      entry = { ...previous, stale, checkedAt: Date.now(), deps: feed.deps, maxAgeSeconds: feed.ttlMinutes * 60, cacheControl: `public, max-age=${feed.ttlMinutes * 60}` };
    } else {
      this.cache.stats.rendered++;
      entry = {
        body: Buffer.from(renderFeed(model, format), 'utf8'),
        etag,
        lastModified: model.lastModified !== null ? new Date(model.lastModified).toUTCString() : null,
        contentType: CONTENT_TYPES[format],
        maxAgeSeconds: feed.ttlMinutes * 60,
        cacheControl: `public, max-age=${feed.ttlMinutes * 60}`,
        deps: feed.deps,
        checkedAt: Date.now(),
        stale,
      };
    }
    this.cache.set(key, entry);
    return entry;
  }

  /**
   * Route → selection, remembered for a minute: the topic/source lookups and the poll-interval
   * query do not depend on articles. Unknown slugs are not remembered (a source may be added).
   */
  private async resolve(route: FeedRoute): Promise<ResolvedFeed | null> {
    const key = `${route.kind}/${'slug' in route ? route.slug : ''}`;
    const hit = this.resolved.get(key);
    if (hit && Date.now() - hit.at < RESOLVE_TTL_MS) return hit.feed;
    const feed = await resolveFeed({ db: this.reader.db, config: this.app.config }, route);
    if (feed) {
      if (this.resolved.size >= 5000) this.resolved.clear();
      this.resolved.set(key, { feed, at: Date.now() });
    } else {
      this.resolved.delete(key);
    }
    return feed;
  }

  private async index(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const db = this.reader.db;
    const [topics, sources] = await Promise.all([listTopics(db), listSources(db)]);
    const html = renderIndex(base, {
      curated: this.app.config.feeds.map((f) => ({ path: f.slug, title: f.title, description: f.description || undefined })),
      topics: topics.map((t) => ({ path: `topics/${t.slug}`, title: t.name })),
      sources: sources.map((s) => ({ path: `sources/${s.slug}`, title: s.name })),
    });
    const body = Buffer.from(html, 'utf8');
    sendRepresentation(req, res, {
      body,
      etag: strongEtag(body),
      lastModified: null,
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
  }

  private async opml(req: IncomingMessage, res: ServerResponse, base: string): Promise<void> {
    const db = this.reader.db;
    const [topics, sources] = await Promise.all([listTopics(db), listSources(db)]);
    const links = await db.selectFrom('source_topics').select(['source_id', 'topic_id']).execute();
    const topicById = new Map(topics.map((t) => [t.id, t]));
    const created = sources.reduce((max, s) => Math.max(max, s.created_at), 0);
    const body = Buffer.from(
      renderOpml(
        `newsgate — ${base.replace(/^https?:\/\//, '')}`,
        sources.map((s) => ({
          name: s.name,
          url: s.url,
          siteUrl: s.site_url,
          topics: links
            .filter((l) => l.source_id === s.id)
            .map((l) => topicById.get(l.topic_id))
            .filter((t) => t !== undefined)
            .map((t) => ({ slug: t.slug, name: t.name })),
        })),
        new Date(created),
      ),
      'utf8',
    );
    sendRepresentation(req, res, {
      body,
      etag: strongEtag(body),
      lastModified: null,
      contentType: 'text/x-opml; charset=utf-8',
      cacheControl: 'public, max-age=300',
    });
  }
}

const outputs = new WeakMap<App, FeedOutput>();

/** The app's feed output, created on first use. */
export function feedOutput(app: App): FeedOutput {
  let output = outputs.get(app);
  if (!output) {
    output = new FeedOutput(app);
    outputs.set(app, output);
  }
  return output;
}

/** Entry point for app.ts: serves `/` and `/feeds/…`. */
export function handleOutput(app: App, req: IncomingMessage, res: ServerResponse): void {
  feedOutput(app).handle(req, res);
}
