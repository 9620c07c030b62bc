import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore, PAGE_SIZE } from '../../src/store/database.js';
import { useTempFiles } from '../helpers/temp-files.js';

const tempFile = useTempFiles('newsgate-db-');

const settings = (sqlite: SQLite.Database) => ({
  pageSize: sqlite.pragma('page_size', { simple: true }),
  checkpointPages: sqlite.pragma('wal_autocheckpoint', { simple: true }),
  journal: sqlite.pragma('journal_mode', { simple: true }),
});

describe('openStore', () => {
  it('makes a new database with 16 KiB pages, whose writer checkpoints its WAL only past 64 MiB (a thread does it before)', async () => {
    const file = tempFile();
    const store = await openStore(file);
    try {
      expect(PAGE_SIZE).toBe(16_384);
      expect(settings(store.sqlite)).toEqual({ pageSize: 16_384, checkpointPages: 4_096, journal: 'wal' });
    } finally {
      await store.close();
    }
    // Still so when opened again (the size is the file's, not the connection's).
    const again = await openStore(file);
    try {
      expect(settings(again.sqlite).pageSize).toBe(16_384);
    } finally {
      await again.close();
    }
  });

  it('keeps the page size of a database made before, with its data, and the same checkpoint thresholds in bytes', async () => {
    const file = tempFile();
    const old = new SQLite(file);
    old.pragma('page_size = 4096');
    old.exec("create table kept (v text); insert into kept values ('still here')");
    old.close();
    const store = await openStore(file);
    try {
      expect(settings(store.sqlite)).toEqual({ pageSize: 4_096, checkpointPages: 16_384, journal: 'wal' });
      expect(store.sqlite.prepare('select v from kept').get()).toEqual({ v: 'still here' });
      // Migrated as any other: the schema is there.
      expect(store.sqlite.prepare("select count(*) as n from sqlite_master where name = 'articles'").get()).toEqual({ n: 1 });
    } finally {
      await store.close();
    }
  });
});
