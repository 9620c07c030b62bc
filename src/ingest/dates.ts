/**
 * Feed date parsing without dependencies.
 *
 * Accepts what real feeds publish rather than what the specs say:
 *  - RFC 822 / 1123 / 2822 ("Thu, 28 Aug 2026 10:00:00 +0700"), with two-digit years,
 *    named zones (GMT, UT, EST, EDT, ICT …), military zones, missing seconds, missing or
 *    wrong weekday, full month names, "GMT+7" / "GMT+07:00" offsets and "(comments)";
 *  - ISO 8601 / W3CDTF ("2026", "2026-08", "2026-08-28", "2026-08-28T10:00",
 *    fractional seconds, "Z", "+0700", "+07:00", "+07", space instead of "T", basic format);
 *  - Vietnamese day-first forms ("28/08/2026 10:00", "28/8/26 10:00", "28-08-2026 10h30",
 *    "10:00 28/08/2026", "Thứ năm, 28/8/2026, 10:00 (GMT+7)");
 *  - month-first English ("Aug 28, 2026 10:00 AM") and JavaScript's Date#toString output.
 *
 * A date without a zone is wall-clock time in the caller's IANA zone; the conversion uses
 * Intl and is DST-correct (non-existent times move forward, ambiguous ones take the earlier
 * instant, like Temporal's "compatible" disambiguation).
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

const MONTHS: Record<string, number> = {
  jan: 1, january: 1,
  feb: 2, february: 2,
  mar: 3, march: 3,
  apr: 4, april: 4,
  may: 5,
  jun: 6, june: 6,
  jul: 7, july: 7,
  aug: 8, august: 8,
  sep: 9, sept: 9, september: 9,
  oct: 10, october: 10,
  nov: 11, november: 11,
  dec: 12, december: 12,
};

const WEEKDAYS = new Set([
  'mon', 'monday', 'tue', 'tues', 'tuesday', 'wed', 'weds', 'wednesday', 'thu', 'thur', 'thurs', 'thursday',
  'fri', 'friday', 'sat', 'saturday', 'sun', 'sunday',
]);

/** Offsets in minutes east of UTC. Only unambiguous, commonly seen abbreviations. */
const NAMED_ZONES: Record<string, number> = {
  z: 0, ut: 0, utc: 0, gmt: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600,
  bst: 60, cet: 60, cest: 120, met: 60, mest: 120, eet: 120, eest: 180, west: 60, msk: 180,
  ict: 420, wib: 420, sgt: 480, hkt: 480, awst: 480, pht: 480, jst: 540, kst: 540,
  acst: 570, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

/**
 * Military single-letter zones, with their real meaning (A = UTC+1 … M = UTC+12,
 * N = UTC−1 … Y = UTC−12, Z = UTC). RFC 822 printed the signs reversed; RFC 2822 says the
 * letters are unreliable, but the few feeds that use them follow the military convention.
 */
function militaryOffset(letter: string): number | null {
  const c = letter.toLowerCase().charCodeAt(0);
  if (c === 0x7a) return 0; // z
  if (c >= 0x61 && c <= 0x69) return (c - 0x60) * 60; // a..i → +1..+9
  if (c >= 0x6b && c <= 0x6d) return (c - 0x61) * 60; // k..m → +10..+12
  if (c >= 0x6e && c <= 0x79) return -(c - 0x6d) * 60; // n..y → −1..−12
  return null; // j: local time, i.e. no zone
}

// ----- patterns (compiled once) -----

const SPACES = /\s+/g;
const COMBINING = /[\u0300-\u036f]/;
/** Leading English weekday ("Thu, ", "Thursday ") — removed before matching; never validated. */
const LEADING_WORD = /^([a-z]+)\.?,?\s*/i;
/** Leading Vietnamese weekday ("Thứ năm, ", "Thứ 5, ", "Chủ nhật, ", "T5, "). */
const LEADING_VI_WEEKDAY = /^(?:th[ứưu]\s+(?:\d|hai|ba|t[ưư]|n[ăa]m|s[áa]u|b[ảa]y)|ch[ủu]\s+nh[ậa]t|cn|t[2-7])\s*,?\s*/iu;

const ISO = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:(?:t|\s+|t\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(.*)$/i;
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})(?:t(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?)?\s*(.*)$/i;
const YEAR_FIRST_SLASH = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:(?:\s*,\s*|\s+|t)(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?\s*(.*)$/i;
const TIME = '(\\d{1,2})\\s*[:h]\\s*(\\d{2})(?::(\\d{2})(?:[.,](\\d+))?)?\\s*(am|pm|a\\.m\\.|p\\.m\\.|sa|ch)?';
const DAY_FIRST_NUMERIC = new RegExp(
  `^(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})(?:(?:\\s*,\\s*|\\s+|t|\\s*-\\s*)(?:l[úu]c\\s+)?${TIME})?\\s*(.*)$`,
  'iu',
);
const TIME_FIRST_NUMERIC = new RegExp(
  `^${TIME}\\s*(?:,|-)?\\s*(?:ng[àa]y\\s+)?(\\d{1,2})[/.-](\\d{1,2})[/.-](\\d{4}|\\d{2})\\s*(.*)$`,
  'iu',
);
const DAY_FIRST_NAMED = new RegExp(
  `^(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+([a-z]{3,9})\\.?,?[\\s-]+(\\d{4}|\\d{2})(?:(?:\\s*,\\s*|\\s+|t)(?:at\\s+)?${TIME})?\\s*(.*)$`,
  'i',
);
const MONTH_FIRST_NAMED = new RegExp(
  `^([a-z]{3,9})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?:(?:\\s*,\\s*|\\s+)(?:at\\s+)?${TIME})?\\s*(.*)$`,
  'i',
);
/** asctime-like: "Aug 28 10:00:00 2026" (after the weekday is removed). */
const ASCTIME = /^([a-z]{3,9})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([a-z]{1,5})\s+)?(\d{4})\s*(.*)$/i;

const ZONE_OFFSET = /^(?:(?:gmt|utc|ut)\s*)?([+\u2212-])\s*(\d{1,2})(?::?(\d{2}))?$/i;
const ZONE_WORD = /^[a-z]{1,5}$/i;
const TRAILING_PAREN = /^(.*?)\s*\(([^()]*)\)\s*$/;
const TRAILING_JUNK = /[\s,;.]+$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** undefined: no zone given; number: minutes east of UTC; null: garbage after the date. */
type ZoneResult = number | undefined | null;

/**
 * Parses a feed date. `timezone` (IANA name) is used when the string carries no offset;
 * an unknown zone name falls back to UTC. Returns null when the string is not a date.
 */
export function parseFeedDate(raw: string | undefined, timezone: string): Date | null {
  if (raw === undefined || raw === null) return null;
  let s = String(raw).trim();
  if (s.length === 0 || s.length > 200) return null;
  if (s.includes('  ') || s.includes('\t') || s.includes('\n')) s = s.replace(SPACES, ' ');
  if (COMBINING.test(s)) s = s.normalize('NFC');

  // Strip leading weekday words (English or Vietnamese); the weekday is never trusted.
  const vi = LEADING_VI_WEEKDAY.exec(s);
  if (vi) s = s.slice(vi[0].length);
  const word = LEADING_WORD.exec(s);
  if (word && WEEKDAYS.has(word[1].toLowerCase())) s = s.slice(word[0].length);

  const first = s.charCodeAt(0);
  if (first >= 0x30 && first <= 0x39) return parseNumericStart(s, timezone);
  return parseWordStart(s, timezone);
}

function parseNumericStart(s: string, timezone: string): Date | null {
  let m: RegExpExecArray | null;
  let r: Date | null;
  // Year first: "2026", "2026-08", "2026-08-28…" (a bare year followed by a time is junk).
  if ((m = ISO.exec(s)) && (m[2] !== undefined || m[4] === undefined)) {
    r = build(
      {
        year: +m[1],
        month: m[2] ? +m[2] : 1,
        day: m[3] ? +m[3] : 1,
        hour: m[4] ? +m[4] : 0,
        minute: m[5] ? +m[5] : 0,
        second: m[6] ? +m[6] : 0,
        ms: fraction(m[7]),
      },
      parseZone(m[8]),
      timezone,
    );
    if (r) return r;
  }
  if ((m = ISO_BASIC.exec(s))) {
    r = build(
      {
        year: +m[1], month: +m[2], day: +m[3],
        hour: m[4] ? +m[4] : 0, minute: m[5] ? +m[5] : 0, second: m[6] ? +m[6] : 0, ms: fraction(m[7]),
      },
      parseZone(m[8]),
      timezone,
    );
    if (r) return r;
  }
  if ((m = YEAR_FIRST_SLASH.exec(s))) {
    r = build(
      {
        year: +m[1], month: +m[2], day: +m[3],
        hour: m[4] ? +m[4] : 0, minute: m[5] ? +m[5] : 0, second: m[6] ? +m[6] : 0, ms: 0,
      },
      parseZone(m[7]),
      timezone,
    );
    if (r) return r;
  }
  // Day first, numeric month (Vietnamese style).
  if ((m = DAY_FIRST_NUMERIC.exec(s))) {
    let day = +m[1];
    let month = +m[2];
    if (month > 12 && day <= 12) [day, month] = [month, day]; // unambiguously US order
    r = build(
      { year: expandYear(m[3]), month, day, ...time(m[4], m[5], m[6], m[7], m[8]) },
      parseZone(m[9]),
      timezone,
    );
    if (r) return r;
  }
  // Time first ("10:00 28/08/2026").
  if ((m = TIME_FIRST_NUMERIC.exec(s))) {
    let day = +m[6];
    let month = +m[7];
    if (month > 12 && day <= 12) [day, month] = [month, day];
    r = build(
      { year: expandYear(m[8]), month, day, ...time(m[1], m[2], m[3], m[4], m[5]) },
      parseZone(m[9]),
      timezone,
    );
    if (r) return r;
  }
  // RFC 822 ("28 Aug 2026 10:00:00 +0700").
  if ((m = DAY_FIRST_NAMED.exec(s))) {
    const month = MONTHS[m[2].toLowerCase()];
    if (!month) return null;
    return build(
      { year: expandYear(m[3]), month, day: +m[1], ...time(m[4], m[5], m[6], m[7], m[8]) },
      parseZone(m[9]),
      timezone,
    );
  }
  return null;
}

function parseWordStart(s: string, timezone: string): Date | null {
  let m: RegExpExecArray | null;
  if ((m = MONTH_FIRST_NAMED.exec(s))) {
    const month = MONTHS[m[1].toLowerCase()];
    if (!month) return null;
    return build(
      { year: +m[3], month, day: +m[2], ...time(m[4], m[5], m[6], m[7], m[8]) },
      parseZone(m[9]),
      timezone,
    );
  }
  if ((m = ASCTIME.exec(s))) {
    const month = MONTHS[m[1].toLowerCase()];
    if (!month) return null;
    const zone = m[6] ? parseZone(m[6]) : parseZone(m[8]);
    return build(
      { year: +m[7], month, day: +m[2], hour: +m[3], minute: +m[4], second: m[5] ? +m[5] : 0, ms: 0 },
      zone,
      timezone,
    );
  }
  return null;
}

function time(
  h: string | undefined,
  mi: string | undefined,
  sec: string | undefined,
  frac: string | undefined,
  meridiem: string | undefined,
): Pick<Parts, 'hour' | 'minute' | 'second' | 'ms'> {
  if (h === undefined) return { hour: 0, minute: 0, second: 0, ms: 0 };
  let hour = +h;
  if (meridiem) {
    const pm = /^(?:p|ch)/i.test(meridiem);
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
    else if (hour > 12) hour = 99; // "13:00 AM" → invalid
  }
  return { hour, minute: +(mi ?? 0), second: sec ? +sec : 0, ms: fraction(frac) };
}

function fraction(f: string | undefined): number {
  if (!f) return 0;
  return Math.floor(+`0.${f.slice(0, 9)}` * 1000);
}

/** RFC 2822 rule for two-digit years: 00–49 → 2000s, 50–99 → 1900s. */
function expandYear(y: string): number {
  const n = +y;
  if (y.length > 2) return n;
  return n < 50 ? 2000 + n : 1900 + n;
}

function parseZone(rest: string | undefined): ZoneResult {
  if (rest === undefined) return undefined;
  let s = rest.replace(TRAILING_JUNK, '');
  if (s.length === 0) return undefined;
  // "+0700 (ICT)" → zone + comment; "(GMT+7)" → zone in parentheses.
  const paren = TRAILING_PAREN.exec(s);
  if (paren) {
    if (paren[1].length > 0) {
      const main = parseZone(paren[1]);
      if (main !== null) return main;
      return null;
    }
    s = paren[2].trim();
    if (s.length === 0) return undefined;
  }
  const m = ZONE_OFFSET.exec(s);
  if (m) {
    const hours = +m[2];
    const minutes = m[3] ? +m[3] : 0;
    if (hours > 18 || minutes > 59) return null;
    return (m[1] === '+' ? 1 : -1) * (hours * 60 + minutes);
  }
  if (ZONE_WORD.test(s)) {
    const lower = s.toLowerCase();
    const named = NAMED_ZONES[lower];
    if (named !== undefined) return named;
    if (lower.length === 1) return militaryOffset(lower) ?? undefined;
    // An unknown abbreviation: keep the date, interpret it in the source's zone.
    return undefined;
  }
  return null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function build(p: Parts, zone: ZoneResult, timezone: string): Date | null {
  if (zone === null) return null;
  if (p.year < 1900 || p.year > 2200) return null;
  if (p.month < 1 || p.month > 12) return null;
  if (p.day < 1 || p.day > daysInMonth(p.year, p.month)) return null;
  if (p.hour > 24 || p.minute > 59 || p.second > 60) return null;
  if (p.hour === 24 && (p.minute > 0 || p.second > 0 || p.ms > 0)) return null;
  const second = p.second === 60 ? 59 : p.second; // leap second
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, second, p.ms);
  if (!Number.isFinite(wall)) return null;
  const t = zone !== undefined ? wall - zone * MINUTE : wallClockToUtc(wall, timezone);
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

// ----- IANA zone conversion -----

const formatters = new Map<string, Intl.DateTimeFormat | null>();
const offsetCache = new Map<string, number>();
const OFFSET_CACHE_LIMIT = 20_000;
const OFFSET_BUCKET = 15 * MINUTE;
const LONG_OFFSET = /^(?:GMT|UTC)(?:([+\u2212-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

function formatterFor(timezone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timezone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    } catch {
      f = null; // invalid zone name → UTC
    }
    formatters.set(timezone, f);
  }
  return f;
}

/** Offset of `timezone` from UTC, in ms, at the UTC instant `t`. */
export function zoneOffsetMs(t: number, timezone: string): number {
  const f = formatterFor(timezone);
  if (f === null) return 0;
  // Transitions fall on quarter hours in every zone that still matters for feed dates.
  const bucket = Math.floor(t / OFFSET_BUCKET);
  const key = `${timezone}|${bucket}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  let offset = 0;
  const parts = f.formatToParts(new Date(bucket * OFFSET_BUCKET));
  for (const part of parts) {
    if (part.type === 'timeZoneName') {
      const m = LONG_OFFSET.exec(part.value);
      if (m && m[1]) {
        const sign = m[1] === '+' ? 1 : -1;
        offset = sign * ((+m[2] * 60 + (m[3] ? +m[3] : 0)) * MINUTE + (m[4] ? +m[4] * 1000 : 0));
      }
      break;
    }
  }
  if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/**
 * Converts a wall-clock time (expressed as if it were UTC) in `timezone` to a UTC instant.
 * Gaps (spring forward) resolve to the later wall time; overlaps to the earlier instant.
 */
export function wallClockToUtc(wall: number, timezone: string): number {
  const before = zoneOffsetMs(wall - DAY, timezone);
  const after = zoneOffsetMs(wall + DAY, timezone);
  if (before === after) {
    const t = wall - before;
    if (zoneOffsetMs(t, timezone) === before) return t;
  }
  const candidates: number[] = [];
  for (const off of before === after ? [before] : [before, after]) {
    const t = wall - off;
    if (zoneOffsetMs(t, timezone) === off) candidates.push(t);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: use the offset in force before the transition, which lands after it.
  return wall - before;
}
