/**
 * Syllable tokenizer for Vietnamese (and other Latin-script) text.
 *
 * Splits on whitespace and punctuation; each token is a matching key:
 * lower case, NFC, tone mark in canonical position (see tone.ts).
 * Numbers keep their internal separators ("28/8", "1,6", "10.000", "3-0"),
 * letters and digits written together stay together ("E10" → "e10"), and a
 * short letter prefix joined to a number by a hyphen is glued ("U-21" →
 * "u21", "MH-17" → "mh17").
 */
import { normalizeForMatching } from './clean.js';
import { canonicalSyllable } from './tone.js';

/** Token flag: the token contains a digit. */
export const TOKEN_NUMERIC = 1;
/** Token flag: the token starts with an upper-case letter in the source text. */
export const TOKEN_CAPITALIZED = 2;


const CLS_UNKNOWN = 0;
const CLS_LETTER = 1;
const CLS_DIGIT = 2;
const CLS_MARK = 3;
const CLS_OTHER = 4;

const classes = new Uint8Array(0x10000);
const LETTER_RE = /\p{L}|\p{Nd}/u;
const MARK_RE = /\p{M}/u;

function classOf(c: number): number {
  const k = classes[c];
  if (k !== CLS_UNKNOWN) return k;
  let v: number;
  if (c >= 0x30 && c <= 0x39) v = CLS_DIGIT;
  else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) v = CLS_LETTER;
  else if (c < 0x80) v = CLS_OTHER;
  else if (c >= 0xd800 && c <= 0xdfff) v = CLS_OTHER; // astral (emoji, ...): separators
  else {
    const ch = String.fromCharCode(c);
    v = LETTER_RE.test(ch) ? CLS_LETTER : MARK_RE.test(ch) ? CLS_MARK : CLS_OTHER;
  }
  classes[c] = v;
  return v;
}

function isNumberSeparator(c: number): boolean {
  // . , / : -
  return c === 0x2e || c === 0x2c || c === 0x2f || c === 0x3a || c === 0x2d;
}

const keyCache = new Map<string, string>();
const KEY_CACHE_LIMIT = 200_000;

function wordKey(raw: string): string {
  const hit = keyCache.get(raw);
  if (hit !== undefined) return hit;
  const key = canonicalSyllable(raw.toLowerCase());
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
  keyCache.set(raw, key);
  return key;
}

function isCapitalized(raw: string): boolean {
  const c = raw.charCodeAt(0);
  if (c < 0x80) return c >= 0x41 && c <= 0x5a;
  const ch = raw[0];
  return ch !== ch.toLowerCase();
}

export interface TokenScan {
  /** Matching keys, in text order. */
  keys: string[];
  /** Per token: TOKEN_NUMERIC | TOKEN_CAPITALIZED bits. */
  flags: number[];
}

/** Tokenize and report, per token, whether it is numeric and whether it was capitalised. */
export function scanTokens(text: string): TokenScan {
  const keys: string[] = [];
  const flags: number[] = [];
  scanInto(text, keys, flags);
  return { keys, flags };
}

function scanInto(text: string, keys: string[], flags: number[] | null): void {
  forEachRawToken(text, (raw, numeric) => {
    keys.push(numeric ? raw.toLowerCase() : wordKey(raw));
    if (flags) flags.push((numeric ? TOKEN_NUMERIC : 0) | (isCapitalized(raw) ? TOKEN_CAPITALIZED : 0));
  });
}

/** Matching key of one raw token as produced by `forEachRawToken`. */
export function tokenKey(raw: string, numeric: boolean): string {
  return numeric ? raw.toLowerCase() : wordKey(raw);
}

/** TOKEN_* flags of one raw token as produced by `forEachRawToken`. */
export function tokenFlags(raw: string, numeric: boolean): number {
  return (numeric ? TOKEN_NUMERIC : 0) | (isCapitalized(raw) ? TOKEN_CAPITALIZED : 0);
}

/**
 * Low-level scan for hot paths: calls `onToken(raw, numeric)` for every token
 * of the text (after matching normalisation: NFC, no zero-width characters,
 * Eth → Đ), where `raw` is the token as written (hyphen glue applied) and
 * `numeric` tells whether it contains a digit. See `tokenKey`, `tokenFlags`.
 */
export function forEachRawToken(text: string, onToken: (raw: string, numeric: boolean) => void): void {
  forEachTokenSpan(text, (s, start, end, hyphenAt, numeric) =>
    onToken(hyphenAt < 0 ? s.slice(start, end) : s.slice(start, hyphenAt) + s.slice(hyphenAt + 1, end), numeric),
  );
}

/**
 * Lowest-level scan, without allocating token strings: calls
 * `onSpan(s, start, end, hyphenAt, numeric)` for each token, where `s` is the
 * cleaned text, the raw token is `s.slice(start, end)` minus the character at
 * `hyphenAt` (−1 when none: "U-21" → "U21").
 */
export function forEachTokenSpan(
  text: string,
  onSpan: (s: string, start: number, end: number, hyphenAt: number, numeric: boolean) => void,
): void {
  const s = normalizeForMatching(text);
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c0 = s.charCodeAt(i);
    const cls0 = classOf(c0);
    if (cls0 !== CLS_LETTER && cls0 !== CLS_DIGIT) {
      i++;
      continue;
    }
    const start = i;
    let hasDigit = false;
    let asciiLettersOnly = true;
    let hyphenAt = -1;
    while (i < n) {
      const c = s.charCodeAt(i);
      const cls = classOf(c);
      if (cls === CLS_LETTER) {
        if (c >= 0x80) asciiLettersOnly = false;
        i++;
      } else if (cls === CLS_DIGIT) {
        hasDigit = true;
        i++;
      } else if (cls === CLS_MARK) {
        asciiLettersOnly = false;
        i++;
      } else if (
        isNumberSeparator(c) &&
        i + 1 < n &&
        classOf(s.charCodeAt(i + 1)) === CLS_DIGIT &&
        classOf(s.charCodeAt(i - 1)) === CLS_DIGIT
      ) {
        i++;
      } else if (
        c === 0x2d &&
        hyphenAt < 0 &&
        !hasDigit &&
        asciiLettersOnly &&
        i - start <= 5 &&
        i + 1 < n &&
        classOf(s.charCodeAt(i + 1)) === CLS_DIGIT
      ) {
        hyphenAt = i;
        i++;
      } else {
        break;
      }
    }
    onSpan(s, start, i, hyphenAt, hasDigit);
  }
}

/**
 * Split text into syllable tokens (matching keys, see module comment).
 * `tokenizeSyllables("Giá xăng E10 hôm nay 28/8 tăng 1,6%")`
 * → ["giá","xăng","e10","hôm","nay","28/8","tăng","1,6"].
 */
export function tokenizeSyllables(text: string): string[] {
  const keys: string[] = [];
  scanInto(text, keys, null);
  return keys;
}

/** Contiguous n-grams of tokens, joined by one space. n = 1 returns a copy. */
export function syllableNgrams(tokens: readonly string[], n: number): string[] {
  if (n < 1) throw new RangeError('n must be >= 1');
  const out: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) {
    let g = tokens[i];
    for (let k = 1; k < n; k++) g += ' ' + tokens[i + k];
    out.push(g);
  }
  return out;
}
