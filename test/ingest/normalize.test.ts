import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/model/article.js';
import type { ParsedFeed, ParsedItem } from '../../src/model/feed.js';
import {
  htmlToText,
  sanitizeContent,
  sanitizeFast,
  sanitizeWithLibrary,
  titleToText,
} from '../../src/ingest/html-text.js';
import { normalizeFeed, normalizeItem, type NormalizeContext } from '../../src/ingest/normalize.js';
import { parseFeed } from '../../src/ingest/parse.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/feeds/', import.meta.url));
const FETCHED_AT = new Date('2026-09-01T00:00:00Z');
const CTX: NormalizeContext = {
  feedUrl: 'https://vnexpress.net/rss/so-hoa.rss',
  timezone: 'Asia/Ho_Chi_Minh',
  fetchedAt: FETCHED_AT,
  sourceSlug: 'vnexpress-so-hoa',
};

function item(fields: Partial<ParsedItem>): ParsedItem {
  return { categories: [], enclosures: [], mediaUrls: [], ...fields };
}

function norm(fields: Partial<ParsedItem>, ctx: Partial<NormalizeContext> = {}): ArticleInput {
  const article = normalizeItem(item(fields), { ...CTX, ...ctx });
  expect(article).not.toBeNull();
  return article!;
}

const NFD = (s: string) => s.normalize('NFD');

describe('htmlToText', () => {
  it.each([
    ['plain', 'Bão số 6', 'Bão số 6'],
    ['tags dropped, inline tags join', '<b>Hà</b><i>Nội</i>', 'HàNội'],
    ['block elements become spaces', '<p>Đoạn một</p><p>Đoạn hai</p><div>ba</div>bốn<br>năm<br/>sáu', 'Đoạn một Đoạn hai ba bốn năm sáu'],
    ['entities decoded', 'Sức khỏe &amp; Đời sống &ndash; &quot;trích&quot; &#8230;', 'Sức khỏe & Đời sống – "trích" …'],
    ['escaped markup stays text', '5 &lt;b&gt; 6', '5 <b> 6'],
    ['bare & kept, legacy refs without ; not decoded', 'AT&T &copy2026 &notit', 'AT&T &copy2026 &notit'],
    ['whitespace collapsed', '  Giá\n\tvàng \u00A0 &nbsp; tăng  ', 'Giá vàng tăng'],
    ['single whitespace other than a space becomes a space', 'a\tb\u3000c\u2028d\u00A0e f', 'a b c d e f'],
    ['script/style/iframe content dropped', 'a<script>alert("x")</script>b<style>p{}</style>c<iframe src=x>fallback</iframe>d', 'a b c d'],
    ['comments dropped', 'a<!-- bình luận -->b', 'ab'],
    ['attributes with > inside quotes', '<img alt="a > b" src="x.jpg">Ảnh', 'Ảnh'],
    ['a tag whose quotes do not pair up ends at its first >', '<a href=http://a.vn/">bấm</a> vào', 'bấm vào'],
    ['object/applet fallback content kept (the plugin never runs)', 'an toàn<object classid="x"><param name="a" value="b"> mô tả</object><applet code="x.class">!</applet>', 'an toàn mô tả!'],
    ['control characters removed', 'a\u0000b\u0007c\u009Fd', 'a b c d'],
    ['zero-width characters removed', 'Hà\u200BNội\uFEFF\u00AD\u2060', 'HàNội'],
    ['ZWJ kept inside emoji sequences only', 'gia đình 👨\u200D👩\u200D👧 và a\u200Db', 'gia đình 👨\u200D👩\u200D👧 và ab'],
    ['NFD → NFC', NFD('Lần đầu tiên người dân có thể bán vàng miếng'), 'Lần đầu tiên người dân có thể bán vàng miếng'],
    ['empty', '', ''],
    ['only markup', '<p> </p><br>', ''],
  ])('%s', (_name, html, expected) => {
    const text = htmlToText(html);
    expect(text).toBe(expected);
    expect(text).toBe(text.normalize('NFC'));
  });
});

describe('titleToText', () => {
  it.each([
    ['double-encoded entity from CDATA', 'Người dân đ&atilde; bán vàng', 'Người dân đã bán vàng'],
    ['triple-encoded entity', 'Người dân đ&amp;atilde; bán vàng', 'Người dân đã bán vàng'],
    ['escaped tags are dropped', '&lt;b&gt;Nóng:&lt;/b&gt; Giá vàng', 'Nóng: Giá vàng'],
    ['real tags are dropped', '<b>Nóng:</b> Giá <em>vàng</em>', 'Nóng: Giá vàng'],
    ['ampersand text survives', 'Sức khỏe & Đời sống', 'Sức khỏe & Đời sống'],
    ['escaped ampersand', 'Sức khỏe &amp; Đời sống', 'Sức khỏe & Đời sống'],
    ['less-than in text', '5 < 6 và 7 > 3', '5 < 6 và 7 > 3'],
    ['NFD + entities + whitespace', `  ${NFD('Bão số 6')}\n&nbsp;sắp hình thành `, 'Bão số 6 sắp hình thành'],
    ['script content removed', 'Giá vàng <script>alert(1)</script>tăng', 'Giá vàng tăng'],
  ])('%s', (_name, raw, expected) => {
    expect(titleToText(raw)).toBe(expected);
  });
});

describe('sanitizeContent', () => {
  const BASE = 'https://vnexpress.net/so-hoa/bai-viet.html';
  it.each([
    [
      'VnExpress description',
      '<a href="/xang-e10.html"><img src="https://i.vnecdn.net/a.jpg?w=1200&h=0&q=100" ></a></br>Bộ Công Thương công bố.',
      '<a href="https://vnexpress.net/xang-e10.html" rel="noopener noreferrer"><img src="https://i.vnecdn.net/a.jpg?w=1200&amp;h=0&amp;q=100" /></a><br />Bộ Công Thương công bố.',
    ],
    ['script removed with its content', '<p>a</p><script>alert(1)</script><p>b</p>', '<p>a</p><p>b</p>'],
    ['event handlers removed', '<p onclick="x()">a</p><img src="b.jpg" onerror="alert(1)" onload="y()">', '<p>a</p><img src="https://vnexpress.net/so-hoa/b.jpg" />'],
    ['javascript: link loses its tag, keeps its text', '<a href="javascript:alert(1)">bấm</a>', 'bấm'],
    ['obfuscated javascript: link', '<a href="  JaVa&#x0A;ScRiPt:alert(1)">bấm</a>', 'bấm'],
    ['vbscript: and data: links', '<a href="vbscript:x">a</a><a href="data:text/html,x">b</a>', 'ab'],
    ['data: image dropped', '<img src="data:image/png;base64,AAAA">chữ', 'chữ'],
    ['lazy image uses data-src', '<img src="data:image/gif;base64,R0lGOD" data-src="/real.jpg" alt="Ảnh">', '<img src="https://vnexpress.net/real.jpg" alt="Ảnh" />'],
    ['object/applet tags removed, their fallback text kept', '<object data="x.swf"><embed src="x.swf"><p>Xem video</p></object><applet code="x.class">chữ</applet>', '<p>Xem video</p>chữ'],
    ['iframe/object/embed removed', '<iframe src="https://evil.example/">x</iframe><object data="x.swf"><embed src="x.swf"></object>chữ', 'chữ'],
    ['style and form removed', '<style>p{}</style><form action="/x"><input name="p"><button>Gửi</button></form>chữ', 'chữ'],
    ['svg and math removed', '<svg onload="alert(1)"><circle/></svg><math><mi>x</mi></math>chữ', 'chữ'],
    ['style/class attributes removed', '<p style="color:red" class="lead" id="x">chữ</p>', '<p>chữ</p>'],
    ['rel forced, target dropped', '<a href="https://a.vn/" target="_blank" rel="opener">a</a>', '<a href="https://a.vn/" rel="noopener noreferrer">a</a>'],
    ['mailto kept', '<a href="mailto:toasoan@vnexpress.net">thư</a>', '<a href="mailto:toasoan@vnexpress.net" rel="noopener noreferrer">thư</a>'],
    ['protocol-relative resolved', '<img src="//i.vnecdn.net/a.jpg">', '<img src="https://i.vnecdn.net/a.jpg" />'],
    ['h1 becomes h2, span dropped', '<h1>Tiêu đề</h1><p><span>chữ</span></p>', '<h2>Tiêu đề</h2><p>chữ</p>'],
    ['table basics kept', '<table><tr><td colspan="2" style="x">a</td></tr></table>', '<table><tr><td colspan="2">a</td></tr></table>'],
    ['figure', '<figure><img src="a.jpg" alt=""><figcaption>Chú thích</figcaption></figure>', '<figure><img src="https://vnexpress.net/so-hoa/a.jpg" alt="" /><figcaption>Chú thích</figcaption></figure>'],
    ['entities normalised', '<p>Sức khỏe &amp; Đời sống &atilde; &lt;3</p>', '<p>Sức khỏe &amp; Đời sống ã &lt;3</p>'],
    ['bare ampersand escaped', '<p>Sức khỏe & Đời sống</p>', '<p>Sức khỏe &amp; Đời sống</p>'],
    ['unclosed tags closed', '<p><b>chữ', '<p><b>chữ</b></p>'],
    ['comments removed', '<p>a<!-- x --></p>', '<p>a</p>'],
  ])('%s', (_name, html, expected) => {
    expect(sanitizeContent(html, BASE)).toBe(expected);
  });

  it.each([[''], ['   '], ['<p></p>'], ['<p>&nbsp;</p><br>'], ['<script>alert(1)</script>'], ['<img src="javascript:x">']])(
    '%j → null',
    (html) => {
      expect(sanitizeContent(html, BASE)).toBeNull();
    },
  );

  it('the fast path handles typical feed fragments', () => {
    expect(sanitizeFast('<a href="/x"><img src="/a.jpg?w=1&h=2"></a></br>Chữ &amp; số', BASE)).toBeDefined();
    expect(sanitizeFast('<p>a<!-- c --></p>', BASE)).toBeUndefined();
    expect(sanitizeFast('<script>x</script>', BASE)).toBeUndefined();
    expect(sanitizeFast('<p>a<div>b</div></p>', BASE)).toBeUndefined(); // implied </p>
    expect(sanitizeFast('AT&T', BASE)).toBeUndefined(); // ambiguous reference
  });

  it('the fast path produces exactly what sanitize-html produces (differential fuzz)', () => {
    const pieces = [
      '<a href="/x?a=1&amp;b=2">', '<a href=javascript:alert(1)>', '</a>', '<img src="a.jpg" alt="">', '<img src=x onerror=alert(1)>',
      '<img data-src="/lazy.png" src="data:image/gif;base64,AA">', '<img src="https://i.vnecdn.net/a.jpg?w=1200&h=0&q=100&dpr=1&fit=crop&s=x">',
      '<br>', '</br>', '<br/>', '<p>', '</p>', '<div class="x">', '</div>', '<b>', '</b>', '<span style="color:red">', '</span>',
      '<h1>', '</h1>', '<h3 id=x>', '</h3>', '<li>', '</li>', '<ul>', '</ul>', '<ol>', '</ol>', 'Sức khỏe & Đời sống', 'đ&atilde;',
      ' &nbsp; ', '&amp;', 'AT&T', '&copy2026', '&#8230;', '&#x1F600;', '&#0;', '&#128;', 'a < b', 'x > y', '"q"', "'", '<!-- c -->',
      '<script>alert(1)</script>', '<strong title="t&quot;x">', '</strong>', '<em>', '</em>', '<figure>', '</figure>', '<figcaption>',
      '</figcaption>', '<section>', '</section>', '<hr>', '<wbr>', '<font size=2>', '</font>', '<a title="only title">',
      '<img src="http://x/1.jpg" width="100" height="abc" title="">', '\n', 'text', '<A HREF="HTTP://EXAMPLE.COM/Path">', '<blockquote>',
      '</blockquote>', '<pre>', '</pre>', '<code>', '</code>', '<p >', '</p >', '<img src = "y.png" >', "<a href='mailto:a@b.c'>",
      '<i>', '</i>', '&unknown;', '&amp', '<center>', '</center>', '<a href="/q?copy=1&not=2&amp=3">', '<a href="?x=&copy">',
      '<a href="  java&#x0A;script:alert(3)">', '<a\u00A0href="/nbsp">', '<img src="/a b.jpg" width=50%>', '<u>', '</u>', '</img>',
      '<a href="https://a.vn/" target=_blank rel=opener>', '<iframe src=x>', '</iframe>', '<td>', '<table>', '<p/>', '<b/>',
    ];
    let seed = 20260828;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let fast = 0;
    for (let i = 0; i < 30_000; i++) {
      let html = '';
      const length = 1 + random(10);
      for (let j = 0; j < length; j++) html += pieces[random(pieces.length)];
      const result = sanitizeFast(html, 'https://vnexpress.net/so-hoa/bai.html');
      if (result === undefined) continue;
      fast++;
      const reference = sanitizeWithLibrary(html, 'https://vnexpress.net/so-hoa/bai.html');
      if (result !== reference) expect({ html, result }).toEqual({ html, result: reference });
    }
    expect(fast).toBeGreaterThan(5_000);
  });
});

describe('hostile input sizes (no super-linear regex paths)', () => {
  it.each([
    ['unclosed tags', '<a'.repeat(50_000)],
    ['unterminated quotes', '<a "x'.repeat(30_000)],
    ['unclosed raw-text elements', '<script>x'.repeat(20_000)],
    ['unclosed images', '<img src="a.jpg'.repeat(20_000)],
    ['many entities', '&amp;atilde;'.repeat(30_000)],
    ['at signs', '@'.repeat(100_000)],
    ['whitespace runs', 'a \t\n\u00A0'.repeat(50_000)],
  ])('%s', (_name, payload) => {
    const started = performance.now();
    htmlToText(payload);
    titleToText(payload);
    sanitizeContent(payload, 'https://a.vn/');
    normalizeItem(item({ title: payload, summary: payload, author: payload, categories: [payload], link: 'https://a.vn/1' }), CTX);
    expect(performance.now() - started).toBeLessThan(3000);
  });
});

describe('normalizeItem: title and summary', () => {
  it('cleans titles: tags, entities, double-encoding, NFD, control characters', () => {
    expect(norm({ title: NFD('Người dân đ&atilde; bán vàng <b>miếng</b>\u0007'), link: 'https://a.vn/1' }).title).toBe(
      'Người dân đã bán vàng miếng',
    );
  });

  it('derives a missing title from the summary (first ~100 characters, word boundary)', () => {
    const summary =
      'Áp thấp nhiệt đới trên Biển Đông có khả năng mạnh lên thành bão số 6 trong 24 giờ tới; từ Quảng Trị đến Quảng Ngãi có mưa to đến rất to.';
    const article = norm({ summary: `<p>${summary}</p>`, link: 'https://a.vn/1' });
    expect(article.title.length).toBeLessThanOrEqual(101);
    expect(article.title.endsWith('…')).toBe(true);
    expect(summary.startsWith(article.title.slice(0, -1))).toBe(true);
    expect(article.summary).toBe(summary);
  });

  it('derives a title from the content when there is no summary, else uses the link', () => {
    expect(norm({ content: '<p>Toàn văn ngắn.</p>', link: 'https://a.vn/1' }).title).toBe('Toàn văn ngắn.');
    expect(norm({ link: 'https://a.vn/1?utm_source=x' }).title).toBe('https://a.vn/1');
  });

  it.each([
    ['description (plain text)', { summary: 'Mô tả ngắn.' }, 'Mô tả ngắn.'],
    ['description (HTML)', { summary: '<a href="/x"><img src="/a.jpg"></a></br>Mô tả &amp; ảnh.' }, 'Mô tả & ảnh.'],
    ['content when there is no description', { content: '<p>Đoạn một.</p><p>Đoạn hai.</p>' }, 'Đoạn một. Đoạn hai.'],
    ['null when empty', { summary: '<p> </p>' }, null],
    ['null when absent', {}, null],
  ])('summary from %s', (_name, fields, expected) => {
    expect(norm({ title: 'Tiêu đề', link: 'https://a.vn/1', ...fields }).summary).toBe(expected);
  });

  it('cuts very long summaries', () => {
    const long = 'Chữ '.repeat(400);
    const summary = norm({ title: 't', link: 'https://a.vn/1', content: `<p>${long}</p>` }).summary!;
    expect(summary.length).toBeLessThanOrEqual(501);
    expect(summary.endsWith('…')).toBe(true);
  });
});

describe('normalizeItem: content', () => {
  it('prefers content:encoded / atom:content', () => {
    const article = norm({ title: 't', link: 'https://a.vn/1', summary: '<p>tóm tắt</p>', content: '<p>toàn văn</p>' });
    expect(article.contentHtml).toBe('<p>toàn văn</p>');
    expect(article.summary).toBe('tóm tắt');
  });

  it('reads the credit line of a syndicated copy from the end of its body, whichever field carries it', () => {
    const credit = '<p>Bài viết kết thúc ở đây.</p><p>Theo Thế Vinh (VietNamNet)</p>';
    expect(norm({ title: 't', link: 'https://a.vn/1', summary: '<p>tóm tắt</p>', content: credit }).originalOutlet).toBe('VietNamNet');
    expect(norm({ title: 't', link: 'https://a.vn/1', summary: credit }).originalOutlet).toBe('VietNamNet');
    expect(norm({ title: 't', link: 'https://a.vn/1', summary: 'Bài viết kết thúc ở đây. Theo Thế Vinh (VietNamNet)' }).originalOutlet).toBe('VietNamNet');
    // Only the body counts: a credit in the summary of an item with a full body is not one.
    expect(norm({ title: 't', link: 'https://a.vn/1', summary: credit, content: '<p>toàn văn, không trích nguồn</p>' }).originalOutlet).toBeNull();
  });

  it('falls back to an HTML description, not a plain one', () => {
    expect(norm({ title: 't', link: 'https://a.vn/1', summary: '<p>mô tả</p>' }).contentHtml).toBe('<p>mô tả</p>');
    expect(norm({ title: 't', link: 'https://a.vn/1', summary: 'chỉ là chữ' }).contentHtml).toBeNull();
  });

  it('resolves relative URLs against the item base, then the feed base, then the feed URL', () => {
    const html = '<a href="chi-tiet.htm">x</a>';
    expect(norm({ title: 't', link: 'a', content: html, base: 'https://dantri.com.vn/the-thao/' }, { feedBase: 'https://dantri.com.vn/kinh-doanh/' }).contentHtml)
      .toContain('href="https://dantri.com.vn/the-thao/chi-tiet.htm"');
    expect(norm({ title: 't', link: 'a', content: html }, { feedBase: 'https://dantri.com.vn/kinh-doanh/' }).contentHtml)
      .toContain('href="https://dantri.com.vn/kinh-doanh/chi-tiet.htm"');
    expect(norm({ title: 't', link: 'a', content: html }).contentHtml).toContain('href="https://vnexpress.net/rss/chi-tiet.htm"');
  });

  it('cleans a hostile item completely', () => {
    const article = norm({
      title: '<script>alert(1)</script>Giá vàng <img src=x onerror=alert(1)>tăng',
      link: 'https://a.vn/1',
      author: '<b onclick="x()">Ban Kinh tế</b>',
      categories: ['<script>alert(1)</script>Kinh tế'],
      summary:
        '<p onclick="alert(1)">Giá vàng tăng.</p><script>steal()</script><iframe src="https://evil.example"></iframe>' +
        '<a href="javascript:alert(1)">bấm</a><img src="x.jpg" onerror="alert(2)"><object data="x"></object><embed src="x">' +
        '<form action="https://evil.example"><input></form><style>*{}</style>',
    });
    expect(article.title).toBe('Giá vàng tăng');
    expect(article.author).toBe('Ban Kinh tế');
    expect(article.categories).toEqual(['Kinh tế']);
    expect(article.summary).toBe('Giá vàng tăng. bấm');
    expect(article.contentHtml).toBe('<p>Giá vàng tăng.</p>bấm<img src="https://vnexpress.net/rss/x.jpg" />');
    expect(JSON.stringify(article)).not.toMatch(/script|onerror|onclick|javascript:|iframe|object|embed|form|style/i);
  });
});

describe('normalizeItem: link, guid and key', () => {
  it.each([
    ['canonical link', { link: 'HTTPS://VnExpress.net/a.html?utm_source=rss#c' }, 'https://vnexpress.net/a.html', 'https://vnexpress.net/a.html'],
    ['relative link', { link: '/a.html' }, 'https://vnexpress.net/a.html', 'https://vnexpress.net/a.html'],
    ['permalink guid when no link', { guid: 'https://vnexpress.net/g.html', guidIsPermaLink: true }, 'https://vnexpress.net/g.html', 'https://vnexpress.net/g.html'],
    ['guid with unknown permalink flag (Atom id URL)', { guid: 'https://dantri.com.vn/g.htm' }, 'https://dantri.com.vn/g.htm', 'https://dantri.com.vn/g.htm'],
    ['isPermaLink="false" guid is not a link', { guid: 'https://vnexpress.net/g.html', guidIsPermaLink: false }, '', 'guid:https://vnexpress.net/g.html'],
    ['URI guid key', { guid: 'tag:dantri.com.vn,2026:1' }, '', 'guid:tag:dantri.com.vn,2026:1'],
    ['non-URI guid is scoped to the source', { guid: '4930112' }, '', 'guid:vnexpress-so-hoa/4930112'],
    ['javascript: link is no link', { link: 'javascript:alert(1)', guid: 'x1', guidIsPermaLink: false }, '', 'guid:vnexpress-so-hoa/x1'],
  ])('%s', (_name, fields, link, key) => {
    const article = norm({ title: 'Tiêu đề', ...fields });
    expect(article.link).toBe(link);
    expect(article.key).toBe(key);
  });

  it('hashes source, title and date when there is neither link nor guid; stable across fetches', () => {
    const fields = { title: 'Tiêu đề', published: '2026-08-28T10:00:00+07:00' };
    const a = norm(fields);
    const b = norm(fields, { fetchedAt: new Date('2026-09-02T00:00:00Z') });
    expect(a.key).toMatch(/^hash:[0-9a-f]{40}$/);
    expect(b.key).toBe(a.key);
    expect(norm(fields, { sourceSlug: 'tuoitre' }).key).not.toBe(a.key);
    expect(norm({ ...fields, published: '2026-08-29T10:00:00+07:00' }).key).not.toBe(a.key);
    // Without any date the key must not depend on fetchedAt either.
    expect(norm({ title: 'x' }).key).toBe(norm({ title: 'x' }, { fetchedAt: new Date('2027-01-01T00:00:00Z') }).key);
  });

  it('keeps the guid, trimmed', () => {
    expect(norm({ title: 't', link: 'https://a.vn/', guid: '  abc  ' }).guid).toBe('abc');
    expect(norm({ title: 't', link: 'https://a.vn/' }).guid).toBeNull();
  });

  it('returns null only without title, link and content', () => {
    expect(normalizeItem(item({}), CTX)).toBeNull();
    expect(normalizeItem(item({ title: ' <b></b> ', summary: '<p> </p>', link: 'javascript:x' }), CTX)).toBeNull();
    expect(normalizeItem(item({ guid: 'only-a-guid' }), CTX)).toBeNull();
    expect(normalizeItem(item({ title: 'Chỉ có tiêu đề' }), CTX)).not.toBeNull();
    expect(normalizeItem(item({ link: 'https://a.vn/1' }), CTX)).not.toBeNull();
    expect(normalizeItem(item({ content: '<img src="https://a.vn/a.jpg">' }), CTX)).not.toBeNull();
  });
});

describe('normalizeItem: image, author, categories', () => {
  it.each([
    ['image enclosure first', { enclosures: [{ url: '/e.jpg', type: 'image/jpeg' }], mediaUrls: ['https://m.vn/m.jpg'], summary: '<img src="/d.jpg">' }, 'https://vnexpress.net/e.jpg'],
    ['enclosure recognised by extension', { enclosures: [{ url: 'https://a.vn/e.webp?w=1' }] }, 'https://a.vn/e.webp?w=1'],
    ['non-image enclosure skipped', { enclosures: [{ url: 'https://a.vn/a.mp3', type: 'audio/mpeg' }], mediaUrls: ['https://m.vn/m.jpg'] }, 'https://m.vn/m.jpg'],
    ['media:content/thumbnail next', { mediaUrls: ['//m.vn/m.jpg'], summary: '<img src="/d.jpg">' }, 'https://m.vn/m.jpg'],
    ['first <img> of the description', { summary: '<a href="/x"><img src="/d.jpg?w=1&amp;h=2"></a>', content: '<img src="/c.jpg">' }, 'https://vnexpress.net/d.jpg?w=1&h=2'],
    ['first <img> of the content', { summary: 'chữ', content: '<p><img src="c.jpg"></p>' }, 'https://vnexpress.net/rss/c.jpg'],
    ['tracking pixel skipped', { summary: '<img src="https://feeds.example/~r/x" width="1" height="1"><img src="/real.jpg">' }, 'https://vnexpress.net/real.jpg'],
    ['lazy-loaded image', { summary: '<img src="data:image/gif;base64,R0l" data-src="/lazy.jpg">' }, 'https://vnexpress.net/lazy.jpg'],
    ['javascript: image ignored', { summary: '<img src="javascript:alert(1)">' }, null],
    ['none', { summary: 'chữ' }, null],
  ])('%s', (_name, fields, expected) => {
    expect(norm({ title: 't', link: 'https://a.vn/1', ...fields }).imageUrl).toBe(expected);
  });

  it.each([
    ['toasoan@vnexpress.net (Lưu Quý)', 'Lưu Quý'],
    ['Lưu Quý <toasoan@vnexpress.net>', 'Lưu Quý'],
    ['  <b>Minh&nbsp;Anh</b> ', 'Minh Anh'],
    [NFD('Nguyễn Hoàng'), 'Nguyễn Hoàng'],
    ['toasoan@vnexpress.net', 'toasoan@vnexpress.net'],
    ['   ', null],
  ])('author %j → %j', (raw, expected) => {
    expect(norm({ title: 't', link: 'https://a.vn/1', author: raw }).author).toBe(expected);
  });

  it('cleans, dedupes and NFC-normalises categories', () => {
    expect(
      norm({
        title: 't',
        link: 'https://a.vn/1',
        categories: ['  Thời sự ', NFD('Thời sự'), 'thời sự', 'Sức khỏe &amp; Đời sống', '<b>Xe</b>', '', '   '],
      }).categories,
    ).toEqual(['Thời sự', 'Sức khỏe & Đời sống', 'Xe']);
  });
});

describe('normalizeItem: publishedAt', () => {
  it.each([
    ['published', { published: 'Thu, 28 Aug 2026 10:15:00 +0700' }, '2026-08-28T03:15:00.000Z'],
    ['dc:date style', { published: '2026-08-28T10:15:00+07:00' }, '2026-08-28T03:15:00.000Z'],
    ['zoneless date in the source timezone', { published: '28/08/2026 10:15' }, '2026-08-28T03:15:00.000Z'],
    ['updated when published is missing', { updated: '2026-08-29T08:00:00Z' }, '2026-08-29T08:00:00.000Z'],
    ['updated when published is garbage', { published: 'hôm qua', updated: '2026-08-29T08:00:00Z' }, '2026-08-29T08:00:00.000Z'],
    ['fetchedAt when nothing parses', { published: 'hôm qua' }, FETCHED_AT.toISOString()],
    ['fetchedAt when absent', {}, FETCHED_AT.toISOString()],
    ['clamped when in the future', { published: '2026-09-01T10:00:00+07:00' }, FETCHED_AT.toISOString()],
    ['clamped far future', { published: '2030-01-01T00:00:00Z' }, FETCHED_AT.toISOString()],
    ['a few minutes of clock skew is kept', { published: '2026-09-01T00:03:00Z' }, '2026-09-01T00:03:00.000Z'],
  ])('%s', (_name, fields, expected) => {
    expect(norm({ title: 't', link: 'https://a.vn/1', ...fields }).publishedAt.toISOString()).toBe(expected);
  });

  it('uses the context timezone', () => {
    expect(norm({ title: 't', link: 'https://a.vn/1', published: '2026-08-28 10:15:00' }, { timezone: 'UTC' }).publishedAt.toISOString()).toBe(
      '2026-08-28T10:15:00.000Z',
    );
  });
});

describe('normalizeFeed', () => {
  const feed: ParsedFeed = {
    format: 'atom',
    base: 'https://dantri.com.vn/kinh-doanh/',
    items: [
      item({ title: 'Một', link: 'mot.htm' }),
      item({ title: 'Một (bản sửa)', link: 'https://dantri.com.vn/kinh-doanh/mot.htm?utm_source=rss' }),
      item({}),
      item({ title: 'Hai', link: 'hai.htm' }),
      item({ title: 'Ba', guid: 'tag:x,2026:3' }),
      item({ title: 'Ba lần nữa', guid: 'tag:x,2026:3' }),
    ],
  };

  it('keeps the first of duplicate keys and counts skipped items', () => {
    const { articles, skipped } = normalizeFeed(feed, { ...CTX, feedUrl: 'https://dantri.com.vn/atom.xml' });
    expect(articles.map((a) => [a.key, a.title])).toEqual([
      ['https://dantri.com.vn/kinh-doanh/mot.htm', 'Một'],
      ['https://dantri.com.vn/kinh-doanh/hai.htm', 'Hai'],
      ['guid:tag:x,2026:3', 'Ba'],
    ]);
    expect(skipped).toBe(3);
  });

  it('uses ctx.feedBase over feed.base', () => {
    const { articles } = normalizeFeed(feed, { ...CTX, feedUrl: 'https://dantri.com.vn/atom.xml', feedBase: 'https://other.vn/' });
    expect(articles[0].link).toBe('https://other.vn/mot.htm');
  });
});

describe('fixtures end to end', () => {
  async function load(file: string): Promise<ArticleInput[]> {
    const url = `http://127.0.0.1:8080/${file}`;
    const feed = await parseFeed(readFileSync(`${FIXTURES}${file}`, 'utf8'), { url, contentType: 'application/xml' });
    const { articles, skipped } = normalizeFeed(feed, { ...CTX, feedUrl: url, feedBase: feed.base, sourceSlug: file.replace('.xml', '') });
    expect(skipped).toBe(0);
    return articles;
  }

  it('normalises every fixture into clean articles', async () => {
    for (const file of ['vnexpress-so-hoa.xml', 'tuoitre-thoi-su.xml', 'dantri-atom.xml', 'thanhnien-rdf.xml', 'hostile.xml']) {
      const articles = await load(file);
      expect(articles.length).toBeGreaterThanOrEqual(8);
      for (const a of articles) {
        expect(a.title).toBe(a.title.normalize('NFC'));
        expect(a.title).not.toMatch(/[<>]|&[a-z]+;/);
        expect(a.publishedAt.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 7, 1) - 7 * 3_600_000);
        expect(a.publishedAt.getTime()).toBeLessThan(Date.UTC(2026, 9, 1));
        if (a.imageUrl) expect(a.imageUrl).toMatch(/^https?:\/\//);
      }
    }
  });

  it('decodes the double-encoded and NFD titles of the VnExpress fixture', async () => {
    const titles = (await load('vnexpress-so-hoa.xml')).map((a) => a.title);
    expect(titles).toContain('Hơn 2 triệu người đã cài ứng dụng định danh điện tử mức 2');
    expect(titles).toContain('Trợ lý AI tiếng Việt được dùng thử tại bệnh viện');
  });

  it('resolves Atom links against xml:base (feed and entry)', async () => {
    const links = (await load('dantri-atom.xml')).map((a) => a.link);
    expect(links).toContain('https://dantri.com.vn/kinh-doanh/lan-dau-tien-nguoi-dan-co-the-ban-vang-mieng-voi-gia-127-trieu-luong-20260828095512345.htm');
    expect(links).toContain('https://dantri.com.vn/kinh-doanh/gia-ca-phe-lap-dinh-moi-nong-dan-tay-nguyen-phan-khoi-20260824162000901.htm');
  });

  it('has one cross-source duplicate URL and two stories reported with different URLs', async () => {
    const [vne, tt, dt, tn] = await Promise.all(
      ['vnexpress-so-hoa.xml', 'tuoitre-thoi-su.xml', 'dantri-atom.xml', 'thanhnien-rdf.xml'].map(load),
    );
    const keys = (list: ArticleInput[]) => new Set(list.map((a) => a.key));
    const shared = [...keys(vne)].filter((k) => keys(tt).has(k));
    expect(shared).toEqual(['https://vnexpress.net/cong-bo-ket-qua-nghien-cuu-anh-huong-cua-xang-e10-voi-o-to-xe-may-4930112.html']);
    const storm = [...tt, ...tn].filter((a) => a.title.startsWith('Bão số 6'));
    expect(storm).toHaveLength(2);
    expect(storm[0].key).not.toBe(storm[1].key);
    const gold = [...dt, ...tn].filter((a) => /vàng miếng.*127 triệu/.test(a.title));
    expect(gold).toHaveLength(2);
    expect(gold[0].key).not.toBe(gold[1].key);
  });

  it('neutralises every attack in hostile.xml', async () => {
    const articles = await load('hostile.xml');
    expect(articles).toHaveLength(8);
    for (const a of articles) {
      const html = a.contentHtml ?? '';
      expect(html).not.toMatch(/<script|<iframe|<object|<embed|<form|<style|<svg|<math|<meta|<base|<link|<input/i);
      expect(html).not.toMatch(/\son[a-z]+=/i);
      expect(html).not.toMatch(/javascript:|vbscript:|data:/i);
      expect(a.title).not.toMatch(/script|onerror|</i);
      if (a.link) expect(a.link).toMatch(/^https:\/\/tin-nong-24h\.example\//);
    }
    const byTitle = new Map(articles.map((a) => [a.title, a]));
    expect(byTitle.get('Giá vàng hôm nay tăng mạnh')!.contentHtml).toBe('<p>Giá vàng miếng tăng 1 triệu đồng mỗi lượng.</p><p>Người dân xếp hàng mua vàng.</p>');
    expect(byTitle.get('Bấm vào đây để nhận quà')).toMatchObject({ link: '', key: 'guid:hostile/hostile-1003' });
    expect(byTitle.get('Tuyển sinh đại học: điểm chuẩn dự kiến tăng')).toMatchObject({
      link: 'https://tin-nong-24h.example/tuyen-sinh-dai-hoc-diem-chuan-du-kien-tang-1007.html',
      author: 'Ban Giáo dục',
      categories: ['Giáo dục'],
    });
  });
});

describe('normalizeItem: declared text types and per-element bases', () => {
  it('keeps a declared plain-text title as written, reduces a declared HTML title once', () => {
    expect(norm({ title: 'History of the <blink> tag', titleIsText: true }).title).toBe('History of the <blink> tag');
    expect(norm({ title: 'History of the &lt;blink&gt; tag', titleIsHtml: true }).title).toBe('History of the <blink> tag');
    // Undeclared (RSS) titles keep the double-decoding heuristic.
    expect(norm({ title: 'Người dân đ&amp;atilde; bán' }).title).toBe('Người dân đã bán');
  });

  it('resolves the link and the content against their own xml:base', () => {
    const article = norm({
      link: 'bai.htm',
      linkBase: 'https://a.vn/tin/',
      content: '<img src="x.jpg">',
      contentBase: 'https://cdn.a.vn/',
      base: 'https://a.vn/',
    });
    expect(article.link).toBe('https://a.vn/tin/bai.htm');
    expect(article.contentHtml).toBe('<img src="https://cdn.a.vn/x.jpg" />');
  });
});
