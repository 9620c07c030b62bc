import type { Keyset, Page, PageWindow } from '../store/article-queries.js';
import { builder } from './builder.js';
import { badInput } from './errors.js';

/**
 * Relay connections over keyset pages. Cursors are opaque to clients: base64url of a kind tag
 * and the row's (time, id) key, so a page is "rows after this key", disjoint from the previous
 * one and stable while new rows arrive at the top.
 */

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `a` articles (published_at, id), `s` stories (last_seen_at, id), `r` search results (rank, published_at, id). */
export type CursorKind = 'a' | 's' | 'r';

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export function encodeCursor(kind: CursorKind, key: Keyset): string {
  // The rank is the search's relevance tier (a small integer).
  const text = kind === 'r' ? `r1:${key.rank ?? 0}:${key.time}:${key.id}` : `${kind}1:${key.time}:${key.id}`;
  return Buffer.from(text, 'utf8').toString('base64url');
}

const RANKED = /^r1:(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?):(-?\d{1,16}):(\d{1,16})$/;

export function decodeCursor(kind: CursorKind, cursor: string, argument: string): Keyset {
  const text = /^[A-Za-z0-9_-]{1,128}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (kind === 'r') {
    const ranked = RANKED.exec(text);
    if (ranked && Number.isFinite(Number(ranked[1]))) return { rank: Number(ranked[1]), time: Number(ranked[2]), id: Number(ranked[3]) };
  }
  const match = /^([a-z])1:(-?\d{1,16}):(\d{1,16})$/.exec(text);
  if (!match || match[1] !== kind) {
    throw badInput(`Invalid cursor for "${argument}": pass a cursor returned by this connection.`, { argument });
  }
  return { time: Number(match[2]), id: Number(match[3]) };
}

function pageSize(value: number | null | undefined, argument: string): number | null {
  if (value === null || value === undefined) return null;
  if (value < 0) throw badInput(`"${argument}" must not be negative.`, { argument });
  if (value > MAX_PAGE_SIZE) throw badInput(`"${argument}" must be at most ${MAX_PAGE_SIZE}, got ${value}.`, { argument, max: MAX_PAGE_SIZE });
  return value;
}

/** Validates first/after/last/before into a window; `first` defaults to 20. */
export function readWindow(kind: CursorKind, args: ConnectionArgs): PageWindow {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  if (first !== null && last !== null) throw badInput('Pass either "first" or "last", not both.', { argument: 'last' });
  const after = args.after ? decodeCursor(kind, args.after, 'after') : null;
  const before = args.before ? decodeCursor(kind, args.before, 'before') : null;
  if (last !== null) return { limit: last, after, before, backward: true };
  return { limit: first ?? DEFAULT_PAGE_SIZE, after, before, backward: false };
}

/** The page size a query asks for, as a complexity multiplier (over-limit values fail later, in the resolver). */
export function requestedPageSize(args: ConnectionArgs): number {
  const size = args.first ?? args.last ?? DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(size, 1), MAX_PAGE_SIZE);
}

/**
 * What a full-text search adds to a connection's cost: it walks the searched words' posting
 * lists rather than a short index range, so one query holds at most about 190 of them. (A
 * search nested under a list, e.g. `sources { articles(filter: { search }) }`, runs once for
 * all parents, but is priced per parent like any nested field.)
 */
export const SEARCH_COMPLEXITY = 100;

/** Complexity of a connection field: a little for the field (more for a search), its selection times the page size. */
export const connectionComplexity = (args: ConnectionArgs & { filter?: { search?: string | null } | null }) => ({
  field: 2 + (args.filter?.search ? SEARCH_COMPLEXITY : 0),
  multiplier: requestedPageSize(args),
});

export interface ConnectionSource {
  /** Whether a row exists on the far side of a key: `newer` for hasPreviousPage after `after`, else older. */
  existsBeyond(key: Keyset, side: 'newer' | 'older'): Promise<boolean>;
  totalCount(): Promise<number>;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

/**
 * Builds the connection for a page. hasNextPage/hasPreviousPage in the direction read come
 * free with the page (it reads one row extra); the other direction and totalCount cost a
 * query each, so they are getters run only when a client selects them.
 */
export function toConnection<T>(kind: CursorKind, page: Page<T>, window: PageWindow, keyOf: (row: T) => Keyset, source: ConnectionSource): Connection<T> {
  const edges = page.rows.map((row) => ({ cursor: encodeCursor(kind, keyOf(row)), node: row }));
  const lazy = (compute: () => Promise<boolean>) => {
    let result: Promise<boolean> | undefined;
    return () => (result ??= compute());
  };
  const behind = window.backward
    ? lazy(async () => (window.before ? source.existsBeyond(window.before, 'older') : false))
    : lazy(async () => (window.after ? source.existsBeyond(window.after, 'newer') : false));
  let count: Promise<number> | undefined;
  const pageInfo = {
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges.at(-1)?.cursor ?? null,
    get hasNextPage() {
      return (window.backward ? behind() : page.hasMore) as boolean;
    },
    get hasPreviousPage() {
      return (window.backward ? page.hasMore : behind()) as boolean;
    },
  };
  return { edges, pageInfo, totalCount: () => (count ??= source.totalCount()) };
}

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many rows match, ignoring pagination. Counted only when selected: on large filters it costs milliseconds.',
    complexity: 5,
    resolve: (connection) => connection.totalCount(),
  }),
);
