import type { Kysely } from 'kysely';
import type { ArticleInput } from '../model/article.js';
import { storeArticles, type StoryAssigner } from '../store/articles.js';
import { updateSourceState } from '../store/sources.js';
import type { Database, SourceRow } from '../store/types.js';
import { decodeFeedChunks } from './decode.js';
import { FetchError } from './fetch-errors.js';
import { fetchFeed, type FetchOptions } from './fetch.js';
import { createLimiter, type Limiter } from './limiter.js';
import { normalizeFeed } from './normalize.js';
import { ParseError } from './parse-errors.js';
import { parseFeed } from './parse.js';
import { computeNextPoll } from './schedule.js';

/** Outcome classes, shared by the CLI output, source health and metrics. */
export type PollOutcome = 'ok' | 'not-modified' | 'timeout' | 'http-error' | 'parse-error' | 'too-large' | 'network-error';

export interface PollReport {
  source: string;
  sourceId: number;
  outcome: PollOutcome;
  status: number | null;
  fetched: number;
  new: number;
  updated: number;
  unchanged: number;
  error: string | null;
  durationMs: number;
  newArticleIds: number[];
  /** Topics whose article lists this poll changed; absent when unknown (feed caches then look it up). */
  topicIds?: number[];
}

export interface IngestContext {
  db: Kysely<Database>;
  limiter?: Limiter;
  fetch: Omit<FetchOptions, 'etag' | 'lastModified' | 'limiter' | 'signal'>;
  stories?: StoryAssigner;
  /** Topics from categories/keywords, on top of the source's own topics. */
  matchTopics?: (article: ArticleInput) => readonly number[];
  /** Called after a feed's articles are committed; subscriptions and caches listen here. */
  onStored?: (report: PollReport) => void;
  /** Called with every poll's report, whatever happened (metrics, logs). */
  onReport?: (report: PollReport) => void;
  /** Sources added through the API or OPML may not reach private addresses unless this is set. */
  allowPrivateSources?: boolean;
  now?: () => number;
  signal?: AbortSignal;
}

/**
 * Polls one source: fetch → decode → parse → normalise → store, then records its health.
 * Never throws for anything the source did; the report says what happened.
 */
export async function pollSource(ctx: IngestContext, source: SourceRow): Promise<PollReport> {
  const clock = ctx.now ?? Date.now;
  const started = clock();
  const report: PollReport = {
    source: source.slug,
    sourceId: source.id,
    outcome: 'ok',
    status: null,
    fetched: 0,
    new: 0,
    updated: 0,
    unchanged: 0,
    error: null,
    durationMs: 0,
    newArticleIds: [],
  };
  let retryAfterMs: number | null = null;
  let publisherMinMinutes = source.publisher_min_minutes;
  let validators: { etag: string | null; last_modified: string | null } = { etag: source.etag, last_modified: source.last_modified };
  let feedTitle = source.feed_title;
  let siteUrl = source.site_url;
  // Polls past this point (fetching, or holding a fetched body until it is stored) are bounded
  // too: the store is slower than loopback or a fast CDN, and bodies would pile up in memory.
  const inFlight = slots(ctx.db, 'in-flight', IN_FLIGHT);
  await inFlight.run('', async () => {
    try {
      const response = await fetchFeed(source.url, {
        ...ctx.fetch,
        etag: source.etag,
        lastModified: source.last_modified,
        limiter: ctx.limiter,
        signal: ctx.signal,
        // Config files are written by the operator; anything added at run time could aim at the intranet.
        blockPrivateAddresses: source.origin !== 'config' && !ctx.allowPrivateSources,
      });
      report.status = response.status;
      if (response.maxAgeSeconds) publisherMinMinutes = Math.ceil(response.maxAgeSeconds / 60);
      if (response.kind === 'not-modified') {
        report.outcome = 'not-modified';
        validators = { etag: response.etag ?? source.etag, last_modified: response.lastModified ?? source.last_modified };
      } else {
        // Writes are serialised on the one connection: without these slots every fetched feed would be
        // parsed at once and wait for its turn with its whole tree in memory (hundreds of MB when
        // many sources are polled together). Only the raw bodies wait; a few feeds are parsed ahead.
        await slots(ctx.db, 'store', STORE_AHEAD).run('', async () => {
          const text = decodeFeedChunks(response.body, response.contentType);
          const feed = await parseFeed(text, { url: response.url, contentType: response.contentType });
          const fetchedAt = clock();
          const { articles } = normalizeFeed(feed, {
            feedUrl: response.url,
            feedBase: feed.base,
            timezone: source.timezone,
            fetchedAt: new Date(fetchedAt),
            sourceSlug: source.slug,
          });
          if (feed.ttlMinutes) publisherMinMinutes = Math.max(publisherMinMinutes ?? 0, feed.ttlMinutes);
          feedTitle = feed.title ?? feedTitle;
          siteUrl = source.origin === 'config' && source.site_url ? source.site_url : (feed.siteUrl ?? siteUrl);
          report.fetched = articles.length;
          const storing = storingByDb.get(ctx.db) ?? { count: 0 };
          storingByDb.set(ctx.db, storing);
          storing.count++;
          const stored = await storeArticles(ctx.db, {
            sourceId: source.id,
            articles,
            extraTopicIds: ctx.matchTopics,
            stories: ctx.stories,
            now: fetchedAt,
            // Polls still fetching or parsing: their feeds may join this one's transaction.
            moreComing: () => inFlight.activeCount > storing.count,
          }).finally(() => storing.count--);
          report.new = stored.inserted.length;
          report.updated = stored.updated.length;
          report.unchanged = stored.unchanged;
          report.newArticleIds = stored.inserted;
          report.topicIds = stored.topicIds;
        });
        // Only remember validators once the body is safely stored, or a crash would skip it forever.
        validators = { etag: response.etag, last_modified: response.lastModified };
      }
    } catch (error) {
      const classified = classifyError(error);
      report.outcome = classified.outcome;
      report.error = classified.message;
      report.status = classified.status ?? report.status;
      retryAfterMs = classified.retryAfterMs ?? null;
    }
  });
  const finished = clock();
  report.durationMs = finished - started;
  // A poll cut short by shutdown says nothing about the source: keep its health and schedule
  // as they were so it is polled again on the next start, without a back-off.
  if (report.error && ctx.signal?.aborted) return report;
  const failures = report.error ? source.consecutive_failures + 1 : 0;
  await updateSourceState(ctx.db, source.id, {
    ...validators,
    feed_title: feedTitle,
    site_url: siteUrl,
    last_fetched_at: finished,
    last_status: report.status,
    last_error: report.error,
    consecutive_failures: failures,
    publisher_min_minutes: publisherMinMinutes,
    next_poll_at: computeNextPoll({
      now: finished,
      intervalMinutes: source.interval_minutes,
      publisherMinMinutes,
      consecutiveFailures: failures,
      retryAfterMs,
    }),
  });
  if (report.new > 0 || report.updated > 0) ctx.onStored?.(report);
  ctx.onReport?.(report);
  return report;
}

/**
 * Feeds decoded, parsed or being stored at once per database (see pollSource). Feeds parsed
 * while a transaction is under way, or while storeArticles gathers a group, are written together
 * in the next one: this bounds a group too.
 */
const STORE_AHEAD = 3;
/** Per database: polls that handed their articles to storeArticles and wait for the commit. */
const storingByDb = new WeakMap<object, { count: number }>();
/** Polls between the start of their fetch and the end of their store, per database. */
const IN_FLIGHT = 16;
const slotsByDb = new WeakMap<object, Map<string, Limiter>>();

/** A per-database pool of `size` slots (the fetch limiter with a single host). */
function slots(db: object, name: string, size: number): Limiter {
  let byName = slotsByDb.get(db);
  if (!byName) slotsByDb.set(db, (byName = new Map()));
  let limiter = byName.get(name);
  if (!limiter) byName.set(name, (limiter = createLimiter({ global: size, perHost: size })));
  return limiter;
}

export function classifyError(error: unknown): { outcome: PollOutcome; message: string; status?: number; retryAfterMs?: number } {
  if (error instanceof FetchError) {
    const outcome: PollOutcome =
      error.kind === 'timeout' ? 'timeout' : error.kind === 'too-large' ? 'too-large' : error.kind === 'http-error' ? 'http-error' : 'network-error';
    return { outcome, message: error.message, status: error.status, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof ParseError) return { outcome: 'parse-error', message: error.message };
  // Anything else is our bug, but one source's bug must not stop the others.
  return { outcome: 'parse-error', message: `internal error: ${(error as Error)?.message ?? String(error)}` };
}
