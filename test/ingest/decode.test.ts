import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeFeedBody, decodeFeedChunks, findMarkupCuts } from '../../src/ingest/decode.js';

const VIETNAMESE = 'Tin tức thời sự: Hà Nội mưa lớn, người dân được khuyến cáo ở nhà';
const FRENCH = 'Élysée : « déjà vu » — coût 12 €';
const LATIN1 = 'Café crème à Zürich, ñandú';

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/** windows-1258 has no precomposed toned letters: real-world bytes are base letter + combining tone mark. */
function encodeWindows1258(text: string): Buffer {
  const clusters = text.normalize('NFD').match(/\P{M}\p{M}*/gu) ?? [];
  const spelled = clusters
    .map((cluster) => cluster.replace(TONE_MARKS, '').normalize('NFC') + (cluster.match(TONE_MARKS) ?? []).join(''))
    .join('');
  return iconv.encode(spelled, 'windows-1258');
}

const xml = (encoding: string | null, text: string) =>
  `${encoding ? `<?xml version="1.0" encoding="${encoding}"?>` : '<?xml version="1.0"?>'}<rss><title>${text}</title></rss>`;

interface Case {
  name: string;
  body: Buffer;
  contentType: string | null;
  expected: string;
}

const cases: Case[] = [
  {
    name: 'UTF-8 BOM is honoured and stripped',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml('utf-8', VIETNAMESE))]),
    contentType: 'application/rss+xml',
    expected: xml('utf-8', VIETNAMESE),
  },
  {
    name: 'UTF-16LE BOM wins over a wrong Content-Type charset',
    body: Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml('utf-16', VIETNAMESE), 'utf-16le')]),
    contentType: 'text/xml; charset=iso-8859-1',
    expected: xml('utf-16', VIETNAMESE),
  },
  {
    name: 'UTF-16BE BOM',
    body: Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(xml(null, VIETNAMESE), 'utf-16be')]),
    contentType: null,
    expected: xml(null, VIETNAMESE),
  },
  {
    name: 'UTF-32LE BOM is not mistaken for UTF-16LE',
    body: Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x00]), iconv.encode(xml(null, VIETNAMESE), 'utf-32le')]),
    contentType: null,
    expected: xml(null, VIETNAMESE),
  },
  {
    name: 'windows-1258 via Content-Type charset (Vietnamese)',
    body: encodeWindows1258(xml(null, VIETNAMESE)),
    contentType: 'application/rss+xml; charset=windows-1258',
    expected: xml(null, VIETNAMESE),
  },
  {
    name: 'windows-1252 via quoted, upper-case Content-Type charset',
    body: iconv.encode(xml(null, FRENCH), 'windows-1252'),
    contentType: 'text/xml; Charset="WINDOWS-1252"',
    expected: xml(null, FRENCH),
  },
  {
    name: 'iso-8859-1 via Content-Type charset',
    body: iconv.encode(xml(null, LATIN1), 'iso-8859-1'),
    contentType: 'application/xml;charset=ISO-8859-1',
    expected: xml(null, LATIN1),
  },
  {
    name: 'iso-8859-1 label decodes C1 bytes as windows-1252 (curly quotes), like browsers',
    body: Buffer.from([0x93, 0x68, 0x69, 0x94]),
    contentType: 'text/plain; charset=iso-8859-1',
    expected: '\u201chi\u201d',
  },
  {
    name: 'windows-1258 via XML declaration when Content-Type has no charset',
    body: encodeWindows1258(xml('windows-1258', VIETNAMESE)),
    contentType: 'text/xml',
    expected: xml('windows-1258', VIETNAMESE),
  },
  {
    name: 'iso-8859-1 via XML declaration with single quotes and no Content-Type',
    body: iconv.encode(`<?xml version='1.0' encoding='ISO-8859-1'?><feed>${LATIN1}</feed>`, 'iso-8859-1'),
    contentType: null,
    expected: `<?xml version='1.0' encoding='ISO-8859-1'?><feed>${LATIN1}</feed>`,
  },
  {
    name: 'koi8-r via XML declaration',
    body: iconv.encode(xml('koi8-r', 'Новости дня'), 'koi8-r'),
    contentType: 'application/rss+xml',
    expected: xml('koi8-r', 'Новости дня'),
  },
  {
    name: 'shift_jis via Content-Type',
    body: iconv.encode(xml(null, '今日のニュース'), 'shift_jis'),
    contentType: 'text/xml; charset=Shift_JIS',
    expected: xml(null, '今日のニュース'),
  },
  {
    name: 'gb2312 via XML declaration',
    body: iconv.encode(xml('gb2312', '新闻头条'), 'gbk'),
    contentType: null,
    expected: xml('gb2312', '新闻头条'),
  },
  {
    name: 'Content-Type charset overrides the XML declaration',
    body: Buffer.from(xml('windows-1252', VIETNAMESE), 'utf8'),
    contentType: 'application/rss+xml; charset=utf-8',
    expected: xml('windows-1252', VIETNAMESE),
  },
  {
    name: 'unknown Content-Type charset falls back to UTF-8',
    body: Buffer.from(xml(null, VIETNAMESE), 'utf8'),
    contentType: 'text/xml; charset=x-klingon',
    expected: xml(null, VIETNAMESE),
  },
  {
    name: 'unknown declared encoding falls back to UTF-8',
    body: Buffer.from(xml('x-made-up', VIETNAMESE), 'utf8'),
    contentType: null,
    expected: xml('x-made-up', VIETNAMESE),
  },
  {
    name: 'stale "utf-16" declaration on an ASCII-compatible body is treated as UTF-8',
    body: Buffer.from(xml('utf-16', VIETNAMESE), 'utf8'),
    contentType: 'text/xml',
    expected: xml('utf-16', VIETNAMESE),
  },
  {
    name: 'UTF-16LE without BOM is sniffed from "<?"',
    body: iconv.encode(xml(null, VIETNAMESE), 'utf-16le'),
    contentType: null,
    expected: xml(null, VIETNAMESE),
  },
  {
    name: 'HTML meta charset when nothing else says',
    body: iconv.encode(`<!DOCTYPE html><html><head><meta charset="windows-1252"></head><p>${FRENCH}</p>`, 'windows-1252'),
    contentType: 'text/html',
    expected: `<!DOCTYPE html><html><head><meta charset="windows-1252"></head><p>${FRENCH}</p>`,
  },
  {
    name: 'JSON Feed defaults to UTF-8',
    body: Buffer.from(JSON.stringify({ title: VIETNAMESE }), 'utf8'),
    contentType: 'application/feed+json',
    expected: JSON.stringify({ title: VIETNAMESE }),
  },
  {
    name: 'no hints at all defaults to UTF-8',
    body: Buffer.from(VIETNAMESE, 'utf8'),
    contentType: null,
    expected: VIETNAMESE,
  },
  {
    name: 'empty body',
    body: Buffer.alloc(0),
    contentType: 'text/xml; charset=utf-8',
    expected: '',
  },
];

describe('decodeFeedBody', () => {
  it.each(cases)('$name', ({ body, contentType, expected }) => {
    const text = decodeFeedBody(body, contentType);
    expect(text).toBe(expected);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('never throws on garbage input', () => {
    const garbage = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]);
    for (const contentType of [null, 'text/xml; charset=', 'text/xml; charset=utf-32', 'a; charset="unterminated']) {
      expect(() => decodeFeedBody(garbage, contentType)).not.toThrow();
    }
  });
});

describe('decodeFeedChunks', () => {
  it.each(cases)('$name: the pieces join to what decodeFeedBody returns', ({ body, contentType }) => {
    for (const pieceBytes of [1, 5, 64]) expect(decodeFeedChunks(body, contentType, pieceBytes).join('')).toBe(decodeFeedBody(body, contentType));
  });

  it('cuts UTF-8 (with or without a BOM, invalid bytes and all) only before markup, at least the piece size apart', () => {
    const xmlText = `<rss><channel><title>${VIETNAMESE}</title>${Array.from({ length: 30 }, (_, i) => `<item><title>${VIETNAMESE} ${i}</title></item>`).join('')}</channel></rss>`;
    const invalid = Buffer.concat([Buffer.from('<rss><a>'), Buffer.from([0xc3, 0xe2, 0x28]), Buffer.from(`</a>${'<b>ố</b>'.repeat(80)}</rss>`)]);
    for (const body of [Buffer.from(xmlText), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xmlText)]), invalid]) {
      const pieces = decodeFeedChunks(body, 'application/rss+xml', 100);
      expect(pieces.length).toBeGreaterThan(5);
      expect(pieces.join('')).toBe(decodeFeedBody(body, 'application/rss+xml'));
      expect(pieces[0].charCodeAt(0)).not.toBe(0xfeff);
      for (const piece of pieces.slice(1)) expect(piece[0]).toBe('<');
      for (const piece of pieces.slice(0, -1)) expect(Buffer.byteLength(piece)).toBeGreaterThanOrEqual(100);
    }
  });

  it('comes back whole for other charsets (their bytes are not cut)', () => {
    const body = iconv.encode(`<?xml version="1.0" encoding="windows-1252"?><rss>${`<a>${LATIN1}</a>`.repeat(40)}</rss>`, 'windows-1252');
    expect(decodeFeedChunks(body, null, 10)).toEqual([decodeFeedBody(body, null)]);
  });
});

describe('findMarkupCuts', () => {
  /** Spans of CDATA sections and comments, lexed the way the parser's preparation lexes them. */
  const quoted = (text: string) => [...text.matchAll(/<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)/g)].map((m) => [m.index!, m.index! + m[0].length]);
  it.each([
    ['CDATA quoting markup', '<rss><title><![CDATA[a <b>x</b> & <!-- y ]]></title><x>1</x><![CDATA[<i>]]><y/></rss>'],
    ['comments quoting markup and CDATA openers', '<rss><!-- <a> <![CDATA[ --><b>1</b><!-- ]]> <c> --><d/></rss>'],
    ['a declaration that is neither', '<?xml version="1.0"?><!DOCTYPE rss><rss><a/><b/></rss>'],
    ['an unterminated CDATA section', '<rss><a/><![CDATA[ <b> <c> <d>'],
    ['an unterminated comment', '<rss><a/><!-- <b> <c> <d>'],
    ['"<!" at the very end', '<rss><a/><!'],
  ])('%s: every cut is a "<" outside them', (_name, text) => {
    const body = Buffer.from(text);
    const spans = quoted(text);
    for (let every = 1; every <= text.length; every++) {
      let previous = 0;
      for (const cut of findMarkupCuts(body, 0, every)) {
        expect(text[cut]).toBe('<');
        expect(cut - previous).toBeGreaterThanOrEqual(every);
        expect(spans.some(([from, to]) => cut > from && cut < to)).toBe(false);
        previous = cut;
      }
    }
    expect(findMarkupCuts(body, 0, 1).length).toBeGreaterThan(1);
  });
});
