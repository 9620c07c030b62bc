/**
 * A feed document as a small element tree, built with the saxes SAX parser.
 *
 * - Names are canonical: the namespace URI decides the prefix ("atom:link", "dc:creator",
 *   "media:content", "xhtml:div"), whatever prefix the document used; RSS 0.9x/1.0/2.0
 *   elements (no namespace or one of the RSS namespaces) have no prefix ("title"); local
 *   names are lower-cased (feeds write <pubDate>, <PubDate>, <TITLE>). An undeclared prefix
 *   is kept as written, lower-cased, so "dc:creator" without xmlns:dc still reads as dc.
 * - xml:base is resolved as the tree is built: every element knows the base URL in effect.
 * - Text and CDATA stay as separate string children, in document order, so mixed content
 *   (XHTML, "naked" markup inside a text construct) can be re-serialised.
 *
 * saxes checks well-formedness; the first error before the root element closes aborts the
 * parse (errors after it — trailing junk — are ignored). Positions are tracked only when a
 * document fails: the parse is repeated with position tracking to report the line.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';

export interface XmlElement {
  /** Canonical name: "title", "atom:link", "dc:creator", "xhtml:div" … */
  name: string;
  /** Local name, lower-cased. */
  local: string;
  /** Canonical namespace prefix ("" for RSS / no namespace). */
  ns: string;
  /** Attributes exactly as written. */
  attrs: Record<string, string>;
  /** Text (decoded), CDATA and child elements in document order. */
  kids: (XmlElement | string)[];
  /** xml:base in effect for this element (the document URL when none was declared). */
  base: string | undefined;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
    readonly column: number | undefined,
  ) {
    super(message);
  }
}

/** Namespace URI (lower-cased, trailing "#" or "/" variants listed) → canonical prefix. */
const NAMESPACES: Record<string, string> = {
  'http://www.w3.org/2005/atom': 'atom',
  'http://purl.org/atom/ns#': 'atom',
  'http://purl.org/rss/1.0/': '',
  'http://my.netscape.com/rdf/simple/0.9/': '',
  'http://backend.userland.com/rss2': '',
  'http://backend.userland.com/rss': '',
  'http://blogs.law.harvard.edu/tech/rss': '',
  'http://www.w3.org/1999/02/22-rdf-syntax-ns#': 'rdf',
  'http://purl.org/dc/elements/1.1/': 'dc',
  'http://purl.org/dc/elements/1.0/': 'dc',
  'http://purl.org/dc/terms/': 'dcterms',
  'http://purl.org/rss/1.0/modules/content/': 'content',
  'http://search.yahoo.com/mrss/': 'media',
  'http://search.yahoo.com/mrss': 'media',
  'http://www.itunes.com/dtds/podcast-1.0.dtd': 'itunes',
  'http://www.w3.org/1999/xhtml': 'xhtml',
};

/** Prefix → canonical namespace prefix, with a cache of the names resolved under it. */
interface Scope {
  prefixes: Map<string, string>;
  names: Map<string, ResolvedName>;
}
interface ResolvedName {
  name: string;
  local: string;
  ns: string;
}

function newScope(prefixes: Map<string, string>): Scope {
  return { prefixes, names: new Map() };
}

/**
 * Well-formedness errors saxes reports but reads through sensibly, and that rss-parser's sax
 * let pass: "]]>" in text (kept as text) and a repeated attribute (the last one wins).
 */
const RECOVERABLE = /the string "\]\]>" is disallowed in char data|duplicate attribute/;

/**
 * Deeper nesting is refused as malformed: no feed needs it, and the readers of the tree
 * (XHTML re-serialisation) recurse.
 */
const MAX_DEPTH = 256;

/** Elements whose whitespace-only text children carry nothing (indentation between elements). */
const STRUCTURAL = new Set(['rss', 'channel', 'item', 'rdf:rdf', 'feed', 'entry', 'atom:feed', 'atom:entry', 'image', 'textinput', 'items', 'rdf:seq', 'media:group', 'atom:author']);
const WHITESPACE_ONLY = /^[ \t\r\n]*$/;

function canonicalNs(uri: string, prefix: string): string {
  const known = NAMESPACES[uri.trim().toLowerCase()];
  if (known !== undefined) return known;
  // An unknown default namespace (RSS "2.1", Atom drafts, Echo …) reads as the document's own
  // vocabulary; an unknown prefixed one keeps its prefix, so modules we ignore never collide
  // with RSS names.
  return prefix ? prefix.toLowerCase() : '';
}

function resolveBase(raw: string, against: string | undefined): string | undefined {
  const value = raw.trim();
  if (!value) return against;
  try {
    return against ? new URL(value, against).href : new URL(value).href;
  } catch {
    return against;
  }
}

interface BuildOptions {
  /** Base URL of the document (the feed URL). */
  url: string;
  /** Track line/column (slower; only to report where a broken document fails). */
  position: boolean;
  onClose?: CloseHandler;
}

/**
 * Called when an element (other than the root) closes, with its parent and the root; returns
 * false to drop the element from its parent. Feeds map each item as it closes and drop it,
 * so that only one item's subtree is alive at a time.
 */
export type CloseHandler = (el: XmlElement, parent: XmlElement, root: XmlElement) => boolean;

function build(xml: string | readonly string[], options: BuildOptions): XmlElement {
  const saxesOptions: { xmlns: false; position: boolean } = { xmlns: false, position: options.position };
  const parser = new SaxesParser(saxesOptions);
  const docBase = options.url || undefined;
  let root: XmlElement | undefined;
  let current: XmlElement | undefined;
  const stack: XmlElement[] = [];
  const scopes: Scope[] = [];
  let scope: Scope = newScope(new Map([['', ''], ['xml', 'xml']]));
  let atomDefault = false;
  let cdf = false;
  let done = false;
  let error: Error | undefined;

  parser.on('error', (e) => {
    if (done || error) return; // junk after the root element is ignored
    if (RECOVERABLE.test(e.message)) return; // saxes carries on with a sensible reading
    error = e;
    throw e;
  });

  const resolve = (qname: string): ResolvedName => {
    let resolved = scope.names.get(qname);
    if (resolved) return resolved;
    const colon = qname.indexOf(':');
    let ns: string;
    let local: string;
    if (colon === -1) {
      ns = scope.prefixes.get('') ?? '';
      local = qname.toLowerCase();
    } else {
      const prefix = qname.slice(0, colon);
      ns = scope.prefixes.get(prefix) ?? prefix.toLowerCase();
      local = qname.slice(colon + 1).toLowerCase();
    }
    if (ns === '' && atomDefault) ns = 'atom';
    resolved = { name: ns ? `${ns}:${local}` : local, local, ns };
    scope.names.set(qname, resolved);
    return resolved;
  };

  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (stack.length >= MAX_DEPTH) parser.fail(`elements nested more than ${MAX_DEPTH} deep`);
    const attrs = tag.attributes;
    // Namespace declarations and xml:base on this element.
    let prefixes: Map<string, string> | undefined;
    let xmlBase: string | undefined;
    for (const key in attrs) {
      const c = key.charCodeAt(0);
      if (c === 0x78 /* x */ && key.startsWith('xml')) {
        if (key === 'xml:base') {
          xmlBase = attrs[key];
        } else if (key === 'xmlns') {
          prefixes ??= new Map(scope.prefixes);
          prefixes.set('', canonicalNs(attrs[key], ''));
        } else if (key.startsWith('xmlns:')) {
          prefixes ??= new Map(scope.prefixes);
          const prefix = key.slice(6);
          prefixes.set(prefix, canonicalNs(attrs[key], prefix));
        }
      } else if (cdf && (key === 'BASE' || key === 'base')) {
        xmlBase = attrs[key]; // CDF's BASE attribute plays the part of xml:base
      }
    }
    scopes.push(scope);
    if (prefixes) scope = newScope(prefixes);

    let resolved = resolve(tag.name);
    if (!root && resolved.ns === '') {
      // <feed> without the Atom namespace (sloppy Atom 0.3) still reads as Atom; <CHANNEL> is CDF.
      if (resolved.local === 'feed') {
        atomDefault = true;
        scope.names.clear();
        resolved = resolve(tag.name);
      } else if (resolved.local === 'channel') {
        cdf = true;
        if (attrs.BASE !== undefined || attrs.base !== undefined) xmlBase = attrs.BASE ?? attrs.base;
      }
    }

    const parent = current;
    let base = parent ? parent.base : docBase;
    if (xmlBase !== undefined) base = resolveBase(xmlBase, base);

    const el: XmlElement = { name: resolved.name, local: resolved.local, ns: resolved.ns, attrs, kids: [], base };
    if (parent) parent.kids.push(el);
    else root ??= el;
    stack.push(el);
    current = el; // saxes emits closetag for <x/> too
  });

  const onClose = options.onClose;
  parser.on('closetag', () => {
    const el = stack.pop()!;
    scope = scopes.pop() ?? scope;
    current = stack.length ? stack[stack.length - 1] : undefined;
    if (!current) done = true;
    // el is its parent's last child: nothing after it has been read yet.
    else if (onClose && !onClose(el, current, root!)) current.kids.pop();
  });

  parser.on('text', (text) => {
    if (!current) return;
    if (STRUCTURAL.has(current.name) && WHITESPACE_ONLY.test(text)) return;
    current.kids.push(text);
  });

  parser.on('cdata', (text) => {
    if (current) current.kids.push(text);
  });

  try {
    if (typeof xml === 'string') parser.write(xml);
    else for (const piece of xml) parser.write(piece);
    parser.close();
  } catch (e) {
    // Only saxes' own errors (and the depth limit) are about the document; anything thrown by
    // an onClose handler is a bug and stays what it is.
    if (!error) throw e;
    throw new XmlSyntaxError(error.message, options.position ? parser.line : undefined, options.position ? parser.column : undefined);
  }
  if (!root) throw new XmlSyntaxError('document must contain a root element.', undefined, undefined);
  return root;
}

/**
 * Parses `xml` (whole, or in pieces read one after the other) into a tree. Throws XmlSyntaxError
 * (with the 1-based line when known) for a document that is not well-formed before its root
 * element closes.
 */
export function parseXmlTree(xml: string | readonly string[], url: string, onClose?: CloseHandler): XmlElement {
  try {
    return build(xml, { url, position: false, onClose });
  } catch (error) {
    if (!(error instanceof XmlSyntaxError)) throw error;
    // Rare path: the same parse with positions throws the same error, saying where.
    build(xml, { url, position: true });
    throw error;
  }
}

// ---------------------------------------------------------------------------
// Reading the tree
// ---------------------------------------------------------------------------

/** Attribute by name, falling back to a case-insensitive match and to the local name (any prefix). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const exact = el.attrs[name];
  if (exact !== undefined) return exact;
  const colon = name.indexOf(':');
  const local = colon === -1 ? name : name.slice(colon + 1);
  for (const key in el.attrs) {
    const lower = key.toLowerCase();
    if (lower === name) return el.attrs[key];
    const c = lower.indexOf(':');
    if (c !== -1 && colon !== -1 && lower.slice(c + 1) === local && !lower.startsWith('xmlns')) return el.attrs[key];
  }
  return undefined;
}

/** Direct text and CDATA of an element (child elements ignored). */
export function textOf(el: XmlElement | undefined): string {
  if (!el) return '';
  const kids = el.kids;
  if (kids.length === 1 && typeof kids[0] === 'string') return kids[0];
  let out = '';
  for (const k of kids) if (typeof k === 'string') out += k;
  return out;
}

/** Whether the element has element children. */
export function hasElementKids(el: XmlElement): boolean {
  for (const k of el.kids) if (typeof k !== 'string') return true;
  return false;
}

const ESCAPE_TEXT = /[&<>]/g;
const ESCAPE_ATTR = /[&<>"]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escapeChar = (c: string) => ESCAPES[c];

export function escapeHtml(s: string): string {
  return s.replace(ESCAPE_TEXT, escapeChar);
}

function serializeElement(el: XmlElement, escapeText: boolean): string {
  let html = `<${el.local}`;
  for (const key in el.attrs) {
    if (key === 'xmlns' || key.startsWith('xmlns:') || key.startsWith('xml:')) continue;
    html += ` ${key}="${el.attrs[key].replace(ESCAPE_ATTR, escapeChar)}"`;
  }
  html += '>';
  html += serializeKids(el, escapeText);
  return `${html}</${el.local}>`;
}

/**
 * The element's content as HTML source. `escapeText` false: text children already are HTML
 * (an escaped-HTML construct with some "naked" markup mixed in); true: text is literal (XHTML).
 */
export function serializeKids(el: XmlElement, escapeText: boolean): string {
  let out = '';
  for (const k of el.kids) {
    if (typeof k === 'string') out += escapeText ? k.replace(ESCAPE_TEXT, escapeChar) : k;
    else out += serializeElement(k, escapeText);
  }
  return out;
}
