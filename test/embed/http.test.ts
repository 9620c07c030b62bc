/** The widget over real HTTP, without a browser: markup, size, headers, parameters, escaping. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_TITLE, startEmbedWorld, type EmbedWorld } from './harness.js';

const SLOW = { timeout: 60_000 };

let world: EmbedWorld;

beforeAll(async () => {
  world = await startEmbedWorld();
}, 120_000);
afterAll(async () => {
  await world?.close();
}, 60_000);

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
const between = (html: string, open: string, close: string) => [...html.matchAll(new RegExp(`${open}([\\s\\S]*?)${close}`, 'g'))].map((m) => m[1]);

/** The rows of a widget page, read from its markup. */
function rows(html: string) {
  return [...html.matchAll(/<li class="it" data-n="(\d+)" data-s="(\d+)"><div class="bd"><a class="tt" href="([^"]*)" target="_blank" rel="noopener">([^<]*)<\/a><p class="mt"><span class="src">([^<]*)<\/span> · <time datetime="([^"]*)">([^<]*)<\/time><\/p><\/div>(<img[^>]*>)?<\/li>/g)].map(
    ([, n, s, href, title, outlets, datetime, when, img]) => ({ n: Number(n), s: Number(s), href, title, outlets, datetime, when, img: img ?? null }),
  );
}

/** The page without its (fixed, trusted) script: what the data turned into. */
const markup = (html: string) => html.replace(/<script>[\s\S]*?<\/script>/, '<script></script>');

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

async function graphqlTitles(filter: object, first: number): Promise<string[]> {
  const response = await fetch(`${world.base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($f: ArticleFilter, $n: Int) { articles(first: $n, filter: $f) { edges { node { title } } } }', variables: { f: filter, n: first } }),
  });
  const body = (await response.json()) as { data: { articles: { edges: { node: { title: string } }[] } } };
  return body.data.articles.edges.map((e) => e.node.title);
}

describe('the iframe page', SLOW, () => {
  it('is one self-contained HTML document under 30 KB with the latest items rendered in', SLOW, async () => {
    const response = await world.get('/embed/topics/cong-nghe');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(Buffer.byteLength(html)).toBeLessThan(30 * 1024);
    const items = rows(html);
    expect(items).toHaveLength(10);
    expect(items.map((r) => unescape(r.title))).toEqual(await graphqlTitles({ topics: ['cong-nghe'] }, 10));
    expect(html.match(/<li /g)).toHaveLength(10);
    // Semantic list, a polite live region, a heading.
    expect(html).toMatch(/<ul class="ls">/);
    expect(html).toMatch(/<div class="sr" role="status" aria-live="polite"><\/div>/);
    expect(html).toMatch(/<h2 class="hd" id="ng-h">Công nghệ<\/h2>/);
    expect(items[0]).toMatchObject({ outlets: 'VnExpress, Tuổi Trẻ', when: '5 phút trước' });
    expect(items[0].img).toMatch(/^<img class="th" src="https:\/\/i1-sohoa\.vnecdn\.net\/[^"]*" alt="" loading="lazy"/);
    // No external assets: one inline style, one inline script, nothing fetched but thumbnails.
    expect(html).not.toMatch(/<link|<script[^>]+src=|<iframe|<object/i);
    expect(between(html, '<style>', '</style>')[0]).not.toMatch(/@import|url\(|@font-face/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html.match(/<style/g)).toHaveLength(1);
  });

  it('says how long ago in Vietnamese by default and in English with lang=en', SLOW, async () => {
    const vi = rows(await (await world.get('/embed/topics/cong-nghe?limit=50')).text()).map((r) => r.when);
    expect(vi.slice(0, 11)).toEqual(['5 phút trước', '42 phút trước', '2 giờ trước', '5 giờ trước', '1 ngày trước', '2 ngày trước', '3 ngày trước', '5 ngày trước', '7 ngày trước', '13 ngày trước', expect.stringMatching(/^\d{1,2}\/\d{1,2}\/\d{4}$/)]);
    const enHtml = await (await world.get('/embed/topics/cong-nghe?lang=en&limit=50')).text();
    expect(enHtml).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(enHtml).toContain('No stories yet.');
    const en = rows(enHtml).map((r) => r.when);
    expect(en.slice(0, 11)).toEqual(['5 minutes ago', '42 minutes ago', '2 hours ago', '5 hours ago', '1 day ago', '2 days ago', '3 days ago', '5 days ago', '7 days ago', '13 days ago', expect.stringMatching(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/)]);
  });

  it('shows `limit` items (default 10, at most 50)', SLOW, async () => {
    expect(rows(await (await world.get('/embed/topics/cong-nghe?limit=3')).text())).toHaveLength(3);
    const all = rows(await (await world.get('/embed/topics/cong-nghe?limit=50')).text());
    expect(all.map((r) => unescape(r.title))).toEqual(await graphqlTitles({ topics: ['cong-nghe'] }, 50));
    expect(all.length).toBeGreaterThan(10);
    expect(rows(await (await world.get('/embed/sources/tuoitre')).text())).toHaveLength(10);
  });

  it('sends a CSP that allows only its own inline script and style, and frame-ancestors * by default', SLOW, async () => {
    const response = await world.get('/embed/sources/vnexpress');
    const csp = response.headers.get('content-security-policy')!;
    const html = await response.text();
    const [script] = between(html, '<script>', '</script>');
    const [style] = between(html, '<style>', '</style>');
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives).toEqual({
      'default-src': "'none'",
      'script-src': sha256(script),
      'style-src': sha256(style),
      'img-src': 'https: http: data:',
      'connect-src': "'self'",
      'base-uri': "'none'",
      'form-action': "'none'",
      'frame-ancestors': '*',
    });
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
  });

  it('escapes titles and outlet names and drops links and images that are not http(s)', SLOW, async () => {
    const html = await (await world.get('/embed/sources/lab')).text();
    const items = rows(html);
    // The article with a javascript: link is not shown at all.
    expect(items.map((r) => unescape(r.title))).toEqual([expect.stringContaining('tăng'), 'Ảnh nguy hiểm']);
    expect(markup(html)).not.toMatch(/javascript:|<img[^>]*src=x|onerror|alert\(/i);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(items[0].title).toContain('&quot;vàng&quot; &amp; &#39;bạc&#39;');
    expect(items[0].href).toBe('https://lab.example/a?x=1&amp;y=%222%22');
    expect(items[0].img).toContain('src="https://img.lab.example/a.jpg?w=1&amp;h=2"');
    expect(items[1].img).toBeNull();
    // The hostile fixture: markup in titles and in the outlet's configured name.
    const hostile = await (await world.get('/embed/sources/hostile?limit=50')).text();
    expect(hostile.match(/<script/g)).toHaveLength(1);
    expect(markup(hostile)).not.toMatch(/<b>|onerror|onload|onclick|javascript:|vbscript:|<iframe|<svg|<object|<embed/i);
    expect(rows(hostile).every((r) => r.outlets === 'Hostile Outlet' && /^https?:\/\//.test(r.href))).toBe(true);
    expect(HOSTILE_TITLE).toContain('<script>'); // what the feed said
  });

  it('answers 404 for unknown topics, sources and feeds, 400 for bad parameters, 405 for other methods', SLOW, async () => {
    for (const path of ['/embed/topics/khong-co', '/embed/sources/khong-co', '/embed/khong-co', '/embed/topics/Bad_Slug', '/embed/topics/a/b', '/embed/', '/embed/topics/khong-co.json', '/embed.jsx']) {
      const response = await world.get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^text\/plain/);
    }
    expect(await (await world.get('/embed/topics/khong-co')).text()).toBe('not found: no topic "khong-co"\n');
    const bad: [string, RegExp][] = [
      ['limit=0', /^bad parameter limit: must be an integer from 1 to 50\n$/],
      ['limit=51', /limit/],
      ['limit=abc', /limit/],
      ['limit=1.5', /limit/],
      ['limit=2&limit=3', /^bad parameter limit: given more than once\n$/],
      ['theme=blue', /^bad parameter theme: must be "light", "dark" or "auto"\n$/],
      ['lang=fr', /^bad parameter lang: must be "vi" or "en"\n$/],
      ['collapse=yes', /collapse/],
    ];
    for (const [query, message] of bad) {
      const response = await world.get(`/embed/topics/cong-nghe?${query}`);
      expect(response.status, query).toBe(400);
      const text = await response.text();
      expect(text, query).toMatch(message);
      expect(text.length, query).toBeLessThan(120);
    }
    // Unknown parameters (cache-busters) are ignored.
    expect((await world.get('/embed/topics/cong-nghe?v=123&utm_source=x')).status).toBe(200);
    expect((await world.get('/embed/topics/cong-nghe', {}, 'POST')).status).toBe(405);
    const head = await world.get('/embed/topics/cong-nghe', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers 304 to a matching If-None-Match', SLOW, async () => {
    const first = await world.get('/embed/topics/cong-nghe?theme=dark', { 'accept-encoding': 'identity' });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"/);
    const again = await world.get('/embed/topics/cong-nghe?theme=dark', { 'if-none-match': etag, 'accept-encoding': 'identity' });
    // Relative times are part of the page: the same minute gives the same bytes.
    expect([200, 304]).toContain(again.status);
    if (again.status === 200) expect(again.headers.get('etag')).not.toBe(etag);
  });

  it('themes: light, dark or auto (the system preference) on the widget root', SLOW, async () => {
    expect(await (await world.get('/embed/topics/cong-nghe')).text()).toMatch(/<section class="ng auto"/);
    expect(await (await world.get('/embed/topics/cong-nghe?theme=dark')).text()).toMatch(/<section class="ng dark"/);
    expect(await (await world.get('/embed/topics/cong-nghe?theme=light')).text()).toMatch(/<section class="ng light"/);
  });
});

describe('curated feeds', SLOW, () => {
  it('select exactly what the re-published feed selects (topics, include words)', SLOW, async () => {
    const html = await (await world.get('/embed/xang-dien')).text();
    const feed = (await (await world.get('/feeds/xang-dien.json?limit=10')).json()) as { items: { title: string; url: string }[] };
    expect(feed.items.length).toBeGreaterThan(1);
    expect(rows(html).map((r) => unescape(r.href))).toEqual(feed.items.map((i) => i.url));
    expect(html).toMatch(/<h2 class="hd" id="ng-h">Xăng &amp; điện<\/h2>/);
    // Include words are not a GraphQL filter: the script re-reads the widget's data instead.
    const cfg = JSON.parse(unescape(/data-cfg="([^"]*)"/.exec(html)![1]));
    expect(cfg).toMatchObject({ filter: { topics: ['cong-nghe'] }, words: true, collapse: false, limit: 10, lang: 'vi', gql: '../graphql', data: './xang-dien.json?limit=10&lang=vi' });
  });

  it('collapse stories when the feed does, or with collapse=story; collapse=none overrides', SLOW, async () => {
    const collapsed = rows(await (await world.get('/embed/tong-hop?limit=50')).text());
    const feed = (await (await world.get('/feeds/tong-hop.json?limit=50')).json()) as { items: { id: string }[] };
    expect(collapsed.map((r) => `story/${r.s}`)).toEqual(feed.items.map((i) => /story\/\d+$/.exec(i.id)![0]));
    expect(new Set(collapsed.map((r) => r.s)).size).toBe(collapsed.length);
    const storm = collapsed.find((r) => unescape(r.title).startsWith('Bão số 6'));
    expect(storm?.outlets).toBe('Thanh Niên, Tuổi Trẻ');
    const flat = rows(await (await world.get('/embed/tong-hop?limit=50&collapse=none')).text());
    expect(flat.length).toBeGreaterThan(collapsed.length);
    const topicCollapsed = rows(await (await world.get('/embed/topics/thoi-su?collapse=story&limit=50')).text());
    expect(new Set(topicCollapsed.map((r) => r.s)).size).toBe(topicCollapsed.length);
    expect(topicCollapsed.length).toBeLessThan(rows(await (await world.get('/embed/topics/thoi-su?limit=50')).text()).length);
  });
});

describe('data and script for /embed.js', SLOW, () => {
  it('serves the widget data as JSON over CORS, the same items as the page', SLOW, async () => {
    const response = await world.get('/embed/topics/cong-nghe.json?limit=4', { origin: 'https://dashboard.example' });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { title: string; at: number; config: object; items: { n: number; title: string; url: string }[] };
    expect(body.title).toBe('Công nghệ');
    expect(body.config).toEqual({ filter: { topics: ['cong-nghe'] }, words: false, collapse: false, limit: 4, lang: 'vi' });
    const page = rows(await (await world.get('/embed/topics/cong-nghe?limit=4')).text());
    expect(body.items.map((i) => i.n)).toEqual(page.map((r) => r.n));
    expect(body.items.map((i) => i.title)).toEqual(page.map((r) => unescape(r.title)));
  });

  it('serves /embed.js as a script any page may load', SLOW, async () => {
    const response = await world.get('/embed.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const js = await response.text();
    expect(Buffer.byteLength(js)).toBeLessThan(20 * 1024);
    expect(js).toContain('attachShadow');
    expect(() => new Function(js)).not.toThrow();
  });

  it('labels embed requests in the HTTP metrics by route pattern', SLOW, async () => {
    const metrics = await (await world.get('/metrics')).text();
    expect(metrics).toMatch(/route="\/embed\/topics\/:slug"/);
    expect(metrics).toMatch(/route="\/embed\.js"/);
  });
});

describe('framing and CORS settings', SLOW, () => {
  it('frame-ancestors lists NEWSGATE_EMBED_ORIGINS; the JSON answers only allowed origins when CORS is restricted', SLOW, async () => {
    const other = await startEmbedWorld({
      settings: { embedOrigins: ['https://news.example', 'https://*.dash.example/', "https://x.example; script-src 'unsafe-inline'"], corsOrigins: ['https://news.example'] },
    });
    try {
      const response = await other.get('/embed/topics/cong-nghe');
      expect(response.headers.get('content-security-policy')).toMatch(/; frame-ancestors https:\/\/news\.example https:\/\/\*\.dash\.example$/);
      const allowed = await other.get('/embed/topics/cong-nghe.json', { origin: 'https://news.example' });
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://news.example');
      expect(allowed.headers.get('vary')).toMatch(/Origin/);
      const refused = await other.get('/embed/topics/cong-nghe.json', { origin: 'https://evil.example' });
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.close();
    }
  });
});
