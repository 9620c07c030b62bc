import Parser from 'rss-parser';
import { describe, expect, it } from 'vitest';
import type { FeedItem, FeedModel } from '../../src/output/model.js';
import { renderAtom } from '../../src/output/render-atom.js';
import { renderJson } from '../../src/output/render-json.js';
import { forXmlJsCdata, forXmlJsText, renderRss } from '../../src/output/render-rss.js';
import { availability, feedparse, validateAtom, validateJsonFeed } from './validators.js';

const base = 'http://127.0.0.1:4000';
const published = Date.parse('2026-11-27T08:00:00+07:00');

const items: FeedItem[] = [
  {
    id: 'https://vnexpress.net/bao-so-6-4931234.html',
    idIsLink: true,
    url: 'https://vnexpress.net/bao-so-6-4931234.html',
    title: 'Bão số 6 khả năng sắp hình thành, trọng tâm mưa lớn ở miền Trung',
    summary: 'Áp thấp nhiệt đới có thể mạnh lên thành bão; gió giật cấp 10 & mưa > 300 mm.',
    contentHtml: '<p>Áp thấp nhiệt đới có thể mạnh lên thành bão.</p><p><img src="https://i1-vnexpress.vnecdn.net/2026/11/27/bao.jpg" alt="Ảnh vệ tinh" /></p>',
    published,
    updated: published + 3_600_000,
    authors: ['Nguyễn Văn Ánh'],
    categories: ['Thời sự', 'Thiên tai & Môi trường'],
    image: { url: 'https://i1-vnexpress.vnecdn.net/2026/11/27/bao.jpg', type: 'image/jpeg' },
  },
  {
    id: 'tag:newsgate,2026:story/42',
    idIsLink: false,
    url: 'https://dantri.com.vn/kinh-doanh/gia-vang-hom-nay-27-11-20261127.htm',
    // Literal "&amp;", two "]]>" and a quote: each broke a naive writer somewhere.
    title: 'Giá vàng "nhảy múa": AT&amp;T ]]> và ]]> cuối',
    summary: null,
    contentHtml: '<p>Giá vàng miếng SJC tăng 500.000 đồng/lượng.</p>\n<p>Cũng đưa tin: Tuổi Trẻ, Dân trí</p>',
    published: published - 86_400_000,
    updated: published,
    authors: ['Dân trí'],
    categories: [],
    image: null,
  },
];

const model: FeedModel = {
  id: 'tag:newsgate,2026:feeds/topics/thoi-su',
  title: 'Thời sự · newsgate',
  description: 'Tin mới nhất chủ đề Thời sự & Xã hội',
  homeUrl: `${base}/`,
  urls: { rss: `${base}/feeds/topics/thoi-su.rss?limit=2`, atom: `${base}/feeds/topics/thoi-su.atom?limit=2`, json: `${base}/feeds/topics/thoi-su.json?limit=2` },
  language: 'vi',
  ttlMinutes: 10,
  updated: published + 3_600_000,
  lastModified: published + 3_600_000,
  author: 'newsgate',
  items,
};

describe('xml-js workarounds', () => {
  it('keeps a literal "&amp;" in text nodes', () => {
    expect(forXmlJsText('AT&amp;T & co')).toBe('AT&amp;amp;T & co');
  });
  it('pre-splits every "]]>" after the first in CDATA', () => {
    expect(forXmlJsCdata('a]]>b')).toBe('a]]>b');
    expect(forXmlJsCdata('a]]>b]]>c')).toBe('a]]>b]]]]><![CDATA[>c');
  });
  it('drops characters XML 1.0 forbids', () => {
    expect(forXmlJsText('a\u0000b\u0008c\uFFFEd')).toBe('abcd');
  });
});

describe('RSS 2.0', () => {
  const xml = renderRss(model);

  it('round-trips through rss-parser field by field', async () => {
    const feed = await new Parser<Record<string, unknown>, { 'content:encoded': string; 'dc:creator': string }>({ customFields: { item: ['dc:creator', 'content:encoded'] } }).parseString(xml);
    expect(feed.title).toBe(model.title);
    expect(feed.description).toBe(model.description);
    expect(feed.link).toBe(model.homeUrl);
    expect(feed.items).toHaveLength(2);
    const [a, b] = feed.items;
    expect(a.title).toBe(items[0].title);
    expect(a.link).toBe(items[0].url);
    expect(a.guid).toBe(items[0].url);
    expect(new Date(a.pubDate!).getTime()).toBe(published);
    expect(a.isoDate).toBe('2026-11-27T01:00:00.000Z');
    expect(a.contentSnippet).toBe(items[0].summary);
    expect(a['content:encoded']).toBe(items[0].contentHtml);
    expect(a.categories).toEqual(items[0].categories);
    expect(a.enclosure).toEqual({ url: items[0].image!.url, type: 'image/jpeg', length: '0' });
    expect(a.creator).toBe('Nguyễn Văn Ánh');
    expect(b.title).toBe(items[1].title);
    expect(b.guid).toBe('tag:newsgate,2026:story/42');
    expect(b['content:encoded']).toBe(items[1].contentHtml);
  });

  it('declares itself: self link, ttl, RFC 822 dates, permalink guids', () => {
    expect(xml).toContain(`<atom:link href="${base}/feeds/topics/thoi-su.rss?limit=2" rel="self" type="application/rss+xml"/>`);
    expect(xml).toContain('<ttl>10</ttl>');
    expect(xml).toContain('<pubDate>Fri, 27 Nov 2026 01:00:00 GMT</pubDate>');
    expect(xml).toContain('<lastBuildDate>Fri, 27 Nov 2026 02:00:00 GMT</lastBuildDate>');
    expect(xml).toContain('<guid isPermaLink="true">https://vnexpress.net/bao-so-6-4931234.html</guid>');
    expect(xml).toContain('<guid isPermaLink="false">tag:newsgate,2026:story/42</guid>');
    expect(xml).toMatch(/xmlns:dc="http:\/\/purl.org\/dc\/elements\/1.1\/"/);
    expect(xml).not.toContain('<author>');
  });

  it('parses in Python feedparser without bozo', (ctx) => {
    const result = feedparse(xml);
    if (!result) return ctx.skip(availability.feedparser!);
    expect(result.bozo, result.bozo_exception).toBe(false);
    expect(result.version).toBe('rss20');
    expect(result.feed.ttl).toBe('10');
    expect(result.entries.map((e) => e.title)).toEqual(items.map((i) => i.title));
    expect(result.entries[0].published_ts).toBe(published / 1000);
    expect(result.entries[0].tags).toEqual(items[0].categories);
  });

  it('renders an empty feed', async () => {
    const empty = renderRss({ ...model, items: [], updated: null, lastModified: null });
    expect((await new Parser().parseString(empty)).items).toEqual([]);
  });
});

describe('Atom 1.0', () => {
  const xml = renderAtom(model);

  it('round-trips through rss-parser field by field', async () => {
    const feed = await new Parser().parseString(xml);
    expect(feed.title).toBe(model.title);
    expect(feed.items.map((i) => i.title)).toEqual(items.map((i) => i.title));
    expect(feed.items[0].link).toBe(items[0].url);
    expect(feed.items[0].id).toBe(items[0].id);
    expect(feed.items[1].id).toBe('tag:newsgate,2026:story/42');
    expect(feed.items[0].pubDate).toBe('2026-11-27T01:00:00.000Z');
    expect(feed.items[0].content).toBe(items[0].contentHtml);
    expect(feed.items[0].author).toBe('Nguyễn Văn Ánh');
  });

  it('has term on every category, an author on the feed and on each entry, RFC 3339 dates', () => {
    expect(xml).toContain('<category term="Thời sự"/>');
    expect(xml).toContain('<category term="Thiên tai &amp; Môi trường"/>');
    expect(xml.match(/<category /g)!.length).toBe(xml.match(/<category term="/g)!.length);
    expect(xml).toContain('<author><name>newsgate</name></author>');
    expect(xml.match(/<entry>/g)!.length).toBe(xml.match(/<entry>[\s\S]*?<author>/g)!.length);
    expect(xml).toContain('<published>2026-11-27T01:00:00.000Z</published>');
    expect(xml).toContain('<updated>2026-11-27T02:00:00.000Z</updated>');
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${base}/feeds/topics/thoi-su.atom?limit=2"/>`);
  });

  it('is valid against the RFC 4287 RELAX NG schema', (ctx) => {
    const verdict = validateAtom(xml);
    if (!verdict) return ctx.skip(availability.atom!);
    expect(verdict.ok, verdict.message).toBe(true);
    const empty = validateAtom(renderAtom({ ...model, items: [], updated: null, lastModified: null }))!;
    expect(empty.ok, empty.message).toBe(true);
  });

  it('parses in Python feedparser without bozo', (ctx) => {
    const result = feedparse(xml, 'feed.atom');
    if (!result) return ctx.skip(availability.feedparser!);
    expect(result.bozo, result.bozo_exception).toBe(false);
    expect(result.version).toBe('atom10');
    expect(result.entries.map((e) => e.title)).toEqual(items.map((i) => i.title));
    expect(result.entries[0].tags).toEqual(items[0].categories);
  });
});

describe('JSON Feed 1.1', () => {
  const text = renderJson(model);
  const json = JSON.parse(text);

  it('declares version 1.1 and round-trips field by field', () => {
    expect(json.version).toBe('https://jsonfeed.org/version/1.1');
    expect(json.feed_url).toBe(model.urls.json);
    expect(json.language).toBe('vi');
    expect(json.authors).toEqual([{ name: 'newsgate' }]);
    expect(json.items[0]).toEqual({
      id: items[0].id,
      url: items[0].url,
      title: items[0].title,
      content_html: items[0].contentHtml,
      summary: items[0].summary,
      image: items[0].image!.url,
      date_published: '2026-11-27T01:00:00.000Z',
      date_modified: '2026-11-27T02:00:00.000Z',
      authors: [{ name: 'Nguyễn Văn Ánh' }],
      tags: items[0].categories,
    });
    expect(json.items[1].title).toBe(items[1].title);
    expect(text).not.toContain('<');
  });

  it('validates against the JSON Feed 1.1 schema', (ctx) => {
    const verdict = validateJsonFeed(text);
    if (!verdict) return ctx.skip(availability.jsonfeed!);
    expect(verdict.ok, verdict.message).toBe(true);
  });
});
