import type { Store } from '../../src/store/database.js';
import type { Config } from '../../src/config/types.js';
import { openPgTestStore, openSqliteTestStore } from './dialects.js';

/**
 * A real database migrated by the real migrations, with the config synced in: in-memory SQLite,
 * or — in the vitest "postgres" project (test/vitest.config.ts), which runs the API and feed
 * suites again — a fresh PostgreSQL schema of its own, dropped when the store closes.
 */
export async function openTestStore(config?: Config): Promise<Store> {
  if (process.env.NEWSGATE_TEST_DIALECT === 'postgres') return openPgTestStore(process.env.NEWSGATE_TEST_PG_URL!, config);
  return openSqliteTestStore(config);
}
