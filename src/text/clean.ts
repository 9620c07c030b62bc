/**
 * Unicode clean-up shared by display and matching normalisation
 * (kept separate so the tokenizer can use it without an import cycle).
 */

/** Zero-width / invisible characters that never carry meaning in headlines. */
const INVISIBLE = /[\u00AD\u200B-\u200F\u2060\uFEFF]/g;
const INVISIBLE_TEST = /[\u00AD\u200B-\u200F\u2060\uFEFF]/;

/** True when the string contains a combining mark, i.e. NFC may change it. */
export function hasCombiningMark(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) return true;
  }
  return false;
}

/** NFC, with zero-width characters and soft hyphens removed. Keeps case, Eth and spacing. */
export function normalizeDisplay(text: string): string {
  let s = text;
  if (INVISIBLE_TEST.test(s)) s = s.replace(INVISIBLE, '');
  if (hasCombiningMark(s)) s = s.normalize('NFC');
  return s;
}

const NEEDS_NFC = 1;
const NEEDS_STRIP = 2;
const NEEDS_ETH = 4;

/**
 * Cleaned text used before matching: display normalisation plus
 * U+00D0/U+00F0 (Eth, often typed for "Đ"/"đ") mapped to Đ/đ.
 * One pass over the text decides what needs doing (usually nothing).
 */
export function normalizeForMatching(text: string): string {
  let needs = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xad) continue;
    if (c >= 0x300 && c <= 0x36f) needs |= NEEDS_NFC;
    else if (c === 0xad || (c >= 0x200b && c <= 0x200f) || c === 0x2060 || c === 0xfeff) needs |= NEEDS_STRIP;
    else if (c === 0xd0 || c === 0xf0) needs |= NEEDS_ETH;
  }
  if (needs === 0) return text;
  let s = text;
  if (needs & NEEDS_STRIP) s = s.replace(INVISIBLE, '');
  if (needs & NEEDS_NFC) s = s.normalize('NFC');
  if (needs & NEEDS_ETH) s = s.replace(/\u00D0/g, '\u0110').replace(/\u00F0/g, '\u0111');
  return s;
}
