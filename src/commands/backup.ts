import type { CliIo } from '../cli.js';
import { backupDatabase } from '../store/backup.js';
import { StoreError } from '../store/database.js';
import { isPostgresUrl } from '../store/dialect.js';
import { sqliteFile } from '../store/open.js';

/** `newsgate backup FILE`: a consistent copy of the database, safe while serve runs on it. */
export async function runBackup(options: { dbFile: string; file: string; json: boolean; io: CliIo }): Promise<number> {
  if (isPostgresUrl(options.dbFile)) {
    throw new StoreError('backup copies a SQLite file with its online backup API; back up PostgreSQL with pg_dump (or your provider\'s snapshots)');
  }
  const result = await backupDatabase(sqliteFile(options.dbFile), options.file);
  if (options.json) options.io.stdout.write(JSON.stringify({ source: options.dbFile, ...result }, null, 2) + '\n');
  else options.io.stdout.write(`backup of ${options.dbFile} written to ${result.file}: ${result.bytes} bytes (${result.pages} pages) in ${result.durationMs} ms, quick_check ok\n`);
  return 0;
}
