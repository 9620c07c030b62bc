import { closeSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/ingest/scheduler.js';
import { backupDatabase } from '../../src/store/backup.js';
import { latestMigration } from '../../src/store/migrations/index.js';
import { buildRss } from '../helpers/rss.js';
import { startOpsHarness, type OpsHarness } from './harness.js';

let h: OpsHarness;

beforeEach(async () => {
  h = await startOpsHarness({
    file: true,
    routes: { '/a.rss': buildRss([{ title: 'Tin một', link: 'https://example.vn/1.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' }]) },
    sources: [{ slug: 'a', path: '/a.rss', name: 'A', topics: [] }],
  });
});
afterEach(async () => h.close());

async function readyz() {
  const response = await h.get('/readyz');
  return { status: response.status, body: (await response.json()) as { status: string; failing: string[]; checks: Record<string, { status: string; error?: string }> } };
}

describe('/healthz and /readyz', () => {
  it('is ready with a reachable, migrated database; the scheduler check is disabled when nothing polls', async () => {
    expect((await h.get('/healthz')).status).toBe(200);
    const { status, body } = await readyz();
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      failing: [],
      checks: { database: { status: 'ok' }, migrations: { status: 'ok', current: latestMigration }, scheduler: { status: 'disabled' } },
    });
  });

  it('fails the database check when the connection is closed', async () => {
    await h.store.close();
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.status).toBe('fail');
    expect(body.failing).toContain('database');
    expect(body.checks.database.error).toBeTruthy();
    // Liveness is about the process, not its dependencies.
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it('fails the database check when the file is gone, swapped or unreadable, though the open connection still reads', async () => {
    const file = h.store.file;
    renameSync(file, `${file}.moved`);
    let result = await readyz();
    expect(result.status).toBe(503);
    expect(result.body.failing).toEqual(['database']);
    expect(result.body.checks.database.error).toMatch(/is missing/);
    renameSync(`${file}.moved`, file);
    expect((await readyz()).status).toBe(200);

    // A restore copied over the live path: the server would go on writing to the old, unlinked file.
    await backupDatabase(file, `${file}.copy`);
    renameSync(file, `${file}.moved`);
    renameSync(`${file}.copy`, file);
    result = await readyz();
    expect(result.status).toBe(503);
    expect(result.body.checks.database.error).toMatch(/was replaced/);
    renameSync(`${file}.moved`, file);
    expect((await readyz()).status).toBe(200);

    // The file itself turned into garbage (same inode); the connection answers from its cache.
    expect(h.store.sqlite.prepare('select count(*) as n from sources').get()).toEqual({ n: 1 });
    // Everything in the WAL goes into the file first: a checkpoint still due (the background
    // thread's, after the migrations' commits) would otherwise write page 1 back over the garbage.
    // While the thread's own checkpoint runs, this one answers busy without waiting (and the
    // thread may still be copying page 1): wait until it went through.
    for (let waited = 0; (h.store.sqlite.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[])[0].busy !== 0; waited += 20) {
      if (waited > 5_000) throw new Error('the WAL could not be checkpointed within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const garbage = Buffer.alloc(4096, 0x5a);
    const readHead = () => {
      const head = Buffer.alloc(garbage.length);
      const fd = openSync(file, 'r');
      readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      return head;
    };
    for (let attempt = 1; ; attempt++) {
      const fd = openSync(file, 'r+');
      writeSync(fd, garbage, 0, garbage.length, 0);
      closeSync(fd);
      result = await readyz();
      // Under load, a commit the app was still making can reach the file through a checkpoint
      // during the request and bring page 1 back: then the file was not garbage, so try again.
      // A probe that answers 200 while the garbage is still there fails below.
      if (result.status === 503 || readHead().equals(garbage) || attempt === 5) break;
    }
    expect(result.status).toBe(503);
    expect(result.body.failing).toContain('database');
    expect(result.body.checks.database.error).toMatch(/not a database/);
  });

  it('fails the migrations check when the database lags behind this build', async () => {
    h.store.sqlite.prepare('delete from kysely_migration where name = ?').run(latestMigration);
    const { status, body } = await readyz();
    expect(status).toBe(503);
    expect(body.failing).toEqual(['migrations']);
    expect(body.checks.migrations).toMatchObject({ status: 'fail', error: 'migrations pending', expected: latestMigration });
  });

  it('follows the scheduler: ok while it ticks, failing when its last pass is stale', async () => {
    const scheduler = startScheduler(h.app.ingest, { tickMs: 50 });
    h.app.ops.scheduler = scheduler;
    try {
      await new Promise((resolve) => setTimeout(resolve, 120));
      let result = await readyz();
      expect(result.status).toBe(200);
      expect(result.body.checks.scheduler.status).toBe('ok');

      h.app.ops.scheduler = { lastTickAt: () => Date.now() - 5 * 60_000 };
      result = await readyz();
      expect(result.status).toBe(503);
      expect(result.body.failing).toEqual(['scheduler']);
      expect(result.body.checks.scheduler.error).toMatch(/no scheduling pass for 300 s/);
    } finally {
      await scheduler.stop();
    }
  });
});
