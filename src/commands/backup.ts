import type { CliIo } from '../cli.js';
import { backupDatabase } from '../store/backup.js';

/** `newsgate backup FILE`: a consistent copy of the database, safe while serve runs on it. */
export async function runBackup(options: { dbFile: string; file: string; json: boolean; io: CliIo }): Promise<number> {
  const result = await backupDatabase(options.dbFile, options.file);
  if (options.json) options.io.stdout.write(JSON.stringify({ source: options.dbFile, ...result }, null, 2) + '\n');
  else options.io.stdout.write(`backup of ${options.dbFile} written to ${result.file}: ${result.bytes} bytes (${result.pages} pages) in ${result.durationMs} ms, quick_check ok\n`);
  return 0;
}
