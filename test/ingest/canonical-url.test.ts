import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, resolveHttpUrl } from '../../src/ingest/canonical-url.js';

const FEED = 'https://vnexpress.net/rss/so-hoa.rss';

describe('canonicalizeUrl', () => {
  it.each([
    // already canonical
    ['https://vnexpress.net/bai-viet-4930112.html', FEED, 'https://vnexpress.net/bai-viet-4930112.html'],
    // scheme and host lower-cased, path case kept
    ['HTTPS://VnExpress.NET/Bai-Viet.html', FEED, 'https://vnexpress.net/Bai-Viet.html'],
    // default ports dropped, other ports kept
    ['https://vnexpress.net:443/a.html', FEED, 'https://vnexpress.net/a.html'],
    ['http://thanhnien.vn:80/a.htm', FEED, 'http://thanhnien.vn/a.htm'],
    ['http://localhost:8080/a', FEED, 'http://localhost:8080/a'],
    // fragment dropped
    ['https://tuoitre.vn/a.htm#box-comment', FEED, 'https://tuoitre.vn/a.htm'],
    ['https://tuoitre.vn/a.htm#', FEED, 'https://tuoitre.vn/a.htm'],
    // tracking parameters dropped, the rest kept in order and byte-for-byte
    ['https://vnexpress.net/a.html?utm_source=rss&utm_medium=feed&utm_campaign=so-hoa', FEED, 'https://vnexpress.net/a.html'],
    ['https://vnexpress.net/a.html?id=5&utm_source=rss&page=2', FEED, 'https://vnexpress.net/a.html?id=5&page=2'],
    ['https://vnexpress.net/a.html?b=2&a=1', FEED, 'https://vnexpress.net/a.html?b=2&a=1'],
    ['https://vnexpress.net/a.html?UTM_Source=x&q=xăng%20E10', FEED, 'https://vnexpress.net/a.html?q=x%C4%83ng%20E10'],
    ['https://vnexpress.net/a.html?q=a+b&fbclid=IwAR0abc', FEED, 'https://vnexpress.net/a.html?q=a+b'],
    ['https://dantri.com.vn/a.htm?gclid=1&mc_cid=2&mc_eid=3&igshid=4&_ga=5&msclkid=6', FEED, 'https://dantri.com.vn/a.htm'],
    ['https://tuoitre.vn/a.htm?zarsrc=30&utm_source=zalo&utm_medium=zalo&gidzl=abcDEF', FEED, 'https://tuoitre.vn/a.htm'],
    ['https://tuoitre.vn/a.htm?flag&utm_term=x', FEED, 'https://tuoitre.vn/a.htm?flag'],
    ['https://tuoitre.vn/a.htm?', FEED, 'https://tuoitre.vn/a.htm'],
    ['https://tuoitre.vn/a.htm?&&', FEED, 'https://tuoitre.vn/a.htm'],
    ['https://tuoitre.vn/a.htm?utm_source=x#top', FEED, 'https://tuoitre.vn/a.htm'],
    // "utm" lookalikes are not tracking parameters
    ['https://tuoitre.vn/a.htm?utmost=1&source=rss', FEED, 'https://tuoitre.vn/a.htm?utmost=1&source=rss'],
    // relative URLs against the base
    ['/so-hoa/bai-viet.html', FEED, 'https://vnexpress.net/so-hoa/bai-viet.html'],
    ['bai-viet.html', FEED, 'https://vnexpress.net/rss/bai-viet.html'],
    ['../the-gioi/a.html', 'https://dantri.com.vn/xa-hoi/b.htm', 'https://dantri.com.vn/the-gioi/a.html'],
    ['//cdn.vnexpress.net/a.jpg', FEED, 'https://cdn.vnexpress.net/a.jpg'],
    ['?id=3&utm_source=x', 'https://example.vn/list', 'https://example.vn/list?id=3'],
    // whitespace and line breaks around/inside (feeds wrap long URLs)
    ['  https://vnexpress.net/a.html \n', FEED, 'https://vnexpress.net/a.html'],
    ['https://vnexpress.net/a\n.html', FEED, 'https://vnexpress.net/a.html'],
    // unicode host → punycode, unicode path → percent-encoded
    ['https://báo.vn/tin-tức', FEED, 'https://xn--bo-mia.vn/tin-t%E1%BB%A9c'],
    // credentials dropped
    ['https://user:secret@vnexpress.net/a.html', FEED, 'https://vnexpress.net/a.html'],
  ])('%j (base %s) → %s', (raw, base, expected) => {
    expect(canonicalizeUrl(raw, base)).toBe(expected);
  });

  it.each([
    ['javascript:alert(1)'],
    ['JavaScript:alert(1)'],
    [' javascript:alert(1)'],
    ['java\nscript:alert(1)'],
    ['vbscript:msgbox(1)'],
    ['data:text/html;base64,PHNjcmlwdD4='],
    ['mailto:toasoan@vnexpress.net'],
    ['ftp://example.vn/file'],
    ['file:///etc/passwd'],
    ['tag:dantri.com.vn,2026:1'],
    ['urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a'],
    ['http://'],
    ['https://'],
    [''],
    ['   '],
  ])('%j → null', (raw) => {
    expect(canonicalizeUrl(raw, FEED)).toBeNull();
  });

  it('needs a base for relative URLs', () => {
    expect(canonicalizeUrl('/a.html')).toBeNull();
    expect(canonicalizeUrl('https://vnexpress.net/a.html')).toBe('https://vnexpress.net/a.html');
  });

  it('rejects non-strings and absurdly long input', () => {
    expect(canonicalizeUrl(undefined, FEED)).toBeNull();
    expect(canonicalizeUrl(null, FEED)).toBeNull();
    expect(canonicalizeUrl(`https://vnexpress.net/${'a'.repeat(5000)}`, FEED)).toBeNull();
  });

  it('is idempotent', () => {
    const once = canonicalizeUrl('HTTPS://VNEXPRESS.NET:443/a.html?x=1&utm_source=rss#c', FEED)!;
    expect(canonicalizeUrl(once, FEED)).toBe(once);
  });
});

describe('resolveHttpUrl', () => {
  it.each([
    ['/img/a.jpg?w=1200&utm_source=x', 'https://vnexpress.net/rss/x.rss', 'https://vnexpress.net/img/a.jpg?w=1200&utm_source=x'],
    ['//i.vnecdn.net/a.jpg', 'http://vnexpress.net/', 'http://i.vnecdn.net/a.jpg'],
    ['https://a.vn/x.jpg#frag', undefined, 'https://a.vn/x.jpg#frag'],
    ['javascript:alert(1)', 'https://a.vn/', null],
    ['data:image/png;base64,AAAA', 'https://a.vn/', null],
    ['x.jpg', undefined, null],
  ])('%j against %s → %s', (raw, base, expected) => {
    expect(resolveHttpUrl(raw, base)).toBe(expected);
  });
});
