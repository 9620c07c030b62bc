import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase } from '../../src/store/backup.js';
import { StoreError } from '../../src/store/database.js';
import { latestMigration } from '../../src/store/migrations/index.js';
import { buildRss } from '../helpers/rss.js';
import { startOpsHarness, type OpsHarness } from './harness.js';

const BIN = join(process.cwd(), 'dist/newsgate.js');

let h: OpsHarness;
let served = 0;

beforeEach(async () => {
  h = await startOpsHarness({ file: true, routes: {}, sources: [{ slug: 'busy', path: '/busy.rss', name: 'Busy', topics: ['thoi-su', 'kinh-doanh'] }] });
  served = 0;
  // Every request is a new page of 150 articles, so every poll inserts.
  h.feeds.set('/busy.rss', {
    handler: (_req, res) => {
      const page = served++;
      const items = Array.from({ length: 150 }, (_, i) => ({
        title: `Tin ${page}-${i}: ${'nội dung dài '.repeat(8)}`,
        link: `https://example.vn/tin-${page}-${i}.html`,
        description: `<p>${'Đoạn văn mô tả bài viết. '.repeat(20)}</p>`,
        pubDate: new Date(Date.UTC(2026, 10, 1) + page * 3_600_000 + i * 1000).toUTCString(),
      }));
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(buildRss(items));
    },
  });
});
afterEach(async () => h.close());

/** Polls in a loop until stopped; resolves to the number of completed polls. */
function ingestContinuously() {
  let stop = false;
  let polls = 0;
  const done = (async () => {
    while (!stop) {
      const report = await h.poll('busy');
      expect(report.error).toBeNull();
      polls++;
    }
    return polls;
  })();
  return { polls: () => polls, stop: () => ((stop = true), done) };
}

function runBin(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function inspect(file: string) {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return {
      integrity: db.pragma('integrity_check', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      articles: (db.prepare('select count(*) as n from articles').get() as { n: number }).n,
      // Counters written in the same transaction as the rows must agree in a consistent copy.
      itemCountMatches: (db.prepare('select item_count = (select count(*) from article_sources where source_id = sources.id) as ok from sources').get() as { ok: number }).ok,
      migration: (db.prepare('select max(name) as name from kysely_migration').get() as { name: string }).name,
    };
  } finally {
    db.close();
  }
}

describe('backup', () => {
  it('copies the live database consistently while polls keep writing (in-process and from the CLI)', { timeout: 60_000 }, async () => {
    await h.poll('busy');
    const ingest = ingestContinuously();
    // Let a few writes land in the WAL first.
    while (ingest.polls() < 2) await new Promise((resolve) => setTimeout(resolve, 10));

    const inProcess = join(h.dir, 'in-process.db');
    const result = await backupDatabase(h.store.file, inProcess);
    expect(result.bytes).toBeGreaterThan(0);

    const pollsBefore = ingest.polls();
    const cliCopy = join(h.dir, 'cli.db');
    const cli = await runBin(['backup', cliCopy, '--db', h.store.file]);
    const pollsDuring = ingest.polls() - pollsBefore;
    const total = await ingest.stop();
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(new RegExp(`written to ${cliCopy.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+ bytes`));
    // The CLI ran while this process kept polling.
    expect(pollsDuring).toBeGreaterThan(0);

    for (const file of [inProcess, cliCopy]) {
      const copy = inspect(file);
      expect(copy.integrity).toBe('ok');
      expect(copy.journal).toBe('delete');
      expect(copy.articles).toBeGreaterThan(0);
      expect(copy.articles % 150).toBe(0);
      expect(copy.itemCountMatches).toBe(1);
      expect(copy.migration).toBe(latestMigration);
      expect(existsSync(`${file}-wal`)).toBe(false);
    }
    expect(inspect(cliCopy).articles).toBeGreaterThan(inspect(inProcess).articles);
    expect(total).toBeGreaterThan(2);
  });

  it('refuses to overwrite the database itself and reports a missing one', { timeout: 30_000 }, async () => {
    await expect(backupDatabase(h.store.file, h.store.file)).rejects.toThrow(StoreError);
    await expect(backupDatabase(join(h.dir, 'nope.db'), join(h.dir, 'copy.db'))).rejects.toThrow(/does not exist/);
    await expect(backupDatabase(h.store.file, join(h.dir, 'no/such/dir/copy.db'))).rejects.toThrow(/directory does not exist/);
    expect(existsSync(join(h.dir, 'copy.db'))).toBe(false);
    const cli = await runBin(['backup', join(h.dir, 'copy.db'), '--db', join(h.dir, 'nope.db')]);
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain('does not exist');
    expect((await runBin(['backup'])).status).toBe(2);
  });
});
