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
import { forEachRawToken, scanTokens, tokenFlags, tokenKey } from '../text/tokenize.js';
import { findProvinces, startsProvinceName } from './places.js';
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
}

const TWO32 = 4294967296;
const infoCache = new Map<string, TokenInfo>();
const INFO_CACHE_LIMIT = 200_000;

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

/** Everything about one raw token, memoised: one lookup per token on the hot path. */
function info(raw: string, numeric: boolean): TokenInfo {
  let t = infoCache.get(raw);
  if (t === undefined) {
    const key = tokenKey(raw, numeric);
    const h1 = hash1(key);
    const h2 = hash2(key);
    const folded = foldToken(key);
    t = {
      key,
      folded,
      flags: tokenFlags(raw, numeric),
      id: combine(h1, h2),
      h1,
      h2,
      stop: STOPWORDS.has(key),
      place: startsProvinceName(folded),
    };
    if (infoCache.size >= INFO_CACHE_LIMIT) infoCache.clear();
    infoCache.set(raw, t);
  }
  return t;
}

function tokenInfos(text: string, max: number): TokenInfo[] {
  const out: TokenInfo[] = [];
  forEachRawToken(text, (raw, numeric) => {
    if (out.length < max) out.push(info(raw, numeric));
  });
  return out;
}

// ---- per-call accumulation table (open addressing on the low 32 bits; reset by generation)

let tableSize = 1024;
let slotIds = new Float64Array(tableSize);
let slotGen = new Uint32Array(tableSize);
let slotPos = new Int32Array(tableSize);
let generation = 0;

class TermBag {
  ids: number[] = [];
  weights: number[] = [];
  lookup: boolean[] = [];

  constructor() {
    generation++;
    if (generation === 0xffffffff) {
      slotGen.fill(0);
      generation = 1;
    }
  }

  add(id: number, w: number, lookup: boolean): void {
    if (this.ids.length * 2 >= tableSize) this.grow();
    const mask = tableSize - 1;
    let s = (id >>> 0) & mask;
    for (;;) {
      if (slotGen[s] !== generation) {
        slotGen[s] = generation;
        slotIds[s] = id;
        slotPos[s] = this.ids.length;
        this.ids.push(id);
        this.weights.push(w);
        this.lookup.push(lookup);
        return;
      }
      if (slotIds[s] === id) {
        this.weights[slotPos[s]] += w;
        if (lookup) this.lookup[slotPos[s]] = true;
        return;
      }
      s = (s + 1) & mask;
    }
  }

  private grow(): void {
    tableSize *= 2;
    slotIds = new Float64Array(tableSize);
    slotGen = new Uint32Array(tableSize);
    slotPos = new Int32Array(tableSize);
    generation = 1;
    const ids = this.ids;
    const weights = this.weights;
    const lookup = this.lookup;
    this.ids = [];
    this.weights = [];
    this.lookup = [];
    for (let i = 0; i < ids.length; i++) this.add(ids[i], weights[i], lookup[i]);
  }
}

function addTokens(bag: TermBag, tokens: readonly TokenInfo[], w: number, lookupUnigrams: boolean): void {
  let prev: TokenInfo | null = null;
  for (const t of tokens) {
    if (!t.stop) bag.add(t.id, w, lookupUnigrams);
    if (prev !== null && !(t.stop && prev.stop)) bag.add(bigramId(prev.h1, prev.h2, t.h1, t.h2), w, true);
    prev = t;
  }
}

const placeTermIds = new Map<string, number>();

function addPlaces(bag: TermBag, tokens: readonly TokenInfo[], w: number): void {
  let any = false;
  for (const t of tokens) if (t.place) any = true;
  if (!any) return;
  const found = findProvinces(
    tokens.map((t) => t.folded),
    tokens.map((t) => t.flags),
  );
  for (const p of found) {
    let id = placeTermIds.get(p);
    if (id === undefined) placeTermIds.set(p, (id = termId('@' + p)));
    bag.add(id, w, true);
  }
}

/** Extract clustering features from an article's headline and lead. Pure and deterministic. */
export function extractFeatures(title: string, summary: string | null, options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): ArticleFeatures {
  const t = tokenInfos(title, Infinity);
  const bag = new TermBag();
  addTokens(bag, t, options.titleWeight, true);
  addPlaces(bag, t, options.titleWeight);
  const titleTermCount = bag.ids.length;
  if (summary) {
    const s = tokenInfos(stripLeadByline(summary), options.maxSummaryTokens);
    addTokens(bag, s, 1, false);
    addPlaces(bag, s, 1);
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
    termIds: bag.ids,
    weights: bag.weights,
    titleTermCount,
    lookup: bag.lookup,
    signature: titleSignature(keys, folded, flags),
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
