/**
 * Vietnamese syllable canonicalisation: one tone-mark placement per syllable.
 *
 * Publishers disagree on where the tone mark goes in open syllables with the
 * vowel pairs oa / oe / uy ("hoà" vs "hòa", "thuỷ" vs "thủy", "khoẻ" vs
 * "khỏe", "uý" vs "úy"), and sloppy typing (or broken IMEs) sometimes puts the
 * mark on any vowel ("ngươì", "Hà Nôị"). NFC does not unify these. Here every
 * syllable is decomposed, its tone mark is lifted off, the vowel nucleus is
 * located (taking the "qu" and "gi" onsets into account) and the tone is put
 * back where the canonical rule says:
 *
 *  1. on the vowel carrying a quality mark (ă â ê ô ơ ư); for "ươ" on the ơ;
 *  2. otherwise, with a final consonant, on the last vowel ("hoàn", "huỳnh");
 *  3. otherwise (open syllable): one vowel → that vowel; two vowels → the first
 *     ("hòa", "thủy", "khỏe", "mía", "múa"); three vowels → the middle one
 *     ("ngoái", "khuỷu").
 *
 * This is the placement most Vietnamese outlets use today.
 *
 * In addition, a lone "y" nucleus after an onset is spelled "i" ("sỹ"/"sĩ",
 * "kỹ"/"kĩ", "quý"/"quí", "lý"/"lí"), a well-known spelling variation that
 * also shows up between outlets. Syllable-initial "y" ("ý", "yêu") is kept.
 *
 * The input must be one lower-case NFC letter run. Anything that does not
 * look like a Vietnamese syllable (several vowel groups, unknown final
 * consonant cluster, foreign diacritics) is returned unchanged.
 */

const TONE_GRAVE = 0x300;
const TONE_ACUTE = 0x301;
const TONE_TILDE = 0x303;
const TONE_HOOK = 0x309;
const TONE_DOT = 0x323;
const MARK_CIRCUMFLEX = 0x302;
const MARK_BREVE = 0x306;
const MARK_HORN = 0x31b;

function isTone(c: number): boolean {
  return c === TONE_GRAVE || c === TONE_ACUTE || c === TONE_TILDE || c === TONE_HOOK || c === TONE_DOT;
}

function isQuality(c: number): boolean {
  return c === MARK_CIRCUMFLEX || c === MARK_BREVE || c === MARK_HORN;
}

function isVowelBase(ch: string): boolean {
  return ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u' || ch === 'y';
}

const ONSET_LETTERS = new Set('bcdđghklmnpqrstvx'.split(''));
const CODAS = new Set(['', 'c', 'ch', 'm', 'n', 'ng', 'nh', 'p', 't']);

const cache = new Map<string, string>();
const CACHE_LIMIT = 200_000;

/** Fast check: a lower-case syllable that is plain ASCII needs work only for the y→i rule. */
function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return true;
  return false;
}

/**
 * Canonical form of one lower-case NFC syllable (see module comment).
 * Results are memoised; the Vietnamese syllable inventory is small.
 */
export function canonicalSyllable(syl: string): string {
  const hit = cache.get(syl);
  if (hit !== undefined) return hit;
  const out = computeCanonical(syl);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(syl, out);
  return out;
}

function computeCanonical(syl: string): string {
  if (syl.length === 0 || syl.length > 8) return syl;
  const ascii = !hasNonAscii(syl);
  // Fast path: ASCII with no 'y' cannot change.
  if (ascii && syl.indexOf('y') < 0) return syl;

  const nfd = ascii ? syl : syl.normalize('NFD');
  const bases: string[] = [];
  const marks: number[] = [];
  let tone = 0;
  for (let i = 0; i < nfd.length; i++) {
    const c = nfd.charCodeAt(i);
    if (c >= 0x300 && c <= 0x36f) {
      if (bases.length === 0) return syl;
      if (isTone(c)) {
        if (tone !== 0) return syl; // two tone marks: not a syllable we understand
        tone = c;
      } else if (isQuality(c)) {
        const last = bases.length - 1;
        if (marks[last] !== 0) return syl;
        marks[last] = c;
      } else {
        return syl; // foreign diacritic (diaeresis, cedilla, ...)
      }
    } else {
      const ch = nfd[i];
      if (!(isVowelBase(ch) || ONSET_LETTERS.has(ch))) return syl;
      bases.push(ch);
      marks.push(0);
    }
  }

  // Locate the single vowel run.
  let runStart = -1;
  let runEnd = -1;
  for (let i = 0; i < bases.length; i++) {
    if (isVowelBase(bases[i])) {
      if (runStart < 0) runStart = i;
      else if (runEnd !== i) return syl; // second vowel group: not Vietnamese
      runEnd = i + 1;
    }
  }
  if (runStart < 0) return syl;
  const onset = bases.slice(0, runStart).join('');
  const coda = bases.slice(runEnd).join('');
  if (!CODAS.has(coda)) return syl;
  if (onset.length > 3) return syl;

  // "qu" and "gi" onsets swallow the first vowel letter when more vowels follow.
  let nucStart = runStart;
  if (runEnd - runStart >= 2) {
    if (onset === 'q' && bases[runStart] === 'u' && marks[runStart] === 0) nucStart++;
    else if (onset === 'g' && bases[runStart] === 'i' && marks[runStart] === 0) nucStart++;
  }
  const nucLen = runEnd - nucStart;
  if (nucLen > 3) return syl;

  // Lone "y" nucleus after an onset → "i".
  if (nucLen === 1 && coda === '' && nucStart > 0 && bases[nucStart] === 'y' && marks[nucStart] === 0) {
    bases[nucStart] = 'i';
  }

  if (tone === 0) {
    return ascii ? bases.join('') : rebuild(bases, marks, -1, 0);
  }

  let pos = -1;
  // 1. a vowel with a quality mark (for ươ: the last one)
  for (let i = nucStart; i < runEnd; i++) if (marks[i] !== 0) pos = i;
  if (pos < 0) {
    if (coda !== '') pos = runEnd - 1;
    else if (nucLen === 1) pos = nucStart;
    else if (nucLen === 2) pos = nucStart;
    else pos = nucStart + 1;
  }
  return rebuild(bases, marks, pos, tone);
}

function rebuild(bases: string[], marks: number[], tonePos: number, tone: number): string {
  let s = '';
  for (let i = 0; i < bases.length; i++) {
    s += bases[i];
    if (marks[i] !== 0) s += String.fromCharCode(marks[i]);
    if (i === tonePos) s += String.fromCharCode(tone);
  }
  return s.normalize('NFC');
}
