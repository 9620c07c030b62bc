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
export async function listClusterSeed(db: Kysely<Database>, since: number, limit: number): Promise<SeedArticle[]> {
  const rows = await db
    .selectFrom('articles')
    .select(['id', 'title', 'summary', 'published_at', 'story_id'])
    .where('published_at', '>=', since)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse();
}
