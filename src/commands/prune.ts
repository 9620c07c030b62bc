import { existsSync } from 'node:fs';
import type { CliIo } from '../cli.js';
import type { Config } from '../config/types.js';
import { StoreError } from '../store/database.js';
import { isPostgresUrl } from '../store/dialect.js';
import { openDatabase, sqliteFile } from '../store/open.js';
import { pruneExpired } from '../store/retention.js';

/** `newsgate prune`: one retention pass now (serve runs the same pass daily). */
export async function runPrune(options: { config: Config; dbFile: string; json: boolean; io: CliIo; now?: number }): Promise<number> {
  const { io } = options;
  if (!isPostgresUrl(options.dbFile) && options.dbFile !== ':memory:' && !existsSync(sqliteFile(options.dbFile))) throw new StoreError(`database ${options.dbFile} does not exist`);
  const store = await openDatabase(options.dbFile);
  try {
    const result = await pruneExpired(store.db, { retentionDays: options.config.retentionDays, now: options.now });
    if (options.json) {
      io.stdout.write(JSON.stringify({ ...result, cutoff: result.cutoff === null ? null : new Date(result.cutoff).toISOString() }, null, 2) + '\n');
    } else if (result.cutoff === null) {
      io.stdout.write('retention is disabled (retentionDays is 0): nothing deleted\n');
    } else {
      io.stdout.write(
        `pruned ${result.articles} articles first seen before ${new Date(result.cutoff).toISOString()} (retentionDays ${result.retentionDays})\n` +
          `stories: ${result.storiesRemoved} removed, ${result.storiesRefreshed} refreshed\n` +
          `tombstones: ${result.tombstonesAdded} added, ${result.tombstonesExpired} expired\n`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
