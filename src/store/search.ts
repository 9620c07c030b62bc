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
 * rechecked on every candidate row, and the title-only matching the relevance tiers need has
 * no trigram equivalent; the tsvector keeps the FTS5 semantics exactly (its weights mark the
 * title). Measured on 100,000 generated Vietnamese articles (test/bench/headlines.ts;
 * PostgreSQL 15 on the shared 2-core machine under load, medians of 7), same matches both ways:
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
 * through the trigger on that machine). ts_rank was measured too, and not kept: it scores every
 * match (2-48 ms for one word above, 85 ms for two common ones); relevance is the SQLite tiers
 * (tsRelevanceTiers below), a rank per tier, so both engines order and page alike.
 */

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

/**
 * The same relevance tiers on PostgreSQL, as tsqueries: the title's lexemes carry weight A
 * (migration 003), so `'word':A` (and `'pre':*A`) matches in the title only. Each tier is read
 * newest first and stops after the page's rows, as on SQLite; ts_rank would score every match
 * (85 ms for two common words over 100,000 articles, against under a millisecond per tier).
 */
export function tsRelevanceTiers(query: SearchQuery): string[] {
  const all = toTsQuery(query);
  const titleTerm = (term: SearchTerm) => {
    const parts = term.tokens.map((token) => `${lexeme(token)}:A`);
    if (term.prefix) parts[parts.length - 1] = `${lexeme(term.tokens[term.tokens.length - 1])}:*A`;
    return parts.length === 1 ? parts[0] : `(${parts.join(' <-> ')})`;
  };
  const excluded = (terms: SearchTerm[]) => terms.map(tsTerm).join(' | ');
  const inTitle = query.clauses
    .map((clause) => {
      const include = `(${clause.include.map(titleTerm).join(' & ')})`;
      return clause.exclude.length === 0 ? include : `(${include} & !(${excluded(clause.exclude)}))`;
    })
    .join(' | ');
  const tiers: string[] = [];
  const [only] = query.clauses;
  const tokens = only.include.flatMap((term) => term.tokens);
  if (query.clauses.length === 1 && tokens.length > 1 && !only.include.some((term) => term.prefix)) {
    const phrase = `(${tokens.map((token) => `${lexeme(token)}:A`).join(' <-> ')})`;
    const exclude = only.exclude.length === 0 ? '' : ` & !(${excluded(only.exclude)})`;
    tiers.push(`${phrase}${exclude}`, `(${inTitle}) & !${phrase}`);
  } else {
    tiers.push(inTitle);
  }
  tiers.push(`(${all}) & !(${inTitle})`);
  return tiers;
}
