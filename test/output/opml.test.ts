import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { slugify } from '../../src/commands/import-opml.js';
import { OpmlError, parseOpml, renderOpml } from '../../src/output/opml.js';
import { openStore } from '../../src/store/database.js';
import { listSources, listTopicIdsBySource } from '../../src/store/sources.js';
import { testTopics } from '../helpers/config.js';

const OPML = `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>Feedly export</title></head>
  <body>
    <outline text="Thời sự" title="Thời sự">
      <outline type="rss" text="VnExpress - Thời sự" xmlUrl="https://vnexpress.net/rss/thoi-su.rss" htmlUrl="https://vnexpress.net/thoi-su"/>
      <outline type="rss" text="Dân trí &amp; Xã hội" xmlUrl="https://dantri.com.vn/rss/xa-hoi.rss"/>
    </outline>
    <outline text="Kinh tế">
      <outline text="Nested folder">
        <outline type="rss" text="Tuổi Trẻ Kinh doanh" xmlUrl="https://tuoitre.vn/rss/kinh-doanh.rss" category="/cong-nghe"/>
      </outline>
    </outline>
    <outline type="rss" text="Không chủ đề" xmlUrl="https://example.vn/feed"/>
    <outline type="rss" text="Trùng lặp" xmlUrl="https://vnexpress.net/rss/thoi-su.rss"/>
    <outline type="rss" text="FTP" xmlUrl="ftp://example.vn/feed.xml"/>
    <outline type="rss" title="Chỉ có title" xmlUrl="https://thanhnien.vn/rss/home.rss" htmlUrl="not a url"/>
  </body>
</opml>`;

describe('OPML parsing and rendering', () => {
  it('reads feed outlines with the folder names above them', () => {
    const feeds = parseOpml(OPML);
    expect(feeds.map((f) => f.name)).toEqual(['VnExpress - Thời sự', 'Dân trí & Xã hội', 'Tuổi Trẻ Kinh doanh', 'Không chủ đề', 'Trùng lặp', 'FTP', 'Chỉ có title']);
    expect(feeds[0]).toMatchObject({ xmlUrl: 'https://vnexpress.net/rss/thoi-su.rss', htmlUrl: 'https://vnexpress.net/thoi-su', labels: ['Thời sự'] });
    expect(feeds[2].labels).toEqual(['Kinh tế', 'Nested folder', 'cong-nghe']);
    expect(feeds[3].labels).toEqual([]);
  });

  it('rejects what is not OPML', () => {
    expect(() => parseOpml('<rss><channel/></rss>')).toThrow(OpmlError);
    expect(() => parseOpml('<opml><body><outline></body></opml>')).toThrow(/not well-formed/);
  });

  it('renders what it parses back', () => {
    const xml = renderOpml('t & t', [{ name: 'A & "B"', url: 'https://a.vn/rss?x=1&y=2', siteUrl: null, topics: [{ slug: 'thoi-su', name: 'Thời sự' }] }], new Date(0));
    const [feed] = parseOpml(xml);
    expect(feed).toMatchObject({ name: 'A & "B"', xmlUrl: 'https://a.vn/rss?x=1&y=2', labels: ['Thời sự', 'thoi-su', 'thoi-su'] });
  });

  it('slugifies Vietnamese names', () => {
    expect(slugify('Tuổi Trẻ – Kinh doanh!')).toBe('tuoi-tre-kinh-doanh');
    expect(slugify('Đời sống')).toBe('doi-song');
    expect(slugify('???')).toBe('source');
  });
});

describe('newsgate import-opml', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'newsgate-opml-'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ topics: testTopics, sources: [{ slug: 'vnexpress', url: 'https://vnexpress.net/rss/tin-moi-nhat.rss', name: 'VnExpress', topics: ['thoi-su'] }] }));
    writeFileSync(join(dir, 'feeds.opml'), OPML);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...args: string[]) => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (d) => (out += d));
    stderr.on('data', (d) => (err += d));
    const code = await runCli([...args, '--config', join(dir, 'config.json'), '--db', join(dir, 'db.sqlite')], { stdout, stderr, env: {} });
    return { code, out, err };
  };

  it('adds valid feeds as opml sources with matching topics and says why others were skipped', async () => {
    const { code, out } = await run('import-opml', join(dir, 'feeds.opml'));
    expect(code).toBe(0);
    expect(out).toContain('added    vnexpress-thoi-su  https://vnexpress.net/rss/thoi-su.rss  topics: thoi-su');
    // Topics come from folder names and categories ("Kinh tế" is an alias of kinh-doanh), never from the feed's own name.
    expect(out).toContain('added    dan-tri-xa-hoi  https://dantri.com.vn/rss/xa-hoi.rss  topics: thoi-su');
    expect(out).toContain('added    tuoi-tre-kinh-doanh  https://tuoitre.vn/rss/kinh-doanh.rss  topics: kinh-doanh, cong-nghe');
    expect(out).toContain('added    khong-chu-de  https://example.vn/feed  topics: (none)');
    expect(out).toContain('skipped  https://vnexpress.net/rss/thoi-su.rss  already a source (vnexpress-thoi-su)');
    expect(out).toMatch(/skipped {2}ftp:\/\/example\.vn\/feed\.xml {2}invalid url: must be an absolute http\(s\) URL/);
    expect(out).toContain('added    chi-co-title  https://thanhnien.vn/rss/home.rss');
    expect(out).toMatch(/5 added, 2 skipped\n$/);

    const store = await openStore(join(dir, 'db.sqlite'));
    try {
      const sources = await listSources(store.db);
      const bySlug = Object.fromEntries(sources.map((s) => [s.slug, s]));
      expect(bySlug['vnexpress-thoi-su']).toMatchObject({ origin: 'opml', name: 'VnExpress - Thời sự', site_url: 'https://vnexpress.net/thoi-su', interval_minutes: 15 });
      expect(bySlug['chi-co-title'].site_url).toBeNull();
      expect(bySlug.vnexpress.origin).toBe('config');
      const topics = await listTopicIdsBySource(store.db, [bySlug['tuoi-tre-kinh-doanh'].id]);
      expect(topics.get(bySlug['tuoi-tre-kinh-doanh'].id)).toHaveLength(2);
    } finally {
      await store.close();
    }

    // Importing again adds nothing.
    const again = await run('import-opml', join(dir, 'feeds.opml'), '--json');
    const report = JSON.parse(again.out);
    expect(report.filter((r: { status: string }) => r.status === 'added')).toEqual([]);
  });

  it('fails clearly on a missing or broken file', async () => {
    expect(await run('import-opml')).toMatchObject({ code: 2, err: expect.stringContaining('missing FILE') });
    expect(await run('import-opml', join(dir, 'nope.opml'))).toMatchObject({ code: 1, err: expect.stringContaining('no such file') });
    writeFileSync(join(dir, 'bad.opml'), '<html><body>not opml</body></html>');
    expect(await run('import-opml', join(dir, 'bad.opml'))).toMatchObject({ code: 1, err: expect.stringContaining('not an OPML document') });
  });
});
