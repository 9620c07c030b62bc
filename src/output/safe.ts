/**
 * Output-side safety, independent of ingestion (defence in depth): the database holds HTML that
 * ingestion sanitised, but everything that leaves through a feed is sanitised again here with
 * its own allow-list, titles are forced to plain text, and every string is made XML-safe.
 */
import sanitizeHtml from 'sanitize-html';

/** Characters XML 1.0 forbids (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlSafe(s: string): string {
  return s.replace(XML_INVALID, '');
}

export function escapeXml(s: string): string {
  return xmlSafe(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const TAG = /<!--[\s\S]*?(?:-->|$)|<\/?[a-zA-Z][^>]*>|<[!?][^>]*>/g;
const TAG_START = /<(?=[a-zA-Z/!?])/g;
const SPACES = /\s+/g;

/**
 * A title as plain text that stays harmless even in a reader that treats RSS titles as HTML:
 * anything shaped like a tag is dropped, and a "<" that could still open one becomes "‹".
 * (Ingestion already produced plain text; a title containing a tag is hostile or broken.)
 */
export function plainText(s: string): string {
  let out = xmlSafe(s);
  if (out.indexOf('<') !== -1) {
    for (let i = 0; i < 3; i++) {
      const next = out.replace(TAG, ' ');
      if (next === out) break;
      out = next;
    }
    out = out.replace(TAG_START, '‹');
  }
  return out.replace(SPACES, ' ').trim();
}

/** The only URLs an output may link to. */
export function safeHttpUrl(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    const url = new URL(raw);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return url.href;
  } catch {
    /* not a URL */
  }
  return null;
}

const OUTPUT_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'a', 'img', 'figure', 'figcaption', 'ul', 'ol', 'li', 'blockquote', 'b', 'strong', 'i', 'em',
    'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'pre', 'code', 'div', 'hr',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'iframe', 'object', 'embed', 'template', 'svg', 'math', 'title', 'frameset', 'frame', 'applet'],
  exclusiveFilter: (frame) => (frame.tag === 'img' && !frame.attribs.src) || (frame.tag === 'a' && !frame.attribs.href ? 'excludeTag' : false),
  parser: { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
};

/**
 * Re-sanitises stored HTML for output (same shape as ingestion's allow-list, configured here
 * separately so a mistake in one is caught by the other) and makes it XML-safe. Result never
 * contains "]]>" (sanitize-html escapes ">" in text and attribute values), so it can sit in CDATA.
 */
export function safeHtml(html: string | null | undefined): string {
  if (!html) return '';
  const memo = html.length <= MEMO_MAX_CHARS ? sanitized.get(html) : undefined;
  if (memo !== undefined) return memo;
  const out = xmlSafe(sanitizeHtml(html, OUTPUT_SANITIZE)).trim();
  if (html.length <= MEMO_MAX_CHARS) {
    if (sanitized.size >= MEMO_ENTRIES) sanitized.delete(sanitized.keys().next().value as string);
    sanitized.set(html, out);
  }
  return out;
}

/**
 * The same article is rendered into several feeds and three formats; its sanitised HTML is
 * remembered by its exact input (so it is right for any database), FIFO-bounded.
 */
const sanitized = new Map<string, string>();
const MEMO_ENTRIES = 5000;
const MEMO_MAX_CHARS = 64 * 1024;

/** For benchmarks that want the cost of a render from scratch. */
export function clearSanitizeMemo(): void {
  sanitized.clear();
}
