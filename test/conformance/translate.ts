/**
 * Translates feedparser "Expect:" expressions into checks on the project's model.
 *
 * An expression is split into its top-level conjuncts ("a and b and c"); each conjunct other
 * than `bozo` / `not bozo` is one expectation. A conjunct is translatable when it is an
 * equality between a field the model has and a literal (or a chain "x == y == 'v'", or an
 * "or" of such); anything else is counted as not translatable, with the reason.
 *
 * What the model holds, and how the expected value is projected onto it:
 *
 * | feedparser                                   | model                                  | expected value projected by          |
 * |----------------------------------------------|----------------------------------------|--------------------------------------|
 * | title, title_detail.value                    | ArticleInput.title / FeedInfo.title    | plain text of it (see below)         |
 * | summary, description, summary_detail.value,  | ArticleInput.summary /                 | plain text, cut like the pipeline's  |
 * |   (feed) subtitle, tagline                   |   FeedInfo.description                 |   summaries                          |
 * | content[0].value                             | ArticleInput.contentHtml               | the project's sanitizer              |
 * | link                                         | ArticleInput.link / FeedInfo.siteUrl   | canonicalizeUrl (see README)         |
 * | id, guid                                     | ArticleInput.guid / FeedInfo.id        | as is (trimmed)                      |
 * | author, author_detail.name                   | ArticleInput.author / FeedInfo.author  | normalizeAuthor (drops the e-mail)   |
 * | published_parsed, issued_parsed              | parseFeedDate(ParsedItem.published)    | UTC time tuple                       |
 * | updated_parsed, modified_parsed, date_parsed | parseFeedDate(ParsedItem.updated)      | UTC time tuple                       |
 * | published, issued / updated, modified, date  | raw ParsedItem.published / .updated    | as is                                |
 * | category, tags[N].term                       | ArticleInput.categories[N]             | plain text                           |
 * | enclosures[N].href / .url                    | ParsedItem.enclosures[N].url           | canonicalizeUrl, both sides resolved |
 *
 * Text values: feedparser returns HTML for HTML constructs and plain text for plain-text ones,
 * while the model keeps plain text. The expected value is reduced with the pipeline's own
 * functions: cleanText when the parser reported the construct as declared plain text
 * (Atom type="text"), htmlToText otherwise.
 */
import type { ArticleInput } from '../../src/model/article.js';
import type { ParsedFeed, ParsedItem } from '../../src/model/feed.js';
import { canonicalizeUrl, resolveHttpUrl } from '../../src/ingest/canonical-url.js';
import { cleanText, htmlToText, sanitizeContent, truncateText } from '../../src/ingest/html-text.js';
import { parseFeedDate } from '../../src/ingest/dates.js';
import { normalizeAuthor, SUMMARY_MAX_CHARS, type FeedInfo } from '../../src/ingest/normalize.js';
import { parsePython, pySource, type PyNode } from './python-expr.js';

export interface EntryModel {
  item: ParsedItem;
  article: ArticleInput;
  /** normalizeFeed would drop this item (no title, link or content). */
  dropped: boolean;
  /** Base URL in effect for the item. */
  base: string;
}

export interface FeedModel {
  parsed: ParsedFeed;
  info: FeedInfo;
  entries: EntryModel[];
  /** Base URL in effect for the feed. */
  base: string;
  timezone: string;
}

export type CheckOutcome = { status: 'pass' } | { status: 'fail'; diff: string };

export interface Check {
  source: string;
  /** null when translatable. */
  untranslatable: string | null;
  evaluate(model: FeedModel): CheckOutcome;
  /** Entry indexes the check reads (to report checks on items the pipeline drops). */
  entries: number[];
}

export interface TranslatedExpect {
  /** true: "bozo" asserted; false: "not bozo" asserted; undefined: not mentioned. */
  bozo?: boolean;
  checks: Check[];
}

type Field =
  | 'title' | 'summary' | 'content' | 'link' | 'id' | 'author'
  | 'publishedDate' | 'updatedDate' | 'publishedRaw' | 'updatedRaw'
  | 'category' | 'enclosure';

interface FieldRef {
  scope: 'feed' | 'entry';
  entry: number;
  field: Field;
  index: number;
  label: string;
}

type Key = string | number;

/** entries[N][…] / feed[…] → scope and keys, or null. */
function pathOf(node: PyNode): { scope: 'feed' | 'entry'; entry: number; keys: Key[] } | null {
  const keys: Key[] = [];
  let cur = node;
  for (;;) {
    if (cur.kind === 'subscript') {
      if (cur.index.kind === 'str') keys.unshift(cur.index.value);
      else if (cur.index.kind === 'num') keys.unshift(cur.index.value);
      else if (cur.index.kind === 'neg' && cur.index.operand.kind === 'num') keys.unshift(-cur.index.operand.value);
      else return null;
      cur = cur.target;
    } else if (cur.kind === 'attr') {
      keys.unshift(cur.name);
      cur = cur.target;
    } else {
      break;
    }
  }
  if (cur.kind !== 'name') return null;
  if (cur.name === 'feed') return { scope: 'feed', entry: -1, keys };
  if (cur.name === 'entries' && typeof keys[0] === 'number' && keys[0] >= 0) {
    return { scope: 'entry', entry: keys[0], keys: keys.slice(1) };
  }
  return null;
}

function pattern(scope: 'feed' | 'entry', keys: Key[]): string {
  const head = scope === 'feed' ? 'feed' : 'entries[N]';
  return head + keys.map((k) => (typeof k === 'number' ? `[${k < 0 ? k : 'N'}]` : `['${k}']`)).join('');
}

const TITLE_KEYS = new Set(['title']);
const SUMMARY_KEYS_ENTRY = new Set(['summary', 'description']);
const SUMMARY_KEYS_FEED = new Set(['description', 'subtitle', 'tagline']);
const ID_KEYS = new Set(['id', 'guid']);
const PUBLISHED_KEYS = new Set(['published', 'issued']);
const UPDATED_KEYS = new Set(['updated', 'modified', 'date']);

/** Maps a path onto a model field, or explains why it cannot be. */
function fieldOf(scope: 'feed' | 'entry', entry: number, keys: Key[]): FieldRef | string {
  const label = pattern(scope, keys);
  const ref = (field: Field, index = 0): FieldRef => ({ scope, entry, field, index, label });
  const [k0, k1, k2] = keys;
  const n = keys.length;
  if (typeof k0 !== 'string') return `${label}: not a field`;
  const summaryKeys = scope === 'feed' ? SUMMARY_KEYS_FEED : SUMMARY_KEYS_ENTRY;

  if (n === 1) {
    if (TITLE_KEYS.has(k0)) return ref('title');
    if (summaryKeys.has(k0)) return ref('summary');
    if (k0 === 'link') return ref('link');
    if (ID_KEYS.has(k0)) return ref('id');
    if (k0 === 'author') return ref('author');
    if (k0 === 'category') return ref('category', 0);
    if (PUBLISHED_KEYS.has(k0)) return ref('publishedRaw');
    if (UPDATED_KEYS.has(k0)) return ref('updatedRaw');
    if (k0.endsWith('_parsed')) {
      const base = k0.slice(0, -'_parsed'.length);
      if (PUBLISHED_KEYS.has(base)) return ref('publishedDate');
      if (UPDATED_KEYS.has(base)) return ref('updatedDate');
    }
  }
  if (n === 2 && typeof k1 === 'string' && k0.endsWith('_detail')) {
    const base = k0.slice(0, -'_detail'.length);
    if (k1 === 'value') {
      if (TITLE_KEYS.has(base)) return ref('title');
      if (summaryKeys.has(base)) return ref('summary');
    }
    if (base === 'author' && k1 === 'name') return ref('author');
    return `${label}: the model keeps the ${base} value only, not its ${k1}`;
  }
  if (n === 3 && typeof k1 === 'number' && typeof k2 === 'string') {
    if (k0 === 'tags' && k2 === 'term') return ref('category', k1);
    if (scope === 'entry' && k0 === 'enclosures' && (k2 === 'href' || k2 === 'url')) return ref('enclosure', k1);
    if (scope === 'entry' && k0 === 'content' && k2 === 'value') {
      return k1 === 0 ? ref('content') : `${label}: the model keeps one content value`;
    }
  }
  return `${label}: not in the model`;
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

type Value = string | Date | null;

const ESCAPE = /[&<>]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeHtml = (s: string) => s.replace(ESCAPE, (c) => ESCAPES[c]);

function blankToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

function tupleToDate(node: PyNode): Date | undefined {
  if (node.kind !== 'tuple' || node.items.length !== 9) return undefined;
  const n = node.items.map((i) => (i.kind === 'num' ? i.value : NaN));
  if (n.some((x) => !Number.isFinite(x))) return undefined;
  return new Date(Date.UTC(n[0], n[1] - 1, n[2], n[3], n[4], n[5]));
}

function entryTextIsPlain(item: ParsedItem, field: 'title' | 'summary' | 'content'): boolean {
  if (field === 'title') return item.titleIsText === true;
  if (field === 'content') return item.contentIsText === true;
  // feedparser copies the content into the summary when there is none; so does the model.
  return item.summary !== undefined ? item.summaryIsText === true : item.contentIsText === true;
}

/** Our value of a field. */
function actual(model: FeedModel, ref: FieldRef): Value | undefined {
  if (ref.scope === 'feed') {
    const { info, parsed } = model;
    switch (ref.field) {
      case 'title': return info.title;
      case 'summary': return info.description;
      case 'link': return canonicalizeUrl(info.siteUrl);
      case 'id': return info.id;
      case 'author': return info.author;
      case 'category': return info.categories[ref.index] ?? null;
      case 'publishedDate': return info.publishedAt;
      case 'updatedDate': return info.updatedAt;
      case 'publishedRaw': return blankToNull(parsed.published?.trim());
      case 'updatedRaw': return blankToNull(parsed.updated?.trim());
      default: return undefined;
    }
  }
  const entry = model.entries[ref.entry];
  if (!entry) return undefined;
  const { article, item } = entry;
  switch (ref.field) {
    case 'title': return blankToNull(article.title);
    case 'summary': return article.summary;
    case 'content': return article.contentHtml;
    case 'link': return blankToNull(article.link);
    case 'id': return article.guid;
    case 'author': return article.author;
    case 'category': return article.categories[ref.index] ?? null;
    case 'publishedDate': return parseFeedDate(item.published, model.timezone);
    case 'updatedDate': return parseFeedDate(item.updated, model.timezone);
    case 'publishedRaw': return blankToNull(item.published);
    case 'updatedRaw': return blankToNull(item.updated);
    case 'enclosure': {
      const e = item.enclosures[ref.index];
      return e ? canonicalizeUrl(resolveHttpUrl(e.url, entry.base) ?? e.url) : null;
    }
  }
}

/** The expected literal projected onto the model's representation of the field. */
function expected(model: FeedModel, ref: FieldRef, literal: PyNode): Value | undefined {
  const isDate = ref.field === 'publishedDate' || ref.field === 'updatedDate';
  if (isDate) return tupleToDate(literal);
  if (literal.kind !== 'str') return undefined;
  const v = literal.value;
  const entry = ref.scope === 'entry' ? model.entries[ref.entry] : undefined;
  const plain = (field: 'title' | 'summary' | 'content'): boolean => {
    if (ref.scope === 'feed') {
      return field === 'title' ? model.parsed.titleIsText === true : model.parsed.descriptionIsText === true;
    }
    return entry ? entryTextIsPlain(entry.item, field) : false;
  };
  switch (ref.field) {
    case 'title':
      return blankToNull(plain('title') ? cleanText(v) : htmlToText(v));
    case 'summary': {
      const text = plain('summary') ? cleanText(v) : htmlToText(v);
      return text ? (ref.scope === 'entry' ? truncateText(text, SUMMARY_MAX_CHARS) : text) : null;
    }
    case 'content':
      return sanitizeContent(plain('content') ? escapeHtml(v) : v, entry?.base);
    case 'link':
      return canonicalizeUrl(v);
    case 'id':
      return blankToNull(v.trim());
    case 'author':
      return normalizeAuthor(v);
    case 'category':
      return blankToNull(htmlToText(v));
    case 'publishedRaw':
    case 'updatedRaw':
      return blankToNull(v.trim());
    case 'enclosure':
      return canonicalizeUrl(v);
    default:
      return undefined;
  }
}

function show(v: Value | undefined): string {
  if (v === undefined) return '(missing)';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
  return JSON.stringify(v);
}

function same(a: Value | undefined, b: Value | undefined): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

// ---------------------------------------------------------------------------
// Expressions → checks
// ---------------------------------------------------------------------------

function isLiteral(node: PyNode): boolean {
  return node.kind === 'str' || node.kind === 'num' || node.kind === 'const' || node.kind === 'tuple' || node.kind === 'dict' || node.kind === 'list';
}

interface Comparison {
  ref: FieldRef;
  literal: PyNode;
}

/** "path == literal", "literal == path" or "p1 == p2 == literal" → comparisons, or a reason. */
function comparisonsOf(node: PyNode): Comparison[] | string {
  if (node.kind !== 'compare') {
    if (node.kind === 'not') return 'negation / absence check';
    if (node.kind === 'call') return `call ${pySource(node.target)}()`;
    const p = pathOf(node);
    if (p) return `truthiness of ${pattern(p.scope, p.keys)}`;
    return `${pySource(node).slice(0, 40)}: not a comparison`;
  }
  if (node.ops.some((op) => op !== '==')) return `operator ${node.ops.find((op) => op !== '==')}`;
  const operands = [node.first, ...node.rest];
  const literals = operands.filter(isLiteral);
  if (literals.length !== 1) return 'comparison without exactly one literal';
  const literal = literals[0];
  const out: Comparison[] = [];
  for (const operand of operands) {
    if (operand === literal) continue;
    if (operand.kind === 'call') {
      return operand.target.kind === 'name' ? `${operand.target.name}()` : `call ${pySource(operand.target)}()`;
    }
    const p = pathOf(operand);
    if (!p) return `${pySource(operand)}: not a feed or entry field`;
    const ref = fieldOf(p.scope, p.entry, p.keys);
    if (typeof ref === 'string') return ref;
    const isDate = ref.field === 'publishedDate' || ref.field === 'updatedDate';
    if (isDate ? tupleToDate(literal) === undefined : literal.kind !== 'str') {
      return `${ref.label} compared with ${literal.kind === 'const' ? pySource(literal) : `a ${literal.kind}`}`;
    }
    out.push({ ref, literal });
  }
  return out;
}

function flattenAnd(node: PyNode): PyNode[] {
  return node.kind === 'and' ? node.operands.flatMap(flattenAnd) : [node];
}

function makeCheck(node: PyNode): Check {
  const source = pySource(node);
  const alternatives = node.kind === 'or' ? node.operands : [node];
  const compiled: Comparison[][] = [];
  for (const alternative of alternatives) {
    const parts = flattenAnd(alternative).map(comparisonsOf);
    const reason = parts.find((p): p is string => typeof p === 'string');
    if (reason !== undefined) {
      return { source, untranslatable: reason, entries: [], evaluate: () => ({ status: 'fail', diff: 'not translatable' }) };
    }
    compiled.push((parts as Comparison[][]).flat());
  }
  const entries = [...new Set(compiled.flat().filter((c) => c.ref.scope === 'entry').map((c) => c.ref.entry))];
  return {
    source,
    untranslatable: null,
    entries,
    evaluate(model) {
      const diffs: string[] = [];
      for (const comparisons of compiled) {
        const failed: string[] = [];
        for (const { ref, literal } of comparisons) {
          if (ref.scope === 'entry' && !model.entries[ref.entry]) {
            failed.push(`entries[${ref.entry}]: the feed has ${model.entries.length} item(s)`);
            continue;
          }
          const ours = actual(model, ref);
          const theirs = expected(model, ref, literal);
          if (!same(ours, theirs)) {
            const label = ref.scope === 'entry' ? ref.label.replace('entries[N]', `entries[${ref.entry}]`) : ref.label;
            const raw = literal.kind === 'str' && show(theirs) !== JSON.stringify(literal.value) ? ` (from ${pySource(literal)})` : '';
            failed.push(`${label}: ours ${show(ours)} ≠ expected ${show(theirs)}${raw}`);
          }
        }
        if (failed.length === 0) return { status: 'pass' };
        diffs.push(failed.join('; '));
      }
      return { status: 'fail', diff: diffs.join(' | or | ') };
    },
  };
}

function bozoOf(node: PyNode): boolean | undefined {
  if (node.kind === 'name' && node.name === 'bozo') return true;
  if (node.kind === 'not' && node.operand.kind === 'name' && node.operand.name === 'bozo') return false;
  return undefined;
}

/** Compiles one Expect expression. Throws SyntaxError outside the supported Python subset. */
export function translateExpect(expression: string): TranslatedExpect {
  const root = parsePython(expression);
  const result: TranslatedExpect = { checks: [] };
  for (const conjunct of flattenAnd(root)) {
    const bozo = bozoOf(conjunct);
    if (bozo !== undefined) {
      result.bozo = bozo;
      continue;
    }
    // "Expect: 1": only that parsing does not crash.
    if (conjunct.kind === 'num' || conjunct.kind === 'const') continue;
    result.checks.push(makeCheck(conjunct));
  }
  return result;
}
