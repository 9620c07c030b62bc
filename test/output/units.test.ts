import { describe, expect, it } from 'vitest';
import { canonicalQuery, ParamError, parseFeedParams, parseSince } from '../../src/output/params.js';
import { plainText, safeHtml, safeHttpUrl, xmlSafe } from '../../src/output/safe.js';
import { compileWordFilter, imageType } from '../../src/output/select.js';
import { FeedCache, type CachedFeed } from '../../src/output/cache.js';

const row = (title: string, summary: string | null = null) => ({ title, summary });

describe('word matching (include/exclude, search)', () => {
  const storm = compileWordFilter(['bão'], [])!;

  it('ignores case, Unicode normalisation form and tone placement', () => {
    expect(storm(row('BÃO số 6 đổ bộ'))).toBe(true);
    expect(storm(row('ba\u0303o số 6'))).toBe(true); // NFD
    expect(storm(row('Tin mới', 'Cơn bão đang mạnh lên'))).toBe(true);
    expect(compileWordFilter(['hoà bình'], [])!(row('Hòa Bình mưa lớn'))).toBe(true);
  });

  it('matches whole syllables only', () => {
    expect(storm(row('Bãoo'))).toBe(false);
    expect(compileWordFilter(['lũ'], [])!(row('Lũ quét ở Lào Cai'))).toBe(true);
    expect(compileWordFilter(['lũ'], [])!(row('Lũy tre làng'))).toBe(false);
  });

  it('keeps the diacritics a phrase is written with: "bão" is not "báo" nor "bao"', () => {
    expect(storm(row('Cảnh báo lừa đảo qua điện thoại'))).toBe(false);
    expect(storm(row('Thuê bao di động tăng'))).toBe(false);
  });

  it('ignores diacritics a phrase leaves out: "bao" matches "bão", "báo" and "bao"', () => {
    const loose = compileWordFilter(['bao'], [])!;
    expect(loose(row('Bão số 6'))).toBe(true);
    expect(loose(row('Cảnh báo lừa đảo'))).toBe(true);
    expect(loose(row('Thuê bao di động'))).toBe(true);
    expect(compileWordFilter(['da nang'], [])!(row('Đà Nẵng mưa lớn'))).toBe(true);
  });

  it('finds tokens the tokenizer glues across punctuation', () => {
    expect(compileWordFilter(['U21 việt nam'], [])!(row('Đội tuyển U-21 Việt Nam thắng'))).toBe(true);
    expect(compileWordFilter(['e10'], [])!(row('Giá xăng E10 giảm'))).toBe(true);
  });

  it('offers fully folded matching as an option', () => {
    expect(compileWordFilter(['bão'], [], 'folded')!(row('Cảnh báo lừa đảo'))).toBe(true);
  });

  it('matches phrases within the title or within the summary, not across them', () => {
    const lottery = compileWordFilter([], ['xổ số'])!;
    expect(lottery(row('Kết quả XỔ SỐ miền Bắc'))).toBe(false);
    expect(lottery(row('Bão số 6'))).toBe(true);
    expect(compileWordFilter(['số sáu'], [])!(row('Bão số', 'sáu người'))).toBe(false);
  });

  it('applies exclude after include', () => {
    const feed = compileWordFilter(['bão', 'lũ'], ['xổ số'])!;
    expect(feed(row('Bão số 6'))).toBe(true);
    expect(feed(row('Xổ số: giải bão'))).toBe(false);
    expect(feed(row('Giá vàng'))).toBe(false);
    expect(compileWordFilter([], [])).toBeUndefined();
  });
});

describe('parameters', () => {
  const parse = (qs: string, requireQ = false) => parseFeedParams(new URLSearchParams(qs), { requireQ });

  it('parses and canonicalises', () => {
    const p = parse('collapse=story&q=%20B%C3%A3o%20%20s%E1%BB%91%206%20&limit=20&utm=x');
    expect(p).toEqual({ limit: 20, q: 'Bão số 6', collapse: 'story' });
    expect(canonicalQuery(p)).toBe('?limit=20&q=B%C3%A3o+s%E1%BB%91+6&collapse=story');
    expect(canonicalQuery({})).toBe('');
  });

  it('reads since as a date (local +07:00), a date-time or Unix seconds', () => {
    expect(parseSince('2026-11-28')).toBe(Date.parse('2026-11-27T17:00:00Z'));
    expect(parseSince('2026-11-28T08:00')).toBe(Date.parse('2026-11-28T01:00:00Z'));
    expect(parseSince('2026-11-28T08:00:00Z')).toBe(Date.parse('2026-11-28T08:00:00Z'));
    expect(parseSince('2026-11-28T08:00:00+0100')).toBe(Date.parse('2026-11-28T07:00:00Z'));
    expect(parseSince('1795000000')).toBe(1_795_000_000_000);
    expect(() => parseSince('yesterday')).toThrow(ParamError);
    expect(() => parseSince('2026-13-45')).toThrow(/since/);
  });

  it('rejects bad values naming the parameter', () => {
    expect(() => parse('limit=0')).toThrow('bad parameter limit');
    expect(() => parse('limit=201')).toThrow('bad parameter limit');
    expect(() => parse('limit=1.5')).toThrow('bad parameter limit');
    expect(() => parse('collapse=1')).toThrow('bad parameter collapse');
    expect(() => parse('', true)).toThrow('bad parameter q');
    expect(() => parse(`q=${'a'.repeat(201)}`)).toThrow('bad parameter q');
    expect(parse('q=')).toEqual({});
  });
});

describe('output safety helpers', () => {
  it('plainText drops tag-shaped text and defuses a dangling "<"', () => {
    expect(plainText('Giá <b>vàng</b> tăng')).toBe('Giá vàng tăng');
    expect(plainText('a < b và c > d')).toBe('a < b và c > d');
    expect(plainText('x <script')).toBe('x ‹script');
    expect(plainText('<scr<script>ipt>alert(1)</script>')).not.toMatch(/<[a-z]/i);
  });

  it('safeHtml re-sanitises and never yields "]]>"', () => {
    expect(safeHtml('<p onclick="x()">a ]]> b</p><script>1</script>')).toBe('<p>a ]]&gt; b</p>');
    expect(safeHtml('<a href="javascript:alert(1)">x</a><img src="data:image/png;base64,AAAA">')).toBe('x');
    expect(safeHtml(null)).toBe('');
  });

  it('xmlSafe removes what XML 1.0 forbids, keeps astral characters', () => {
    expect(xmlSafe('a\u0001b\uD800c😀')).toBe('abc😀');
  });

  it('only http(s) URLs survive, image types come from the extension', () => {
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('https://vnexpress.net/a b')).toBe('https://vnexpress.net/a%20b');
    expect(imageType('https://i.vnecdn.net/a.PNG?w=1')).toBe('image/png');
    expect(imageType('https://i.vnecdn.net/photo')).toBe('image/jpeg');
  });
});

describe('feed cache', () => {
  const entry = (bytes: number, deps: Partial<CachedFeed['deps']> = {}): CachedFeed => ({
    body: Buffer.alloc(bytes),
    etag: '"x"',
    lastModified: null,
    contentType: 'text/plain',
    maxAgeSeconds: 60,
    cacheControl: 'public, max-age=60',
    deps: { all: false, topicIds: [], sourceIds: [], ...deps },
    checkedAt: 0,
    stale: false,
  });

  it('evicts the least recently used entry by count and by bytes', () => {
    const cache = new FeedCache({ maxEntries: 2, maxBytes: 100 });
    cache.set('a', entry(10));
    cache.set('b', entry(10));
    cache.get('a');
    cache.set('c', entry(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    cache.set('d', entry(95));
    expect(cache.size).toBe(1);
    expect(cache.totalBytes).toBe(95);
    cache.set('huge', entry(101));
    expect(cache.get('huge')).toBeUndefined();
  });

  it('marks stale only what a change touches', () => {
    const cache = new FeedCache();
    cache.set('topic1', entry(1, { topicIds: [1] }));
    cache.set('topic2', entry(1, { topicIds: [2] }));
    cache.set('source7', entry(1, { sourceIds: [7] }));
    cache.set('all', entry(1, { all: true }));
    expect(cache.invalidate({ sourceId: 7, topicIds: new Set([1]) })).toBe(3);
    expect(cache.get('topic2')!.stale).toBe(false);
    expect(cache.invalidate({ sourceId: 9, topicIds: 'all' })).toBe(1);
    expect(cache.get('topic2')!.stale).toBe(true);
  });
});
