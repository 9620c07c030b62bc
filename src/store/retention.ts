import type { Kysely } from 'kysely';
import { refreshStory } from './articles.js';
import { dialectOf, scalarMax } from './dialect.js';
import type { Database } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const CHUNK = 400;

export interface DeleteArticlesResult {
  articles: number;
  storiesRemoved: number;
  storiesRefreshed: number;
  /** Source links removed per source id (what each source's item_count lost). */
  perSource: Map<number, number>;
}

/**
 * Deletes a set of articles and everything that hangs off them, inside the caller's
 * transaction: the single place that knows what an article owns. Link rows go by ON DELETE
 * CASCADE (foreign_keys is on, see database.ts); counters are decremented; stories that lost
 * their last article are removed (with the aliases pointing at them), the others get their
 * counters and headline recomputed. With `tombstoneAt`, the keys are remembered so
 * storeArticles will not insert them again. Anything new that stores per-article rows
 * without a cascading foreign key (a full-text index, say) deletes its rows here.
 */
export async function deleteArticles(trx: Kysely<Database>, ids: readonly number[], options: { tombstoneAt?: number } = {}): Promise<DeleteArticlesResult> {
  const result: DeleteArticlesResult = { articles: 0, storiesRemoved: 0, storiesRefreshed: 0, perSource: new Map() };
  if (ids.length === 0) return result;
  const storyIds = new Set<number>();
  const perTopic = new Map<number, number>();
  const keys: string[] = [];
  for (const chunk of chunks(ids)) {
    for (const row of await trx.selectFrom('articles').select(['key', 'story_id']).where('id', 'in', chunk).execute()) {
      keys.push(row.key);
      storyIds.add(row.story_id);
    }
    const bySource = await trx
      .selectFrom('article_sources')
      .select((eb) => ['source_id', eb.fn.countAll<number>().as('n')])
      .where('article_id', 'in', chunk)
      .groupBy('source_id')
      .execute();
    for (const row of bySource) result.perSource.set(row.source_id, (result.perSource.get(row.source_id) ?? 0) + Number(row.n));
    const byTopic = await trx
      .selectFrom('article_topics')
      .select((eb) => ['topic_id', eb.fn.countAll<number>().as('n')])
      .where('article_id', 'in', chunk)
      .groupBy('topic_id')
      .execute();
    for (const row of byTopic) perTopic.set(row.topic_id, (perTopic.get(row.topic_id) ?? 0) + Number(row.n));
  }

  if (options.tombstoneAt !== undefined) {
    const purgedAt = options.tombstoneAt;
    for (const chunk of chunks(keys)) {
      await trx
        .insertInto('article_tombstones')
        .values(chunk.map((key) => ({ key, purged_at: purgedAt })))
        .onConflict((oc) => oc.column('key').doUpdateSet({ purged_at: purgedAt }))
        .execute();
    }
  }
  // Search rows go with their articles: a delete trigger on SQLite (FTS5), ON DELETE CASCADE on PostgreSQL.
  for (const chunk of chunks(ids)) {
    const deleted = await trx.deleteFrom('articles').where('id', 'in', chunk).executeTakeFirst();
    result.articles += Number(deleted.numDeletedRows);
  }

  const dialect = dialectOf(trx);
  for (const [topicId, n] of perTopic) {
    await trx.updateTable('topics').set((eb) => ({ article_count: scalarMax(dialect, eb.val(0), eb('article_count', '-', n)) })).where('id', '=', topicId).execute();
  }
  for (const [sourceId, n] of result.perSource) {
    await trx.updateTable('sources').set((eb) => ({ item_count: scalarMax(dialect, eb.val(0), eb('item_count', '-', n)) })).where('id', '=', sourceId).execute();
  }

  // Stories: refreshStory deletes the ones left empty and recomputes the rest.
  const removed: number[] = [];
  for (const storyId of storyIds) {
    await refreshStory(trx, storyId);
    const still = await trx.selectFrom('stories').select('id').where('id', '=', storyId).executeTakeFirst();
    if (still) result.storiesRefreshed++;
    else removed.push(storyId);
  }
  result.storiesRemoved = removed.length;
  for (const chunk of chunks(removed)) await trx.deleteFrom('story_aliases').where('story_id', 'in', chunk).execute();
  return result;
}

export interface PruneOptions {
  retentionDays: number;
  now?: number;
  /** Articles deleted per transaction; the event loop gets a turn between batches. */
  batchSize?: number;
  /** How long a tombstone outlives its article; default twice the retention period. */
  tombstoneDays?: number;
  /** Stops between batches (serve's shutdown). */
  signal?: AbortSignal;
  /** Told after every committed batch (metrics, cache invalidation, logs). */
  onBatch?: (batch: DeleteArticlesResult) => void;
}

export interface PruneResult {
  /** 0 when retention is disabled. */
  retentionDays: number;
  /** Articles first seen (fetched_at) before this were deleted; null when disabled. */
  cutoff: number | null;
  articles: number;
  storiesRemoved: number;
  storiesRefreshed: number;
  batches: number;
  tombstonesAdded: number;
  tombstonesExpired: number;
}

/**
 * Retention: deletes the articles first seen more than `retentionDays` ago, oldest first, in
 * small transactions so readers and polls get the database between batches. A purged key is
 * tombstoned (and so stays out while its feed still lists it) until the tombstone expires.
 * `retentionDays: 0` disables it.
 */
export async function pruneExpired(db: Kysely<Database>, options: PruneOptions): Promise<PruneResult> {
  const now = options.now ?? Date.now();
  const result: PruneResult = {
    retentionDays: options.retentionDays,
    cutoff: null,
    articles: 0,
    storiesRemoved: 0,
    storiesRefreshed: 0,
    batches: 0,
    tombstonesAdded: 0,
    tombstonesExpired: 0,
  };
  if (!(options.retentionDays > 0)) return result;
  const cutoff = now - options.retentionDays * DAY_MS;
  result.cutoff = cutoff;
  const batchSize = Math.max(1, options.batchSize ?? 500);
  while (!options.signal?.aborted) {
    const batch = await db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('articles').select('id').where('fetched_at', '<', cutoff).orderBy('fetched_at').orderBy('id').limit(batchSize).execute();
      return deleteArticles(trx, rows.map((r) => r.id), { tombstoneAt: now });
    });
    if (batch.articles === 0) break;
    result.batches++;
    result.articles += batch.articles;
    result.tombstonesAdded += batch.articles;
    result.storiesRemoved += batch.storiesRemoved;
    result.storiesRefreshed += batch.storiesRefreshed;
    options.onBatch?.(batch);
    if (batch.articles < batchSize) break;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  const tombstoneDays = options.tombstoneDays ?? options.retentionDays * 2;
  if (!options.signal?.aborted) {
    const expired = await db.deleteFrom('article_tombstones').where('purged_at', '<', now - tombstoneDays * DAY_MS).executeTakeFirst();
    result.tombstonesExpired = Number(expired.numDeletedRows);
  }
  return result;
}

function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
