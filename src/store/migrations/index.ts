import type { Migration, MigrationProvider } from 'kysely';
import * as m001 from './001-initial.js';
import * as m002 from './002-article-tombstones.js';
import * as m003 from './003-article-search.js';
import * as m004 from './004-source-leases.js';
import * as m005 from './005-app-folded-search.js';
import * as m006 from './006-sqlite-app-search.js';

/** Static list so a bundled build needs no directory scan. Append, never reorder. */
const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-article-tombstones': m002,
  '003-article-search': m003,
  '004-source-leases': m004,
  '005-app-folded-search': m005,
  '006-sqlite-app-search': m006,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

export const latestMigration = Object.keys(migrations).at(-1)!;
