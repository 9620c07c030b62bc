import type { Kysely } from 'kysely';
import type { Database, SourceRow, TopicRow } from './types.js';

/**
 * Topic and source lookups by id and slug for the API's loaders and filters. Unlike
 * findSourceBySlug these also see disabled sources when asked: an article keeps its
 * attribution, and a filter on a removed outlet still finds its old articles.
 */

export async function findTopicsByIds(db: Kysely<Database>, ids: readonly number[]): Promise<TopicRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('topics').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

export async function findTopicsBySlugs(db: Kysely<Database>, slugs: readonly string[]): Promise<TopicRow[]> {
  if (slugs.length === 0) return [];
  return db.selectFrom('topics').selectAll().where('slug', 'in', [...new Set(slugs)]).execute();
}

export async function findSourcesBySlugs(db: Kysely<Database>, slugs: readonly string[], options: { includeDisabled?: boolean } = {}): Promise<SourceRow[]> {
  if (slugs.length === 0) return [];
  let query = db.selectFrom('sources').selectAll().where('slug', 'in', [...new Set(slugs)]);
  if (!options.includeDisabled) query = query.where('enabled', '=', 1);
  return query.execute();
}

/** Another source (enabled or not) already polling this URL, if any. */
export async function findSourceByUrl(db: Kysely<Database>, url: string): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('url', '=', url).executeTakeFirst();
}

/** Each source's configured topics, by slug, one statement. */
export async function listTopicsOfSources(db: Kysely<Database>, sourceIds: readonly number[]): Promise<Map<number, TopicRow[]>> {
  const map = new Map<number, TopicRow[]>();
  if (sourceIds.length === 0) return map;
  const rows = await db
    .selectFrom('source_topics as l')
    .innerJoin('topics as t', 't.id', 'l.topic_id')
    .select('l.source_id as link_source_id')
    .selectAll('t')
    .where('l.source_id', 'in', [...new Set(sourceIds)])
    .orderBy('t.slug')
    .execute();
  for (const { link_source_id, ...topic } of rows) {
    const list = map.get(link_source_id) ?? [];
    list.push(topic);
    map.set(link_source_id, list);
  }
  return map;
}
