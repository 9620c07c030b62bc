/**
 * Feed body → ParsedFeed.
 *
 * XML feeds (RSS 0.90–2.0, RSS 1.0/RDF, Atom 0.3/1.0, CDF) are read into a small element tree
 * by saxes (see xml-tree.ts: canonical namespace prefixes, xml:base resolved, mixed content
 * kept) and mapped here, element by element, the way Python's feedparser reads them: Atom text
 * constructs by their type (text, html, xhtml, base64), "naked" markup re-serialised, a second
 * RSS <description>/<summary> taken as the full text, the last of repeated date elements.
 * JSON Feed 1.0/1.1 is read with JSON.parse.
 *
 * Before the XML parser sees the body it is prepared (see prepareXml):
 *  - a UTF-8 BOM and leading junk before the XML declaration are dropped;
 *  - the DOCTYPE is removed. No DTD is ever read: saxes does not expand entities declared in
 *    an internal subset and never fetches SYSTEM identifiers, so XXE and entity-expansion
 *    bombs cannot happen; removing the DOCTYPE additionally lets a reference such as "&xxe;"
 *    survive as literal text instead of failing the whole feed;
 *  - bare "&" ("Sức khỏe & Đời sống") becomes "&amp;", HTML named entities ("&nbsp;",
 *    "&hellip;") become numeric references, unknown ones become literal text, and character
 *    references to characters XML forbids are dropped — CDATA sections and comments untouched;
 *  - characters XML forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF) are removed.
 * The poller hands the body over in pieces (decode.ts decodeFeedChunks: no string large enough for
 * V8's large-object space); each step reads them as it would the whole text.
 *
 * Measured against rss-parser (which this replaced) on feedparser's test corpus and on the
 * ingest benchmark: see test/conformance/RESULTS.md.
 */
import { decodeHTMLStrict } from 'entities';
import type { ParsedEnclosure, ParsedFeed, ParsedItem } from '../model/feed.js';
import { ParseError } from './parse-errors.js';
import { cleanText, htmlToText, titleToText } from './html-text.js';
import { resolveHttpUrl } from './canonical-url.js';
import { attr, escapeHtml, hasElementKids, parseXmlTree, serializeKids, textOf, XmlSyntaxError, type XmlElement } from './xml-tree.js';

export { ParseError } from './parse-errors.js';

export interface ParseOptions {
  /** Final URL of the feed (after redirects): base for relative xml:base and links. */
  url: string;
  /** Content-Type header of the response, used to explain non-feed bodies. */
  contentType?: string | null;
}

// ---------------------------------------------------------------------------
// Body preparation
// ---------------------------------------------------------------------------

const BOM = /^\uFEFF+/;
const FEED_START = /<\?xml\b|<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s>]/;
const HTML_HINT = /<!doctype\s+html|<html[\s>]/i;
const PROLOG_SPACE = /\s+/y;
const PROLOG_PI = /<\?[\s\S]*?\?>/y;
const PROLOG_COMMENT = /<!--[\s\S]*?-->/y;
const XML_DECLARATION = /^<\?xml\s/i;
/** The document ends inside the root's end tag ("…</rss" cut off before ">"). */
const TRUNCATED_END_TAG = /<\/([A-Za-z_][\w:.-]*)\s*$/;
/**
 * A DOCTYPE with an optional internal subset. Every alternative starts with a distinct
 * character and comments stop at their first "-->", so a malformed subset fails in linear time.
 */
const PROLOG_DOCTYPE =
  /<!DOCTYPE\b(?:[^[>"']|"[^"]*"|'[^']*')*(?:\[(?:<!--(?:[^-]|-(?!->))*-->|<(?!!--)|[^\]"'<]|"[^"]*"|'[^']*')*\]\s*)?>/iy;
const PROLOG_ROOT = /<([A-Za-z_][\w:.-]*)/y;
/** Root elements of feeds, by lower-cased local name (any prefix): RSS, Atom, RDF (RSS 0.90/1.0), CDF. */
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf', 'channel']);
const NEWLINES = /\n/g;
/** CDATA and comments (kept as is) or an ampersand with the reference that follows, if any. */
const AMPERSAND = /<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<!--[\s\S]*?(?:-->|$)|&(#[xX][0-9a-fA-F]{1,8};|#[0-9]{1,10};|[A-Za-z][A-Za-z0-9]{0,31};)?/g;
const XML_PREDEFINED = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const HAS_XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 || cp === 0xa || cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function fixAmpersand(match: string, ref: string | undefined): string {
  if (match.charCodeAt(0) === 0x3c /* < */) return match;
  if (ref === undefined) return '&amp;';
  if (ref.charCodeAt(0) === 0x23 /* # */) {
    const cp = ref.charCodeAt(1) === 0x78 || ref.charCodeAt(1) === 0x58
      ? parseInt(ref.slice(2, -1), 16)
      : parseInt(ref.slice(1, -1), 10);
    return isXmlChar(cp) ? match : '';
  }
  const name = ref.slice(0, -1);
  if (XML_PREDEFINED.has(name)) return match;
  const decoded = decodeHTMLStrict(match);
  if (decoded === match) return `&amp;${ref}`; // unknown (or DTD-declared) entity: keep as text
  let out = '';
  for (const ch of decoded) out += `&#${ch.codePointAt(0)};`;
  return out;
}

interface PreparedXml {
  /** The text to parse, in the pieces it came in. */
  xml: string[];
  root: string;
  /** Lines removed before `xml` starts, to report error lines in the original body. */
  lineOffset: number;
}

function mimeOf(contentType: string | null | undefined): string | undefined {
  if (!contentType) return undefined;
  const mime = contentType.split(';')[0].trim().toLowerCase();
  return mime || undefined;
}

function notAFeed(what: string): ParseError {
  return new ParseError('not-a-feed', `not a feed: ${what}`);
}

interface Prolog {
  /** Offset of the root element's "<". */
  pos: number;
  doctype?: [number, number];
  /** XML declarations that are not at the very start (after a comment or whitespace): invalid, dropped. */
  misplacedDeclarations: [number, number][];
  isHtmlDoctype: boolean;
  root?: string;
}

/** Walks the prolog: whitespace, processing instructions, comments, one DOCTYPE; then the root name. */
function walkProlog(text: string): Prolog {
  let pos = 0;
  let doctype: [number, number] | undefined;
  let isHtmlDoctype = false;
  const misplacedDeclarations: [number, number][] = [];
  for (;;) {
    let m: RegExpExecArray | null;
    PROLOG_SPACE.lastIndex = pos;
    if (PROLOG_SPACE.exec(text)) { pos = PROLOG_SPACE.lastIndex; continue; }
    PROLOG_PI.lastIndex = pos;
    if ((m = PROLOG_PI.exec(text))) {
      if (pos > 0 && XML_DECLARATION.test(m[0])) misplacedDeclarations.push([pos, PROLOG_PI.lastIndex]);
      pos = PROLOG_PI.lastIndex;
      continue;
    }
    PROLOG_COMMENT.lastIndex = pos;
    if (PROLOG_COMMENT.exec(text)) { pos = PROLOG_COMMENT.lastIndex; continue; }
    PROLOG_DOCTYPE.lastIndex = pos;
    if (!doctype && (m = PROLOG_DOCTYPE.exec(text))) {
      doctype = [pos, PROLOG_DOCTYPE.lastIndex];
      isHtmlDoctype = /^<!DOCTYPE\s+html\b/i.test(m[0]);
      pos = PROLOG_DOCTYPE.lastIndex;
      continue;
    }
    break;
  }
  PROLOG_ROOT.lastIndex = pos;
  const root = PROLOG_ROOT.exec(text)?.[1];
  return { pos, doctype, isHtmlDoctype, root, misplacedDeclarations };
}

function isFeedRoot(qname: string | undefined): boolean {
  if (qname === undefined) return false;
  return FEED_ROOTS.has(qname.slice(qname.indexOf(':') + 1).toLowerCase());
}

/** An HTML page: <html> root, or an HTML DOCTYPE not followed by a feed root (some feeds carry a stray XHTML DOCTYPE). */
function isHtml(prolog: Prolog): boolean {
  return prolog.root?.toLowerCase() === 'html' || (prolog.isHtmlDoctype && !isFeedRoot(prolog.root));
}

function countNewlines(s: string): number {
  return (s.match(NEWLINES) ?? []).length;
}

/**
 * Prepares the body's text, given whole or in pieces that each start with a "<" outside every
 * CDATA section and comment (decode.ts decodeFeedChunks): each step below then reads and rewrites
 * the pieces alone as it would the whole text. The prolog is read from the first piece; one too
 * short to hold it (a DOCTYPE or leading junk longer than a piece) has the pieces joined first.
 */
function prepareXml(pieces: readonly string[], contentType: string | null | undefined): PreparedXml {
  return preparePieces(pieces, contentType) ?? preparePieces([pieces.join('')], contentType)!;
}

function preparePieces(pieces: readonly string[], contentType: string | null | undefined): PreparedXml | null {
  const xml = [...pieces];
  let text = xml[0];
  let lineOffset = 0;
  const mime = mimeOf(contentType);
  if (text.indexOf('<') === -1) {
    if (xml.length > 1) return null;
    throw notAFeed(`got ${mime ?? 'content that is not XML'}`);
  }

  let prolog = walkProlog(text);
  if (!isHtml(prolog) && !isFeedRoot(prolog.root)) {
    // Junk before the document (PHP notices, stray text or markup): skip to the XML
    // declaration or the feed's root element if one follows shortly.
    const start = text.slice(0, 4096).search(FEED_START);
    if (start > 0) {
      lineOffset = countNewlines(text.slice(0, start));
      text = text.slice(start);
      prolog = walkProlog(text);
    }
  }
  const { root, doctype, misplacedDeclarations } = prolog;
  if (!root && xml.length > 1) return null;
  if (isHtml(prolog)) throw notAFeed('got text/html');
  if (!root) {
    if (HTML_HINT.test(text.slice(0, 4096)) || mime === 'text/html') throw notAFeed('got text/html');
    if (/^<!DOCTYPE/i.test(text.slice(prolog.pos))) {
      throw new ParseError('xml', 'XML error: malformed DOCTYPE declaration');
    }
    if (text.slice(prolog.pos).trim() === '') throw notAFeed('no root element (only comments or processing instructions)');
    throw notAFeed(`got ${mime ?? 'content that is not XML'}`);
  }
  if (!isFeedRoot(root)) {
    if (mime === 'text/html') throw notAFeed('got text/html');
    throw notAFeed(`root element is <${root}>, not <rss>, <feed> or <rdf:RDF>`);
  }

  // Remove the DOCTYPE (and any entity declarations) and misplaced XML declarations, keeping
  // line numbers stable.
  const removals = doctype ? [...misplacedDeclarations, doctype] : misplacedDeclarations;
  for (const [start, end] of removals.sort((a, b) => b[0] - a[0])) {
    text = text.slice(0, start) + '\n'.repeat(countNewlines(text.slice(start, end))) + text.slice(end);
  }
  xml[0] = text;
  // A body cut off inside the root's own end tag has lost nothing but the ">". (The tag starts at
  // the text's last "<", so in the last piece.)
  const last = xml.length - 1;
  const truncated = TRUNCATED_END_TAG.exec(xml[last].slice(-256));
  if (truncated && truncated[1] === root) xml[last] = `${xml[last].trimEnd()}>`;
  for (let i = 0; i < xml.length; i++) {
    let piece = xml[i];
    if (piece.indexOf('&') !== -1) piece = piece.replace(AMPERSAND, fixAmpersand);
    if (HAS_XML_FORBIDDEN.test(piece)) piece = piece.replace(XML_FORBIDDEN, '');
    xml[i] = piece;
  }
  return { xml, root, lineOffset };
}

// ---------------------------------------------------------------------------
// XML errors
// ---------------------------------------------------------------------------

function toParseError(error: unknown, lineOffset: number): ParseError {
  if (error instanceof ParseError) return error;
  // Anything else is a bug here, not a property of the feed: let it surface as one.
  if (!(error instanceof XmlSyntaxError)) throw error;
  // saxes: "1:44: unclosed tag: channel" (with positions) or the bare message.
  let reason = error.message.replace(/^\d+:\d+:\s*/, '').replace(/\.$/, '');
  const unclosed = /^unclosed tag: (.+)$/.exec(reason);
  if (unclosed) reason = `Unclosed root tag (the document ends inside <${unclosed[1]}>)`;
  else reason = reason.charAt(0).toUpperCase() + reason.slice(1);
  if (error.line === undefined) return new ParseError('xml', `XML error: ${reason}`, { cause: error });
  const line = error.line + lineOffset;
  const column = error.column !== undefined ? error.column + 1 : undefined;
  return new ParseError('xml', `XML error at line ${line}: ${reason}`, { line, column, cause: error });
}

// ---------------------------------------------------------------------------
// Text constructs
// ---------------------------------------------------------------------------

/**
 * A text value and how the feed declared it: "text" (Atom type="text" said so: literal),
 * "html" (HTML source: type="html"/"xhtml", escaped or inline markup), or "undeclared" (RSS,
 * or Atom without a type attribute: usually plain text, sometimes escaped HTML).
 */
interface TextValue {
  value: string;
  kind: 'text' | 'html' | 'undeclared';
}

const BASE64_JUNK = /[^A-Za-z0-9+/=_-]/g;

function decodeBase64(s: string): string {
  return Buffer.from(s.replace(BASE64_JUNK, ''), 'base64').toString('utf8');
}

/** A lone xhtml:div wrapping the content (Atom 1.0 type="xhtml"; TypePad wraps HTML in one too). */
function unwrapDiv(el: XmlElement): XmlElement {
  let div: XmlElement | undefined;
  for (const k of el.kids) {
    if (typeof k === 'string') {
      if (k.trim() !== '') return el;
    } else if (div || k.local !== 'div') {
      return el;
    } else {
      div = k;
    }
  }
  return div ?? el;
}

/** An RSS element's value: text as is, "naked" child markup re-serialised. */
function rssText(el: XmlElement): TextValue {
  return { value: hasElementKids(el) ? serializeKids(el, false) : textOf(el), kind: 'undeclared' };
}

/** An Atom 0.3/1.0 text construct (title, subtitle, summary, content …). */
function atomText(el: XmlElement, atom10: boolean): TextValue {
  const type = (attr(el, 'type') ?? '').trim().toLowerCase();
  const mode = (attr(el, 'mode') ?? '').trim().toLowerCase();
  const isText = type === 'text' || type === 'text/plain';
  const isHtml = type === 'html' || type === 'text/html' || mode === 'escaped';
  const isXml = type === 'xhtml' || type.endsWith('/xml') || type.endsWith('+xml');
  if (mode === 'base64' || (atom10 && type.includes('/') && !type.startsWith('text/') && !isXml)) {
    return { value: decodeBase64(textOf(el)), kind: isText ? 'text' : 'html' };
  }
  if (isXml) {
    const container = atom10 && type === 'xhtml' ? unwrapDiv(el) : el;
    return { value: serializeKids(container, true), kind: 'html' };
  }
  if (hasElementKids(el)) {
    // Markup inside a non-XML construct: HTML source that was not escaped.
    return isHtml ? { value: serializeKids(unwrapDiv(el), false), kind: 'html' } : { value: serializeKids(el, true), kind: 'html' };
  }
  const value = textOf(el);
  if (isHtml) return { value, kind: 'html' };
  if (isText) return { value, kind: 'text' };
  return { value, kind: 'undeclared' };
}

const NOT_BLANK = /\S/;

function nonBlank(s: string | undefined): string | undefined {
  return s !== undefined && NOT_BLANK.test(s) ? s : undefined;
}

/** An element with text or child markup. */
function hasValue(el: XmlElement | undefined): el is XmlElement {
  return el !== undefined && (nonBlank(textOf(el)) !== undefined || hasElementKids(el));
}

/** A summary/content value as HTML (declared plain text is escaped). */
function asHtml(v: TextValue | undefined): { html: string; isText: boolean } | undefined {
  if (!v || !nonBlank(v.value)) return undefined;
  return v.kind === 'text' ? { html: escapeHtml(v.value), isText: true } : { html: v.value, isText: false };
}

// ---------------------------------------------------------------------------
// Links, people, categories, media
// ---------------------------------------------------------------------------

const LINK_REL_SKIP = new Set(['self', 'edit', 'enclosure', 'replies', 'hub', 'license', 'edit-media', 'next', 'previous', 'first', 'last']);

/** The article link among Atom-style <link> elements (alternate, preferably HTML). */
function pickAtomLink(links: XmlElement[]): { href: string; el: XmlElement } | undefined {
  let best: { href: string; el: XmlElement; score: number } | undefined;
  for (const el of links) {
    // <link>https://…</link> (no href) in an Atom feed: not valid, but unambiguous.
    const href = (attr(el, 'href') ?? textOf(el)).trim();
    if (!href) continue;
    const rel = (attr(el, 'rel') ?? 'alternate').trim().toLowerCase();
    const type = (attr(el, 'type') ?? '').toLowerCase();
    let score: number;
    if (rel === 'alternate') score = type === '' || type.includes('html') ? 4 : 3;
    else if (LINK_REL_SKIP.has(rel)) score = 0;
    else score = 2;
    if (score > 0 && (!best || score > best.score)) best = { href, el, score };
  }
  return best;
}

/** An RSS link: the text of <link>, else an Atom-style link. */
function pickRssLink(links: XmlElement[], atomLinks: XmlElement[]): { href: string; el: XmlElement } | undefined {
  for (const el of links) {
    const text = textOf(el).trim();
    if (text) return { href: text, el };
  }
  return pickAtomLink([...links, ...atomLinks]);
}

function firstChildText(el: XmlElement, local: string): string | undefined {
  for (const k of el.kids) {
    if (typeof k !== 'string' && k.local === local) {
      const t = nonBlank(textOf(k));
      if (t) return t;
    }
  }
  return undefined;
}

/** A person: Atom <author><name/><email/></author>, or RSS text ("editor@x.vn (Name)"). */
function personName(el: XmlElement): string | undefined {
  if (hasElementKids(el)) {
    return firstChildText(el, 'name') ?? nonBlank(textOf(el)) ?? firstChildText(el, 'email');
  }
  return nonBlank(textOf(el));
}

function joinPeople(els: XmlElement[]): string | undefined {
  const names: string[] = [];
  for (const el of els) {
    const name = personName(el)?.trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names.length ? names.join(', ') : undefined;
}

/** Category-like elements, in document order, into `out`. */
function addCategory(el: XmlElement, out: string[]): void {
  switch (el.name) {
    case 'atom:category': {
      const value = attr(el, 'label') ?? attr(el, 'term') ?? textOf(el);
      if (nonBlank(value)) out.push(value);
      break;
    }
    case 'itunes:category': {
      const value = attr(el, 'text');
      if (nonBlank(value)) out.push(value!);
      for (const k of el.kids) if (typeof k !== 'string' && k.name === 'itunes:category') addCategory(k, out);
      break;
    }
    case 'itunes:keywords':
    case 'tags':
      for (const part of textOf(el).split(',')) if (part.trim()) out.push(part.trim());
      break;
    default: {
      const value = textOf(el);
      if (nonBlank(value)) out.push(value);
    }
  }
}

function isImageMedia(el: XmlElement): boolean {
  const medium = (attr(el, 'medium') ?? '').toLowerCase();
  const type = (attr(el, 'type') ?? '').toLowerCase();
  if (medium) return medium === 'image';
  if (type) return type.startsWith('image/');
  return true;
}

function addMedia(el: XmlElement, out: string[]): void {
  const add = (url: string | undefined) => {
    const u = url?.trim();
    if (u && !out.includes(u)) out.push(u);
  };
  if (el.name === 'media:thumbnail') {
    add(attr(el, 'url'));
  } else if (el.name === 'media:content') {
    if (isImageMedia(el)) add(attr(el, 'url'));
    // media:content for a video often carries its poster frame as a nested thumbnail.
    for (const k of el.kids) if (typeof k !== 'string' && k.name === 'media:thumbnail') add(attr(k, 'url'));
  }
}

function pushEnclosure(out: ParsedEnclosure[], url: string | undefined, type: string | undefined, length: string | undefined): void {
  if (!url || !url.trim()) return;
  const enclosure: ParsedEnclosure = { url: url.trim() };
  if (type && type.trim()) enclosure.type = type.trim().toLowerCase();
  const n = length !== undefined && length.trim() !== '' ? Number(length) : NaN;
  if (Number.isFinite(n) && n >= 0) enclosure.length = n;
  out.push(enclosure);
}

// ---------------------------------------------------------------------------
// Items
// ---------------------------------------------------------------------------

type Format = ParsedFeed['format'];

/** Everything an item or a channel may carry, gathered in one pass over its children. */
interface Fields {
  title?: XmlElement;
  dcTitle?: XmlElement;
  mediaTitle?: XmlElement;
  links: XmlElement[];
  atomLinks: XmlElement[];
  guid?: XmlElement;
  id?: XmlElement;
  /** Last one wins for repeated date elements (as in feedparser). */
  dates: Record<string, string>;
  authors: XmlElement[];
  creators: XmlElement[];
  otherAuthors: XmlElement[];
  /** <description> / <summary> of RSS, in document order; Atom <summary>. */
  summaries: XmlElement[];
  summaryFallbacks: XmlElement[];
  content?: XmlElement;
  contentKind?: 'encoded' | 'xhtml' | 'html' | 'atom';
  categories: string[];
  enclosures: XmlElement[];
  mediaUrls: string[];
  subtitle?: XmlElement;
  language?: XmlElement;
  ttl?: XmlElement;
}

const DATE_ELEMENTS = new Set([
  'pubdate', 'lastbuilddate', 'dc:date', 'dcterms:issued', 'dcterms:created', 'dcterms:modified',
  'atom:published', 'atom:updated', 'atom:issued', 'atom:modified', 'atom:created',
]);

function gather(el: XmlElement): Fields {
  const f: Fields = {
    links: [], atomLinks: [], dates: {}, authors: [], creators: [], otherAuthors: [], summaries: [],
    summaryFallbacks: [], categories: [], enclosures: [], mediaUrls: [],
  };
  for (const k of el.kids) {
    if (typeof k === 'string') continue;
    const name = k.name;
    if (DATE_ELEMENTS.has(name)) {
      const t = nonBlank(textOf(k));
      if (t) f.dates[name] = t.trim();
      continue;
    }
    switch (name) {
      case 'title': case 'atom:title': f.title ??= k; break;
      case 'dc:title': f.dcTitle ??= k; break;
      case 'media:title': f.mediaTitle ??= k; break;
      case 'link': f.links.push(k); break;
      case 'atom:link': f.atomLinks.push(k); break;
      case 'guid': f.guid ??= k; break;
      case 'atom:id': f.id ??= k; break;
      case 'author': case 'atom:author': case 'managingeditor': f.authors.push(k); break;
      case 'dc:creator': f.creators.push(k); break;
      case 'dc:author': case 'itunes:author': f.otherAuthors.push(k); break;
      case 'description': case 'summary': case 'atom:summary': case 'abstract': f.summaries.push(k); break;
      case 'dc:description': case 'itunes:summary': case 'media:description': f.summaryFallbacks.push(k); break;
      // content:encoded first, else the first of the others.
      case 'content:encoded': if (f.contentKind !== 'encoded') { f.content = k; f.contentKind = 'encoded'; } break;
      case 'xhtml:body': case 'body': if (!f.content) { f.content = k; f.contentKind = 'xhtml'; } break;
      case 'fullitem': if (!f.content) { f.content = k; f.contentKind = 'html'; } break;
      case 'atom:content': if (!f.content) { f.content = k; f.contentKind = 'atom'; } break;
      case 'category': case 'atom:category': case 'dc:subject': case 'itunes:category': case 'itunes:keywords':
      case 'media:category': case 'tags':
        addCategory(k, f.categories);
        break;
      case 'enclosure': f.enclosures.push(k); break;
      case 'media:content': case 'media:thumbnail': addMedia(k, f.mediaUrls); break;
      case 'media:group':
        for (const g of k.kids) {
          if (typeof g === 'string') continue;
          if (g.name === 'media:content' || g.name === 'media:thumbnail') addMedia(g, f.mediaUrls);
          else if (g.name === 'media:description') f.summaryFallbacks.push(g);
          else if (g.name === 'media:category') addCategory(g, f.categories);
        }
        break;
      case 'atom:subtitle': case 'atom:tagline': case 'itunes:subtitle': f.subtitle ??= k; break;
      case 'language': case 'dc:language': f.language ??= k; break;
      case 'ttl': f.ttl ??= k; break;
    }
  }
  return f;
}

function textValue(el: XmlElement | undefined, format: Format, atom10: boolean): TextValue | undefined {
  if (!el) return undefined;
  return el.ns === 'atom' ? atomText(el, atom10) : rssText(el);
}

/** Base of `el` when it differs from `base`. */
function ownBase(el: XmlElement | undefined, base: string | undefined): string | undefined {
  return el && el.base !== undefined && el.base !== base ? el.base : undefined;
}

function mapItem(el: XmlElement, format: Format, atom10: boolean, feedBase: string | undefined): ParsedItem {
  const f = gather(el);
  const item: ParsedItem = { categories: f.categories, enclosures: [], mediaUrls: f.mediaUrls };
  const base = el.base;
  if (base !== undefined && base !== feedBase) item.base = base;

  // Title.
  const titleEl = [f.title, f.dcTitle, f.mediaTitle].find(hasValue);
  const title = textValue(titleEl, format, atom10);
  if (title && nonBlank(title.value)) {
    item.title = title.value;
    if (title.kind === 'html') item.titleIsHtml = true;
    else if (title.kind === 'text') item.titleIsText = true;
  }

  // Link.
  const link = format === 'atom' ? pickAtomLink(f.atomLinks.length ? f.atomLinks : f.links)
    : format === 'cdf' ? (attr(el, 'href') ? { href: attr(el, 'href')!.trim(), el } : undefined)
    : pickRssLink(f.links, f.atomLinks);
  if (link) {
    item.link = link.href;
    const linkBase = ownBase(link.el, base);
    if (linkBase) item.linkBase = linkBase;
  }

  // Identity.
  if (f.guid) {
    const guid = nonBlank(textOf(f.guid));
    if (guid) {
      item.guid = guid.trim();
      const permalink = attr(f.guid, 'ispermalink')?.trim().toLowerCase();
      item.guidIsPermaLink = permalink === undefined ? true : permalink !== 'false'; // RSS 2.0 default: true
    }
  }
  if (!item.guid && f.id) {
    const id = nonBlank(textOf(f.id));
    if (id) item.guid = id.trim();
  }
  if (!item.guid) {
    const about = attr(el, 'rdf:about');
    if (about && about.trim()) item.guid = about.trim(); // RSS 1.0: rdf:about identifies the item
  }

  // Dates: raw strings; the item's publication date first.
  const d = f.dates;
  const published = d['pubdate'] ?? d['atom:published'] ?? d['atom:issued'] ?? d['dc:date'] ?? d['dcterms:issued'] ?? d['atom:created'] ?? d['dcterms:created'];
  const updated = d['atom:updated'] ?? d['atom:modified'] ?? d['dcterms:modified'] ?? (format === 'cdf' ? attr(el, 'lastmod') : undefined);
  if (published) item.published = published;
  if (updated && updated.trim()) item.updated = updated.trim();

  // Author.
  const author = format === 'atom'
    ? joinPeople(f.authors) ?? joinPeople(f.creators) ?? joinPeople(f.otherAuthors)
    : joinPeople(f.creators) ?? joinPeople(f.authors) ?? joinPeople(f.otherAuthors);
  if (author) item.author = author;

  // Summary and content. In RSS a second <description>/<summary> is the full text (feedparser).
  const [first, second] = f.summaries;
  let contentEl = f.content;
  let contentValue: TextValue | undefined;
  if (contentEl) {
    contentValue = f.contentKind === 'xhtml'
      ? { value: serializeKids(contentEl, true), kind: 'html' }
      : f.contentKind === 'atom' ? atomText(contentEl, atom10) : rssText(contentEl);
    if (f.contentKind === 'atom' && attr(contentEl, 'src') !== undefined && !nonBlank(contentValue.value)) contentValue = undefined;
  } else if (second && format !== 'atom') {
    contentEl = second;
    contentValue = rssText(second);
  }
  const summaryEl = first ?? f.summaryFallbacks.find((s) => nonBlank(textOf(s)));
  const summary = asHtml(textValue(summaryEl, format, atom10));
  if (summary) {
    item.summary = summary.html;
    if (summary.isText) item.summaryIsText = true;
    const summaryBase = ownBase(summaryEl, base);
    if (summaryBase) item.summaryBase = summaryBase;
  }
  const content = asHtml(contentValue);
  if (content) {
    item.content = content.html;
    if (content.isText) item.contentIsText = true;
    const contentBase = ownBase(contentEl, base);
    if (contentBase) item.contentBase = contentBase;
  }

  // Enclosures: RSS <enclosure>, Atom <link rel="enclosure">.
  for (const e of f.enclosures) pushEnclosure(item.enclosures, attr(e, 'url') ?? attr(e, 'href'), attr(e, 'type'), attr(e, 'length'));
  for (const l of format === 'atom' ? [...f.atomLinks, ...f.links] : f.atomLinks) {
    if ((attr(l, 'rel') ?? '').trim().toLowerCase() === 'enclosure') pushEnclosure(item.enclosures, attr(l, 'href'), attr(l, 'type'), attr(l, 'length'));
  }
  return item;
}

// ---------------------------------------------------------------------------
// Feeds
// ---------------------------------------------------------------------------

function feedText(v: TextValue | undefined, asTitle: boolean): string | undefined {
  if (!v || !nonBlank(v.value)) return undefined;
  let text: string;
  if (v.kind === 'text') text = cleanText(v.value);
  else if (v.kind === 'html') text = htmlToText(v.value);
  else text = asTitle ? titleToText(v.value) : htmlToText(v.value);
  return text || undefined;
}

function children(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const k of el.kids) if (typeof k !== 'string' && k.name === name) out.push(k);
  return out;
}

interface DocumentShape {
  format: Format;
  atom10: boolean;
  channel: XmlElement;
  /** Base every item's own xml:base is compared with (the feed-level base, or the URL). */
  itemBase: string;
}

function shapeOf(root: XmlElement, url: string): DocumentShape {
  const local = root.local;
  let format: Format;
  if (local === 'feed') format = 'atom';
  else if (local === 'rdf') format = 'rdf';
  else if (local === 'channel') format = 'cdf';
  else format = 'rss';
  // Atom 1.0 unless the feed says version="0.3" (the 0.3 namespace also maps to "atom").
  const atom10 = format === 'atom' && (attr(root, 'version') ?? '').trim() !== '0.3';
  const channel = format === 'rss' || format === 'rdf' ? (children(root, 'channel')[0] ?? root) : root;
  return { format, atom10, channel, itemBase: channel.base ?? url };
}

/**
 * Parses the XML and maps it. Items (<item>, <entry>) are mapped as they close and dropped
 * from the tree, so only one item's elements are alive at a time.
 */
function parseXmlFeed(xml: readonly string[], url: string): ParsedFeed {
  const items: ParsedItem[] = [];
  let shape: DocumentShape | undefined;
  const root = parseXmlTree(xml, url, (el, parent, docRoot) => {
    if (el.local !== 'item' && el.local !== 'entry') return true;
    shape ??= shapeOf(docRoot, url);
    const itemName = shape.format === 'atom' ? 'atom:entry' : 'item';
    // <item> under <channel> (RSS 2.0) or beside it (RSS 0.90/1.0, channel-less RSS); Atom <entry>.
    if (el.name !== itemName || (parent !== docRoot && parent !== shape.channel && parent.name !== 'channel')) return true;
    items.push(mapItem(el, shape.format, shape.atom10, shape.itemBase));
    return false;
  });
  const finalShape = shapeOf(root, url);
  if (shape && shape.itemBase !== finalShape.itemBase) {
    // The channel (and its xml:base) came after the items: keep their bases explicit.
    for (const item of items) item.base ??= shape.itemBase;
  }
  return mapXmlFeed(root, finalShape, items, url);
}

function mapXmlFeed(root: XmlElement, shape: DocumentShape, items: ParsedItem[], url: string): ParsedFeed {
  const { format, atom10, channel } = shape;
  const feed: ParsedFeed = { format, items };
  const base = channel.base !== url ? channel.base : undefined;
  if (base) feed.base = base;

  const f = gather(channel);
  const titleEl = [f.title, f.dcTitle].find(hasValue);
  const titleValue = textValue(titleEl, format, atom10);
  const title = feedText(titleValue, true);
  if (title) {
    feed.title = title;
    if (titleValue!.kind === 'text') feed.titleIsText = true;
  }

  const link = format === 'atom' ? pickAtomLink(f.atomLinks.length ? f.atomLinks : f.links)
    : format === 'cdf' ? (attr(root, 'href') ? { href: attr(root, 'href')!.trim(), el: root } : undefined)
    : pickRssLink(f.links, f.atomLinks);
  const siteUrl = link ? resolveHttpUrl(link.href, link.el.base ?? url) : null;
  if (siteUrl) feed.siteUrl = siteUrl;

  const descriptionEl = f.summaries[0] ?? f.subtitle ?? f.summaryFallbacks.find((s) => nonBlank(textOf(s)));
  const descriptionValue = textValue(descriptionEl, format, atom10);
  const description = feedText(descriptionValue, false);
  if (description) {
    feed.description = description;
    if (descriptionValue!.kind === 'text') feed.descriptionIsText = true;
  }

  if (f.id) {
    const id = nonBlank(textOf(f.id));
    if (id) feed.id = id.trim();
  }
  const author = joinPeople(f.authors) ?? joinPeople(f.creators) ?? joinPeople(f.otherAuthors);
  if (author) feed.author = author;
  const d = f.dates;
  // A channel's dc:date, like lastBuildDate, says when it last changed.
  const published = d['pubdate'] ?? d['atom:published'] ?? d['atom:issued'] ?? d['dcterms:issued'];
  const updated = d['lastbuilddate'] ?? d['atom:updated'] ?? d['atom:modified'] ?? d['dc:date'] ?? d['dcterms:modified']
    ?? (format === 'cdf' ? attr(root, 'lastmod')?.trim() : undefined);
  if (published) feed.published = published;
  if (updated) feed.updated = updated;
  if (f.categories.length) feed.categories = f.categories;

  const language = nonBlank(f.language ? textOf(f.language) : undefined) ?? nonBlank(attr(channel, 'xml:lang')) ?? nonBlank(attr(root, 'xml:lang'));
  if (language) feed.language = language.trim();
  const ttl = Number(f.ttl ? textOf(f.ttl).trim() : NaN);
  if (Number.isFinite(ttl) && ttl > 0) feed.ttlMinutes = Math.round(ttl);
  return feed;
}

// ---------------------------------------------------------------------------
// JSON Feed
// ---------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cleanFeedText(raw: string | undefined, asTitle: boolean): string | undefined {
  if (!raw) return undefined;
  const text = asTitle ? titleToText(raw) : htmlToText(raw);
  return text || undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return nonBlank(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function jsonAuthors(v: unknown): string | undefined {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  const names: string[] = [];
  for (const a of list) {
    const name = isObject(a) ? str(a.name) : str(a);
    if (name && !names.includes(name.trim())) names.push(name.trim());
  }
  return names.length ? names.join(', ') : undefined;
}

function parseJsonFeed(text: string): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new ParseError('not-a-feed', `not a feed: invalid JSON (${(error as Error).message})`, { cause: error });
  }
  if (!isObject(doc) || !Array.isArray(doc.items)) {
    throw notAFeed('JSON document is not a JSON Feed (no "items" array)');
  }
  const version = str(doc.version);
  if (version !== undefined && !/^https?:\/\/jsonfeed\.org\/version\//.test(version)) {
    throw notAFeed(`JSON document is not a JSON Feed (version ${JSON.stringify(version)})`);
  }
  const feed: ParsedFeed = { format: 'json', items: [] };
  const title = cleanFeedText(str(doc.title), true);
  if (title) feed.title = title;
  const home = str(doc.home_page_url);
  if (home) feed.siteUrl = home.trim();
  const description = cleanFeedText(str(doc.description), false);
  if (description) feed.description = description;
  const language = str(doc.language);
  if (language) feed.language = language.trim();
  const feedAuthor = jsonAuthors(doc.authors) ?? jsonAuthors(doc.author);

  for (const entry of doc.items as unknown[]) {
    if (!isObject(entry)) continue;
    const item: ParsedItem = { categories: [], enclosures: [], mediaUrls: [] };
    const id = str(entry.id);
    if (id) {
      item.guid = id.trim();
      item.guidIsPermaLink = false;
    }
    const link = str(entry.url) ?? str(entry.external_url);
    if (link) item.link = link.trim();
    const t = str(entry.title);
    if (t) item.title = t;
    const html = str(entry.content_html);
    const plain = str(entry.content_text);
    const summary = str(entry.summary);
    if (html) item.content = html;
    else if (plain) item.content = escapeHtml(plain);
    if (summary) item.summary = escapeHtml(summary);
    const published = str(entry.date_published);
    if (published) item.published = published.trim();
    const updated = str(entry.date_modified);
    if (updated) item.updated = updated.trim();
    const author = jsonAuthors(entry.authors) ?? jsonAuthors(entry.author) ?? feedAuthor;
    if (author) item.author = author;
    if (Array.isArray(entry.tags)) {
      for (const tag of entry.tags) {
        const s = str(tag);
        if (s) item.categories.push(s);
      }
    }
    if (Array.isArray(entry.attachments)) {
      for (const a of entry.attachments) {
        if (!isObject(a)) continue;
        const url = str(a.url);
        if (!url) continue;
        const enclosure: ParsedEnclosure = { url: url.trim() };
        const type = str(a.mime_type);
        if (type) enclosure.type = type.trim().toLowerCase();
        if (typeof a.size_in_bytes === 'number' && Number.isFinite(a.size_in_bytes)) enclosure.length = a.size_in_bytes;
        item.enclosures.push(enclosure);
      }
    }
    for (const key of ['image', 'banner_image']) {
      const url = str(entry[key]);
      if (url && !item.mediaUrls.includes(url.trim())) item.mediaUrls.push(url.trim());
    }
    feed.items.push(item);
  }
  return feed;
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/**
 * Parses a decoded feed body. Rejects with ParseError: kind "not-a-feed" for HTML pages,
 * other XML documents, non-feed JSON or empty bodies; kind "xml" for malformed XML
 * ("XML error at line N: …").
 */
export async function parseFeed(text: string | readonly string[], options: ParseOptions): Promise<ParsedFeed> {
  let pieces: string[] = typeof text === 'string' || text == null ? [text ?? ''] : text.length ? [...text] : [''];
  pieces[0] = pieces[0].replace(BOM, '');
  let trimmed = pieces[0].trimStart();
  // Pieces start with "<" (see prepareXml): an empty first one, or one that starts a JSON feed, is read whole.
  if (pieces.length > 1 && (trimmed === '' || trimmed.charCodeAt(0) === 0x7b)) {
    pieces = [pieces.join('')];
    trimmed = pieces[0].trimStart();
  }
  if (trimmed === '') throw notAFeed('empty body');
  if (trimmed.charCodeAt(0) === 0x7b /* { */) return parseJsonFeed(trimmed);

  const prepared = prepareXml(pieces, options.contentType);
  try {
    return parseXmlFeed(prepared.xml, options.url);
  } catch (error) {
    throw toParseError(error, prepared.lineOffset);
  }
}
