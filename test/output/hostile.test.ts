/**
 * A hostile feed (the demo's tinnhanh24h plus a few more tricks) goes through the real pipeline
 * and out through every format: nothing may come out as script, event handler, frame or
 * javascript: URL, and titles must be plain text.
 */
import { readFileSync } from 'node:fs';
import { decodeHTMLStrict } from 'entities';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRss } from '../helpers/rss.js';
import { startHarness, type Harness } from './harness.js';
import { availability, feedparse, validateAtom, validateJsonFeed } from './validators.js';

const demoHostile = readFileSync('feeds/demo/hostile.rss', 'utf8');
const extra = buildRss([
  {
    title: 'Tin <script>alert(1)</script>bão khẩn cấp &lt;iframe src=javascript:alert(2)&gt;',
    link: 'https://tinnhanh24h.example/bao-khan-cap-1.html',
    pubDate: 'Sat, 28 Nov 2026 09:00:00 +0700',
    description:
      '<p onclick="x()">Bão <b>mạnh</b></p><iframe src="https://evil.example/"></iframe><img src="x.jpg" onerror="alert(3)">' +
      '<a href="javascript:alert(4)">a</a><a href=" JAVASCRIPT:alert(5)">b</a><svg><script>alert(6)</script></svg>' +
      '<math><mtext><table><mglyph><style><img src=x onerror=alert(7)></style></mglyph></table></mtext></math>' +
      '<a href="https://ok.example/" onmouseover="alert(8)" style="x:expression(alert(9))">ok</a>',
  },
  {
    title: 'Ảnh &amp;lt;img src=x onerror=alert(1)&amp;gt; lạ',
    link: 'https://tinnhanh24h.example/anh-la-2.html',
    pubDate: 'Sat, 28 Nov 2026 09:30:00 +0700',
    description: '&lt;script&gt;alert("entity")&lt;/script&gt; <object data="x.swf"></object><embed src="x.swf"><form action="https://phish.example/"><input></form>',
  },
]);

let h: Harness;
const bodies: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({
    routes: { '/hostile.rss': demoHostile, '/extra.rss': extra },
    sources: [
      { slug: 'tinnhanh24h', path: '/hostile.rss', name: 'Tin Nhanh 24h', topics: ['thoi-su'] },
      { slug: 'extra', path: '/extra.rss', name: 'Extra <b onmouseover=alert(1)>', topics: ['thoi-su'] },
    ],
    feeds: [{ slug: 'tin-nong', title: 'Tin nóng <script>alert(1)</script>', topics: ['thoi-su'], include: ['bão', 'tin'] }],
  });
  expect((await h.poll('tinnhanh24h')).outcome).toBe('ok');
  expect((await h.poll('extra')).outcome).toBe('ok');
  for (const path of ['topics/thoi-su', 'sources/tinnhanh24h', 'sources/extra', 'tin-nong']) {
    for (const ext of ['rss', 'atom', 'json']) {
      const res = await h.get(`/feeds/${path}.${ext}?limit=200`);
      expect(res.status).toBe(200);
      bodies[`${path}.${ext}`] = await res.text();
    }
  }
});
afterAll(async () => {
  await h.close();
});

/** (Not "link" or "meta": RSS has a <link> element of its own.) */
const DANGEROUS_TAG = /<\s*\/?\s*(script|iframe|frame|frameset|object|embed|svg|math|style|form|input|button|base|applet)\b/i;
const EVENT_HANDLER = /[\s"'/]on[a-z]+\s*=/i;
const BAD_URL = /(?:javascript|vbscript|data)\s*:/i;

function assertSafeHtml(html: string, where: string) {
  expect(html, where).not.toMatch(DANGEROUS_TAG);
  expect(html, where).not.toMatch(EVENT_HANDLER);
  expect(html, where).not.toMatch(BAD_URL);
  expect(html, where).not.toMatch(/<\s*(meta|link)\b/i);
  expect(html, where).not.toMatch(/\sstyle\s*=/i);
  // Entity-encoded markup is text ("&lt;script&gt;" shows as "<script>") and may stay; an
  // attribute smuggled through entities must not.
  expect(decodeHTMLStrict(html), `${where} (decoded)`).not.toMatch(/<[^>]*\son[a-z]+\s*=/i);
}

function assertPlainTitle(title: string, where: string) {
  expect(title, where).not.toMatch(/<[a-zA-Z/!?]/);
  expect(title, where).not.toMatch(BAD_URL);
}

describe('hostile input', () => {
  it('ingested every usable item', async () => {
    const json = JSON.parse(bodies['topics/thoi-su.json']);
    expect(json.items.length).toBeGreaterThanOrEqual(10);
  });

  it('leaves no active content in the raw bodies of any format', () => {
    for (const [name, body] of Object.entries(bodies)) {
      // In XML, a real element would be a literal "<script"; CDATA holds only sanitised HTML.
      expect(body, name).not.toMatch(DANGEROUS_TAG);
      expect(body, name).not.toMatch(BAD_URL);
      expect(body, name).not.toMatch(/\bon(error|click|load|mouseover)\b/i);
    }
  });

  it('RSS: titles are plain text and content is safe HTML once parsed', async () => {
    const parser = new Parser();
    for (const name of Object.keys(bodies).filter((n) => n.endsWith('.rss'))) {
      const feed = await parser.parseString(bodies[name]);
      assertPlainTitle(feed.title!, name);
      for (const item of feed.items) {
        assertPlainTitle(item.title!, `${name}: ${item.title}`);
        expect(item.link, name).toMatch(/^https?:\/\//);
        assertSafeHtml(item.content ?? '', `${name}: ${item.title} description`);
        assertSafeHtml((item as Record<string, string>)['content:encoded'] ?? '', `${name}: ${item.title} content`);
      }
    }
  });

  it('Atom: the same once parsed, and still schema-valid', async (ctx) => {
    const parser = new Parser();
    for (const name of Object.keys(bodies).filter((n) => n.endsWith('.atom'))) {
      const feed = await parser.parseString(bodies[name]);
      for (const item of feed.items) {
        assertPlainTitle(item.title!, `${name}: ${item.title}`);
        expect(item.link, name).toMatch(/^https?:\/\//);
        assertSafeHtml(item.content ?? '', `${name}: ${item.title}`);
      }
      const verdict = validateAtom(bodies[name]);
      if (!verdict) return ctx.skip(availability.atom!);
      expect(verdict.ok, `${name}: ${verdict.message}`).toBe(true);
    }
  });

  it('JSON Feed: the same once parsed, and still schema-valid', (ctx) => {
    for (const name of Object.keys(bodies).filter((n) => n.endsWith('.json'))) {
      const feed = JSON.parse(bodies[name]);
      assertPlainTitle(feed.title, name);
      for (const item of feed.items) {
        assertPlainTitle(item.title, `${name}: ${item.title}`);
        expect(item.url, name).toMatch(/^https?:\/\//);
        assertSafeHtml(item.content_html, `${name}: ${item.title}`);
        for (const author of item.authors) assertPlainTitle(author.name, name);
      }
      const verdict = validateJsonFeed(bodies[name]);
      if (!verdict) return ctx.skip(availability.jsonfeed!);
      expect(verdict.ok, `${name}: ${verdict.message}`).toBe(true);
    }
  }, 30_000);

  it('feedparser reads the RSS and Atom without bozo and sanitises nothing further away', (ctx) => {
    for (const name of Object.keys(bodies).filter((n) => !n.endsWith('.json'))) {
      const result = feedparse(bodies[name]);
      if (!result) return ctx.skip(availability.feedparser!);
      expect(result.bozo, `${name}: ${result.bozo_exception}`).toBe(false);
      for (const entry of result.entries) assertPlainTitle(entry.title ?? '', `${name}: ${entry.title}`);
    }
  }, 30_000);

  it('keeps the harmless parts: text, safe links and images', () => {
    const json = JSON.parse(bodies['sources/extra.json']);
    const storm = json.items.find((i: { url: string }) => i.url === 'https://tinnhanh24h.example/bao-khan-cap-1.html');
    expect(storm.title).toContain('bão khẩn cấp');
    expect(storm.content_html).toContain('<b>mạnh</b>');
    expect(storm.content_html).toContain('href="https://ok.example/"');
    expect(storm.content_html).toMatch(/<img src="http:\/\/127\.0\.0\.1:\d+\/x\.jpg" \/>/);
  });

  it('re-sanitises on the way out even when the database holds raw hostile HTML', async () => {
    // Bypass ingestion: write what a buggy or older ingester might have stored.
    await h.store.db
      .updateTable('articles')
      .set({
        title: 'Raw <img src=x onerror=alert(1)>title<script>alert(2)</script>',
        summary: 'Tóm tắt <b onclick="x()">đậm</b>',
        content_html: '<p onclick="x()">Raw</p><script>alert(3)</script><iframe src="https://evil.example/"></iframe><a href="javascript:alert(4)">x</a><img src="javascript:alert(5)">',
        author: '<i>Tác giả</i>',
      })
      .where('link', '=', 'https://tinnhanh24h.example/bao-khan-cap-1.html')
      .execute();
    for (const ext of ['rss', 'atom', 'json']) {
      const body = await (await h.get(`/feeds/sources/extra.${ext}?limit=199`)).text();
      expect(body, ext).toContain('Raw');
      expect(body, ext).not.toMatch(DANGEROUS_TAG);
      expect(body, ext).not.toMatch(BAD_URL);
      expect(body, ext).not.toMatch(/onclick|onerror/i);
      if (ext === 'json') {
        const item = JSON.parse(body).items.find((i: { url: string }) => i.url.endsWith('bao-khan-cap-1.html'));
        expect(item.title).toBe('Raw title alert(2)');
        expect(item.authors).toEqual([{ name: 'Tác giả' }]);
        assertSafeHtml(item.content_html, 'raw row');
      }
    }
  });
});
