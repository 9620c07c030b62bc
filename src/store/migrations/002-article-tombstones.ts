import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
// Keys of articles deleted by retention, so a feed that still lists one does not bring it back.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('article_tombstones')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('purged_at', 'bigint', (c) => c.notNull())
    .execute();
  // Tombstones expire too (src/store/retention.ts), oldest first.
  await db.schema.createIndex('article_tombstones_purged_idx').on('article_tombstones').column('purged_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('article_tombstones').execute();
}
