/**
 * Text normalisation for display and for matching.
 *
 * Display text stays as published, only made canonical Unicode: NFC, without
 * invisible characters. Matching keys (see `toMatchKey`, `foldAccents`) go
 * further: case folding, one tone-mark placement per syllable, Eth → Đ.
 */
import { tokenizeSyllables } from './tokenize.js';

export { hasCombiningMark, normalizeDisplay, normalizeForMatching } from './clean.js';

/**
 * Matching key with diacritics: tokens (see `tokenizeSyllables`) joined by
 * one space — lower case, tone marks in canonical position, "sỹ"→"sĩ",
 * punctuation dropped, numbers kept whole ("28/8", "1,6").
 * `toMatchKey("Thuỷ điện Hoà Bình") === toMatchKey("thủy điện hòa bình")`.
 */
export function toMatchKey(text: string): string {
  return tokenizeSyllables(text).join(' ');
}
