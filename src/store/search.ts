import { sql, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool } from 'kysely';
import type { SearchQuery, SearchTerm } from '../text/search-query.js';

/**
 * Full-text search, the SQL side: a parsed search (src/text/search-query.ts) as an FTS5 MATCH
 * expression over the article_search index (migration 003). Every token is written as an FTS5
 * string, so nothing the user typed is read as FTS5 syntax.
 */

/** bm25 column weights: a word in the title counts four times one in the summary; the source name twice. */
const BM25 = sql.raw('bm25(article_search, 4.0, 1.0, 2.0)');

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

/** The ids of the articles matching the search, as a subquery. */
export function matchingArticleIds(query: SearchQuery): RawBuilder<unknown> {
  return sql`(select rowid from article_search where article_search match ${toMatchExpression(query)})`;
}

/** True when the article whose id is `idRef` ("a.id", "l.article_id") matches the search. */
export function searchCondition(eb: ExpressionBuilder<any, any>, query: SearchQuery, idRef: string): Expression<SqlBool> {
  return sql<SqlBool>`${eb.ref(idRef)} in ${matchingArticleIds(query)}`;
}

/** The FTS5 match itself, for queries that read the index directly (article_search in FROM). */
export function matchCondition(query: SearchQuery): Expression<SqlBool> {
  return sql<SqlBool>`article_search match ${toMatchExpression(query)}`;
}

/** The bm25 relevance of the current row of a query over article_search; lower is more relevant. */
export const bm25Rank = sql<number>`${BM25}`;
