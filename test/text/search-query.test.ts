import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { foldToken } from '../../src/text/fold.js';
import { MAX_SEARCH_LENGTH, parseSearchQuery, SearchQueryError, toSearchText } from '../../src/text/search-query.js';
import { tokenizeSyllables } from '../../src/text/tokenize.js';

const FEEDS = 'test/fixtures/feeds';

describe('toSearchText', () => {
  it.each([
    ['Đà Nẵng', 'da nang'],
    ['Đà Nẵng'.normalize('NFD'), 'da nang'],
    ['ĐÀ NẴNG!', 'da nang'],
    ['Thuỷ điện', 'thuy dien'],
    ['Thủy điện', 'thuy dien'],
    ['hoà bình, hòa bình', 'hoa binh hoa binh'],
    ['Xăng E10 giảm 1,6% ngày 28/8', 'xang e10 giam 1_6 ngay 28_8'],
    ['U-21 Việt Nam', 'u21 viet nam'],
    ['Giá 10.000 đồng', 'gia 10_000 dong'],
    ['\u00d0ồng Nai', 'dong nai'],
    ['zero\u200bwidth', 'zerowidth'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(toSearchText(input)).toBe(expected);
  });

  it('is the fold of tokenizeSyllables token by token, on the fixture feeds, seen once or again', () => {
    const reference = (text: string) => tokenizeSyllables(text).map((t) => foldToken(t).replace(/[.,/:-]/g, '_')).join(' ');
    const texts = readdirSync(FEEDS)
      .flatMap((name) => readFileSync(join(FEEDS, name), 'utf8').split(/<[^>]*>|\n/))
      .filter((line) => /\p{L}/u.test(line));
    // Spans that differ only in the characters a memo probe compares: glued prefixes, case, separators.
    texts.push('U-21 u21 U21 MH-17 mh-17 1,6 1.6 16 Đồng đồng ĐỒNG dong 28/8 28-8');
    expect(texts.length).toBeGreaterThan(200);
    for (let round = 0; round < 2; round++) for (const text of texts) expect(toSearchText(text), text).toBe(reference(text));
  });
});

const terms = (text: string) =>
  parseSearchQuery(text).clauses.map((c) => ({
    include: c.include.map((t) => t.tokens.join(' ') + (t.prefix ? '*' : '')),
    exclude: c.exclude.map((t) => t.tokens.join(' ') + (t.prefix ? '*' : '')),
  }));

describe('parseSearchQuery', () => {
  it.each([
    ['da nang', [{ include: ['da', 'nang'], exclude: [] }]],
    ['Đà Nẵng', [{ include: ['da', 'nang'], exclude: [] }]],
    ['"Đà Nẵng" bão', [{ include: ['da nang', 'bao'], exclude: [] }]],
    ['bão -"xổ số"', [{ include: ['bao'], exclude: ['xo so'] }]],
    ['bão -lũ NOT mưa', [{ include: ['bao'], exclude: ['lu', 'mua'] }]],
    ['bão OR lũ', [{ include: ['bao'], exclude: [] }, { include: ['lu'], exclude: [] }]],
    ['giá AND vàng', [{ include: ['gia', 'vang'], exclude: [] }]],
    ['tuyển*', [{ include: ['tuyen*'], exclude: [] }]],
    ['t* số 1*', [{ include: ['t', 'so', '1*'], exclude: [] }]],
    ['hà-nội', [{ include: ['ha noi'], exclude: [] }]],
    ['xang E10', [{ include: ['xang', 'e10'], exclude: [] }]],
    // FTS5 and SQL syntax are words and punctuation, never syntax; words joined by punctuation are a phrase.
    ['NEAR(a b)', [{ include: ['near a', 'b'], exclude: [] }]],
    ["x' OR 1=1; DROP TABLE articles; --", [{ include: ['x'], exclude: [] }, { include: ['1 1', 'drop', 'table', 'articles'], exclude: [] }]],
    ['title:bão ^đà', [{ include: ['title bao', 'da'], exclude: [] }]],
    ['"unclosed phrase', [{ include: ['unclosed phrase'], exclude: [] }]],
    ['a"b"c', [{ include: ['a b c'], exclude: [] }]],
    ['OR bão OR', [{ include: ['bao'], exclude: [] }]],
  ])('%j', (input, expected) => {
    expect(terms(input)).toEqual(expected);
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['%', 'no words'],
    ['"" () * ^', 'no words'],
    ['-bão', 'besides the excluded'],
    ['NOT bão', 'besides the excluded'],
    ['x'.repeat(MAX_SEARCH_LENGTH + 1), 'limited to 200 characters'],
    ['tin '.repeat(5000), 'limited to 200 characters'],
    [Array.from({ length: 17 }, (_, i) => `w${i}`).join(' '), 'more than 16 words'],
  ])('refuses %j', (input, message) => {
    expect(() => parseSearchQuery(input)).toThrow(SearchQueryError);
    expect(() => parseSearchQuery(input)).toThrow(message);
  });
});
