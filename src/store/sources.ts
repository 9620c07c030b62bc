import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.js';
import type { Config, SourceDef } from '../config/types.js';
import type { Database, SourceRow, SourceUpdate, TopicRow } from './types.js';

export type SourceOrigin = SourceRow['origin'];

export interface SourceFields {
  slug: string;
  url: string;
  name: string;
  topics: readonly string[];
  language: string | null;
  intervalMinutes: number;
  timezone: string;
  siteUrl: string | null;
}

/**
 * Makes the database's topics and config sources match the config file. Sources added
 * through the API or OPML are left alone; config sources no longer listed are disabled
 * (their articles keep their attribution) rather than deleted.
 */
export async function syncConfig(db: Kysely<Database>, config: Config, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const topic of config.topics) {
      await trx
        .insertInto('topics')
        .values({ slug: topic.slug, name: topic.name, aliases: JSON.stringify(topic.aliases), keywords: JSON.stringify(topic.keywords) })
        .onConflict((oc) =>
          oc.column('slug').doUpdateSet({ name: topic.name, aliases: JSON.stringify(topic.aliases), keywords: JSON.stringify(topic.keywords) }),
        )
        .execute();
    }
    for (const source of config.sources) await upsertSource(trx, fromDef(source), 'config', now);
    const listed = config.sources.map((s) => s.slug);
    let disable = trx.updateTable('sources').set({ enabled: 0 }).where('origin', '=', 'config');
    if (listed.length > 0) disable = disable.where('slug', 'not in', listed);
    await disable.execute();
  });
}

function fromDef(def: SourceDef): SourceFields {
  return { ...def, topics: def.topics };
}

/** Inserts or updates a source by slug, with its topic links; returns its id. */
export async function upsertSource(db: Kysely<Database>, fields: SourceFields, origin: SourceOrigin, now: number): Promise<number> {
  const values = {
    url: fields.url,
    name: fields.name,
    site_url: fields.siteUrl,
    language: fields.language,
    timezone: fields.timezone,
    interval_minutes: fields.intervalMinutes,
    enabled: 1,
  };
  const row = await db
    .insertInto('sources')
    .values({ ...values, slug: fields.slug, origin, created_at: now, next_poll_at: null })
    .onConflict((oc) => oc.column('slug').doUpdateSet({ ...values, origin }))
    .returning('id')
    .executeTakeFirstOrThrow();
  await setSourceTopics(db, row.id, fields.topics);
  return row.id;
}

async function setSourceTopics(db: Kysely<Database>, sourceId: number, slugs: readonly string[]): Promise<void> {
  await db.deleteFrom('source_topics').where('source_id', '=', sourceId).execute();
  if (slugs.length === 0) return;
  const topics = await db.selectFrom('topics').select('id').where('slug', 'in', [...slugs]).execute();
  if (topics.length === 0) return;
  await db
    .insertInto('source_topics')
    .values(topics.map((t) => ({ source_id: sourceId, topic_id: t.id })))
    .execute();
}

export async function listSources(db: Kysely<Database>, options: { includeDisabled?: boolean } = {}): Promise<SourceRow[]> {
  let query = db.selectFrom('sources').selectAll().orderBy('slug');
  if (!options.includeDisabled) query = query.where('enabled', '=', 1);
  return query.execute();
}

export async function findSourceBySlug(db: Kysely<Database>, slug: string): Promise<SourceRow | undefined> {
  return db.selectFrom('sources').selectAll().where('slug', '=', slug).where('enabled', '=', 1).executeTakeFirst();
}

export async function findSourcesByIds(db: Kysely<Database>, ids: readonly number[]): Promise<SourceRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('sources').selectAll().where('id', 'in', [...ids]).execute();
}

/** Enabled sources whose next poll time has come (never-polled sources first). */
export async function listDueSources(db: Kysely<Database>, now: number): Promise<SourceRow[]> {
  return db
    .selectFrom('sources')
    .selectAll()
    .where('enabled', '=', 1)
    .where((eb) => eb.or([eb('next_poll_at', 'is', null), eb('next_poll_at', '<=', now)]))
    // Explicit: SQLite puts nulls first in ascending order, PostgreSQL last.
    .orderBy('next_poll_at', (ob) => ob.asc().nullsFirst())
    .orderBy('id')
    .execute();
}

/**
 * Poll leases (issue 7, migration 004): claims up to `limit` due sources for `owner` until
 * `now + leaseMs` and returns them, never-polled first, then by next poll time. A source leased
 * by anyone whose lease has not expired is skipped, so two instances never poll one source at
 * once; a crashed instance's leases lapse and others take the sources over. On PostgreSQL the
 * candidate rows are locked FOR UPDATE SKIP LOCKED, so concurrent claims neither wait for nor
 * double-claim each other; on SQLite the one UPDATE statement is atomic.
 */
export async function claimDueSources(db: Kysely<Database>, options: { owner: string; now: number; leaseMs: number; limit: number; dueOnly?: boolean }): Promise<SourceRow[]> {
  const { owner, now, leaseMs, limit } = options;
  if (limit <= 0) return [];
  const lock = dialectOf(db) === 'postgres' ? sql`for update skip locked` : sql``;
  // dueOnly false (`poll --once`): every source no other instance is polling right now.
  const due = options.dueOnly === false ? sql`true` : sql`(next_poll_at is null or next_poll_at <= ${now})`;
  const result = await sql<SourceRow>`
    with due as (
      select id from sources
      where enabled = 1
        and ${due}
        and (lease_expires_at is null or lease_expires_at <= ${now})
      order by next_poll_at asc nulls first, id
      limit ${limit}
      ${lock}
    )
    update sources set lease_owner = ${owner}, lease_expires_at = ${now + leaseMs}
    where id in (select id from due)
    returning *`.execute(db);
  // RETURNING's order is unspecified on both engines.
  return result.rows.sort((x, y) => (x.next_poll_at ?? -Infinity) - (y.next_poll_at ?? -Infinity) || x.id - y.id);
}

/** Extends `owner`'s leases on these sources (a poll still running near its lease's end); returns how many it still held. */
export async function renewSourceLeases(db: Kysely<Database>, options: { owner: string; ids: readonly number[]; now: number; leaseMs: number }): Promise<number> {
  if (options.ids.length === 0) return 0;
  const result = await db
    .updateTable('sources')
    .set({ lease_expires_at: options.now + options.leaseMs })
    .where('id', 'in', [...options.ids])
    .where('lease_owner', '=', options.owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives a source back after its poll (whose next_poll_at is already stored); a no-op if the lease lapsed and another owner holds it. */
export async function releaseSourceLease(db: Kysely<Database>, options: { owner: string; id: number }): Promise<boolean> {
  const result = await db
    .updateTable('sources')
    .set({ lease_owner: null, lease_expires_at: null })
    .where('id', '=', options.id)
    .where('lease_owner', '=', options.owner)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function updateSourceState(db: Kysely<Database>, id: number, update: SourceUpdate): Promise<void> {
  await db.updateTable('sources').set(update).where('id', '=', id).execute();
}

/** Removes an API-added source; config sources can only be disabled (the file is the truth for them). */
export async function disableSource(db: Kysely<Database>, id: number): Promise<void> {
  await db.updateTable('sources').set({ enabled: 0 }).where('id', '=', id).execute();
}

export async function listTopicIdsBySource(db: Kysely<Database>, sourceIds: readonly number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  if (sourceIds.length === 0) return map;
  const rows = await db.selectFrom('source_topics').select(['source_id', 'topic_id']).where('source_id', 'in', [...sourceIds]).execute();
  for (const row of rows) {
    const list = map.get(row.source_id) ?? [];
    list.push(row.topic_id);
    map.set(row.source_id, list);
  }
  return map;
}

export async function listTopics(db: Kysely<Database>): Promise<TopicRow[]> {
  return db.selectFrom('topics').selectAll().orderBy('slug').execute();
}
