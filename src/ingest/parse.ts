/**
 * Feed body → ParsedFeed.
 *
 * XML feeds (RSS 0.9x, RSS 1.0/RDF, RSS 2.0, Atom 0.3/1.0) go through rss-parser (xml2js on
 * sax, strict mode); the fields rss-parser does not map (guid@isPermaLink, xml:base, media:*,
 * Atom categories and enclosures, every date element …) are requested as raw custom fields.
 * JSON Feed 1.0/1.1 is read with JSON.parse.
 *
 * Before the XML parser sees the body it is prepared (see prepareXml):
 *  - a UTF-8 BOM and leading junk before the XML declaration are dropped;
 *  - the DOCTYPE is removed. sax never expands DTD entities (it does not read the internal
 *    subset, never fetches SYSTEM identifiers and rejects references to undeclared entities),
 *    so XXE and entity-expansion bombs cannot happen; removing the DOCTYPE additionally lets a
 *    reference such as "&xxe;" survive as literal text instead of failing the whole feed;
 *  - bare "&" ("Sức khỏe & Đời sống") becomes "&amp;", HTML named entities ("&nbsp;",
 *    "&hellip;") become numeric references, unknown ones become literal text, and character
 *    references to characters XML forbids are dropped — CDATA sections and comments untouched;
 *  - characters XML forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF) are removed.
 */
import Parser from 'rss-parser';
import { decodeHTMLStrict } from 'entities';
import type { ParsedEnclosure, ParsedFeed, ParsedItem } from '../model/feed.js';
import { ParseError } from './parse-errors.js';
import { htmlToText, titleToText } from './html-text.js';
import { resolveHttpUrl } from './canonical-url.js';

export { ParseError } from './parse-errors.js';

export interface ParseOptions {
  /** Final URL of the feed (after redirects): base for relative xml:base and links. */
  url: string;
  /** Content-Type header of the response, used to explain non-feed bodies. */
  contentType?: string | null;
}

// ---------------------------------------------------------------------------
// xml2js node helpers
// ---------------------------------------------------------------------------

/** What xml2js produces for an element: text, or an object with `_` text, `$` attributes, children. */
type XmlNode = string | XmlObject;
interface XmlObject {
  _?: string;
  $?: Record<string, string>;
  [child: string]: unknown;
}
type XmlList = XmlNode[] | undefined;

function isObject(v: unknown): v is XmlObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (isObject(node) && typeof node._ === 'string') return node._;
  return undefined;
}

function attrOf(node: unknown, name: string): string | undefined {
  if (isObject(node) && isObject(node.$)) {
    const v = node.$[name];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

function asList(v: unknown): XmlNode[] {
  return Array.isArray(v) ? (v as XmlNode[]) : [];
}

/** First non-blank text among the nodes, untrimmed. */
function firstText(list: unknown): string | undefined {
  for (const node of asList(list)) {
    const t = textOf(node);
    if (t !== undefined && t.trim() !== '') return t;
  }
  return undefined;
}

function nonBlank(s: unknown): string | undefined {
  return typeof s === 'string' && s.trim() !== '' ? s : undefined;
}

// ---------------------------------------------------------------------------
// rss-parser setup
// ---------------------------------------------------------------------------

const RAW = { keepArray: true };

/** Raw (array-valued) copies of the item elements we read ourselves, prefixed "ng:". */
const ITEM_FIELDS: [string, string, { keepArray: boolean }][] = [
  ['$', 'ng:attrs', RAW],
  ['title', 'ng:title', RAW],
  ['dc:title', 'ng:dcTitle', RAW],
  ['link', 'ng:link', RAW],
  ['guid', 'ng:guid', RAW],
  ['id', 'ng:id', RAW],
  ['pubDate', 'ng:pubDate', RAW],
  ['dc:date', 'ng:dcDate', RAW],
  ['dcterms:issued', 'ng:dctermsIssued', RAW],
  ['dcterms:created', 'ng:dctermsCreated', RAW],
  ['dcterms:modified', 'ng:dctermsModified', RAW],
  ['issued', 'ng:issued', RAW],
  ['created', 'ng:created', RAW],
  ['modified', 'ng:modified', RAW],
  ['a10:updated', 'ng:a10Updated', RAW],
  ['atom:updated', 'ng:atomUpdated', RAW],
  ['atom:published', 'ng:atomPublished', RAW],
  ['author', 'ng:author', RAW],
  ['dc:creator', 'ng:creator', RAW],
  ['content:encoded', 'ng:encoded', RAW],
  ['category', 'ng:category', RAW],
  ['dc:subject', 'ng:subject', RAW],
  ['enclosure', 'ng:enclosure', RAW],
  ['media:content', 'ng:mediaContent', RAW],
  ['media:thumbnail', 'ng:mediaThumbnail', RAW],
  ['media:group', 'ng:mediaGroup', RAW],
];

const FEED_FIELDS: [string, string, { keepArray: boolean }][] = [
  ['$', 'ng:attrs', RAW],
  ['title', 'ng:title', RAW],
  ['link', 'ng:link', RAW],
  ['description', 'ng:description', RAW],
  ['subtitle', 'ng:subtitle', RAW],
  ['tagline', 'ng:tagline', RAW],
  ['language', 'ng:language', RAW],
  ['dc:language', 'ng:dcLanguage', RAW],
  ['ttl', 'ng:ttl', RAW],
];

/** rss-parser's output with our raw custom fields (keys "ng:*") and its own mapped fields. */
interface RawItem {
  [key: string]: unknown;
  content?: unknown;
  summary?: unknown;
}
interface RawFeed {
  [key: string]: unknown;
  items: RawItem[];
}

interface RssParserInternals {
  parseString(xml: string): Promise<RawFeed>;
  parseItemAtom(entry: XmlObject): RawItem;
  buildAtomFeed(xmlObj: { feed: XmlObject }): RawFeed;
}
type RssParserCtor = new (options: object) => RssParserInternals;

/**
 * rss-parser with two crash fixes for Atom: its builders call `new Date(x).toISOString()` on
 * <published>/<updated> (a RangeError for any non-ISO date, failing the whole feed) and read
 * `link.$.rel` (a TypeError for <link>text</link>). Those elements are withheld from the
 * builders and attached raw instead; we read them ourselves.
 */
class FeedParser extends (Parser as unknown as RssParserCtor) {
  override parseItemAtom(entry: XmlObject): RawItem {
    const { link, published, updated, ...rest } = entry;
    const item = super.parseItemAtom(rest as XmlObject);
    item['ng:link'] = link;
    item['ng:published'] = published;
    item['ng:updated'] = updated;
    return item;
  }

  override buildAtomFeed(xmlObj: { feed: XmlObject }): RawFeed {
    const { link, ...rest } = xmlObj.feed;
    const feed = super.buildAtomFeed({ feed: rest as XmlObject });
    feed['ng:link'] = link;
    return feed;
  }
}

function createParser(): RssParserInternals {
  // A fresh parser per document: xml2js parsers are stateful and an error mid-document must
  // not leak into the next parse.
  return new FeedParser({
    defaultRSS: 2, // <rss> without a version attribute
    customFields: { item: ITEM_FIELDS, feed: FEED_FIELDS },
  });
}

// ---------------------------------------------------------------------------
// Body preparation
// ---------------------------------------------------------------------------

const BOM = /^\uFEFF+/;
const FEED_START = /<\?xml\b|<(?:rss|feed|rdf:RDF)[\s>]/;
const HTML_HINT = /<!doctype\s+html|<html[\s>]/i;
const PROLOG_SPACE = /\s+/y;
const PROLOG_PI = /<\?[\s\S]*?\?>/y;
const PROLOG_COMMENT = /<!--[\s\S]*?-->/y;
/**
 * A DOCTYPE with an optional internal subset. Every alternative starts with a distinct
 * character and comments stop at their first "-->", so a malformed subset fails in linear time.
 */
const PROLOG_DOCTYPE =
  /<!DOCTYPE\b(?:[^[>"']|"[^"]*"|'[^']*')*(?:\[(?:<!--(?:[^-]|-(?!->))*-->|<(?!!--)|[^\]"'<]|"[^"]*"|'[^']*')*\]\s*)?>/iy;
const PROLOG_ROOT = /<([A-Za-z_][\w:.-]*)/y;
const FEED_ROOTS = new Set(['rss', 'feed', 'rdf:RDF']);
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
  xml: string;
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
  isHtmlDoctype: boolean;
  root?: string;
}

/** Walks the prolog: whitespace, processing instructions, comments, one DOCTYPE; then the root name. */
function walkProlog(text: string): Prolog {
  let pos = 0;
  let doctype: [number, number] | undefined;
  let isHtmlDoctype = false;
  for (;;) {
    let m: RegExpExecArray | null;
    PROLOG_SPACE.lastIndex = pos;
    if (PROLOG_SPACE.exec(text)) { pos = PROLOG_SPACE.lastIndex; continue; }
    PROLOG_PI.lastIndex = pos;
    if (PROLOG_PI.exec(text)) { pos = PROLOG_PI.lastIndex; continue; }
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
  return { pos, doctype, isHtmlDoctype, root };
}

function isHtml(prolog: Prolog): boolean {
  return prolog.isHtmlDoctype || prolog.root?.toLowerCase() === 'html';
}

function countNewlines(s: string): number {
  return (s.match(NEWLINES) ?? []).length;
}

function prepareXml(body: string, contentType: string | null | undefined): PreparedXml {
  let text = body;
  let lineOffset = 0;
  const mime = mimeOf(contentType);
  if (text.indexOf('<') === -1) throw notAFeed(`got ${mime ?? 'content that is not XML'}`);

  let prolog = walkProlog(text);
  if (!isHtml(prolog) && (prolog.root === undefined || !FEED_ROOTS.has(prolog.root))) {
    // Junk before the document (PHP notices, stray text or markup): skip to the XML
    // declaration or the feed's root element if one follows shortly.
    const start = text.slice(0, 4096).search(FEED_START);
    if (start > 0) {
      lineOffset = countNewlines(text.slice(0, start));
      text = text.slice(start);
      prolog = walkProlog(text);
    }
  }
  const { root, doctype } = prolog;
  if (isHtml(prolog)) throw notAFeed('got text/html');
  if (!root) {
    if (HTML_HINT.test(text.slice(0, 4096)) || mime === 'text/html') throw notAFeed('got text/html');
    if (/^<!DOCTYPE/i.test(text.slice(prolog.pos))) {
      throw new ParseError('xml', 'XML error: malformed DOCTYPE declaration');
    }
    throw notAFeed(`got ${mime ?? 'content that is not XML'}`);
  }
  if (!FEED_ROOTS.has(root)) {
    if (mime === 'text/html') throw notAFeed('got text/html');
    throw notAFeed(`root element is <${root}>, not <rss>, <feed> or <rdf:RDF>`);
  }

  if (doctype) {
    // Remove the DOCTYPE (and any entity declarations), keeping line numbers stable.
    const newlines = '\n'.repeat(countNewlines(text.slice(doctype[0], doctype[1])));
    text = text.slice(0, doctype[0]) + newlines + text.slice(doctype[1]);
  }
  if (text.indexOf('&') !== -1) text = text.replace(AMPERSAND, fixAmpersand);
  if (HAS_XML_FORBIDDEN.test(text)) text = text.replace(XML_FORBIDDEN, '');
  return { xml: text, root, lineOffset };
}

const SAX_POSITION = /\nLine: (\d+)\nColumn: (\d+)/;

function toParseError(error: unknown, root: string, lineOffset: number): ParseError {
  if (error instanceof ParseError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const m = SAX_POSITION.exec(message);
  if (m) {
    const reason = message.slice(0, m.index).trim() || 'malformed document';
    const line = Number(m[1]) + 1 + lineOffset; // sax counts lines from 0
    const column = Number(m[2]);
    return new ParseError('xml', `XML error at line ${line}: ${reason}`, { line, column, cause: error });
  }
  if (message === 'Unable to parse XML.') {
    return new ParseError('xml', 'XML error: no document element', { cause: error });
  }
  if (root === 'rss' || root === 'rdf:RDF') {
    return new ParseError('not-a-feed', `not a feed: <${root}> without a readable <channel> (${message})`, {
      cause: error,
    });
  }
  return new ParseError('not-a-feed', `not a feed: ${message}`, { cause: error });
}

// ---------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------

function resolveBase(raw: string | undefined, against: string | undefined): string | undefined {
  if (!raw || !raw.trim()) return against;
  try {
    return against ? new URL(raw.trim(), against).href : new URL(raw.trim()).href;
  } catch {
    return against;
  }
}

/** Picks the article link among Atom <link> elements (alternate, preferably HTML). */
function pickAtomLink(links: XmlNode[]): { href: string; base?: string } | undefined {
  let best: { node: XmlNode; score: number } | undefined;
  for (const node of links) {
    if (typeof node === 'string') {
      // <link>https://…</link> in an Atom feed: not valid, but unambiguous.
      if (node.trim()) {
        if (!best || best.score < 1) best = { node, score: 1 };
      }
      continue;
    }
    const href = attrOf(node, 'href') ?? textOf(node);
    if (!href || !href.trim()) continue;
    const rel = (attrOf(node, 'rel') ?? 'alternate').toLowerCase();
    const type = (attrOf(node, 'type') ?? '').toLowerCase();
    let score: number;
    if (rel === 'alternate') score = type === '' || type.includes('html') ? 4 : 3;
    else if (rel === 'self' || rel === 'edit' || rel === 'enclosure' || rel === 'replies' || rel === 'hub') score = 0;
    else score = 2;
    if (score > 0 && (!best || score > best.score)) best = { node, score };
  }
  if (!best) return undefined;
  const node = best.node;
  const href = typeof node === 'string' ? node.trim() : (attrOf(node, 'href') ?? textOf(node) ?? '').trim();
  return { href, base: attrOf(node, 'xml:base') };
}

/** The item link of an RSS item: text of <link>, or href of an Atom-style <link href>. */
function pickRssLink(links: XmlNode[]): string | undefined {
  for (const node of links) {
    const text = textOf(node);
    if (text && text.trim()) return text.trim();
  }
  const atom = pickAtomLink(links);
  return atom?.href;
}

function authorName(node: XmlNode): string | undefined {
  if (typeof node === 'string') return nonBlank(node);
  const name = firstText(node.name);
  if (name) return name;
  return nonBlank(textOf(node)) ?? firstText(node.email);
}

function joinAuthors(nodes: XmlNode[]): string | undefined {
  const names: string[] = [];
  for (const node of nodes) {
    const name = authorName(node)?.trim();
    if (name && !names.includes(name)) names.push(name);
  }
  return names.length ? names.join(', ') : undefined;
}

function categoriesOf(item: RawItem): string[] {
  const out: string[] = [];
  for (const node of [...asList(item['ng:category']), ...asList(item['ng:subject'])]) {
    const value = typeof node === 'string'
      ? node
      : (attrOf(node, 'label') ?? attrOf(node, 'term') ?? textOf(node));
    if (value && value.trim()) out.push(value);
  }
  return out;
}

function enclosuresOf(item: RawItem, atomLinks: XmlNode[]): ParsedEnclosure[] {
  const out: ParsedEnclosure[] = [];
  const push = (url: string | undefined, type: string | undefined, length: string | undefined) => {
    if (!url || !url.trim()) return;
    const enclosure: ParsedEnclosure = { url: url.trim() };
    if (type && type.trim()) enclosure.type = type.trim().toLowerCase();
    const n = length !== undefined ? Number(length) : NaN;
    if (Number.isFinite(n) && n >= 0) enclosure.length = n;
    out.push(enclosure);
  };
  for (const node of asList(item['ng:enclosure'])) {
    push(attrOf(node, 'url') ?? attrOf(node, 'href'), attrOf(node, 'type'), attrOf(node, 'length'));
  }
  for (const node of atomLinks) {
    if ((attrOf(node, 'rel') ?? '').toLowerCase() === 'enclosure') {
      push(attrOf(node, 'href'), attrOf(node, 'type'), attrOf(node, 'length'));
    }
  }
  return out;
}

function isImageMedia(node: XmlNode): boolean {
  const medium = (attrOf(node, 'medium') ?? '').toLowerCase();
  const type = (attrOf(node, 'type') ?? '').toLowerCase();
  if (medium) return medium === 'image';
  if (type) return type.startsWith('image/');
  return true;
}

function mediaUrlsOf(item: RawItem): string[] {
  const out: string[] = [];
  const add = (url: string | undefined) => {
    const u = url?.trim();
    if (u && !out.includes(u)) out.push(u);
  };
  const visit = (container: XmlObject | RawItem, contentKey: string, thumbKey: string) => {
    for (const node of asList(container[contentKey])) {
      if (isImageMedia(node)) add(attrOf(node, 'url'));
      // media:content for a video often carries its poster frame as a nested thumbnail.
      if (isObject(node)) for (const thumb of asList(node['media:thumbnail'])) add(attrOf(thumb, 'url'));
    }
    for (const node of asList(container[thumbKey])) add(attrOf(node, 'url'));
  };
  visit(item, 'ng:mediaContent', 'ng:mediaThumbnail');
  for (const group of asList(item['ng:mediaGroup'])) {
    if (isObject(group)) visit(group, 'media:content', 'media:thumbnail');
  }
  return out;
}

function htmlString(v: unknown): string | undefined {
  if (typeof v === 'string') return nonBlank(v);
  return nonBlank(textOf(v));
}

function mapXmlItem(raw: RawItem, format: ParsedFeed['format'], feedBase: string | undefined): ParsedItem {
  const attrs = isObject(raw['ng:attrs']) ? (raw['ng:attrs'] as Record<string, string>) : {};
  const linkNodes = asList(raw['ng:link']);
  const item: ParsedItem = {
    categories: categoriesOf(raw),
    enclosures: enclosuresOf(raw, format === 'atom' ? linkNodes : []),
    mediaUrls: mediaUrlsOf(raw),
  };

  // xml:base of the item, resolved against the feed's.
  let base = feedBase;
  if (typeof attrs['xml:base'] === 'string') base = resolveBase(attrs['xml:base'], feedBase);

  const titleNode = asList(raw['ng:title']).find((n) => textOf(n)?.trim()) ?? undefined;
  const title = nonBlank(textOf(titleNode)) ?? firstText(raw['ng:dcTitle']);
  if (title !== undefined) item.title = title;
  const titleType = attrOf(titleNode, 'type')?.toLowerCase();
  if (titleType === 'html' || titleType === 'xhtml' || titleType === 'text/html') item.titleIsHtml = true;

  if (format === 'atom') {
    const link = pickAtomLink(linkNodes);
    if (link) {
      item.link = link.href;
      if (link.base) base = resolveBase(link.base, base);
    }
    const id = firstText(raw['ng:id']);
    if (id) item.guid = id.trim();
    item.published = firstText(raw['ng:published']) ?? firstText(raw['ng:issued']) ?? firstText(raw['ng:created'])
      ?? firstText(raw['ng:dcDate']);
    item.updated = firstText(raw['ng:updated']) ?? firstText(raw['ng:modified']);
    item.author = joinAuthors(asList(raw['ng:author'])) ?? joinAuthors(asList(raw['ng:creator']));
    item.summary = htmlString(raw.summary);
    item.content = htmlString(raw.content);
  } else {
    const link = pickRssLink(linkNodes);
    if (link) item.link = link;
    const guidNode = asList(raw['ng:guid'])[0];
    const guid = nonBlank(textOf(guidNode));
    if (guid) {
      item.guid = guid.trim();
      const permalink = attrOf(guidNode, 'isPermaLink')?.trim().toLowerCase();
      // RSS 2.0: isPermaLink defaults to true.
      item.guidIsPermaLink = permalink === undefined ? true : permalink !== 'false';
    } else if (typeof attrs['rdf:about'] === 'string' && attrs['rdf:about'].trim()) {
      item.guid = attrs['rdf:about'].trim(); // RSS 1.0: rdf:about identifies the item
    }
    item.published = firstText(raw['ng:pubDate']) ?? firstText(raw['ng:dcDate']) ?? firstText(raw['ng:atomPublished'])
      ?? firstText(raw['ng:dctermsIssued']) ?? firstText(raw['ng:dctermsCreated']);
    item.updated = firstText(raw['ng:dctermsModified']) ?? firstText(raw['ng:a10Updated'])
      ?? firstText(raw['ng:atomUpdated']);
    item.author = joinAuthors(asList(raw['ng:creator'])) ?? joinAuthors(asList(raw['ng:author']));
    // rss-parser puts the <description> HTML in `content` for RSS.
    item.summary = htmlString(raw.content) ?? htmlString(raw.summary);
    item.content = htmlString(asList(raw['ng:encoded'])[0]);
  }
  if (item.published) item.published = item.published.trim();
  else delete item.published;
  if (item.updated) item.updated = item.updated.trim();
  else delete item.updated;
  if (!item.author) delete item.author;
  if (!item.summary) delete item.summary;
  if (!item.content) delete item.content;
  // Only an item-level xml:base is recorded; otherwise the feed's base applies.
  if (base !== undefined && base !== feedBase) item.base = base;
  return item;
}

function cleanFeedText(raw: string | undefined, asTitle: boolean): string | undefined {
  if (!raw) return undefined;
  const text = asTitle ? titleToText(raw) : htmlToText(raw);
  return text || undefined;
}

function mapXmlFeed(raw: RawFeed, root: string, url: string): ParsedFeed {
  const format: ParsedFeed['format'] = root === 'feed' ? 'atom' : root === 'rss' ? 'rss' : 'rdf';
  const attrs = isObject(raw['ng:attrs']) ? (raw['ng:attrs'] as Record<string, string>) : {};
  const base = typeof attrs['xml:base'] === 'string' ? resolveBase(attrs['xml:base'], url) : undefined;
  const feed: ParsedFeed = { format, items: [] };
  if (base) feed.base = base;

  const title = cleanFeedText(firstText(raw['ng:title']), true);
  if (title) feed.title = title;
  const linkNodes = asList(raw['ng:link']);
  const site = format === 'atom' ? pickAtomLink(linkNodes)?.href : pickRssLink(linkNodes);
  const siteUrl = resolveHttpUrl(site, base ?? url);
  if (siteUrl) feed.siteUrl = siteUrl;
  const description = cleanFeedText(
    firstText(raw['ng:description']) ?? firstText(raw['ng:subtitle']) ?? firstText(raw['ng:tagline']),
    false,
  );
  if (description) feed.description = description;
  const language = firstText(raw['ng:language']) ?? firstText(raw['ng:dcLanguage']) ?? nonBlank(attrs['xml:lang']);
  if (language) feed.language = language.trim();
  const ttl = Number(firstText(raw['ng:ttl'])?.trim());
  if (Number.isFinite(ttl) && ttl > 0) feed.ttlMinutes = Math.round(ttl);

  feed.items = (raw.items ?? []).map((item) => mapXmlItem(item, format, base));
  return feed;
}

// ---------------------------------------------------------------------------
// JSON Feed
// ---------------------------------------------------------------------------

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return nonBlank(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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
export async function parseFeed(text: string, options: ParseOptions): Promise<ParsedFeed> {
  const body = (text ?? '').replace(BOM, '');
  const trimmed = body.trimStart();
  if (trimmed === '') throw notAFeed('empty body');
  if (trimmed.charCodeAt(0) === 0x7b /* { */) return parseJsonFeed(trimmed);

  const prepared = prepareXml(body, options.contentType);
  let raw: RawFeed;
  try {
    raw = await createParser().parseString(prepared.xml);
  } catch (error) {
    throw toParseError(error, prepared.root, prepared.lineOffset);
  }
  return mapXmlFeed(raw, prepared.root, options.url);
}
