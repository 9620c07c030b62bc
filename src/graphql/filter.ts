import type { ArticleFilterSpec, LinkGroup } from '../store/article-queries.js';
import { parseSearchQuery, SearchQueryError, type SearchQuery } from '../text/search-query.js';
import { builder } from './builder.js';
import type { GraphQLContext } from './context.js';
import { badInput } from './errors.js';
import { sourcesBySlug } from './source.js';
import { topicsBySlug } from './topic.js';

/**
 * ArticleFilter: the fields AND together, the values inside one list OR. Unknown slugs match
 * nothing (a filter on a topic that does not exist finds no articles); an empty list is the
 * same as leaving the field out.
 */
export interface ArticleFilterInput {
  topics?: readonly string[] | null;
  sources?: readonly string[] | null;
  since?: Date | null;
  until?: Date | null;
  search?: string | null;
}

export const MAX_FILTER_VALUES = 50;

export const ArticleFilter = builder.inputType('ArticleFilter', {
  description: 'Which articles to include. Fields combine with AND; the values inside one list combine with OR.',
  fields: (t) => ({
    topics: t.stringList({ required: false, description: 'Topic slugs: articles in any of these topics.' }),
    sources: t.stringList({ required: false, description: 'Source slugs: articles carried by any of these outlets.' }),
    since: t.field({ type: 'DateTime', required: false, description: 'Published at or after this instant (inclusive).' }),
    until: t.field({ type: 'DateTime', required: false, description: 'Published before this instant (exclusive).' }),
    search: t.string({
      required: false,
      description:
        'Full-text search over title, summary and source name, ignoring case and diacritics ("da nang" finds "Đà Nẵng"). ' +
        'All words must match; "quoted phrase", -word (or NOT word) to exclude, OR between alternatives, word* for a prefix. ' +
        'At most 200 characters and 16 words. Query.articles ranks the results by relevance unless orderBy says otherwise.',
    }),
  }),
});

function checkList(values: readonly string[] | null | undefined, field: string): string[] {
  if (!values) return [];
  if (values.length > MAX_FILTER_VALUES) throw badInput(`filter.${field} takes at most ${MAX_FILTER_VALUES} values.`, { argument: `filter.${field}` });
  return [...new Set(values)];
}

/** The parsed search, null when none was given; a search that cannot run is the client's mistake. */
function readSearch(text: string | null | undefined): SearchQuery | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  try {
    return parseSearchQuery(text);
  } catch (error) {
    if (error instanceof SearchQueryError) throw badInput(`filter.search: ${error.message}.`, { argument: 'filter.search' });
    throw error;
  }
}

/**
 * Turns the filter input into the store's filter, resolving slugs through the request's
 * loaders. `fixed` adds a group the caller imposes (Topic.articles is "this topic AND filter").
 */
export async function resolveFilter(ctx: GraphQLContext, input: ArticleFilterInput | null | undefined, fixed: LinkGroup[] = []): Promise<ArticleFilterSpec> {
  const topicSlugs = checkList(input?.topics, 'topics');
  const sourceSlugs = checkList(input?.sources, 'sources');
  const search = readSearch(input?.search);
  const [topics, sources] = await Promise.all([
    Promise.all(topicSlugs.map((slug) => topicsBySlug(ctx).load(slug))),
    Promise.all(sourceSlugs.map((slug) => sourcesBySlug(ctx).load(slug))),
  ]);
  const links: LinkGroup[] = [...fixed];
  if (topicSlugs.length > 0) {
    const found = topics.filter((t) => t !== null);
    links.push({ kind: 'topic', ids: found.map((t) => t.id), weight: found.reduce((n, t) => n + t.article_count, 0) });
  }
  if (sourceSlugs.length > 0) {
    const found = sources.filter((s) => s !== null);
    links.push({ kind: 'source', ids: found.map((s) => s.id), weight: found.reduce((n, s) => n + s.item_count, 0) });
  }
  return {
    links,
    since: input?.since ? input.since.getTime() : null,
    until: input?.until ? input.until.getTime() : null,
    search,
  };
}
