/**
 * Pure feature extraction for same-story clustering. Everything a store-backed
 * index needs to persist per article is here: the syndication key, the
 * weighted n-gram terms (postings / document frequencies) and the headline
 * signature (vetoes).
 *
 * Terms are syllable unigrams and bigrams of the headline and of the start of
 * the lead (outlet byline removed), plus one canonical term per province
 * named ("TP.HCM", "TPHCM" and "Sài Gòn" all give "@hcm"). Function words are
 * not unigram terms. Each term is identified by a 52-bit hash of its text
 * (`termId`), a plain number that is cheap to index and to persist; the
 * readable text is available from `describeTerms` for debugging.
 */
import { foldToken } from '../text/fold.js';
import { forEachTokenSpan, scanTokens, tokenFlags, tokenKey } from '../text/tokenize.js';
import { findProvinces, startsProvinceName, startsRegionName } from './places.js';
import { titleSignature, type TitleSignature } from './signature.js';
import { STOPWORDS } from './stopwords.js';

export interface FeatureOptions {
  /** Weight of a headline term occurrence relative to a lead term occurrence. */
  titleWeight: number;
  /** Number of lead syllables used (later text drifts off-topic). */
  maxSummaryTokens: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { titleWeight: 2, maxSummaryTokens: 60 };

export interface ArticleFeatures {
  /** Accent-folded headline tokens joined by a space: identical for syndicated copies. */
  titleKey: string;
  /** Number of headline tokens. */
  titleLength: number;
  /** Distinct term ids (see `termId`); headline terms first. */
  termIds: number[];
  /** Field-weighted term frequency, aligned with `termIds`. */
  weights: number[];
  /** `termIds[0 .. titleTermCount)` are the terms that occur in the headline. */
  titleTermCount: number;
  /**
   * Per term: worth indexing to look candidates up (bigrams, place terms,
   * headline syllables). A lead-only syllable is too common to find anything
   * its bigrams would not; it still counts in document frequencies and scores.
   */
  lookup: boolean[];
  /** Dates, years, numbers and places of the headline. */
  signature: TitleSignature;
}

/**
 * Outlet bylines at the start of a lead ("TTO - ", "(Dân trí) - ",
 * "VOV.VN-", "(TNO) ", "QĐND Online – ") are not part of the story and would
 * make unrelated articles of one outlet look alike. Returns the lead without it.
 */
export function stripLeadByline(lead: string): string {
  const s = lead.trimStart();
  if (s.startsWith('(')) {
    const close = s.indexOf(')');
    if (close > 0 && close <= 40) return s.slice(close + 1).replace(/^[\s.]*(?:[-–—:]\s*)?/, '');
  }
  const m = /^([^\s()\-–—:][^()\-–—:]{0,23}?)\s*[-–—]\s*/.exec(s);
  if (m) {
    const words = m[1].trim().split(/\s+/);
    if (words.length <= 3 && words.every(isBylineWord)) return s.slice(m[0].length);
  }
  return s;
}

/** "TTO", "VOV.VN", "KTĐT", "ICTnews", "GiadinhNet", "Online": capitalised, no digits. */
function isBylineWord(w: string): boolean {
  if (/\d/.test(w)) return false;
  const c = w[0];
  return c !== c.toLowerCase();
}

// ---- term ids: 52-bit hashes (two independent 32-bit string hashes)

interface TokenInfo {
  /** Matching key (see `tokenizeSyllables`). */
  key: string;
  folded: string;
  flags: number;
  /** Unigram term id. */
  id: number;
  h1: number;
  h2: number;
  stop: boolean;
  /** May start a province name. */
  place: boolean;
  /** May start a region name. */
  region: boolean;
}

const TWO32 = 4294967296;

function hash1(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function hash2(s: string): number {
  let h = 0x9747b28c ^ s.length;
  for (let i = 0; i < s.length; i++) {
    h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function combine(h1: number, h2: number): number {
  return (h2 & 0xfffff) * TWO32 + h1;
}

function mix(a: number, b: number, seed: number): number {
  let h = Math.imul(a ^ seed, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h ^ b, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** Term id of a unigram ("vàng"), bigram ("giá vàng") or place term ("@hcm"): a non-negative integer below 2^52. */
export function termId(term: string): number {
  const sp = term.indexOf(' ');
  if (sp < 0) return combine(hash1(term), hash2(term));
  const a = term.slice(0, sp);
  const b = term.slice(sp + 1);
  return bigramId(hash1(a), hash2(a), hash1(b), hash2(b));
}

function bigramId(a1: number, a2: number, b1: number, b2: number): number {
  return combine(mix(a1, b1, 0x2545f491), mix(a2, b2, 0x6a09e667));
}

function computeInfo(raw: string, numeric: boolean): TokenInfo {
  const key = tokenKey(raw, numeric);
  const h1 = hash1(key);
  const h2 = hash2(key);
  const folded = foldToken(key);
  return {
    key,
    folded,
    flags: tokenFlags(raw, numeric),
    id: combine(h1, h2),
    h1,
    h2,
    stop: STOPWORDS.has(key),
    place: startsProvinceName(folded),
    region: startsRegionName(folded),
  };
}

// Token cache keyed by the token's characters in the scanned text: a hit costs one hash
// over the characters and no string allocation. Cleared when half full.
const SPAN_SIZE = 1 << 17;
const SPAN_MASK = SPAN_SIZE - 1;
const spanHash = new Int32Array(SPAN_SIZE);
const spanRaw: (string | undefined)[] = new Array<string | undefined>(SPAN_SIZE).fill(undefined);
const spanInfo: (TokenInfo | undefined)[] = new Array<TokenInfo | undefined>(SPAN_SIZE).fill(undefined);
let spanCount = 0;

function sameChars(raw: string, s: string, start: number, end: number, skip: number): boolean {
  let k = 0;
  for (let i = start; i < end; i++) {
    if (i === skip) continue;
    if (raw.charCodeAt(k++) !== s.charCodeAt(i)) return false;
  }
  return true;
}

function infoForSpan(s: string, start: number, end: number, hyphenAt: number, numeric: boolean): TokenInfo {
  let h = 0x811c9dc5;
  let len = 0;
  for (let i = start; i < end; i++) {
    if (i === hyphenAt) continue;
    h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    len++;
  }
  let c = (h ^ (h >>> 15)) & SPAN_MASK;
  for (;;) {
    const raw = spanRaw[c];
    if (raw === undefined) break;
    if (spanHash[c] === h && raw.length === len && sameChars(raw, s, start, end, hyphenAt)) return spanInfo[c]!;
    c = (c + 1) & SPAN_MASK;
  }
  const raw = hyphenAt < 0 ? s.slice(start, end) : s.slice(start, hyphenAt) + s.slice(hyphenAt + 1, end);
  const t = computeInfo(raw, numeric);
  if ((spanCount + 1) * 2 > SPAN_SIZE) {
    spanRaw.fill(undefined);
    spanInfo.fill(undefined);
    spanCount = 0;
    c = (h ^ (h >>> 15)) & SPAN_MASK;
  }
  spanHash[c] = h;
  spanRaw[c] = raw;
  spanInfo[c] = t;
  spanCount++;
  return t;
}

function tokenInfos(text: string, max: number): TokenInfo[] {
  const out: TokenInfo[] = [];
  forEachTokenSpan(text, (s, start, end, hyphenAt, numeric) => {
    if (out.length < max) out.push(infoForSpan(s, start, end, hyphenAt, numeric));
  });
  return out;
}

// ---- per-call term accumulation: scratch typed arrays and an open-addressing table on the
// low bits of the term id, reset by bumping a generation counter (no clearing, no allocation)

/** Headline tokens beyond this are ignored (a "headline" that long is not one). */
const MAX_TITLE_TOKENS = 64;
const BAG_CAPACITY = 512; // > 2 × (MAX_TITLE_TOKENS + maxSummaryTokens) + places, for the default options
const BAG_TABLE = 2048;
const BAG_MASK = BAG_TABLE - 1;
const bagSlotIds = new Float64Array(BAG_TABLE);
const bagSlotGen = new Uint32Array(BAG_TABLE);
const bagSlotPos = new Int32Array(BAG_TABLE);
const bag = { ids: new Float64Array(BAG_CAPACITY), weights: new Float64Array(BAG_CAPACITY), lookup: new Uint8Array(BAG_CAPACITY), count: 0, generation: 0 };

function bagReset(): void {
  bag.count = 0;
  if (++bag.generation === 0xffffffff) {
    bagSlotGen.fill(0);
    bag.generation = 1;
  }
}

function bagAdd(id: number, w: number, lookup: boolean): void {
  const gen = bag.generation;
  let s = (id >>> 0) & BAG_MASK;
  for (;;) {
    if (bagSlotGen[s] !== gen) {
      if (bag.count === BAG_CAPACITY) return; // only with a huge maxSummaryTokens: extra terms are dropped
      bagSlotGen[s] = gen;
      bagSlotIds[s] = id;
      const pos = bag.count++;
      bagSlotPos[s] = pos;
      bag.ids[pos] = id;
      bag.weights[pos] = w;
      bag.lookup[pos] = lookup ? 1 : 0;
      return;
    }
    if (bagSlotIds[s] === id) {
      const pos = bagSlotPos[s];
      bag.weights[pos] += w;
      if (lookup) bag.lookup[pos] = 1;
      return;
    }
    s = (s + 1) & BAG_MASK;
  }
}

function addTokens(tokens: readonly TokenInfo[], w: number, lookupUnigrams: boolean): void {
  let prev: TokenInfo | null = null;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.stop) bagAdd(t.id, w, lookupUnigrams);
    if (prev !== null && !(t.stop && prev.stop)) bagAdd(bigramId(prev.h1, prev.h2, t.h1, t.h2), w, true);
    prev = t;
  }
}

const placeTermIds = new Map<string, number>();

function addPlaces(tokens: readonly TokenInfo[], w: number): void {
  let any = false;
  for (let i = 0; i < tokens.length; i++) if (tokens[i].place) any = true;
  if (!any) return;
  const found = findProvinces(
    tokens.map((t) => t.folded),
    tokens.map((t) => t.flags),
  );
  for (const p of found) {
    let id = placeTermIds.get(p);
    if (id === undefined) placeTermIds.set(p, (id = termId('@' + p)));
    bagAdd(id, w, true);
  }
}

/** Extract clustering features from an article's headline and lead. Pure and deterministic. */
export function extractFeatures(title: string, summary: string | null, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): ArticleFeatures {
  const t = tokenInfos(title, MAX_TITLE_TOKENS);
  bagReset();
  addTokens(t, options.titleWeight, true);
  addPlaces(t, options.titleWeight);
  const titleTermCount = bag.count;
  if (summary) {
    const s = tokenInfos(stripLeadByline(summary), options.maxSummaryTokens);
    addTokens(s, 1, false);
    addPlaces(s, 1);
  }
  const n = bag.count;
  const termIds: number[] = new Array<number>(n);
  const weights: number[] = new Array<number>(n);
  const lookup: boolean[] = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    termIds[i] = bag.ids[i];
    weights[i] = bag.weights[i];
    lookup[i] = bag.lookup[i] === 1;
  }
  const keys: string[] = [];
  const folded: string[] = [];
  const flags: number[] = [];
  for (const x of t) {
    keys.push(x.key);
    folded.push(x.folded);
    flags.push(x.flags);
  }
  return {
    titleKey: folded.join(' '),
    titleLength: t.length,
    termIds,
    weights,
    titleTermCount,
    lookup,
    signature: titleSignature(keys, folded, flags, t.some((x) => x.place), t.some((x) => x.region)),
  };
}

/** Readable terms of an article, aligned with `extractFeatures(...).termIds` (for debugging and inspection). */
export function describeTerms(title: string, summary: string | null, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): Map<number, string> {
  const out = new Map<number, string>();
  const add = (keys: readonly string[], flags: readonly number[]) => {
    let prev: string | null = null;
    for (const k of keys) {
      if (!STOPWORDS.has(k)) out.set(termId(k), k);
      if (prev !== null && !(STOPWORDS.has(k) && STOPWORDS.has(prev))) out.set(termId(prev + ' ' + k), prev + ' ' + k);
      prev = k;
    }
    for (const p of findProvinces(keys.map(foldToken), flags)) out.set(termId('@' + p), '@' + p);
  };
  const t = scanTokens(title);
  add(t.keys, t.flags);
  if (summary) {
    const s = scanTokens(stripLeadByline(summary));
    add(s.keys.slice(0, options.maxSummaryTokens), s.flags);
  }
  return out;
}
