/**
 * Decisive facts of a headline — dates, numbers with their context, places —
 * and the veto rule: two headlines that state different values for the same
 * thing are different stories, however similar the rest of the words are.
 *
 *   "Giá vàng hôm nay 28/8"      vs "Giá vàng hôm nay 29/8"      (dates)
 *   "Xổ số miền Bắc ngày 27/8"   vs "… ngày 28/8"                 (dates)
 *   "Bão số 5 …"                 vs "Bão số 6 …"                  (same anchor "số")
 *   "Xăng E5 …"                  vs "Xăng E10 …"                  (same prefix "e")
 *   "… ngân sách 2013"           vs "… ngân sách 2014"            (years)
 *   "TP HCM: … vay 300 triệu"    vs "Hà Nội: … vay 300 triệu"     (provinces)
 */
import { TOKEN_NUMERIC } from '../text/tokenize.js';
import { findProvinces, findRegions } from './places.js';

export interface NumberMention {
  /** Normalised value ("5", "10000", "1,6"). */
  value: string;
  /** Context that says what the number counts: the syllable before / after, or a letter prefix/suffix ("e" of "e10"). */
  before: string | null;
  after: string | null;
}

export interface TitleSignature {
  /** Calendar dates "d/m" (year dropped). */
  dates: string[];
  /** Years (1900–2099) written alone or as part of a date. */
  years: string[];
  numbers: NumberMention[];
  provinces: string[];
  regions: string[];
}

export const EMPTY_SIGNATURE: TitleSignature = Object.freeze({ dates: [], years: [], numbers: [], provinces: [], regions: [] }) as TitleSignature;

/** Month names written as words after "tháng" are not handled; "d tháng m" with digits is. */
const DATE_RE = /^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$/;
const THOUSANDS_RE = /^\d{1,3}(?:\.\d{3})+$/;
const ALNUM_RE = /^([^\d]*)(\d+(?:[.,]\d+)*)([^\d]*)$/;

const YEAR_RE = /^(19|20)\d\d$/;

function asDate(token: string): { date: string; year: string | null } | null {
  const m = DATE_RE.exec(token);
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  if (d < 1 || d > 31 || mo < 1 || mo > 12) return null;
  let year: string | null = null;
  if (m[3]) {
    year = m[3].length === 2 ? '20' + m[3] : m[3];
    if (!YEAR_RE.test(year)) return null;
  }
  return { date: `${d}/${mo}`, year };
}

function normaliseNumber(v: string): string {
  if (THOUSANDS_RE.test(v)) return v.replace(/\./g, '');
  return v;
}

/**
 * Build the signature of a headline.
 * @param keys match-key tokens (`scanTokens(title).keys`)
 * @param folded the same tokens accent-folded
 * @param flags token flags from `scanTokens`
 * @param mayNameProvince false when no token can start a province name (skips the gazetteer scan)
 * @param mayNameRegion false when no token can start a region name
 */
export function titleSignature(
  keys: readonly string[],
  folded: readonly string[],
  flags: readonly number[],
  mayNameProvince = true,
  mayNameRegion = true,
): TitleSignature {
  const dates: string[] = [];
  const years: string[] = [];
  const numbers: NumberMention[] = [];
  for (let i = 0; i < keys.length; i++) {
    if ((flags[i] & TOKEN_NUMERIC) === 0) continue;
    const tok = keys[i];
    const date = asDate(tok);
    if (date) {
      if (!dates.includes(date.date)) dates.push(date.date);
      if (date.year && !years.includes(date.year)) years.push(date.year);
      continue;
    }
    if (YEAR_RE.test(tok)) {
      if (!years.includes(tok)) years.push(tok);
      continue;
    }
    // "27 tháng 8"
    if (
      i + 2 < keys.length &&
      folded[i + 1] === 'thang' &&
      (flags[i + 2] & TOKEN_NUMERIC) !== 0 &&
      /^\d{1,2}$/.test(tok) &&
      /^\d{1,2}$/.test(keys[i + 2])
    ) {
      const d = Number(tok);
      const mo = Number(keys[i + 2]);
      if (d >= 1 && d <= 31 && mo >= 1 && mo <= 12) {
        const s = `${d}/${mo}`;
        if (!dates.includes(s)) dates.push(s);
        i += 2;
        continue;
      }
    }
    const m = ALNUM_RE.exec(tok);
    if (!m) continue; // e.g. "a1b2": an identifier, not a quantity
    const value = normaliseNumber(m[2]);
    const prefix = m[1];
    const suffix = m[3];
    const prev = i > 0 && (flags[i - 1] & TOKEN_NUMERIC) === 0 ? folded[i - 1] : null;
    const next = i + 1 < keys.length && (flags[i + 1] & TOKEN_NUMERIC) === 0 ? folded[i + 1] : null;
    numbers.push({
      value,
      before: prefix ? '#' + prefix : prev,
      after: suffix ? '#' + suffix : next,
    });
  }
  return {
    dates,
    years,
    numbers,
    provinces: mayNameProvince ? findProvinces(folded, flags) : [],
    regions: mayNameRegion ? findRegions(folded, flags) : [],
  };
}

export function isEmptySignature(s: TitleSignature): boolean {
  return s.dates.length === 0 && s.years.length === 0 && s.numbers.length === 0 && s.provinces.length === 0 && s.regions.length === 0;
}

function disjoint(a: readonly string[], b: readonly string[]): boolean {
  for (const x of a) if (b.includes(x)) return false;
  return true;
}

function hasValue(list: readonly NumberMention[], value: string): boolean {
  for (const n of list) if (n.value === value) return true;
  return false;
}

export type VetoReason = 'date' | 'year' | 'number' | 'province' | 'region';

/**
 * Why two headlines cannot be the same story, or null when nothing conflicts.
 * A fact present in only one headline never vetoes.
 */
export function vetoReason(a: TitleSignature, b: TitleSignature): VetoReason | null {
  if (a.dates.length > 0 && b.dates.length > 0 && disjoint(a.dates, b.dates)) return 'date';
  if (a.years.length > 0 && b.years.length > 0 && disjoint(a.years, b.years)) return 'year';
  if (a.provinces.length > 0 && b.provinces.length > 0 && disjoint(a.provinces, b.provinces)) return 'province';
  if (a.regions.length > 0 && b.regions.length > 0 && disjoint(a.regions, b.regions)) return 'region';
  for (const x of a.numbers) {
    if (hasValue(b.numbers, x.value)) continue;
    for (const y of b.numbers) {
      if (hasValue(a.numbers, y.value)) continue;
      if ((x.before !== null && x.before === y.before) || (x.after !== null && x.after === y.after)) return 'number';
    }
  }
  return null;
}

export function vetoes(a: TitleSignature, b: TitleSignature): boolean {
  return vetoReason(a, b) !== null;
}
