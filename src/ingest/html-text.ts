/**
 * HTML → plain text and HTML → sanitised HTML for feed content.
 *
 * htmlToText is regex-based (no DOM): feeds carry small fragments and normalisation has to
 * run at >10k items/s. sanitizeContent uses sanitize-html (options built once at module load)
 * as the reference sanitiser, with a fast path for simple fragments that produces the same
 * output (see sanitizeFast).
 */
import { decodeHTMLStrict } from 'entities';
import sanitizeHtml from 'sanitize-html';

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

/** Elements whose content is never article text (dropped with their content, like sanitize's nonTextTags). */
// <object> and <applet> are not here: their content is the fallback shown when the plugin is
// not run, which is always the case once the element itself is dropped.
const RAW_OPEN = /<(script|style|noscript|template|iframe|textarea|svg|math|title|head|select|option|button|form|xmp|canvas|frameset)\b[^<>]*>/gi;
const HAS_RAW_ELEMENT = /<(?:script|style|noscript|template|iframe|textarea|svg|math|title|head|select|option|button|form|xmp|canvas|frameset)\b/i;
/** A tag, comment, CDATA section, doctype or processing instruction. Group 1 = tag name. */
// Quoted attribute values may contain ">" but never "<", and no part crosses a "<": every
// match attempt stops at the next tag start, so the scan stays linear on hostile input. A tag
// whose quotes do not pair up (<a href=x/">) ends at its first ">", as in HTML.
const MARKUP = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[|\]\]>|<\/?([a-zA-Z][a-zA-Z0-9:-]*)(?:(?:[^<>"']|"[^"<]*"|'[^'<]*')*|[^<>]*)>|<[!?][^<>]*>/g;
const BLOCK_ELEMENTS = new Set([
  'address', 'article', 'aside', 'blockquote', 'br', 'caption', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'img', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'tr', 'ul', 'video', 'audio', 'picture', 'center',
]);
/** C0/C1 controls except tab/newline/CR (which become spaces), plus U+FFFE/U+FFFF. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]/g;
/**
 * Zero-width and invisible formatting characters. A zero-width joiner is kept only inside an
 * emoji sequence (👨‍👩‍👧), where it carries meaning.
 */
const INVISIBLE = /[\u00AD\u180E\u200B\u200C\u200E\u200F\u2060-\u2064\uFEFF]|(?<![\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D|\u200D(?!\p{Extended_Pictographic})/gu;
const NEEDS_CLEANUP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u180E\u200B-\u200F\u2060-\u2064\uFEFF\uFFFE\uFFFF]/;
/**
 * Whitespace that collapsing changes: a run of two or more, or one that is not a plain space.
 * The same result as replacing every /\s+/ run with " ", without a replacement for each single
 * space between words (a summary's text: 1.5 µs against 0.2); text with none is returned as is.
 */
const WHITESPACE_TO_COLLAPSE = /\s{2,}|[^\S ]/g;

function replaceMarkup(_match: string, name: string | undefined): string {
  if (name === undefined) return ''; // comment, CDATA marker, doctype, processing instruction
  return BLOCK_ELEMENTS.has(name.toLowerCase()) ? ' ' : '';
}

/** Removes raw-text elements with their content; an unclosed one swallows the rest, as in HTML. */
function dropRawElements(html: string): string {
  const lower = html.toLowerCase();
  let out = '';
  let last = 0;
  RAW_OPEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RAW_OPEN.exec(html)) !== null) {
    const close = lower.indexOf(`</${m[1].toLowerCase()}`, RAW_OPEN.lastIndex);
    out += `${html.slice(last, m.index)} `;
    if (close === -1) return out;
    const end = lower.indexOf('>', close);
    if (end === -1) return out;
    last = end + 1;
    RAW_OPEN.lastIndex = last;
  }
  return out + html.slice(last);
}

/** Drops tags (block elements and <br> become a space) and non-text elements. No decoding. */
export function stripTags(html: string): string {
  if (html.indexOf('<') === -1) return html;
  const s = HAS_RAW_ELEMENT.test(html) ? dropRawElements(html) : html;
  return s.replace(MARKUP, replaceMarkup);
}

/** Control and zero-width characters removed, whitespace collapsed and trimmed, NFC. */
export function cleanText(text: string): string {
  let s = text;
  if (NEEDS_CLEANUP.test(s)) s = s.replace(CONTROL, ' ').replace(INVISIBLE, '');
  s = s.replace(WHITESPACE_TO_COLLAPSE, ' ');
  s = s.trim();
  return s.normalize('NFC'); // ~0.3 µs when already NFC
}

/** Decodes HTML character references (semicolon required, as in "Sức khỏe & Đời sống"). */
export function decodeEntities(text: string): string {
  return text.indexOf('&') === -1 ? text : decodeHTMLStrict(text);
}

/**
 * Plain text of an HTML fragment: tags dropped (block elements → space), entities decoded,
 * whitespace collapsed, control and zero-width characters removed, NFC.
 */
export function htmlToText(html: string): string {
  if (!html) return '';
  return cleanText(decodeEntities(stripTags(html)));
}

const ENTITY_LEFT = /&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/;
const TAG_LEFT = /<[a-zA-Z/!?]/;

/**
 * Plain text of a title. Titles are often double-encoded ("đ&amp;atilde;" or "đ&atilde;"
 * inside CDATA), so after one round of tag stripping + decoding, a second round runs when
 * markup or entities are still present.
 */
export function titleToText(raw: string): string {
  if (!raw) return '';
  let s = raw;
  for (let round = 0; round < 2; round++) {
    const hasTag = TAG_LEFT.test(s);
    const hasEntity = ENTITY_LEFT.test(s);
    if (!hasTag && !hasEntity) break;
    if (hasTag) s = stripTags(s);
    if (hasEntity) s = decodeHTMLStrict(s);
  }
  return cleanText(s);
}

/** Cuts plain text to at most `max` characters at a word boundary, adding "…" when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.lastIndexOf(' ', max - 1);
  if (cut < max * 0.6) cut = max - 1;
  // Never split a surrogate pair.
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).replace(/[\s,;:.\-–—]+$/, '')}…`;
}

// ---------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------

const HAS_IMG = /<img\b/i;
const IMG_TAG = /<img\b(?:[^<>"']|"[^"<]*"|'[^'<]*')*>/gi;
const ATTRIBUTE = /([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;

function attributesOf(tag: string): Map<string, string> {
  const attrs = new Map<string, string>();
  ATTRIBUTE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ATTRIBUTE.exec(tag)) !== null) {
    const name = m[1].toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

/** Picks the real image URL of an <img>, following lazy-loading conventions. */
function imageSource(attrs: Map<string, string>): string | undefined {
  const src = attrs.get('src');
  if (src && !src.startsWith('data:')) return src;
  return attrs.get('data-src') ?? attrs.get('data-original') ?? attrs.get('data-lazy-src') ?? undefined;
}

/**
 * The first <img> of an HTML fragment that is not a tracking pixel, as written (unresolved).
 */
export function firstImageSrc(html: string | undefined): string | undefined {
  if (!html || !HAS_IMG.test(html)) return undefined;
  IMG_TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = IMG_TAG.exec(html)) !== null) {
    const attrs = attributesOf(m[0]);
    if (attrs.get('width') === '1' || attrs.get('height') === '1') continue;
    const src = imageSource(attrs);
    if (src && src.trim()) return src.trim();
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Sanitised HTML
// ---------------------------------------------------------------------------

/** Base URL of the item being sanitised; set for the duration of one synchronous call. */
let currentBase: string | undefined;

const SAFE_SCHEMES_LINK = /^(?:https?|mailto):/i;
const DIMENSION = /^\d{1,5}%?$/;

function resolveAgainstBase(raw: string | undefined, allowMailto: boolean): string | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (!value) return undefined;
  try {
    const url = currentBase ? new URL(value, currentBase) : new URL(value);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
    if (allowMailto && url.protocol === 'mailto:' && SAFE_SCHEMES_LINK.test(url.href)) return url.href;
    return undefined;
  } catch {
    return undefined;
  }
}

type Attributes = Record<string, string>;

function transformLink(tagName: string, attribs: Attributes): { tagName: string; attribs: Attributes } {
  const out: Attributes = {};
  const href = resolveAgainstBase(attribs.href, true);
  if (href) {
    out.href = href;
    out.rel = 'noopener noreferrer';
  }
  if (attribs.title) out.title = attribs.title;
  return { tagName, attribs: out };
}

function transformImage(tagName: string, attribs: Attributes): { tagName: string; attribs: Attributes } {
  const out: Attributes = {};
  let src = attribs.src;
  if (!src || src.trim().startsWith('data:')) {
    src = attribs['data-src'] ?? attribs['data-original'] ?? attribs['data-lazy-src'] ?? src;
  }
  const resolved = resolveAgainstBase(src, false);
  if (resolved) out.src = resolved;
  if (attribs.alt !== undefined) out.alt = attribs.alt;
  if (attribs.title) out.title = attribs.title;
  if (attribs.width && DIMENSION.test(attribs.width)) out.width = attribs.width;
  if (attribs.height && DIMENSION.test(attribs.height)) out.height = attribs.height;
  return { tagName, attribs: out };
}

function transformCell(tagName: string, attribs: Attributes): { tagName: string; attribs: Attributes } {
  const out: Attributes = {};
  if (attribs.colspan && /^\d{1,3}$/.test(attribs.colspan)) out.colspan = attribs.colspan;
  if (attribs.rowspan && /^\d{1,3}$/.test(attribs.rowspan)) out.rowspan = attribs.rowspan;
  return { tagName, attribs: out };
}

const toTag = (name: string) => (_tag: string, _attribs: Attributes) => ({ tagName: name, attribs: {} });

/** Built once: sanitize-html copies it per call, but the maps and closures are reused. */
const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'a', 'img', 'figure', 'figcaption', 'ul', 'ol', 'li', 'blockquote', 'b', 'strong', 'i', 'em',
    'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'pre', 'code',
    // Attribute-free structure so that adjacent blocks never run together ("A</div><div>B" ≠ "AB").
    'div', 'hr',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  // Disallowed tags whose content must go too (default: script, style, textarea, option, xmp).
  // <object>/<applet> are not listed: the tags go, their fallback content stays (as in htmlToText).
  nonTextTags: [
    'script', 'style', 'textarea', 'option', 'xmp', 'noscript', 'iframe', 'embed', 'template',
    'form', 'select', 'button', 'svg', 'math', 'title', 'head', 'frameset', 'frame', 'canvas',
  ],
  transformTags: {
    a: transformLink,
    img: transformImage,
    td: transformCell,
    th: transformCell,
    h1: toTag('h2'),
    section: toTag('div'),
    article: toTag('div'),
    header: toTag('div'),
    footer: toTag('div'),
    main: toTag('div'),
    aside: toTag('div'),
    center: toTag('div'),
  },
  exclusiveFilter(frame) {
    if (frame.tag === 'img') return !frame.attribs.src;
    // A link whose href was unsafe keeps its text but loses the tag.
    if (frame.tag === 'a' && !frame.attribs.href) return 'excludeTag';
    return false;
  },
  parser: { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
};

// ---------------------------------------------------------------------------
// Fast path
//
// sanitize-html allocates a fresh constructor and closures per call, which costs ~30 µs even
// for a two-tag description and dominates normalisation. Most feed fragments use a handful of
// plain tags ("<a href><img src></a></br>text"), so those are sanitised here with the same
// transforms and the same output as the sanitize-html configuration above; anything else —
// comments, unknown or raw-text elements, implied closes, odd attribute syntax, ambiguous
// character references — returns undefined and goes to sanitize-html. The output is rebuilt
// from allow-listed names, transformed attributes and escaped text only, and a differential
// test (test/ingest/normalize.test.ts) checks it against sanitize-html.
// ---------------------------------------------------------------------------

/** Source tag → output tag, for allowed tags the fast path handles. */
const FAST_TAGS = new Map<string, string>([
  ['p', 'p'], ['br', 'br'], ['a', 'a'], ['img', 'img'], ['b', 'b'], ['strong', 'strong'], ['i', 'i'], ['em', 'em'],
  ['figure', 'figure'], ['figcaption', 'figcaption'], ['ul', 'ul'], ['ol', 'ol'], ['li', 'li'],
  ['blockquote', 'blockquote'], ['h1', 'h2'], ['h2', 'h2'], ['h3', 'h3'], ['h4', 'h4'], ['h5', 'h5'], ['h6', 'h6'],
  ['pre', 'pre'], ['code', 'code'], ['div', 'div'], ['hr', 'hr'], ['section', 'div'], ['article', 'div'],
  ['header', 'div'], ['footer', 'div'], ['main', 'div'], ['aside', 'div'], ['center', 'div'],
]);
/** Disallowed tags whose content is kept (sanitize-html "discard" mode drops just the tag). */
const FAST_TRANSPARENT = new Set([
  'span', 'font', 'u', 's', 'small', 'sub', 'sup', 'mark', 'abbr', 'time', 'cite', 'q', 'big', 'tt', 'ins', 'del',
  'nobr', 'wbr', 'strike', 'dfn', 'kbd', 'samp', 'var', 'bdi', 'bdo',
]);
/** htmlparser2's void elements (no stack entry; "</br>" means "<br>"). */
const HTML_VOID = new Set([
  'area', 'base', 'basefont', 'br', 'col', 'command', 'embed', 'frame', 'hr', 'img', 'input', 'isindex', 'keygen',
  'link', 'meta', 'param', 'source', 'track', 'wbr',
]);
/** Tags whose opening implicitly closes an open <p> in htmlparser2 (the fast path bails out). */
const CLOSES_P = new Set([
  'p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'header', 'hr', 'main', 'nav', 'ol', 'pre', 'section',
  'table', 'ul',
]);
const FAST_OPEN_NAME = /<([a-zA-Z][a-zA-Z0-9]*)/y;
// HTML whitespace only ([\t\n\f\r ]), never JavaScript's \s (which includes U+00A0).
const FAST_ATTRIBUTE = /[\t\n\f\r ]+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\f\r "'=<>`]+)))?/y;
const FAST_OPEN_END = /[\t\n\f\r ]*\/?>/y;
const FAST_CLOSE = /<\/([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*>/y;
const CHAR_REF = /&(?:[a-zA-Z][a-zA-Z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/y;
const REF_START = /[a-zA-Z0-9#]/;
const QUERY_AMPERSAND = /&[a-zA-Z0-9]+=/y;
const ESCAPE_TEXT = /[&<>]/g;
const ESCAPE_ATTRIBUTE = /[&<>"]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeChar = (c: string) => ESCAPES[c];

/**
 * Decodes character references the way htmlparser2 would, or returns undefined when the
 * string has a reference whose decoding is ambiguous (legacy references without ";", unknown
 * names that share a prefix with a legacy one, overlong numbers). In attribute values
 * "&name=" is always literal (HTML never decodes a reference followed by "="), which keeps
 * query strings such as "?w=1200&h=0&q=100" on the fast path.
 */
function decodeUnambiguous(s: string, inAttribute: boolean): string | undefined {
  let at = s.indexOf('&');
  if (at === -1) return s;
  while (at !== -1) {
    const next = s.charAt(at + 1);
    if (next && REF_START.test(next)) {
      CHAR_REF.lastIndex = at;
      const m = CHAR_REF.exec(s);
      if (m) {
        if (next !== '#' && decodeHTMLStrict(m[0]) === m[0]) return undefined; // unknown name
      } else {
        if (!inAttribute) return undefined;
        QUERY_AMPERSAND.lastIndex = at;
        if (!QUERY_AMPERSAND.test(s)) return undefined;
      }
    }
    at = s.indexOf('&', at + 1);
  }
  return decodeHTMLStrict(s);
}

interface FastFrame {
  name: string;
  /** Output tag name, or null when nothing is emitted for this element. */
  out: string | null;
}

function serializeOpen(tag: string, attribs: Attributes): string {
  let html = `<${tag}`;
  for (const name in attribs) {
    const value = attribs[name];
    if (value) html += ` ${name}="${value.replace(ESCAPE_ATTRIBUTE, escapeChar)}"`;
    else if (name === 'alt') html += ' alt=""';
  }
  return tag === 'img' || tag === 'br' || tag === 'hr' ? `${html} />` : `${html}>`;
}

/** Sanitises simple fragments without sanitize-html; undefined = use sanitize-html. */
export function sanitizeFast(html: string, baseUrl?: string | null): string | undefined {
  if (html.indexOf('\u0000') !== -1) return undefined;
  currentBase = baseUrl ?? undefined;
  try {
    return sanitizeFastInner(html);
  } finally {
    currentBase = undefined;
  }
}

function sanitizeFastInner(html: string): string | undefined {
  const stack: FastFrame[] = [];
  let out = '';
  let pos = 0;
  const length = html.length;
  while (pos < length) {
    const lt = html.indexOf('<', pos);
    if (lt !== pos) {
      const end = lt === -1 ? length : lt;
      const text = decodeUnambiguous(html.slice(pos, end), false);
      if (text === undefined) return undefined;
      out += text.replace(ESCAPE_TEXT, escapeChar);
      pos = end;
      continue;
    }
    const second = html.charCodeAt(pos + 1);
    if (second === 0x2f /* / */) {
      FAST_CLOSE.lastIndex = pos;
      const m = FAST_CLOSE.exec(html);
      if (!m) return undefined;
      pos = FAST_CLOSE.lastIndex;
      const name = m[1].toLowerCase();
      if (HTML_VOID.has(name)) {
        if (name === 'br') out += '<br />';
        continue;
      }
      if (!FAST_TAGS.has(name) && !FAST_TRANSPARENT.has(name)) return undefined;
      let index = stack.length - 1;
      while (index >= 0 && stack[index].name !== name) index--;
      if (index === -1) {
        if (name === 'p') return undefined; // htmlparser2 turns a stray </p> into <p></p>
        continue; // stray end tag: ignored
      }
      while (stack.length > index) {
        const frame = stack.pop()!;
        if (frame.out) out += `</${frame.out}>`;
      }
      continue;
    }
    FAST_OPEN_NAME.lastIndex = pos;
    const open = FAST_OPEN_NAME.exec(html);
    if (!open) return undefined; // comment, doctype, "<" in text …
    const name = open[1].toLowerCase();
    const tag = FAST_TAGS.get(name);
    if (tag === undefined && !FAST_TRANSPARENT.has(name)) return undefined;
    // Attributes.
    let cursor = FAST_OPEN_NAME.lastIndex;
    let attribs: Attributes | undefined;
    for (;;) {
      FAST_ATTRIBUTE.lastIndex = cursor;
      const a = FAST_ATTRIBUTE.exec(html);
      if (!a) break;
      cursor = FAST_ATTRIBUTE.lastIndex;
      if (tag === undefined) continue; // attributes of a dropped tag are irrelevant
      const attrName = a[1].toLowerCase();
      const value = decodeUnambiguous(a[2] ?? a[3] ?? a[4] ?? '', true);
      if (value === undefined) return undefined;
      attribs ??= {};
      if (attrName in attribs) return undefined; // duplicates: first wins in htmlparser2; keep it simple
      attribs[attrName] = value;
    }
    FAST_OPEN_END.lastIndex = cursor;
    if (!FAST_OPEN_END.exec(html)) return undefined;
    pos = FAST_OPEN_END.lastIndex;
    // htmlparser2's implied end tags.
    const top = stack.length ? stack[stack.length - 1].name : undefined;
    if (top === 'p' && CLOSES_P.has(name)) return undefined;
    if (top === 'li' && name === 'li') return undefined;
    const isVoid = HTML_VOID.has(name);
    let emitted: string | null = null;
    if (tag !== undefined) {
      let attrsOut: Attributes = {};
      if (tag === 'a') attrsOut = transformLink(tag, attribs ?? {}).attribs;
      else if (tag === 'img') attrsOut = transformImage(tag, attribs ?? {}).attribs;
      if (tag === 'img' && !attrsOut.src) {
        emitted = null; // exclusiveFilter: an image without a usable src disappears
      } else if (tag === 'a' && !attrsOut.href) {
        emitted = null; // exclusiveFilter "excludeTag": the link's text stays
      } else {
        out += serializeOpen(tag, attrsOut);
        emitted = tag;
      }
    }
    if (!isVoid) stack.push({ name, out: emitted });
  }
  while (stack.length) {
    const frame = stack.pop()!;
    if (frame.out) out += `</${frame.out}>`;
  }
  return out;
}

/** sanitize-html with this module's configuration (the reference the fast path must match). */
export function sanitizeWithLibrary(html: string, baseUrl?: string | null): string {
  currentBase = baseUrl ?? undefined;
  try {
    return sanitizeHtml(html, SANITIZE_OPTIONS);
  } finally {
    currentBase = undefined;
  }
}

const VISIBLE_TEXT = /[^\s\u00A0]/;
const EMPTY_CHECK_TAGS = /<[^>]*>/g;
const NBSP_REFS = /&nbsp;|&#160;/g;

/**
 * Sanitised HTML (see SANITIZE_OPTIONS for the allow-list): no scripts, frames, forms, event
 * handlers or non-http(s) URLs; relative href/src resolved against `baseUrl`; links get
 * rel="noopener noreferrer". Null when nothing visible (text or image) remains.
 */
export function sanitizeContent(html: string | undefined | null, baseUrl?: string | null): string | null {
  if (!html) return null;
  let out = sanitizeFast(html, baseUrl) ?? sanitizeWithLibrary(html, baseUrl);
  out = out.trim();
  if (!out) return null;
  if (out.indexOf('<img') === -1) {
    const text = out.indexOf('<') === -1 ? out : out.replace(EMPTY_CHECK_TAGS, '');
    if (!VISIBLE_TEXT.test(text.replace(NBSP_REFS, ''))) return null;
  }
  return out;
}

/** True when a string contains an HTML tag (a description that is more than plain text). */
const LOOKS_HTML = /<\/?[a-zA-Z][^<>]*>/;
export function looksLikeHtml(s: string): boolean {
  return LOOKS_HTML.test(s);
}
