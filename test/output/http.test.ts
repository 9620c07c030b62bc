import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { feedOutput } from '../../src/output/routes.js';
import { buildRss, type RssItem } from '../helpers/rss.js';
import { startHarness, type Harness } from './harness.js';
import { availability, feedparse, validateAtom, validateJsonFeed } from './validators.js';

const a: RssItem[] = [
  {
    title: 'Bão số 6 khả năng sắp hình thành, trọng tâm mưa lớn ở miền Trung',
    link: 'https://vnexpress.net/bao-so-6-4931234.html',
    pubDate: 'Thu, 27 Nov 2026 08:00:00 +0700',
    description: '<p>Áp thấp nhiệt đới có thể mạnh lên thành bão.</p><img src="https://i1-vnexpress.vnecdn.net/2026/11/27/bao.jpg" alt="Bão">',
    category: ['Thời sự'],
  },
  { title: 'Công bố kết quả nghiên cứu ảnh hưởng của xăng E10', link: 'https://vnexpress.net/xang-e10-4931235.html', pubDate: 'Thu, 27 Nov 2026 09:00:00 +0700' },
  { title: 'Giá vàng hôm nay 27/11 tăng mạnh', link: 'https://vnexpress.net/gia-vang-4931236.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' },
];
const b: RssItem[] = [{ title: 'Lãi suất ngân hàng tháng 12', link: 'https://tuoitre.vn/lai-suat-2026.htm', pubDate: '2026-11-27T11:30:00+07:00' }];

let h: Harness;

beforeEach(async () => {
  h = await startHarness({
    routes: { '/a.rss': buildRss(a, { title: 'VnExpress' }), '/b.rss': buildRss(b) },
    sources: [
      { slug: 'vnexpress', path: '/a.rss', name: 'VnExpress', topics: ['thoi-su'], intervalMinutes: 10 },
      { slug: 'tuoitre', path: '/b.rss', name: 'Tuổi Trẻ & "Online"', topics: ['thoi-su', 'kinh-doanh'], intervalMinutes: 30 },
    ],
    feeds: [{ slug: 'tin-nong', title: 'Tin nóng', description: 'Bão, lũ', topics: ['thoi-su'], include: ['bão'] }],
  });
  await h.poll('vnexpress');
  await h.poll('tuoitre');
});
afterEach(async () => {
  await h.close();
});

describe('feed routes', () => {
  it('serves a topic in all three formats with the right types, self links and ttl', async () => {
    const rss = await h.get('/feeds/topics/thoi-su.rss');
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(rss.headers.get('cache-control')).toBe('public, max-age=600');
    const xml = await rss.text();
    expect(xml).toContain(`<atom:link href="${h.base}/feeds/topics/thoi-su.rss" rel="self" type="application/rss+xml"/>`);
    expect(xml).toContain('<ttl>10</ttl>');
    const parsed = await new Parser().parseString(xml);
    expect(parsed.items.map((i) => i.title)).toEqual([b[0].title, a[2].title, a[1].title, a[0].title]);
    expect(parsed.items[3].isoDate).toBe('2026-11-27T01:00:00.000Z');
    expect(parsed.items[3].enclosure?.url).toBe('https://i1-vnexpress.vnecdn.net/2026/11/27/bao.jpg');
    expect(parsed.items[3].guid).toBe('https://vnexpress.net/bao-so-6-4931234.html');

    const atom = await h.get('/feeds/topics/thoi-su.atom');
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const atomXml = await atom.text();
    expect(atomXml).toContain(`<link rel="self" type="application/atom+xml" href="${h.base}/feeds/topics/thoi-su.atom"/>`);

    const json = await h.get('/feeds/topics/thoi-su.json');
    expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = await json.json();
    expect(feed.feed_url).toBe(`${h.base}/feeds/topics/thoi-su.json`);
    expect(feed.items).toHaveLength(4);
    expect(feed.items[3].date_published).toBe('2026-11-27T01:00:00.000Z');
  });

  it('produces outputs that validate (Atom RELAX NG, JSON Feed schema, feedparser)', async (ctx) => {
    const skipped: string[] = [];
    for (const path of ['/feeds/topics/thoi-su', '/feeds/sources/tuoitre', '/feeds/tin-nong', '/feeds/search']) {
      const q = path.endsWith('search') ? '?q=gi%C3%A1' : '?collapse=story';
      const atom = validateAtom(await (await h.get(`${path}.atom${q}`)).text());
      if (atom) expect(atom.ok, `${path}: ${atom.message}`).toBe(true);
      else skipped.push(availability.atom!);
      const json = validateJsonFeed(await (await h.get(`${path}.json${q}`)).text());
      if (json) expect(json.ok, `${path}: ${json.message}`).toBe(true);
      else skipped.push(availability.jsonfeed!);
      for (const ext of ['rss', 'atom']) {
        const parsed = feedparse(await (await h.get(`${path}.${ext}${q}`)).text());
        if (parsed) expect(parsed.bozo, `${path}.${ext}: ${parsed.bozo_exception}`).toBe(false);
        else skipped.push(availability.feedparser!);
      }
    }
    if (skipped.length) ctx.skip([...new Set(skipped)].join('; '));
  }, 60_000);

  it('serves a source, escaping its name, with the source’s own interval', async () => {
    const res = await h.get('/feeds/sources/tuoitre.atom');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=1800');
    const xml = await res.text();
    expect(xml).toContain('<title type="text">Tuổi Trẻ &amp; &quot;Online&quot;</title>');
    expect(xml.match(/<entry>/g)).toHaveLength(1);
  });

  it('applies limit, since, q and collapse parameters', async () => {
    const limited = await (await h.get('/feeds/topics/thoi-su.json?limit=2')).json();
    expect(limited.items.map((i: { title: string }) => i.title)).toEqual([b[0].title, a[2].title]);
    expect(limited.feed_url).toBe(`${h.base}/feeds/topics/thoi-su.json?limit=2`);

    const since = await (await h.get('/feeds/topics/thoi-su.json?since=2026-11-27T09:30:00%2B07:00')).json();
    expect(since.items.map((i: { title: string }) => i.title)).toEqual([b[0].title, a[2].title]);
    const sinceDay = await (await h.get('/feeds/topics/thoi-su.json?since=2026-11-28')).json();
    expect(sinceDay.items).toEqual([]);

    const q = await (await h.get(`/feeds/topics/thoi-su.json?q=${encodeURIComponent('XĂNG e10')}`)).json();
    expect(q.items.map((i: { title: string }) => i.title)).toEqual([a[1].title]);
    // Search is the API's full-text search: case and diacritics do not matter, feeds stay newest first.
    const upper = await (await h.get(`/feeds/search.json?q=${encodeURIComponent('GIÁ VÀNG HÔM')}`)).json();
    expect(upper.items.map((i: { title: string }) => i.title)).toEqual([a[2].title]);
    const folded = await (await h.get(`/feeds/search.json?q=${encodeURIComponent('gia vang hom')}`)).json();
    expect(folded.items.map((i: { title: string }) => i.title)).toEqual([a[2].title]);
    const hostile = await h.get(`/feeds/search.json?q=${encodeURIComponent('NEAR( "giá" OR 1=1; --')}`);
    expect(hostile.status).toBe(200);

    const collapsed = await (await h.get('/feeds/topics/thoi-su.json?collapse=story')).json();
    expect(collapsed.items.every((i: { id: string }) => i.id.startsWith('tag:newsgate,2026:story/'))).toBe(true);
  });

  it('answers 404 for unknown slugs and 400 naming the bad parameter', async () => {
    for (const path of ['/feeds/topics/khong-co.rss', '/feeds/sources/khong-co.json', '/feeds/khong-co.atom', '/feeds/topics/thoi-su.xml', '/feeds/topics/Th%C6%A1i.rss']) {
      const res = await h.get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect((await res.text()).length).toBeLessThan(100);
    }
    expect(await (await h.get('/feeds/topics/khong-co.rss')).text()).toBe('not found: no topic "khong-co"\n');
    const cases: [string, string][] = [
      ['/feeds/topics/thoi-su.rss?limit=0', 'limit'],
      ['/feeds/topics/thoi-su.rss?limit=201', 'limit'],
      ['/feeds/topics/thoi-su.rss?limit=abc', 'limit'],
      ['/feeds/topics/thoi-su.rss?since=h%C3%B4m-qua', 'since'],
      ['/feeds/topics/thoi-su.rss?collapse=yes', 'collapse'],
      ['/feeds/topics/thoi-su.rss?limit=5&limit=6', 'limit'],
      ['/feeds/search.rss', 'q'],
      ['/feeds/search.rss?q=%20', 'q'],
      ['/feeds/search.rss?q=...', 'q'],
      ['/feeds/search.rss?q=-b%C3%A3o', 'q'],
      [`/feeds/search.rss?q=${'x'.repeat(5000)}`, 'q'],
    ];
    for (const [path, param] of cases) {
      const res = await h.get(path);
      expect(res.status, path).toBe(400);
      expect(await res.text(), path).toMatch(new RegExp(`^bad parameter ${param}: `));
    }
    expect((await h.get('/feeds/topics/thoi-su.rss?limit=200&utm_source=x')).status).toBe(200);
    const raw = (head: string) =>
      new Promise<string>((resolve) => {
        // write, not end: a client that half-closes aborts its pending request in Node's server, which
        // then races the response (lost when the feed needs a database round trip, as on PostgreSQL).
        const socket = connect(Number(new URL(h.base).port), '127.0.0.1', () => socket.write(head));
        let data = '';
        socket.on('data', (d) => (data += d));
        socket.on('close', () => resolve(data));
      });
    expect(await raw('GET /feeds/topics/thoi-su.json HTTP/1.1\r\nHost: evil.example/<x>\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1.1 400[\s\S]*bad Host header/);
    const http10 = await raw('GET /feeds/topics/thoi-su.json HTTP/1.0\r\n\r\n');
    expect(http10).toMatch(/^HTTP\/1.1 200/);
    expect(http10).toContain(`"feed_url": "${h.base}/feeds/topics/thoi-su.json"`);
    expect((await h.get('/feeds/topics/thoi-su.rss', {}, 'POST')).status).toBe(405);
  });

  it('supports HEAD with the same headers and no body', async () => {
    const identity = { 'accept-encoding': 'identity' };
    const get = await h.get('/feeds/topics/thoi-su.rss', identity);
    const body = await get.text();
    const head = await h.get('/feeds/topics/thoi-su.rss', identity, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const header of ['content-type', 'etag', 'last-modified', 'cache-control']) expect(head.headers.get(header)).toBe(get.headers.get(header));
    expect(Number(head.headers.get('content-length'))).toBe(Buffer.byteLength(body));
  });

  it('gzips for clients that accept it, with its own ETag that also validates', async () => {
    const raw = (headers: Record<string, string>) =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        const req = httpGet(`${h.base}/feeds/topics/thoi-su.json`, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', reject);
      });
    const plain = await raw({});
    const gz = await raw({ 'accept-encoding': 'br, gzip;q=0.9' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(gz.body.length).toBeLessThan(plain.body.length);
    expect(gz.headers.etag).toBe(`${(plain.headers.etag as string).slice(0, -1)}-gz"`);
    expect((await raw({ 'accept-encoding': 'gzip;q=0' })).headers['content-encoding']).toBeUndefined();
    expect((await raw({ 'accept-encoding': 'gzip', 'if-none-match': gz.headers.etag as string })).status).toBe(304);
    expect((await raw({ 'if-none-match': gz.headers.etag as string })).status).toBe(304);
  });
});

describe('HTTP caching', () => {
  it('answers 304 to If-None-Match and If-Modified-Since, 200 when they do not match', async () => {
    const first = await h.get('/feeds/topics/thoi-su.atom');
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{20,}"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);

    const inm = await h.get('/feeds/topics/thoi-su.atom', { 'if-none-match': etag });
    expect(inm.status).toBe(304);
    expect(await inm.text()).toBe('');
    expect(inm.headers.get('etag')).toBe(etag);
    expect(inm.headers.get('cache-control')).toBe('public, max-age=600');
    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-none-match': '"other"' })).status).toBe(200);
    // If-None-Match wins over If-Modified-Since.
    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-none-match': '"other"', 'if-modified-since': lastModified })).status).toBe(200);

    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-modified-since': lastModified })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-modified-since': earlier })).status).toBe(200);
    expect((await h.get('/feeds/topics/thoi-su.atom', { 'if-modified-since': 'not a date' })).status).toBe(200);

    // Each format and each parameter set is its own representation.
    const rss = await h.get('/feeds/topics/thoi-su.rss');
    expect(rss.headers.get('etag')).not.toBe(etag);
    const limited = await h.get('/feeds/topics/thoi-su.atom?limit=1');
    expect(limited.headers.get('etag')).not.toBe(etag);
  });

  it('serves from memory until a poll stores something that belongs in the feed', async () => {
    const output = feedOutput(h.app);
    const first = await h.get('/feeds/topics/kinh-doanh.json');
    const etag = first.headers.get('etag')!;
    await h.get('/feeds/sources/vnexpress.json');
    const rendered = output.cache.stats.rendered;
    await h.get('/feeds/topics/kinh-doanh.json');
    expect(output.cache.stats.rendered).toBe(rendered);

    // vnexpress is not in kinh-doanh: its new article leaves that feed cached.
    h.feeds.set('/a.rss', { body: buildRss([{ title: 'Mưa lớn ở Huế', link: 'https://vnexpress.net/mua-lon-hue-1.html', pubDate: 'Thu, 27 Nov 2026 12:00:00 +0700' }, ...a]) });
    expect((await h.poll('vnexpress')).new).toBe(1);
    const kd = await h.get('/feeds/topics/kinh-doanh.json', { 'if-none-match': etag });
    expect(kd.status).toBe(304);
    expect(output.cache.stats.rendered).toBe(rendered);
    const vne = await (await h.get('/feeds/sources/vnexpress.json')).json();
    expect(vne.items[0].title).toBe('Mưa lớn ở Huế');

    // tuoitre is: a new article there changes kinh-doanh.
    h.feeds.set('/b.rss', { body: buildRss([{ title: 'Tỷ giá USD hôm nay', link: 'https://tuoitre.vn/ty-gia-2026.htm', pubDate: '2026-11-27T12:30:00+07:00' }, ...b]) });
    await h.poll('tuoitre');
    const changed = await h.get('/feeds/topics/kinh-doanh.json', { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await changed.json()).items[0].title).toBe('Tỷ giá USD hôm nay');
  });

  it('re-renders a feed whose article was corrected in place, and only the feeds it is in', async () => {
    const output = feedOutput(h.app);
    const before = await h.get('/feeds/topics/thoi-su.rss');
    const etag = before.headers.get('etag')!;
    await h.get('/feeds/topics/kinh-doanh.json');
    const rendered = output.cache.stats.rendered;
    h.feeds.set('/a.rss', { body: buildRss([{ ...a[0], title: 'Bão số 6 đã hình thành' }, a[1], a[2]]) });
    expect((await h.poll('vnexpress')).updated).toBe(1);
    const after = await h.get('/feeds/topics/thoi-su.rss', { 'if-none-match': etag });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain('Bão số 6 đã hình thành');
    // The corrected article is not in kinh-doanh: that feed is still served from memory.
    await h.get('/feeds/topics/kinh-doanh.json');
    expect(output.cache.stats.rendered).toBe(rendered + 1);
  });
});

describe('index and OPML', () => {
  it('lists every feed at / with auto-discovery links', async () => {
    const res = await h.get('/');
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await res.text();
    for (const path of ['tin-nong', 'topics/thoi-su', 'topics/kinh-doanh', 'sources/vnexpress', 'sources/tuoitre']) {
      expect(html).toContain(`<link rel="alternate" type="application/rss+xml" title="`);
      expect(html).toContain(`href="${h.base}/feeds/${path}.rss"`);
      expect(html).toContain(`href="${h.base}/feeds/${path}.atom"`);
      expect(html).toContain(`href="${h.base}/feeds/${path}.json"`);
    }
    expect(html).toContain('<strong>Tuổi Trẻ &amp; &quot;Online&quot;</strong>');
    expect(html).toContain('title="Tuổi Trẻ &amp; &quot;Online&quot; (RSS)"');
  });

  it('exports the sources as OPML 2.0 grouped by topic', async () => {
    const res = await h.get('/feeds/sources.opml');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/x-opml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toContain('<opml version="2.0">');
    expect(xml).toContain(`xmlUrl="${h.feeds.url('/a.rss')}"`);
    expect(xml).toContain('text="Tuổi Trẻ &amp; &quot;Online&quot;"');
    expect(xml.match(/text="Tuổi Trẻ/g)).toHaveLength(2); // under thoi-su and kinh-doanh
  });
});
