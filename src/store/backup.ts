import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { StoreError } from './database.js';

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  durationMs: number;
}

/**
 * Writes a consistent copy of a live database with SQLite's online backup API, from a
 * connection of its own, so a server may keep reading and writing the same file. All pages
 * are copied in one step: under WAL that is one read snapshot, which writers do not wait for,
 * and a copy made in many steps would restart each time another process commits. The copy
 * is written next to FILE, switched to a rollback journal (one self-contained file), checked
 * with quick_check, then renamed over FILE, so FILE is either the old file or a whole backup.
 */
export async function backupDatabase(sourceFile: string, destination: string): Promise<BackupResult> {
  const started = Date.now();
  if (sourceFile === ':memory:') throw new StoreError('cannot back up an in-memory database');
  if (!existsSync(sourceFile)) throw new StoreError(`database ${sourceFile} does not exist`);
  if (resolve(sourceFile) === resolve(destination)) throw new StoreError('the backup file must not be the database itself');
  const partial = `${destination}.partial-${process.pid}`;
  const cleanup = () => {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(partial + suffix, { force: true });
  };
  cleanup();
  let pages = 0;
  try {
    const source = new SQLite(sourceFile, { fileMustExist: true, timeout: 5000 });
    try {
      const progress = await source.backup(partial, { progress: () => 0x7fffffff });
      pages = progress.totalPages;
    } catch (error) {
      throw new StoreError(`backup of ${sourceFile} failed: ${(error as Error).message}`);
    } finally {
      source.close();
    }
    const copy = new SQLite(partial, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new StoreError(`backup failed its integrity check: ${String(check)}`);
    } finally {
      copy.close();
    }
    renameSync(partial, destination);
  } catch (error) {
    cleanup();
    throw error;
  }
  return { file: destination, bytes: statSync(destination).size, pages, durationMs: Date.now() - started };
}
