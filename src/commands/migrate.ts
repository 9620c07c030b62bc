import type { CliIo } from '../cli.js';
import { redactUrl } from '../store/dialect.js';
import { latestMigration } from '../store/migrations/index.js';
import { migrateDatabase, openDatabase } from '../store/open.js';

/**
 * `newsgate migrate`: applies pending migrations and exits. The way to move a PostgreSQL
 * schema (serve never migrates one); concurrent runs are safe, Kysely's migrator holds an
 * advisory lock on PostgreSQL (and SQLite has one writer at a time).
 */
export async function runMigrate(options: { dbFile: string; json: boolean; io: CliIo }): Promise<number> {
  const store = await openDatabase(options.dbFile, { migrate: false });
  try {
    const applied = await migrateDatabase(store);
    const db = redactUrl(options.dbFile);
    if (options.json) options.io.stdout.write(JSON.stringify({ database: db, applied, current: latestMigration }, null, 2) + '\n');
    else if (applied.length === 0) options.io.stdout.write(`${db} is up to date (${latestMigration})\n`);
    else options.io.stdout.write(`${db}: applied ${applied.join(', ')}; now at ${latestMigration}\n`);
    return 0;
  } finally {
    await store.close();
  }
}
