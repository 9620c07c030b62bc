/**
 * Accent-insensitive folding: lower case, no diacritics, đ/Đ (and Eth) → d.
 * "Đà Nẵng" → "da nang", "xăng E10" → "xang e10".
 */
import { normalizeDisplay } from './clean.js';
import { tokenizeSyllables } from './tokenize.js';

const foldCache = new Map<string, string>();
const FOLD_CACHE_LIMIT = 200_000;

function isAsciiLower(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f || (c >= 0x41 && c <= 0x5a)) return false;
  }
  return true;
}

function foldRaw(s: string): string {
  // đ does not decompose under NFD; map it (and Eth, a frequent look-alike) explicitly.
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u0111\u00f0]/g, 'd');
}

/** Fold one token (memoised). Tokens from `tokenizeSyllables` are the intended input. */
export function foldToken(token: string): string {
  if (isAsciiLower(token)) return token;
  const hit = foldCache.get(token);
  if (hit !== undefined) return hit;
  const out = foldRaw(token);
  if (foldCache.size >= FOLD_CACHE_LIMIT) foldCache.clear();
  foldCache.set(token, out);
  return out;
}

/**
 * Character-level fold of a whole text: keeps punctuation and spacing,
 * drops zero-width characters. `foldAccents("Thuỷ điện") === "thuy dien"`.
 */
export function foldAccents(text: string): string {
  const s = normalizeDisplay(text);
  return isAsciiLower(s) ? s : foldRaw(s);
}

/** Accent-insensitive key: folded tokens joined by one space ("Đà Nẵng!" → "da nang"). */
export function toFoldedKey(text: string): string {
  const tokens = tokenizeSyllables(text);
  for (let i = 0; i < tokens.length; i++) tokens[i] = foldToken(tokens[i]);
  return tokens.join(' ');
}
