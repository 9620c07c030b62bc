import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import { articleConditions, articleListColumns, isEmpty, keysetConditions, type ArticleColumns, type ArticleFilterSpec, type ArticleListRow, type Page, type PageWindow } from './article-queries.js';
import { findTopicsByIds } from './catalog-queries.js';
import { dialectOf, type Dialect } from './dialect.js';
import { findSourcesByIds } from './sources.js';
import type { ArticleRow, Database, SourceRow, StoryRow, TopicRow } from './types.js';

/**
 * Read queries behind the GraphQL API's stories: keyset pages on (last_seen_at, id), newest
 * first. A story matches an article filter when at least one of its articles does.
 */

type AnyEb = ExpressionBuilder<any, any>;

function hasConditions(spec: ArticleFilterSpec): boolean {
  return spec.links.length > 0 || spec.since !== null || spec.until !== null || spec.search !== null;
}

function storyConditions(dialect: Dialect, eb: AnyEb, spec: ArticleFilterSpec) {
  if (!hasConditions(spec)) return [];
  return [
    // A story with an article published at or after `since` was last seen at or after it, and one
    // with an article before `until` was first seen before it: cheap bounds on the stories index.
    ...(spec.since !== null ? [eb('s.last_seen_at', '>=', spec.since)] : []),
    ...(spec.until !== null ? [eb('s.first_seen_at', '<', spec.until)] : []),
    eb.exists(
      eb
        .selectFrom('articles as sa')
        .select(sql.lit(1).as('one'))
        .whereRef('sa.story_id', '=', 's.id')
        .where((inner) => inner.and(articleConditions(dialect, inner as AnyEb, spec, 'sa'))),
    ),
  ];
}

export async function listStoryPage(db: Kysely<Database>, spec: ArticleFilterSpec, window: PageWindow): Promise<Page<StoryRow>> {
  if (isEmpty(spec) || window.limit <= 0) return { rows: [], hasMore: false };
  const dir = window.backward ? 'asc' : 'desc';
  const rows = await db
    .selectFrom('stories as s')
    .selectAll('s')
    .where((eb) => eb.and([...storyConditions(dialectOf(db), eb as AnyEb, spec), ...keysetConditions(eb as AnyEb, 's.last_seen_at', 's.id', window)]))
    .orderBy('s.last_seen_at', dir)
    .orderBy('s.id', dir)
    .limit(window.limit + 1)
    .execute();
  const hasMore = rows.length > window.limit;
  const page = hasMore ? rows.slice(0, window.limit) : rows;
  if (window.backward) page.reverse();
  return { rows: page, hasMore };
}

export async function countStories(db: Kysely<Database>, spec: ArticleFilterSpec): Promise<number> {
  if (isEmpty(spec)) return 0;
  const row = await db
    .selectFrom('stories as s')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => eb.and(storyConditions(dialectOf(db), eb as AnyEb, spec)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Stories by id, following story_aliases for ids of stories that were merged into another:
 * the map is keyed by the requested id and holds the surviving story.
 */
export async function findStoriesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, StoryRow>> {
  const wanted = [...new Set(ids)];
  const result = new Map<number, StoryRow>();
  if (wanted.length === 0) return result;
  const rows = await db.selectFrom('stories').selectAll().where('id', 'in', wanted).execute();
  for (const row of rows) result.set(row.id, row);
  const missing = wanted.filter((id) => !result.has(id));
  if (missing.length === 0) return result;
  const aliases = await db
    .selectFrom('story_aliases as sa')
    .innerJoin('stories as s', 's.id', 'sa.story_id')
    .select('sa.alias_id')
    .selectAll('s')
    .where('sa.alias_id', 'in', missing)
    .execute();
  for (const { alias_id, ...story } of aliases) result.set(alias_id, story);
  return result;
}

/** Each story's articles, newest first, every column, one statement (articles_story_idx). */
export function listArticlesOfStories(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, ArticleRow[]>> {
  return articlesOfStories(db, storyIds, {}) as Promise<Map<number, ArticleRow[]>>;
}

/** The same with the list columns only (no HTML body): what the API reads. */
export function listArticleSummariesOfStories(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, ArticleListRow[]>> {
  return articlesOfStories(db, storyIds, { columns: 'list' });
}

async function articlesOfStories(db: Kysely<Database>, storyIds: readonly number[], options: ArticleColumns): Promise<Map<number, ArticleListRow[]>> {
  const map = new Map<number, ArticleListRow[]>();
  const ids = [...new Set(storyIds)];
  if (ids.length === 0) return map;
  const from = (db as unknown as Kysely<any>).selectFrom('articles as a');
  const query: SelectQueryBuilder<any, 'a', any> = options.columns === 'list' ? from.select(articleListColumns('a')) : from.selectAll('a');
  const rows = (await query.where('a.story_id', 'in', ids).orderBy('a.story_id').orderBy('a.published_at', 'desc').orderBy('a.id', 'desc').execute()) as ArticleListRow[];
  for (const row of rows) {
    const list = map.get(row.story_id) ?? [];
    list.push(row);
    map.set(row.story_id, list);
  }
  return map;
}

/**
 * The ids of the distinct outlets that carried each story, one statement. Cheaper than
 * listSourcesOfStories (DISTINCT over whole source rows sorts every column); callers load the
 * rows through their source loader.
 */
export async function listSourceIdsOfStories(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  const ids = [...new Set(storyIds)];
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('article_sources as l', 'l.article_id', 'a.id')
    .select(['a.story_id', 'l.source_id'])
    .distinct()
    .where('a.story_id', 'in', ids)
    .execute();
  for (const row of rows) {
    const list = map.get(row.story_id) ?? [];
    list.push(row.source_id);
    map.set(row.story_id, list);
  }
  return map;
}

/** The ids of every topic any of each story's articles is filed under, one statement. */
export async function listTopicIdsOfStories(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  const ids = [...new Set(storyIds)];
  if (ids.length === 0) return map;
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('article_topics as l', 'l.article_id', 'a.id')
    .select(['a.story_id', 'l.topic_id'])
    .distinct()
    .where('a.story_id', 'in', ids)
    .execute();
  for (const row of rows) {
    const list = map.get(row.story_id) ?? [];
    list.push(row.topic_id);
    map.set(row.story_id, list);
  }
  return map;
}

/** The distinct outlets that carried each story, by name (two statements: ids, then rows). */
export async function listSourcesOfStories(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, SourceRow[]>> {
  const idsByStory = await listSourceIdsOfStories(db, storyIds);
  const rows = new Map((await findSourcesByIds(db, [...new Set([...idsByStory.values()].flat())])).map((row) => [row.id, row]));
  const map = new Map<number, SourceRow[]>();
  for (const [storyId, ids] of idsByStory) {
    const sources = ids.map((id) => rows.get(id)).filter((row) => row !== undefined);
    map.set(storyId, sources.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.id - y.id)));
  }
  return map;
}

/** The union of each story's articles' topics, by slug (two statements: ids, then rows). */
export async function listTopicsOfStories(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, TopicRow[]>> {
  const idsByStory = await listTopicIdsOfStories(db, storyIds);
  const rows = new Map((await findTopicsByIds(db, [...new Set([...idsByStory.values()].flat())])).map((row) => [row.id, row]));
  const map = new Map<number, TopicRow[]>();
  for (const [storyId, ids] of idsByStory) {
    const topics = ids.map((id) => rows.get(id)).filter((row) => row !== undefined);
    map.set(storyId, topics.sort((x, y) => (x.slug < y.slug ? -1 : x.slug > y.slug ? 1 : 0)));
  }
  return map;
}
