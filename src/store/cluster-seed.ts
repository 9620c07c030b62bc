import type { Kysely } from 'kysely';
import type { Database } from './types.js';

export interface SeedArticle {
  id: number;
  title: string;
  summary: string | null;
  published_at: number;
  story_id: number;
}

/**
 * The most recent articles inside the clustering window, oldest first, so a restarted
 * process rebuilds the same candidate index it had. Capped: a store polled for months
 * must not be read whole at start-up.
 */
export async function listClusterSeed(db: Kysely<Database>, since: number, limit: number, maxId = Number.MAX_SAFE_INTEGER): Promise<SeedArticle[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'title', 'summary', 'published_at', 'story_id'])
    .where('published_at', '>=', since)
    .where('id', '<=', maxId)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}

/** The largest article id stored so far (0 for an empty store). */
export async function maxArticleId(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('articles').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Articles stored with an id above `afterId` (by other gateway instances, on PostgreSQL), oldest
 * id first; at most the `limit` newest, since only the clustering window matters.
 */
export async function listArticlesAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<SeedArticle[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'title', 'summary', 'published_at', 'story_id'])
    .where('id', '>', afterId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}
