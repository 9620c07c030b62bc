import type { Kysely } from 'kysely';

// Frozen in time: never edit a released migration, add a new one.
//
// Poll leases (issue 7): with several gateway instances on one PostgreSQL database, an instance
// claims the due sources it will poll by writing its name and an expiry here (claimDueSources in
// src/store/sources.ts, FOR UPDATE SKIP LOCKED on PostgreSQL), so no source is fetched by two
// instances at once, and a crashed instance's claims lapse. On SQLite (one instance) the columns
// stay empty unless the scheduler claims there too. Plain columns, the same on both engines.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sources').addColumn('lease_owner', 'text').execute();
  await db.schema.alterTable('sources').addColumn('lease_expires_at', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sources').dropColumn('lease_expires_at').execute();
  await db.schema.alterTable('sources').dropColumn('lease_owner').execute();
}
