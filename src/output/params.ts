/**
 * The generic query parameters every feed route takes (like RSSHub's): limit, q, since, collapse.
 * Unknown parameters are ignored and are not part of the cache key, so cache-busting
 * junk cannot fragment the cache.
 */
import { MAX_SEARCH_LENGTH, parseSearchQuery, SearchQueryError } from '../text/search-query.js';

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;
export const MAX_QUERY_CHARS = MAX_SEARCH_LENGTH;

export interface FeedParams {
  limit?: number;
  q?: string;
  /** Inclusive lower bound on the publication time, ms. */
  since?: number;
  collapse?: 'none' | 'story';
}

export class ParamError extends Error {
  override name = 'ParamError';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`bad parameter ${param}: ${message}`);
  }
}

/** Offset used for `since` values written without one: the sources are Vietnamese (+07:00, no DST). */
const LOCAL_OFFSET = '+07:00';
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * `since`: RFC 3339 / ISO 8601 date or date-time ("2026-11-28", "2026-11-28T08:00:00+07:00"),
 * local +07:00 when no offset is given, or Unix time in seconds ("1795000000").
 */
export function parseSince(raw: string): number {
  const value = raw.trim();
  let ms: number;
  if (/^\d{9,11}$/.test(value)) {
    ms = Number(value) * 1000;
  } else if (DATE_ONLY.test(value)) {
    ms = Date.parse(`${value}T00:00:00${LOCAL_OFFSET}`);
  } else {
    const m = DATE_TIME.exec(value);
    if (!m) throw new ParamError('since', 'expected an ISO 8601 date or date-time (2026-11-28, 2026-11-28T08:00:00+07:00) or Unix seconds');
    let offset = m[3] ?? LOCAL_OFFSET;
    if (/^[+-]\d{4}$/.test(offset)) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
    ms = Date.parse(`${m[1]}T${m[2]}${offset.toUpperCase()}`);
  }
  if (!Number.isFinite(ms)) throw new ParamError('since', 'not a valid date');
  return ms;
}

export function parseFeedParams(search: URLSearchParams, options: { requireQ?: boolean } = {}): FeedParams {
  const params: FeedParams = {};
  const one = (name: string): string | undefined => {
    const all = search.getAll(name);
    if (all.length > 1) throw new ParamError(name, 'given more than once');
    return all[0];
  };
  const limit = one('limit');
  if (limit !== undefined) {
    if (!/^\d{1,4}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT) {
      throw new ParamError('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
    }
    params.limit = Number(limit);
  }
  const q = one('q');
  if (q !== undefined) {
    const trimmed = q.normalize('NFC').trim().replace(/\s+/g, ' ');
    if (trimmed.length > MAX_QUERY_CHARS) throw new ParamError('q', `must be at most ${MAX_QUERY_CHARS} characters`);
    if (trimmed === '') {
      if (options.requireQ) throw new ParamError('q', 'must not be empty');
    } else {
      try {
        parseSearchQuery(trimmed);
      } catch (error) {
        if (error instanceof SearchQueryError) throw new ParamError('q', error.message.replace(/^the search /, ''));
        throw error;
      }
      params.q = trimmed;
    }
  } else if (options.requireQ) {
    throw new ParamError('q', 'is required for the search feed');
  }
  const since = one('since');
  if (since !== undefined) params.since = parseSince(since);
  const collapse = one('collapse');
  if (collapse !== undefined) {
    if (collapse !== 'story' && collapse !== 'none') throw new ParamError('collapse', 'must be "story" or "none"');
    params.collapse = collapse;
  }
  return params;
}

/** Canonical form for cache keys and feed ids: fixed order, only what was given. */
export function canonicalQuery(params: FeedParams): string {
  const search = new URLSearchParams();
  if (params.limit !== undefined) search.set('limit', String(params.limit));
  if (params.q !== undefined) search.set('q', params.q);
  if (params.since !== undefined) search.set('since', new Date(params.since).toISOString());
  if (params.collapse !== undefined) search.set('collapse', params.collapse);
  const s = search.toString();
  return s ? `?${s}` : '';
}
