import { openStore, type Store } from '../../src/store/database.js';
import { syncConfig } from '../../src/store/sources.js';
import type { Config } from '../../src/config/types.js';

/** A real in-memory SQLite database migrated by the real migrations, with the config synced in. */
export async function openTestStore(config?: Config): Promise<Store> {
  const store = await openStore(':memory:');
  if (config) await syncConfig(store.db, config, Date.now());
  return store;
}
