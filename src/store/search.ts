import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { SearchQuery, SearchTerm } from '../text/search-query.js';
import type { Dialect } from './dialect.js';

/**
 * Full-text search, the SQL side: a parsed search (src/text/search-query.ts) in the engine's
 * own query language over the article_search index (migration 003).
 *
 * - SQLite: an FTS5 MATCH expression; every token is written as an FTS5 string, so nothing
 *   the user typed is read as FTS5 syntax.
 * - PostgreSQL: a tsquery over article_search.doc (a tsvector of the same folded tokens, built
 *   by a trigger), cast from text so PostgreSQL's parser does not re-split tokens; every token
 *   is a quoted lexeme. Same semantics: AND of terms, phrases as `<->` chains (a phrase never
 *   spans two fields, see the migration), prefixes as `:*`, exclusions as `& !(…)`, OR between
 *   clauses.
 *
 * Why a tsvector and not pg_trgm: trigram indexes match substrings, so token, phrase and
 * prefix semantics need the folded text stored space-delimited and LIKE '% word %' patterns
 * rechecked on every candidate row, and there is no relevance score to stand in for bm25; the
 * tsvector keeps the FTS5 semantics exactly and ranks with ts_rank. Measured on 100,000
 * generated Vietnamese articles (test/bench/headlines.ts; PostgreSQL 15 on the shared 2-core
 * machine under load, medians of 7), same matches both ways:
 *
 *   search (matches)          tsvector newest 20 / count      trgm newest 20 / count
 *   rare word (146)           1.9 ms / 4.1 ms                 18.2 ms / 20.9 ms
 *   word -common (93)         2.3 ms / 2.1 ms                 11.3 ms / 5.2 ms
 *   phrase (116)              4.5 ms / 2.7 ms                  3.5 ms / 3.1 ms
 *   mid word (3,464)          0.3 ms / 43 ms                   1.2 ms / 6.4 ms
 *   prefix (10,842)           0.2 ms / 26 ms                   0.4 ms / 10 ms
 *   common word (97,258)      0.7 ms / 42 ms                   0.3 ms / 55 ms
 *
 * Selective searches, what people type, are 4-10x faster on the tsvector; trigrams only win
 * counts of frequent words (totalCount, asked for rarely). GIN sizes: tsvector 13.2 MiB,
 * trigram 16.8 MiB (the tsvector table, with positions, 49 MiB against 29 MiB of folded text).
 * Writes cost the same either way: the SQL fold both need dominates (about 3,300 articles/s
 * through the trigger on that machine). Relevance order ranks every match (ts_rank), 2-48 ms
 * here, as bm25 does on SQLite.
 *
 * Ranks: both engines give "lower is more relevant" (bm25 as is; minus ts_rank on PostgreSQL),
 * so the store orders and pages by rank the same way on both.
 */

/** bm25 column weights: a word in the title counts four times one in the summary; the source name twice. */
const BM25 = sql.raw('bm25(article_search, 4.0, 1.0, 2.0)');
/** ts_rank weights {D, C, B, A}: summary (C) 0.25, source name (B) 0.5, title (A) 1 — the same 1:2:4. */
const TS_RANK = sql.raw(`(-ts_rank('{0.1, 0.25, 0.5, 1.0}'::float4[], article_search.doc, `);

function ftsString(token: string): string {
  return `"${token.replaceAll('"', '""')}"`;
}

function ftsTerm(term: SearchTerm): string {
  return ftsString(term.tokens.join(' ')) + (term.prefix ? '*' : '');
}

/** The FTS5 query text: ((a AND "b c") NOT (d OR e)) OR (…). */
export function toMatchExpression(query: SearchQuery): string {
  return query.clauses
    .map((clause) => {
      const include = `(${clause.include.map(ftsTerm).join(' AND ')})`;
      return clause.exclude.length === 0 ? include : `(${include} NOT (${clause.exclude.map(ftsTerm).join(' OR ')}))`;
    })
    .join(' OR ');
}

function lexeme(token: string): string {
  return `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

function tsTerm(term: SearchTerm): string {
  const parts = term.tokens.map(lexeme);
  if (term.prefix) parts[parts.length - 1] += ':*';
  return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`;
}

/** The tsquery text: ((a & (b <-> c)) & !(d | e)) | (…). */
export function toTsQuery(query: SearchQuery): string {
  return query.clauses
    .map((clause) => {
      const include = `(${clause.include.map(tsTerm).join(' & ')})`;
      return clause.exclude.length === 0 ? include : `(${include} & !(${clause.exclude.map(tsTerm).join(' | ')}))`;
    })
    .join(' | ');
}

/** The search's condition on the current row of article_search. */
export function matchCondition(dialect: Dialect, query: SearchQuery): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`article_search.doc @@ ${toTsQuery(query)}::tsquery`
    : sql<SqlBool>`article_search match ${toMatchExpression(query)}`;
}

/** The article id column of the index: SQLite's rowid is a time key (migration 003), PostgreSQL's is the id. */
export function searchIdColumn(dialect: Dialect): string {
  return dialect === 'postgres' ? 'article_search.rowid' : 'article_search.article_id';
}

/** The ids of the articles matching the search, as a subquery. */
export function matchingArticleIds(dialect: Dialect, query: SearchQuery): RawBuilder<unknown> {
  return sql`(select ${sql.ref(searchIdColumn(dialect))} from article_search where ${matchCondition(dialect, query)})`;
}

// ---------------------------------------------------------------------------------------------
// SQLite: time-ordered index keys and relevance tiers

const EPOCH_SECONDS = 1_577_836_800n; // 2020-01-01
const INT32_MIN = -2_147_483_648n;
const INT32_MAX = 2_147_483_647n;

/** Whole seconds of a time as SQLite's integer division gives them (towards zero), clamped like the migration's. */
function keySeconds(time: number): bigint {
  const seconds = BigInt(Math.trunc(time / 1000)) - EPOCH_SECONDS;
  return seconds < INT32_MIN ? INT32_MIN : seconds > INT32_MAX ? INT32_MAX : seconds;
}

/** The index rowid of an article (migration 003): newest-first order is rowid order. A bigint: it needs 64 bits. */
export function searchKey(time: number, id: number): bigint {
  return keySeconds(time) * 4_294_967_296n + BigInt(id);
}

/** Smallest rowid an article published at or after `time` can have. */
export function searchKeyFrom(time: number): bigint {
  return keySeconds(time) * 4_294_967_296n;
}

/** A rowid above that of every article published before `time`. */
export function searchKeyBefore(time: number): bigint {
  return (keySeconds(time - 1) + 1n) * 4_294_967_296n;
}

/**
 * Relevance on SQLite, as tiers: the searched words as one phrase in the title, then all of
 * them in the title, then anywhere (summary, source name). Within a tier, newest first. Each
 * tier is an FTS5 query of its own that excludes the tiers before it, so a page reads its rows
 * newest first from the index and stops, whatever the number of matches — bm25 would rank every
 * match, and its document frequencies walk each searched word's whole posting list.
 */
export function relevanceTiers(query: SearchQuery): string[] {
  const all = toMatchExpression(query);
  const inTitle = query.clauses
    .map((clause) => {
      const include = `{title} : (${clause.include.map(ftsTerm).join(' AND ')})`;
      return clause.exclude.length === 0 ? `(${include})` : `((${include}) NOT (${clause.exclude.map(ftsTerm).join(' OR ')}))`;
    })
    .join(' OR ');
  const tiers: string[] = [];
  const [only] = query.clauses;
  const tokens = only.include.flatMap((term) => term.tokens);
  if (query.clauses.length === 1 && tokens.length > 1 && !only.include.some((term) => term.prefix)) {
    const phrase = `{title} : ${ftsString(tokens.join(' '))}`;
    const exclude = only.exclude.length === 0 ? '' : ` NOT (${only.exclude.map(ftsTerm).join(' OR ')})`;
    tiers.push(`(${phrase})${exclude}`, `(${inTitle}) NOT (${phrase})`);
  } else {
    tiers.push(inTitle);
  }
  tiers.push(`(${all}) NOT (${inTitle})`);
  return tiers;
}

/** True when the article whose id is `idRef` ("a.id", "l.article_id") matches the search. */
export function searchCondition(dialect: Dialect, eb: ExpressionBuilder<any, any>, query: SearchQuery, idRef: string): Expression<SqlBool> {
  return sql<SqlBool>`${eb.ref(idRef)} in ${matchingArticleIds(dialect, query)}`;
}

/** The relevance of the current row of a query over article_search (with the match in WHERE); lower is more relevant. */
export function searchRank(dialect: Dialect, query: SearchQuery): RawBuilder<number> {
  return dialect === 'postgres' ? sql<number>`${TS_RANK}${toTsQuery(query)}::tsquery))::float8` : sql<number>`${BM25}`;
}
