import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { SearchQuery } from '../text/search-query.js';
import { dialectOf, type Dialect } from './dialect.js';
import { matchCondition, relevanceTiers, searchCondition, searchIdColumn, searchKey, searchKeyBefore, searchKeyFrom, toMatchExpression, tsRelevanceTiers } from './search.js';
import { findSourcesByIds } from './sources.js';
import type { ArticleRow, Database, SourceRow, TopicRow } from './types.js';

/**
 * Read queries behind the GraphQL API's article lists. Pages are keyset-paginated on
 * (published_at, id), newest first, and topic/source filters walk the article_topics /
 * article_sources link tables through their (x_id, published_at, article_id) indexes, so a
 * page costs a short index range scan however deep it is.
 */

/** One AND-ed filter group: the article must be linked to at least one of `ids`. */
export interface LinkGroup {
  kind: 'topic' | 'source';
  ids: readonly number[];
  /** Estimated rows behind the group (topic article_count, source item_count): the smallest group drives the scan. */
  weight?: number;
}

export interface ArticleFilterSpec {
  links: readonly LinkGroup[];
  /** Inclusive lower bound on published_at (ms). */
  since: number | null;
  /** Exclusive upper bound on published_at (ms). */
  until: number | null;
  /** Full-text search (parsed by src/text/search-query.ts). */
  search: SearchQuery | null;
  /** Set when the filter is known to match nothing (e.g. only unknown slugs): no query runs. */
  empty?: boolean;
}

export const noFilter: ArticleFilterSpec = { links: [], since: null, until: null, search: null };

/** A position in a list ordered by (time, id): `time` is published_at for articles, last_seen_at for stories. */
export interface Keyset {
  time: number;
  id: number;
  /** Search relevance tier (0 best: title phrase, title, anywhere) when the list is ordered by relevance. */
  rank?: number;
}

/**
 * Which slice of the list to read. The list order is newest first; `after` keeps only rows
 * older than the key, `before` only rows newer. `backward` reads the `limit` rows closest to
 * `before` (Relay's last/before) instead of those closest to `after`.
 */
export interface PageWindow {
  limit: number;
  after?: Keyset | null;
  before?: Keyset | null;
  backward?: boolean;
}

export interface Page<T> {
  /** In list order (newest first) whatever the direction. */
  rows: T[];
  /** More rows exist past the end of the page in the direction read. */
  hasMore: boolean;
}

type AnyEb = ExpressionBuilder<any, any>;

/**
 * What lists of articles read: every column the API shows except the HTML body, which can be
 * tens of kilobytes per article and is fetched separately (findArticleBodies) when asked for.
 */
export const ARTICLE_LIST_COLUMNS = ['id', 'link', 'title', 'summary', 'author', 'image_url', 'published_at', 'fetched_at', 'source_id', 'story_id', 'original_outlet'] as const;
export type ArticleListRow = Pick<ArticleRow, (typeof ARTICLE_LIST_COLUMNS)[number]>;

/** The list columns of the `articles` row under `alias`, for select(). */
export function articleListColumns<A extends string>(alias: A) {
  return ARTICLE_LIST_COLUMNS.map((column) => `${alias}.${column}` as const);
}
type Cond = Expression<SqlBool>;

const LINKS = {
  topic: { table: 'article_topics', column: 'topic_id' },
  source: { table: 'article_sources', column: 'source_id' },
} as const;

// ---------------------------------------------------------------------------------------------
// Condition builders, shared by the page, count and subscription queries.

/** since/until on a published_at column. */
function rangeConditions(eb: AnyEb, column: string, spec: Pick<ArticleFilterSpec, 'since' | 'until'>): Cond[] {
  const conds: Cond[] = [];
  if (spec.since !== null) conds.push(eb(column, '>=', spec.since));
  if (spec.until !== null) conds.push(eb(column, '<', spec.until));
  return conds;
}

/**
 * Keyset bounds on (time, id). Written as `time <= t AND (time < t OR id < i)` rather than a
 * row-value comparison: portable, and the leading `time <= t` gives the planner an index range.
 */
export function keysetConditions(eb: AnyEb, timeColumn: string, idColumn: string, window: PageWindow): Cond[] {
  const conds: Cond[] = [];
  const { after, before } = window;
  if (after) {
    conds.push(eb(timeColumn, '<=', after.time), eb.or([eb(timeColumn, '<', after.time), eb(idColumn, '<', after.id)]));
  }
  if (before) {
    conds.push(eb(timeColumn, '>=', before.time), eb.or([eb(timeColumn, '>', before.time), eb(idColumn, '>', before.id)]));
  }
  return conds;
}

/** The article whose id is `articleIdRef` is linked to one of the group's topics/sources. */
function linkExists(eb: AnyEb, group: LinkGroup, articleIdRef: string, alias: string): Cond {
  const { table, column } = LINKS[group.kind];
  return eb.exists(
    eb
      .selectFrom(`${table} as ${alias}`)
      .select(sql.lit(1).as('one'))
      .whereRef(`${alias}.article_id`, '=', articleIdRef)
      .where(`${alias}.${column}`, 'in', [...group.ids]),
  );
}

/** Every condition of the filter, for an `articles` row under `alias`. */
export function articleConditions(dialect: Dialect, eb: AnyEb, spec: ArticleFilterSpec, alias: string): Cond[] {
  return [
    ...rangeConditions(eb, `${alias}.published_at`, spec),
    ...spec.links.map((group, i) => linkExists(eb, group, `${alias}.id`, `${alias}_l${i}`)),
    ...(spec.search ? [searchCondition(dialect, eb, spec.search, `${alias}.id`)] : []),
  ];
}

export function isEmpty(spec: ArticleFilterSpec): boolean {
  return Boolean(spec.empty) || spec.links.some((g) => g.ids.length === 0) || (spec.since !== null && spec.until !== null && spec.since >= spec.until);
}

/** The group to scan: the one with the fewest rows behind it (unknown weight counts as large). */
function pickDriver(links: readonly LinkGroup[]): number {
  let best = -1;
  let bestWeight = Infinity;
  links.forEach((group, i) => {
    const weight = group.weight ?? Number.MAX_SAFE_INTEGER;
    if (best === -1 || weight < bestWeight) {
      best = i;
      bestWeight = weight;
    }
  });
  return best;
}

/**
 * One index range scan over a link table for one topic/source id: the rows of `window`,
 * with the other filter groups and the search checked per row.
 */
function linkArm(db: Kysely<Database>, kind: LinkGroup['kind'], id: number, spec: ArticleFilterSpec, others: readonly LinkGroup[], window: PageWindow) {
  const { table, column } = LINKS[kind];
  const dir = window.backward ? 'asc' : 'desc';
  const k = db as unknown as Kysely<any>;
  return k
    .selectFrom(`${table} as l`)
    .select([`l.${column} as grp`, 'l.article_id as id', 'l.published_at as published_at'])
    .where((eb) =>
      eb.and([
        eb(`l.${column}`, '=', id),
        ...rangeConditions(eb, 'l.published_at', spec),
        ...keysetConditions(eb, 'l.published_at', 'l.article_id', window),
        ...others.map((group, i) => linkExists(eb, group, 'l.article_id', `lx${i}`)),
        ...(spec.search ? [searchCondition(dialectOf(db), eb, spec.search, 'l.article_id')] : []),
      ]),
    )
    .orderBy('l.published_at', dir)
    .orderBy('l.article_id', dir)
    .limit(window.limit + 1);
}

function finishPage<T>(rows: T[], window: PageWindow): Page<T> {
  const hasMore = rows.length > window.limit;
  const page = hasMore ? rows.slice(0, window.limit) : rows;
  if (window.backward) page.reverse();
  return { rows: page, hasMore };
}

// ---------------------------------------------------------------------------------------------
// Pages

/** Which article columns a list reads: every one, or the list columns (no HTML body). */
export interface ArticleColumns {
  columns?: 'all' | 'list';
}

/** One page of articles matching the filter, newest first, every column. */
export function listArticlePage(db: Kysely<Database>, spec: ArticleFilterSpec, window: PageWindow): Promise<Page<ArticleRow>> {
  return articlePage(db, spec, window, {}) as Promise<Page<ArticleRow>>;
}

/** The same page with the list columns only (no HTML body): what the API reads. */
export function listArticleSummaryPage(db: Kysely<Database>, spec: ArticleFilterSpec, window: PageWindow): Promise<Page<ArticleListRow>> {
  return articlePage(db, spec, window, { columns: 'list' });
}

async function articlePage(db: Kysely<Database>, spec: ArticleFilterSpec, window: PageWindow, options: ArticleColumns): Promise<Page<ArticleListRow>> {
  if (isEmpty(spec) || window.limit <= 0) return { rows: [], hasMore: false };
  if (spec.search) return listArticleSearchPage(db, spec, window, 'recency', options);
  const dir = window.backward ? 'asc' : 'desc';
  const k = db as unknown as Kysely<any>;
  // The list columns, or every column of `a` (select('a.*') would quote the star).
  const pick = <Q extends { select: (c: any) => Q; selectAll: (t: 'a') => Q }>(query: Q): Q =>
    options.columns === 'list' ? query.select(articleListColumns('a')) : query.selectAll('a');
  const driverIndex = pickDriver(spec.links);
  if (driverIndex === -1) {
    const rows = await pick(k.selectFrom('articles as a'))
      .where((eb) => eb.and([...articleConditions(dialectOf(db), eb, spec, 'a'), ...keysetConditions(eb, 'a.published_at', 'a.id', window)]))
      .orderBy('a.published_at', dir)
      .orderBy('a.id', dir)
      .limit(window.limit + 1)
      .execute();
    return finishPage(rows as ArticleListRow[], window);
  }
  const driver = spec.links[driverIndex];
  const others = spec.links.filter((_, i) => i !== driverIndex);
  const ids = [...new Set(driver.ids)];
  if (ids.length === 1) {
    // The common case, one topic or source: a single range scan of its link index.
    const { table, column } = LINKS[driver.kind];
    const rows = await pick(k.selectFrom(`${table} as l`).innerJoin('articles as a', 'a.id', 'l.article_id'))
      .where((eb) =>
        eb.and([
          eb(`l.${column}`, '=', ids[0]),
          ...rangeConditions(eb, 'l.published_at', spec),
          ...keysetConditions(eb, 'l.published_at', 'l.article_id', window),
          ...others.map((group, i) => linkExists(eb, group, 'l.article_id', `lx${i}`)),
          ...(spec.search ? [searchCondition(dialectOf(db), eb, spec.search, 'l.article_id')] : []),
        ]),
      )
      .orderBy('l.published_at', dir)
      .orderBy('l.article_id', dir)
      .limit(window.limit + 1)
      .execute();
    return finishPage(rows as ArticleListRow[], window);
  }
  // One range scan per id of the driving group; UNION drops an article reached through two of them.
  const arms = ids.map((id, i) => k.selectFrom(linkArm(db, driver.kind, id, spec, others, window).as(`u${i}`)).select(['id', 'published_at']));
  let union = arms[0];
  for (const arm of arms.slice(1)) union = union.union(arm);
  const rows = await pick(k.selectFrom(union.as('u')).innerJoin('articles as a', 'a.id', 'u.id'))
    .orderBy('u.published_at', dir)
    .orderBy('u.id', dir)
    .limit(window.limit + 1)
    .execute();
  return finishPage(rows as ArticleListRow[], window);
}

/**
 * Pages of a full-text search, read from the search index alone: it carries published_at, so
 * the date range, the order and the keyset are checked there, topic/source groups through
 * their link tables' primary keys, and only the page's rows are looked up in `articles`. A
 * search costs what its matches cost, however rare or common they are.
 *
 * - `relevance`: rank first (the tier: title phrase, title, anywhere; lower is better), then newest first; keys carry the rank.
 * - `recency`: newest first, like every other list (one tier).
 *
 * A row's tier depends only on its own text, so relevance pages stay disjoint and stable while
 * new articles arrive, like every other keyset page.
 */
export type SearchOrder = 'relevance' | 'recency';

export type RankedArticleRow = ArticleListRow & { rank?: number };

const FTS = 'article_search';
const FTS_TIME = `${FTS}.published_at`;
const FTS_ID = `${FTS}.rowid`;

/** The matches of the filter's search that pass its date range and topic/source groups. */
function searchMatches(db: Kysely<Database>, spec: ArticleFilterSpec & { search: SearchQuery }, extra: (eb: AnyEb) => Cond[] = () => []) {
  return (db as unknown as Kysely<any>).selectFrom(FTS).where((eb) =>
    eb.and([
      matchCondition(dialectOf(db), spec.search),
      ...rangeConditions(eb, FTS_TIME, spec),
      ...spec.links.map((group, i) => linkExists(eb, group, searchIdColumn(dialectOf(db)), `s_l${i}`)),
      ...extra(eb),
    ]),
  );
}

export async function listArticleSearchPage(
  db: Kysely<Database>,
  spec: ArticleFilterSpec,
  window: PageWindow,
  order: SearchOrder,
  options: ArticleColumns = {},
): Promise<Page<RankedArticleRow>> {
  const search = spec.search;
  if (!search || isEmpty(spec) || window.limit <= 0) return { rows: [], hasMore: false };
  if (dialectOf(db) === 'sqlite') return listFtsSearchPage(db, { ...spec, search }, window, order, options);
  if (order === 'relevance') return listTsTieredPage(db, { ...spec, search }, window, options);
  const newestFirst = window.backward ? 'asc' : 'desc';
  const hits = searchMatches(db, { ...spec, search }, (eb) => keysetConditions(eb, FTS_TIME, FTS_ID, window))
    .select([sql<number>`${sql.ref(FTS_ID)}`.as('id'), sql<number>`${sql.ref(FTS_TIME)}`.as('published_at')])
    .orderBy('published_at', newestFirst)
    .orderBy('id', newestFirst)
    .limit(window.limit + 1);
  const k = db as unknown as Kysely<any>;
  let query = k.selectFrom(hits.as('m')).innerJoin('articles as a', 'a.id', 'm.id');
  query = options.columns === 'list' ? query.select(articleListColumns('a')) : query.selectAll('a');
  const rows = (await query.orderBy('m.published_at', newestFirst).orderBy('m.id', newestFirst).execute()) as RankedArticleRow[];
  return finishPage(rows, window);
}

/**
 * PostgreSQL relevance: the SQLite tiers (search.ts tsRelevanceTiers) in turn, each read newest
 * first on (published_at, rowid) and stopped after the rows the page needs; a row's rank is its
 * tier, so cursors work as on SQLite. (Within a tier the order is exact to the millisecond where
 * SQLite's time-keyed index orders by whole seconds, then id.)
 */
async function listTsTieredPage(db: Kysely<Database>, spec: ArticleFilterSpec & { search: SearchQuery }, window: PageWindow, options: ArticleColumns): Promise<Page<RankedArticleRow>> {
  const k = db as unknown as Kysely<any>;
  const expressions = tsRelevanceTiers(spec.search);
  const dir = window.backward ? 'asc' : 'desc';
  const hits = await readTiers(expressions.length, window, true, async (tier, need, from, to) => {
    const rows = await k
      .selectFrom(FTS)
      .select(`${FTS_ID} as id`)
      .where((eb) =>
        eb.and([
          sql<SqlBool>`article_search.doc @@ ${expressions[tier]}::tsquery`,
          ...rangeConditions(eb, FTS_TIME, spec),
          ...spec.links.map((group, i) => linkExists(eb, group, FTS_ID, `t_l${i}`)),
          ...(from ? keysetConditions(eb, FTS_TIME, FTS_ID, window.backward ? { limit: 0, before: from } : { limit: 0, after: from }) : []),
          ...(to ? keysetConditions(eb, FTS_TIME, FTS_ID, window.backward ? { limit: 0, after: to } : { limit: 0, before: to }) : []),
        ]),
      )
      .orderBy(FTS_TIME, dir)
      .orderBy(FTS_ID, dir)
      .limit(need)
      .execute();
    return rows.map((row) => Number(row.id));
  });
  return searchHitPage(db, hits, window, options, true);
}

/**
 * Reads a search page tier by tier, in list order (reversed going backward): `readTier` gets the
 * rows it may return, and the page's `from` key (and far `to` key) when they fall in that tier;
 * tiers before `from` (or past `to`) are skipped. Without ranking there is one tier.
 */
async function readTiers(
  count: number,
  window: PageWindow,
  ranked: boolean,
  readTier: (tier: number, need: number, from: Keyset | null, to: Keyset | null) => Promise<number[]>,
): Promise<{ id: number; tier: number }[]> {
  const backward = Boolean(window.backward);
  // `from`: the key the page continues from; `to`: the far bound when both after and before are given.
  const from = (backward ? window.before : window.after) ?? null;
  const to = (backward ? window.after : window.before) ?? null;
  const tierOf = (key: Keyset) => (ranked ? (key.rank ?? 0) : 0);
  const tiers = Array.from({ length: count }, (_, i) => i);
  if (backward) tiers.reverse();
  const hits: { id: number; tier: number }[] = [];
  for (const tier of tiers) {
    const need = window.limit + 1 - hits.length;
    if (need <= 0) break;
    if (from && (backward ? tier > tierOf(from) : tier < tierOf(from))) continue;
    if (to && (backward ? tier < tierOf(to) : tier > tierOf(to))) continue;
    const ids = await readTier(tier, need, from && tierOf(from) === tier ? from : null, to && tierOf(to) === tier ? to : null);
    for (const id of ids) hits.push({ id, tier });
  }
  return hits;
}

/**
 * SQLite: the page read from FTS5 in index order. The index rowid is a time key (migration 003),
 * so each query walks matches newest first (oldest first going backward) and stops after the
 * rows it needs; relevance visits its tiers in turn (search.ts relevanceTiers), and a row's
 * rank is its tier. Recency here is to the whole second, ties by id.
 */
async function listFtsSearchPage(
  db: Kysely<Database>,
  spec: ArticleFilterSpec & { search: SearchQuery },
  window: PageWindow,
  order: SearchOrder,
  options: ArticleColumns,
): Promise<Page<RankedArticleRow>> {
  const k = db as unknown as Kysely<any>;
  const ranked = order === 'relevance';
  const expressions = ranked ? relevanceTiers(spec.search) : [toMatchExpression(spec.search)];
  const backward = Boolean(window.backward);
  const hits = await readTiers(expressions.length, window, ranked, async (tier, need, from, to) => {
    const rows = await k
      .selectFrom(FTS)
      .select('article_search.article_id as id')
      .where((eb) => {
        const rowid = sql.ref(FTS_ID);
        const conds: Cond[] = [
          sql<SqlBool>`article_search match ${expressions[tier]}`,
          ...rangeConditions(eb, FTS_TIME, spec),
          ...spec.links.map((group, i) => linkExists(eb, group, 'article_search.article_id', `f_l${i}`)),
        ];
        if (spec.since !== null) conds.push(eb(rowid, '>=', searchKeyFrom(spec.since)));
        if (spec.until !== null) conds.push(eb(rowid, '<', searchKeyBefore(spec.until)));
        if (from) conds.push(eb(rowid, backward ? '>' : '<', searchKey(from.time, from.id)));
        if (to) conds.push(eb(rowid, backward ? '<' : '>', searchKey(to.time, to.id)));
        return eb.and(conds);
      })
      .orderBy(sql.ref(FTS_ID), backward ? 'asc' : 'desc')
      .limit(need)
      .execute();
    return rows.map((row) => Number(row.id));
  });
  return searchHitPage(db, hits, window, options, ranked);
}

/** The page of a search from its hits (article id and tier, in read order): the article rows, ranked by tier when asked. */
async function searchHitPage(db: Kysely<Database>, hits: readonly { id: number; tier: number }[], window: PageWindow, options: ArticleColumns, ranked: boolean): Promise<Page<RankedArticleRow>> {
  if (hits.length === 0) return { rows: [], hasMore: false };
  let query = (db as unknown as Kysely<any>).selectFrom('articles as a').where('a.id', 'in', hits.map((h) => h.id));
  query = options.columns === 'list' ? query.select(articleListColumns('a')) : query.selectAll('a');
  const byId = new Map(((await query.execute()) as ArticleListRow[]).map((row) => [row.id, row]));
  const rows: RankedArticleRow[] = [];
  for (const hit of hits) {
    const row = byId.get(hit.id);
    if (row) rows.push(ranked ? { ...row, rank: hit.tier } : row);
  }
  return finishPage(rows, window);
}

/**
 * The same page for many topics (or sources) at once, e.g. `sources { articles(first: 5) }`:
 * one statement whatever the number of parents. Returns a page per requested id.
 */
export async function listArticlePagesByLink(
  db: Kysely<Database>,
  kind: LinkGroup['kind'],
  parentIds: readonly number[],
  spec: ArticleFilterSpec,
  window: PageWindow,
): Promise<Map<number, Page<ArticleListRow>>> {
  const result = new Map<number, Page<ArticleListRow>>();
  const ids = [...new Set(parentIds)];
  for (const id of ids) result.set(id, { rows: [], hasMore: false });
  if (ids.length === 0 || isEmpty(spec) || window.limit <= 0) return result;
  const dir = window.backward ? 'asc' : 'desc';
  const k = db as unknown as Kysely<any>;
  const arms = ids.map((id, i) => k.selectFrom(linkArm(db, kind, id, spec, spec.links, window).as(`u${i}`)).selectAll());
  let union = arms[0];
  for (const arm of arms.slice(1)) union = union.unionAll(arm);
  const rows = (await k
    .selectFrom(union.as('u'))
    .innerJoin('articles as a', 'a.id', 'u.id')
    .select(['u.grp as grp', ...articleListColumns('a')])
    .orderBy('u.grp')
    .orderBy('u.published_at', dir)
    .orderBy('u.id', dir)
    .execute()) as (ArticleListRow & { grp: number })[];
  const grouped = new Map<number, ArticleListRow[]>();
  for (const { grp, ...row } of rows) {
    const list = grouped.get(Number(grp)) ?? [];
    list.push(row);
    grouped.set(Number(grp), list);
  }
  for (const [id, list] of grouped) result.set(id, finishPage(list, window));
  return result;
}

// ---------------------------------------------------------------------------------------------
// Counts (only run when a client asks for totalCount: on a million rows they cost milliseconds)

export async function countArticles(db: Kysely<Database>, spec: ArticleFilterSpec): Promise<number> {
  if (isEmpty(spec)) return 0;
  if (spec.search) {
    const row = await searchMatches(db, { ...spec, search: spec.search }).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const driverIndex = pickDriver(spec.links);
  if (driverIndex === -1) {
    const row = await db
      .selectFrom('articles as a')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.and(articleConditions(dialectOf(db), eb as AnyEb, spec, 'a')))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
  const driver = spec.links[driverIndex];
  const rest = { ...spec, links: spec.links.filter((_, i) => i !== driverIndex) };
  const ids = [...new Set(driver.ids)];
  if (ids.length === 1) return (await countArticlesByLink(db, driver.kind, ids, rest)).get(ids[0]) ?? 0;
  // An article in two of the topics counts once.
  const row = await linkCountQuery(db, driver.kind, ids, rest).select(sql<number>`count(distinct l.article_id)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Articles per topic (or source) matching the filter, one statement for all parents. */
export async function countArticlesByLink(
  db: Kysely<Database>,
  kind: LinkGroup['kind'],
  parentIds: readonly number[],
  spec: ArticleFilterSpec,
): Promise<Map<number, number>> {
  const ids = [...new Set(parentIds)];
  const result = new Map<number, number>(ids.map((id) => [id, 0]));
  if (ids.length === 0 || isEmpty(spec)) return result;
  const { column } = LINKS[kind];
  const rows = await linkCountQuery(db, kind, ids, spec)
    .select([`l.${column} as grp`, sql<number>`count(*)`.as('n')])
    .groupBy(`l.${column}`)
    .execute();
  for (const row of rows) result.set(Number(row.grp), Number(row.n));
  return result;
}

function linkCountQuery(db: Kysely<Database>, kind: LinkGroup['kind'], ids: number[], spec: ArticleFilterSpec) {
  const { table, column } = LINKS[kind];
  return (db as unknown as Kysely<any>).selectFrom(`${table} as l`).where((eb) =>
    eb.and([
      eb(`l.${column}`, 'in', ids),
      ...rangeConditions(eb, 'l.published_at', spec),
      ...spec.links.map((group, i) => linkExists(eb, group, 'l.article_id', `lx${i}`)),
      ...(spec.search ? [searchCondition(dialectOf(db), eb, spec.search, 'l.article_id')] : []),
    ]),
  );
}

// ---------------------------------------------------------------------------------------------
// Lookups for the per-request loaders

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export async function findArticlesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<ArticleListRow[]> {
  const rows: ArticleListRow[] = [];
  for (const chunk of chunks([...new Set(ids)])) rows.push(...(await db.selectFrom('articles as a').select(articleListColumns('a')).where('a.id', 'in', chunk).execute()));
  return rows;
}

/** The HTML bodies of the articles, by id (null when the feed carried none). */
export async function findArticleBodies(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, string | null>> {
  const map = new Map<number, string | null>();
  for (const chunk of chunks([...new Set(ids)])) {
    for (const row of await db.selectFrom('articles').select(['id', 'content_html']).where('id', 'in', chunk).execute()) map.set(row.id, row.content_html);
  }
  return map;
}

/** The articles among `ids` that match the filter, newest first (what a subscription forwards). */
export async function filterArticles(db: Kysely<Database>, ids: readonly number[], spec: ArticleFilterSpec): Promise<ArticleListRow[]> {
  if (ids.length === 0 || isEmpty(spec)) return [];
  const rows: ArticleListRow[] = [];
  for (const chunk of chunks([...new Set(ids)])) {
    rows.push(
      ...(await db
        .selectFrom('articles as a')
        .select(articleListColumns('a'))
        .where((eb) => eb.and([eb('a.id', 'in', chunk), ...articleConditions(dialectOf(db), eb as AnyEb, spec, 'a')]))
        .execute()),
    );
  }
  return rows.sort((x, y) => y.published_at - x.published_at || y.id - x.id);
}

/** Every source that lists each article, the one that first delivered it first, then by slug (two statements). */
export async function listSourcesOfArticles(db: Kysely<Database>, articleIds: readonly number[]): Promise<Map<number, SourceRow[]>> {
  const idsByArticle = await listSourceIdsOfArticles(db, articleIds);
  const rows = new Map((await findSourcesByIds(db, [...new Set([...idsByArticle.values()].flat())])).map((row) => [row.id, row]));
  const map = new Map<number, SourceRow[]>();
  for (const [articleId, [first, ...others]] of idsByArticle) {
    const rest = others.map((id) => rows.get(id)).filter((row) => row !== undefined);
    rest.sort((x, y) => (x.slug < y.slug ? -1 : x.slug > y.slug ? 1 : 0));
    const head = rows.get(first);
    map.set(articleId, head ? [head, ...rest] : rest);
  }
  return map;
}

/**
 * The ids of the sources that list each article, the one that first delivered it first; one
 * statement over the link table and primary keys. Callers load the rows through their loader.
 */
export async function listSourceIdsOfArticles(db: Kysely<Database>, articleIds: readonly number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  for (const chunk of chunks([...new Set(articleIds)])) {
    const rows = await db
      .selectFrom('article_sources as l')
      .innerJoin('articles as a', 'a.id', 'l.article_id')
      .select(['l.article_id', 'l.source_id', 'a.source_id as first_source_id'])
      .where('l.article_id', 'in', chunk)
      .execute();
    for (const row of rows) {
      const list = map.get(row.article_id) ?? [];
      if (row.source_id === row.first_source_id) list.unshift(row.source_id);
      else list.push(row.source_id);
      map.set(row.article_id, list);
    }
  }
  return map;
}

/** The topics of each article, by slug, one statement. */
export async function listTopicsOfArticles(db: Kysely<Database>, articleIds: readonly number[]): Promise<Map<number, TopicRow[]>> {
  const map = new Map<number, TopicRow[]>();
  for (const chunk of chunks([...new Set(articleIds)])) {
    const rows = await db
      .selectFrom('article_topics as l')
      .innerJoin('topics as t', 't.id', 'l.topic_id')
      .select('l.article_id as link_article_id')
      .selectAll('t')
      .where('l.article_id', 'in', chunk)
      .orderBy('t.slug')
      .execute();
    for (const { link_article_id, ...topic } of rows) {
      const list = map.get(link_article_id) ?? [];
      list.push(topic);
      map.set(link_article_id, list);
    }
  }
  return map;
}
