import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { decodeFeedBody, decodeFeedChunks } from '../../src/ingest/decode.js';
import { normalizeFeed } from '../../src/ingest/normalize.js';
import { parseFeed } from '../../src/ingest/parse.js';
import { pollSource } from '../../src/ingest/pipeline.js';
import { pollAllOnce } from '../../src/ingest/scheduler.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss, type RssItem } from '../helpers/rss.js';
import { openTestStore } from '../helpers/store.js';

const items: RssItem[] = [
  { title: 'Bão số 6 khả năng sắp hình thành, trọng tâm mưa lớn ở miền Trung', link: 'https://vnexpress.net/bao-so-6-4931234.html', pubDate: 'Thu, 27 Nov 2026 08:00:00 +0700', description: '<p>Áp thấp nhiệt đới có thể mạnh lên thành bão.</p>' },
  { title: 'Công bố kết quả nghiên cứu ảnh hưởng của xăng E10', link: 'https://vnexpress.net/xang-e10-4931235.html?utm_source=rss', pubDate: 'Thu, 27 Nov 2026 09:00:00 +0700' },
  { title: 'Giá vàng hôm nay 27/11', link: 'https://vnexpress.net/gia-vang-4931236.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' },
];

/** windows-1258 has the base letters (ư, ơ, â …) but spells tones as combining marks, as real CP1258 text does. */
function toCp1258Spelling(text: string): string {
  return [...text]
    .map((ch) => {
      const parts = ch.normalize('NFD');
      const tones = parts.replace(/[^\u0300\u0301\u0303\u0309\u0323]/g, '');
      return tones ? parts.replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').normalize('NFC') + tones : ch;
    })
    .join('');
}

let server: FixtureServer;
let store: Store;
let app: App;

beforeEach(async () => {
  server = await startFixtureServer({
    '/a.rss': { body: buildRss(items) },
    '/b.rss': { body: buildRss([items[0]]) },
    '/html': { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><html><body>Trang chủ</body></html>' },
    '/broken.rss': { body: '<rss><channel><item><title>x</title></channel>' },
  });
  const config = makeConfig({
    sources: [
      { slug: 'a', url: server.url('/a.rss'), name: 'A', topics: ['thoi-su'] },
      { slug: 'b', url: server.url('/b.rss'), name: 'B', topics: ['kinh-doanh'] },
      { slug: 'html', url: server.url('/html'), name: 'HTML page', topics: [] },
      { slug: 'broken', url: server.url('/broken.rss'), name: 'Broken', topics: [] },
      { slug: 'gone', url: server.url('/gone.rss'), name: 'Gone', topics: [] },
    ],
  });
  store = await openTestStore();
  app = await createApp(config, store);
});
afterEach(async () => {
  await store.close();
  await server.close();
});

const count = async (table: 'articles' | 'stories' | 'article_sources') =>
  Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('poll pipeline', () => {
  it('stores a feed once, adds nothing on a re-poll, and updates a retitled item in place', async () => {
    const source = (await findSourceBySlug(store.db, 'a'))!;
    const first = await pollSource(app.ingest, source);
    expect(first).toMatchObject({ outcome: 'ok', new: 3, updated: 0, error: null, status: 200 });
    const second = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    expect(second).toMatchObject({ new: 0, updated: 0, unchanged: 3 });

    server.set('/a.rss', { body: buildRss([{ ...items[0], title: 'Bão số 6 đã hình thành, mưa lớn ở miền Trung' }, items[1], items[2]]) });
    const third = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    expect(third).toMatchObject({ new: 0, updated: 1, unchanged: 2 });
    expect(await count('articles')).toBe(3);
    const row = await store.db.selectFrom('articles').select(['title', 'link']).where('link', 'like', '%bao-so-6%').executeTakeFirstOrThrow();
    expect(row.title).toBe('Bão số 6 đã hình thành, mưa lớn ở miền Trung');
    // The tracking parameter is not part of the identity.
    const e10 = await store.db.selectFrom('articles').select('link').where('link', 'like', '%xang-e10%').executeTakeFirstOrThrow();
    expect(e10.link).toBe('https://vnexpress.net/xang-e10-4931235.html');
  });

  it('records 304 as unchanged using the remembered validators', async () => {
    server.set('/a.rss', {
      handler: (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') {
          res.writeHead(304, { etag: '"v1"' });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Thu, 27 Nov 2026 03:00:00 GMT' });
        res.end(buildRss(items));
      },
    });
    await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    const again = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    expect(again).toMatchObject({ outcome: 'not-modified', status: 304, new: 0 });
    const conditional = server.requests.filter((r) => r.path === '/a.rss').at(-1)!;
    expect(conditional.headers['if-none-match']).toBe('"v1"');
    expect(conditional.headers['if-modified-since']).toBe('Thu, 27 Nov 2026 03:00:00 GMT');
    const health = (await findSourceBySlug(store.db, 'a'))!;
    expect(health).toMatchObject({ last_status: 304, consecutive_failures: 0, last_error: null, item_count: 3 });
  });

  it('polls every source; bad sources get a readable error and do not harm the others', async () => {
    const reports = await pollAllOnce(app.ingest);
    const bySlug = Object.fromEntries(reports.map((r) => [r.source, r]));
    expect(bySlug.a).toMatchObject({ outcome: 'ok', new: 3 });
    // The same URL in b is the same article, now belonging to both sources.
    expect(bySlug.b.error).toBeNull();
    expect(await count('articles')).toBe(3);
    expect(await count('article_sources')).toBe(4);
    expect(bySlug.html).toMatchObject({ outcome: 'parse-error', error: expect.stringContaining('not a feed') });
    expect(bySlug.broken).toMatchObject({ outcome: 'parse-error', error: expect.stringMatching(/XML error/) });
    expect(bySlug.gone).toMatchObject({ outcome: 'http-error', status: 404, error: 'HTTP 404 Not Found' });

    const gone = (await findSourceBySlug(store.db, 'gone'))!;
    expect(gone.consecutive_failures).toBe(1);
    expect(gone.last_error).toBe('HTTP 404 Not Found');
    expect(gone.next_poll_at).toBeGreaterThan(gone.last_fetched_at!);
    await pollSource(app.ingest, gone);
    expect((await findSourceBySlug(store.db, 'gone'))!.consecutive_failures).toBe(2);
  });

  it('raises the poll interval when the feed asks for it with <ttl>', async () => {
    server.set('/a.rss', { body: buildRss(items, { ttl: 120 }) });
    await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    const source = (await findSourceBySlug(store.db, 'a'))!;
    expect(source.next_poll_at! - source.last_fetched_at!).toBe(120 * 60_000);
  });

  it('decodes real-world bodies end to end: gzip, a BOM, windows-1258 by Content-Type', async () => {
    const title = 'Thủy điện xả lũ, người dân vùng hạ du khẩn trương sơ tán';
    const xml = buildRss([{ title, link: 'https://dantri.com.vn/thuy-dien-1.html', pubDate: '27/11/2026 08:30' }]);
    server.set('/a.rss', { headers: { 'content-encoding': 'gzip' }, body: gzipSync(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])) });
    server.set('/b.rss', {
      headers: { 'content-type': 'application/rss+xml; charset=windows-1258' },
      body: iconv.encode(toCp1258Spelling(xml.replace('encoding="UTF-8"', 'encoding="windows-1258"').replace('thuy-dien-1', 'thuy-dien-2')), 'windows-1258'),
    });
    const a = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    const b = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'b'))!);
    expect([a.error, b.error]).toEqual([null, null]);
    const rows = await store.db.selectFrom('articles').select(['title', 'published_at']).orderBy('id').execute();
    expect(rows.map((r) => r.title)).toEqual([title, title]);
    // "27/11/2026 08:30" has no zone: read in the source's Asia/Ho_Chi_Minh.
    expect(new Date(rows[0].published_at).toISOString()).toBe('2026-11-27T01:30:00.000Z');
  });

  it('stores a feed larger than a decoding piece exactly as read whole (CDATA, comments, entities across the cuts)', async () => {
    const many: RssItem[] = Array.from({ length: 400 }, (_, i) => ({
      title: `Giá xăng & dầu <b>tăng</b> lần thứ ${i}, "kỷ lục" &amp; bất ngờ`,
      link: `https://vnexpress.net/gia-xang-${i}.html?utm_source=rss&x=${i}`,
      pubDate: `Thu, 27 Nov 2026 ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00 +0700`,
      description: `<p>Liên bộ Công Thương &amp; Tài chính điều chỉnh giá &nbsp;lần ${i} <a href="https://a.vn/?p=1&q=${i}">chi tiết</a></p><!-- quảng cáo < ${i} & -->`,
    }));
    // As real feeds have them: a bare "&" outside CDATA in every item (a piece the parser's
    // preparation skipped would fail the poll), and CDATA quoting HTML comments.
    const xml = buildRss(many).replace(/<\/item>/g, '<category>Sức khỏe & Đời sống</category></item>');
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)]);
    expect(decodeFeedChunks(body, 'application/rss+xml').length).toBeGreaterThan(3);
    server.set('/a.rss', { body });
    const report = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    expect([report.error, report.new]).toEqual([null, 400]);

    const whole = await parseFeed(decodeFeedBody(body, 'application/rss+xml'), { url: server.url('/a.rss') });
    const expected = normalizeFeed(whole, { feedUrl: server.url('/a.rss'), timezone: 'Asia/Ho_Chi_Minh', fetchedAt: new Date(), sourceSlug: 'a' }).articles;
    const rows = await store.db.selectFrom('articles').select(['key', 'title', 'summary', 'content_html']).execute();
    const stored = new Map(rows.map((r) => [r.key, [r.title, r.summary, r.content_html]]));
    expect(expected).toHaveLength(400);
    for (const a of expected) expect(stored.get(a.key)).toEqual([a.title, a.summary, a.contentHtml]);
    expect(expected[7].title).toBe('Giá xăng & dầu tăng lần thứ 7, "kỷ lục" & bất ngờ'); // tags dropped, entities decoded
    expect(expected[7].categories).toEqual(['Sức khỏe & Đời sống']);
  });

  it('reports a stalled server as a timeout and an entity bomb without expanding it', async () => {
    server.set('/a.rss', {
      handler: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
        // …and never finish.
      },
    });
    const lol = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`)].join('');
    server.set('/b.rss', { body: `<?xml version="1.0"?><!DOCTYPE rss [${lol}]><rss version="2.0"><channel><title>t</title><item><title>&lol9;</title><link>https://x.vn/1</link></item></channel></rss>` });
    const quick = { ...app.ingest, fetch: { ...app.ingest.fetch, timeoutMs: 300 } };
    const a = await pollSource(quick, (await findSourceBySlug(store.db, 'a'))!);
    expect(a).toMatchObject({ outcome: 'timeout', error: 'timed out after 300 ms' });
    const b = await pollSource(app.ingest, (await findSourceBySlug(store.db, 'b'))!);
    const titles = await store.db.selectFrom('articles').select('title').execute();
    expect(b.outcome === 'parse-error' || titles.every((t) => t.title.length < 100)).toBe(true);
    expect(titles.join('')).not.toContain('lollollol');
  });

  it('adds topics from category aliases and keywords, and detects the original outlet', async () => {
    server.set('/a.rss', {
      body: buildRss([
        {
          title: 'Tương lai AI không nằm trong tay Google hay OpenAI',
          link: 'https://x.vn/ai-1.html',
          pubDate: 'Thu, 27 Nov 2026 08:00:00 +0700',
          category: ['So hoa'],
          description: '<p>Gã khổng lồ tìm kiếm nhận định cộng đồng mã nguồn mở đang thắng.</p><p>Theo Thế Vinh (VietNamNet)</p>',
        },
      ]),
    });
    await pollSource(app.ingest, (await findSourceBySlug(store.db, 'a'))!);
    const row = await store.db.selectFrom('articles').select(['id', 'original_outlet']).executeTakeFirstOrThrow();
    expect(row.original_outlet).toBe('VietNamNet');
    const topics = await store.db
      .selectFrom('article_topics')
      .innerJoin('topics', 'topics.id', 'article_topics.topic_id')
      .select('topics.slug')
      .where('article_id', '=', row.id)
      .orderBy('topics.slug')
      .execute();
    expect(topics.map((t) => t.slug)).toEqual(['cong-nghe', 'thoi-su']);
  });

  it('does not count a poll cancelled by shutdown as a source failure', async () => {
    server.set('/a.rss', { handler: () => {} }); // never answers
    const controller = new AbortController();
    const poll = pollSource({ ...app.ingest, signal: controller.signal }, (await findSourceBySlug(store.db, 'a'))!);
    setTimeout(() => controller.abort(), 100);
    const report = await poll;
    expect(report.error).toBe('request cancelled');
    const source = (await findSourceBySlug(store.db, 'a'))!;
    expect(source).toMatchObject({ consecutive_failures: 0, last_error: null, last_fetched_at: null, next_poll_at: null });
  });
});
