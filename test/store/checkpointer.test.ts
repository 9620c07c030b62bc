import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { startCheckpointer } from '../../src/store/checkpointer.js';
import { openStore } from '../../src/store/database.js';
import { fileIdentity } from '../../src/store/stats.js';
import { useTempFiles } from '../helpers/temp-files.js';

const tempFile = useTempFiles('newsgate-ckpt-');

async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`never happened: ${what}`);
}

describe('background checkpointer', () => {
  it('copies a committed transaction into the database file, far below the writer’s own threshold', async () => {
    const file = tempFile();
    const store = await openStore(file);
    try {
      store.sqlite.exec('create table filler (b blob)');
      const before = statSync(file).size;
      // ~2 MB: an eighth of the 16 MiB at which the writer would have checkpointed by itself, and
      // a thirty-second of its backstop threshold now.
      await store.db.transaction().execute(async (trx) => {
        await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
                  insert into filler select randomblob(1000) from n`.execute(trx);
      });
      await eventually(() => statSync(file).size > before + 1_900_000, 'the database file grows by the rows committed');
      expect(store.sqlite.prepare('select count(*) as n from filler').get()).toEqual({ n: 2000 });
      // Commits within the minimum interval are not left behind: the checkpoint after it takes them.
      for (let k = 0; k < 3; k++) {
        await store.db.transaction().execute(async (trx) => {
          await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 500)
                    insert into filler select randomblob(1000) from n`.execute(trx);
        });
      }
      const grown = statSync(file).size;
      await eventually(() => statSync(file).size > grown + 1_400_000, 'the later commits reach the file too');
    } finally {
      await store.close();
    }
    // The thread closed its connection first, so the writer's close was the last: no WAL is left behind.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const again = await openStore(file);
    try {
      expect(again.sqlite.prepare('select count(*) as n from filler').get()).toEqual({ n: 3500 });
    } finally {
      await again.close();
    }
  });

  it('reports a thread that cannot open the database and stops; closing it still resolves', async () => {
    const errors: string[] = [];
    const checkpointer = startCheckpointer(join(tempFile(), 'missing', 'nowhere.db'), { identity: null, onError: (message) => errors.push(message) });
    checkpointer.committed();
    await eventually(() => errors.length > 0, 'the failure is reported');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^background checkpointer stopped: .*(unable to open|does not exist|directory)/i);
    checkpointer.committed(); // ignored once stopped
    await checkpointer.close();
    expect(errors).toHaveLength(1);
  });

  it('stops rather than checkpoint into another file that took the path before the thread opened it', async () => {
    const file = tempFile();
    const opened = new SQLite(file);
    opened.pragma('journal_mode = WAL');
    opened.exec('create table t (v text)');
    const identity = fileIdentity(file);
    // A restore copied over the live path, between the writer's open and the thread's.
    await opened.backup(`${file}.copy`);
    renameSync(`${file}.copy`, file);
    const errors: string[] = [];
    const checkpointer = startCheckpointer(file, { identity, onError: (message) => errors.push(message) });
    await eventually(() => errors.length > 0, 'the refusal is reported');
    expect(errors).toEqual(['background checkpointer stopped: the database file was replaced before the checkpointer could open it']);
    await checkpointer.close();
    opened.close();
  });
});
