import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { ArticleInput } from '../../src/model/article.js';
import { listArticlePage, noFilter } from '../../src/store/article-queries.js';
import { storeArticles, type StoryAssigner } from '../../src/store/articles.js';
import { openStore } from '../../src/store/database.js';
import { COPY_TABLES } from '../../src/store/copy.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { openDatabase } from '../../src/store/open.js';
import { pruneExpired } from '../../src/store/retention.js';
import { findSourceBySlug, listTopicIdsBySource, syncConfig, updateSourceState, upsertSource } from '../../src/store/sources.js';
import { parseSearchQuery } from '../../src/text/search-query.js';
import { makeConfig } from '../helpers/config.js';
import { createPgSchema, testDialects } from '../helpers/dialects.js';

/**
 * `newsgate migrate` and `newsgate copy --from sqlite:FILE --to postgres://…` through the real
 * CLI entry point, on a real SQLite file and a real PostgreSQL schema.
 */
const pgCase = (await testDialects()).find((d) => d.dialect === 'postgres')!;
const { probePostgres } = await import('../helpers/dialects.js');

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 12);
const config = makeConfig({
  sources: [
    { slug: 'vnexpress', url: 'https://vnexpress.net/rss', name: 'VnExpress', topics: ['thoi-su'] },
    { slug: 'dantri', url: 'https://dantri.com.vn/rss', name: 'Dân trí', topics: ['kinh-doanh', 'cong-nghe'] },
  ],
});

function article(n: number, title: string, at: number): ArticleInput {
  return {
    key: `https://example.vn/${n}`,
    link: `https://example.vn/${n}`,
    guid: `g${n}`,
    title,
    summary: `Tóm tắt ${n}: ${title}`,
    contentHtml: `<p>${title}</p>`,
    author: n % 2 ? 'Phóng viên' : null,
    imageUrl: n % 3 ? null : `https://example.vn/${n}.jpg`,
    categories: ['Thời sự', `c${n}`],
    publishedAt: new Date(at),
  };
}

async function cli(args: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const status = await runCli(args, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), env });
  return { status, stdout, stderr };
}

/** Every row of every table, ordered by primary key, as plain JSON. */
async function dump(target: string) {
  const store = await openDatabase(target, { migrate: false });
  try {
    const out: Record<string, unknown[]> = {};
    for (const { table, key } of COPY_TABLES) {
      let query = (store.db as any).selectFrom(table).selectAll();
      for (const column of key) query = query.orderBy(column);
      out[table] = await query.execute();
    }
    return out;
  } finally {
    await store.close();
  }
}

describe.skipIf(pgCase.skip !== null)(`newsgate migrate and copy [postgres]${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
  let dir: string;
  let file: string;
  let pg: Awaited<ReturnType<typeof createPgSchema>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsgate-copy-'));
    file = join(dir, 'newsgate.db');
    const probe = await probePostgres();
    if (!('url' in probe)) throw new Error(probe.reason);
    pg = await createPgSchema(probe.url);
  });
  afterAll(async () => {
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to serve an unmigrated PostgreSQL database, migrates it on request, once', async () => {
    const before = await cli(['sources', '--config', 'feeds/demo/sources.json'], { DATABASE_URL: pg.url });
    expect(before.status).toBe(1);
    expect(before.stderr).toMatch(/has no newsgate schema yet .*run `newsgate migrate/);
    const first = await cli(['migrate', '--db', pg.url, '--json']);
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout).applied).toEqual(Object.keys(await migrationProvider.getMigrations()));
    // Concurrent runs are serialised by the migrator's advisory lock: both succeed, nothing is applied twice.
    const again = await Promise.all([cli(['migrate', '--db', pg.url, '--json']), cli(['migrate', '--json'], { DATABASE_URL: pg.url })]);
    expect(again.map((r) => [r.status, JSON.parse(r.stdout).applied])).toEqual([
      [0, []],
      [0, []],
    ]);
  });

  it('copies a SQLite database to PostgreSQL without loss: every row of every table, ids kept, search and sequences working', async () => {
    // A SQLite database with everything a real one has: topics, sources with health, articles
    // shared by two sources, merged stories (aliases), tombstones from retention.
    const sqlite = await openStore(file);
    await syncConfig(sqlite.db, config, NOW - 200 * DAY);
    await upsertSource(sqlite.db, { slug: 'api-added', url: 'https://api.example/rss', name: 'API nguồn', topics: [], language: 'vi', intervalMinutes: 30, timezone: 'Asia/Ho_Chi_Minh', siteUrl: null }, 'api', NOW);
    const vne = (await findSourceBySlug(sqlite.db, 'vnexpress'))!;
    const dantri = (await findSourceBySlug(sqlite.db, 'dantri'))!;
    const topics = await listTopicIdsBySource(sqlite.db, [vne.id, dantri.id]);
    await updateSourceState(sqlite.db, vne.id, { last_fetched_at: NOW - 60_000, last_status: 200, etag: '"abc"', last_modified: 'Sat, 28 Nov 2026 11:59:00 GMT', next_poll_at: NOW + 900_000, feed_title: 'VnExpress – Thời sự' });
    await updateSourceState(sqlite.db, dantri.id, { last_fetched_at: NOW - 60_000, last_status: 503, last_error: 'HTTP 503 Service Unavailable', consecutive_failures: 3, next_poll_at: NOW + 3_600_000 });
    const old = await storeArticles(sqlite.db, { sourceId: vne.id, sourceTopicIds: topics.get(vne.id)!, articles: [article(1, 'Bão số 5 đổ bộ Đà Nẵng', NOW - 150 * DAY), article(2, 'Tin cũ sẽ bị xoá', NOW - 150 * DAY)], now: NOW - 150 * DAY });
    const fresh = await storeArticles(sqlite.db, { sourceId: vne.id, sourceTopicIds: topics.get(vne.id)!, articles: [10, 11, 12].map((n) => article(n, `Giá xăng E10 giảm ngày 28/${n}`, NOW - n * 60_000)), now: NOW });
    // Article 12 links the stories of 10 and 11 into 10's story.
    const [s10, s11] = fresh.inserted;
    const linker: StoryAssigner = { assign: () => ({ storyId: s10, merged: [s11] }) };
    await storeArticles(sqlite.db, { sourceId: dantri.id, sourceTopicIds: topics.get(dantri.id)!, articles: [article(10, 'Giá xăng E10 giảm ngày 28/10', NOW - 10 * 60_000), article(13, 'Xăng giảm giá: thêm chi tiết', NOW)], now: NOW, stories: linker });
    const pruned = await pruneExpired(sqlite.db, { retentionDays: 90, now: NOW });
    expect(pruned.articles).toBe(old.inserted.length);
    await sqlite.close();

    const expected = await dump(file);
    expect(expected.article_tombstones).toHaveLength(2);
    expect(expected.story_aliases).toHaveLength(1);
    expect(expected.article_sources.length).toBeGreaterThan(expected.articles.length);

    const copy = await cli(['copy', '--from', `sqlite:${file}`, '--to', pg.url, '--json']);
    expect(copy.stderr).toBe('');
    expect(copy.status).toBe(0);
    const report = JSON.parse(copy.stdout);
    expect(report.to).not.toContain('search_path=');
    expect(report.rows).toEqual(Object.fromEntries(Object.entries(expected).map(([table, rows]) => [table, rows.length])));
    expect(await dump(pg.url)).toEqual(expected);

    // A second copy into the now non-empty database is refused, and changes nothing.
    const twice = await cli(['copy', '--from', `sqlite:${file}`, '--to', pg.url]);
    expect(twice.status).toBe(1);
    expect(twice.stderr).toMatch(/not empty/);

    const store = await openDatabase(pg.url);
    try {
      // The search index was built by PostgreSQL's own trigger from the copied rows.
      const found = await listArticlePage(store.db, { ...noFilter, search: parseSearchQuery('xang e10 -"28/11"') }, { limit: 10 });
      expect(found.rows.map((r) => r.title).sort()).toEqual(['Giá xăng E10 giảm ngày 28/10', 'Giá xăng E10 giảm ngày 28/12']);
      // Identity sequences continue after the copied ids.
      const maxSource = Math.max(...expected.sources.map((r: any) => r.id));
      const id = await upsertSource(store.db, { slug: 'after-copy', url: 'https://new.example/rss', name: 'Mới', topics: [], language: null, intervalMinutes: 15, timezone: 'Asia/Ho_Chi_Minh', siteUrl: null }, 'api', NOW);
      expect(id).toBeGreaterThan(maxSource);
    } finally {
      await store.close();
    }
    // The CLI reads the copied database like the file it came from.
    const sources = await cli(['sources', '--json', '--config', 'feeds/demo/sources.json'], { DATABASE_URL: pg.url });
    expect(sources.status).toBe(0);
  });
});
