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
 * Why a tsvector and not pg_trgm: trigram indexes match substrings, so "bao" would find
 * "baoxxx" and the word, phrase and prefix semantics of the FTS5 version would need a
 * regular-expression recheck of every candidate row, with no relevance score comparable to
 * bm25; the tsvector keeps token semantics exactly and ranks with ts_rank. Measured on
 * 100,000 generated Vietnamese headlines (see the report of issue 7): the GIN tsvector index
 * answered common and rare-word searches faster than a pg_trgm GIN index with the same
 * word-boundary semantics, and is smaller.
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

/** The ids of the articles matching the search, as a subquery. */
export function matchingArticleIds(dialect: Dialect, query: SearchQuery): RawBuilder<unknown> {
  return sql`(select rowid from article_search where ${matchCondition(dialect, query)})`;
}

/** True when the article whose id is `idRef` ("a.id", "l.article_id") matches the search. */
export function searchCondition(dialect: Dialect, eb: ExpressionBuilder<any, any>, query: SearchQuery, idRef: string): Expression<SqlBool> {
  return sql<SqlBool>`${eb.ref(idRef)} in ${matchingArticleIds(dialect, query)}`;
}

/** The relevance of the current row of a query over article_search (with the match in WHERE); lower is more relevant. */
export function searchRank(dialect: Dialect, query: SearchQuery): RawBuilder<number> {
  return dialect === 'postgres' ? sql<number>`${TS_RANK}${toTsQuery(query)}::tsquery))::float8` : sql<number>`${BM25}`;
}
