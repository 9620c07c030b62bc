import { describe, expect, it } from 'vitest';
import { parseFeedDate, wallClockToUtc } from '../../src/ingest/dates.js';

const VN = 'Asia/Ho_Chi_Minh';
const NY = 'America/New_York';

function iso(raw: string | undefined, tz = VN): string | null {
  return parseFeedDate(raw, tz)?.toISOString() ?? null;
}

describe('parseFeedDate: RFC 822 / 1123', () => {
  it.each([
    ['Thu, 28 Aug 2026 10:00:00 +0700', '2026-08-28T03:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 GMT', '2026-08-28T10:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 UT', '2026-08-28T10:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 UTC', '2026-08-28T10:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 Z', '2026-08-28T10:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 EST', '2026-08-28T15:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 EDT', '2026-08-28T14:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 PDT', '2026-08-28T17:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 ICT', '2026-08-28T03:00:00.000Z'],
    // military zones (A = +1, N = −1, Z = 0)
    ['Thu, 28 Aug 2026 10:00:00 A', '2026-08-28T09:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 N', '2026-08-28T11:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 -0430', '2026-08-28T14:30:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 +07:00', '2026-08-28T03:00:00.000Z'],
    // two-digit years
    ['Thu, 28 Aug 26 10:00:00 +0700', '2026-08-28T03:00:00.000Z'],
    ['Sat, 01 Jan 99 00:00:00 GMT', '1999-01-01T00:00:00.000Z'],
    // missing seconds, missing weekday, wrong weekday, single-digit day, full month
    ['Thu, 28 Aug 2026 10:00 +0700', '2026-08-28T03:00:00.000Z'],
    ['28 Aug 2026 10:00:00 +0700', '2026-08-28T03:00:00.000Z'],
    ['Mon, 28 Aug 2026 10:00:00 +0700', '2026-08-28T03:00:00.000Z'],
    ['Tue, 1 Sep 2026 08:05:09 +0700', '2026-09-01T01:05:09.000Z'],
    ['Thursday, 28 August 2026 10:00:00 +0700', '2026-08-28T03:00:00.000Z'],
    ['thu, 28 aug 2026 10:00:00 gmt', '2026-08-28T10:00:00.000Z'],
    ['28-Aug-2026 10:00:00 +0700', '2026-08-28T03:00:00.000Z'],
    // GMT+7 forms
    ['Thu, 28 Aug 2026 10:00:00 GMT+7', '2026-08-28T03:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 GMT+07:00', '2026-08-28T03:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 GMT+0700', '2026-08-28T03:00:00.000Z'],
    ['Thu, 28 Aug 2026 10:00:00 UTC-5', '2026-08-28T15:00:00.000Z'],
    // trailing comment, JavaScript Date#toString
    ['Thu, 28 Aug 2026 10:00:00 +0700 (ICT)', '2026-08-28T03:00:00.000Z'],
    ['Thu Aug 28 2026 10:00:00 GMT+0700 (Indochina Time)', '2026-08-28T03:00:00.000Z'],
    // surrounding whitespace and newlines
    ['\n   Thu, 28 Aug 2026\n 10:00:00 +0700  ', '2026-08-28T03:00:00.000Z'],
  ])('%j → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it('interprets an RFC 822 date without zone in the source timezone', () => {
    expect(iso('Thu, 28 Aug 2026 10:00:00')).toBe('2026-08-28T03:00:00.000Z');
    expect(iso('Thu, 28 Aug 2026 10:00:00', NY)).toBe('2026-08-28T14:00:00.000Z');
  });
});

describe('parseFeedDate: ISO 8601 / W3CDTF', () => {
  it.each([
    ['2026-08-28T10:00:00Z', '2026-08-28T10:00:00.000Z'],
    ['2026-08-28T10:00:00+07:00', '2026-08-28T03:00:00.000Z'],
    ['2026-08-28T10:00:00+0700', '2026-08-28T03:00:00.000Z'],
    ['2026-08-28T10:00:00+07', '2026-08-28T03:00:00.000Z'],
    ['2026-08-28T10:00:00-05:00', '2026-08-28T15:00:00.000Z'],
    ['2026-08-28T10:00:00.123Z', '2026-08-28T10:00:00.123Z'],
    ['2026-08-28T10:00:00.123456789+07:00', '2026-08-28T03:00:00.123Z'],
    ['2026-08-28T10:00Z', '2026-08-28T10:00:00.000Z'],
    ['2026-08-28t10:00:00z', '2026-08-28T10:00:00.000Z'],
    ['2026-08-28 10:00:00 +07:00', '2026-08-28T03:00:00.000Z'],
    ['20260828T100000Z', '2026-08-28T10:00:00.000Z'],
    // no zone → source timezone
    ['2026-08-28T10:00', '2026-08-28T03:00:00.000Z'],
    ['2026-08-28T10:00:00', '2026-08-28T03:00:00.000Z'],
    ['2026-08-28 10:00:00', '2026-08-28T03:00:00.000Z'],
    ['2026-08-28', '2026-08-27T17:00:00.000Z'],
    ['2026-08', '2026-07-31T17:00:00.000Z'],
    ['2026', '2025-12-31T17:00:00.000Z'],
    ['2026/08/28 10:00', '2026-08-28T03:00:00.000Z'],
  ])('%j → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });
});

describe('parseFeedDate: Vietnamese day-first forms', () => {
  it.each([
    ['28/08/2026 10:00', '2026-08-28T03:00:00.000Z'],
    ['28/08/2026 10:00:30', '2026-08-28T03:00:30.000Z'],
    ['28/8/2026 9:05', '2026-08-28T02:05:00.000Z'],
    ['01/09/2026 10:00', '2026-09-01T03:00:00.000Z'], // 1 September, never 9 January
    ['05/09/26 10:00', '2026-09-05T03:00:00.000Z'],
    ['28/08/2026', '2026-08-27T17:00:00.000Z'],
    ['28-08-2026 10h30', '2026-08-28T03:30:00.000Z'],
    ['28.08.2026 10:00', '2026-08-28T03:00:00.000Z'],
    ['28/08/2026 10:00 GMT+7', '2026-08-28T03:00:00.000Z'],
    ['28/08/2026 - 10:00', '2026-08-28T03:00:00.000Z'],
    ['28/08/2026 10:00 PM', '2026-08-28T15:00:00.000Z'],
    ['10:00 28/08/2026', '2026-08-28T03:00:00.000Z'],
    ['Thứ năm, 28/8/2026, 10:00 (GMT+7)', '2026-08-28T03:00:00.000Z'],
    ['Thứ Năm, 28/08/2026 10:00', '2026-08-28T03:00:00.000Z'],
    ['Chủ nhật, 31/8/2026, 07:15 (GMT+7)', '2026-08-31T00:15:00.000Z'],
    ['Thứ năm, 28/8/2026, 10:00 (GMT+7)'.normalize('NFD'), '2026-08-28T03:00:00.000Z'],
    ['08/28/2026 10:00', '2026-08-28T03:00:00.000Z'], // month > 12 → clearly US order
  ])('%j → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });
});

describe('parseFeedDate: month-first English', () => {
  it.each([
    ['Aug 28, 2026 10:00 AM', '2026-08-28T03:00:00.000Z'],
    ['August 28, 2026 at 12:30 pm', '2026-08-28T05:30:00.000Z'],
    ['Aug 28, 2026 12:05 AM +0000', '2026-08-28T00:05:00.000Z'],
    ['Thu Aug 28 10:00:00 2026', '2026-08-28T03:00:00.000Z'],
  ])('%j → %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });
});

describe('parseFeedDate: invalid input', () => {
  it.each([
    [undefined],
    [''],
    ['   '],
    ['not a date'],
    ['Hôm qua'],
    ['32/08/2026 10:00'],
    ['29/02/2026 10:00'], // 2026 is not a leap year
    ['2026-13-01'],
    ['2026-02-30T10:00:00Z'],
    ['2026-08-28T25:00:00Z'],
    ['2026-08-28T10:61:00Z'],
    ['Thu, 28 Foo 2026 10:00:00 GMT'],
    ['Thu, 28 Aug 2026 10:00:00 +2500'],
    ['2026-08-28T10:00:00 some junk here'],
    ['13:00 AM 28/08/2026'],
    ['12345'],
  ])('%j → null', (raw) => {
    expect(parseFeedDate(raw, VN)).toBeNull();
  });

  it('accepts a leap day in a leap year', () => {
    expect(iso('29/02/2028 10:00')).toBe('2028-02-29T03:00:00.000Z');
  });

  it('treats an unknown IANA zone as UTC instead of throwing', () => {
    expect(iso('2026-08-28T10:00', 'Mars/Olympus_Mons')).toBe('2026-08-28T10:00:00.000Z');
  });
});

describe('timezone conversion (Intl, DST-correct)', () => {
  it.each([
    // New York: EDT (−4) in summer, EST (−5) in winter
    ['2026-08-28T10:00', NY, '2026-08-28T14:00:00.000Z'],
    ['2026-01-15T10:00', NY, '2026-01-15T15:00:00.000Z'],
    // spring-forward gap (2026-03-08 02:30 does not exist) → moves forward to 03:30 EDT
    ['2026-03-08T02:30', NY, '2026-03-08T07:30:00.000Z'],
    // fall-back overlap (2026-11-01 01:30 happens twice) → the earlier instant (EDT)
    ['2026-11-01T01:30', NY, '2026-11-01T05:30:00.000Z'],
    ['2026-11-01T03:00', NY, '2026-11-01T08:00:00.000Z'],
    // Europe/Berlin CEST, India half-hour offset, Nepal 45-minute offset
    ['2026-08-28 10:00:00', 'Europe/Berlin', '2026-08-28T08:00:00.000Z'],
    ['2026-08-28 10:00:00', 'Asia/Kolkata', '2026-08-28T04:30:00.000Z'],
    ['2026-08-28 10:00:00', 'Asia/Kathmandu', '2026-08-28T04:15:00.000Z'],
    ['28/08/2026 10:00', 'UTC', '2026-08-28T10:00:00.000Z'],
    // an explicit offset always wins over the source zone
    ['2026-08-28T10:00:00+07:00', NY, '2026-08-28T03:00:00.000Z'],
  ])('%s in %s → %s', (raw, tz, expected) => {
    expect(iso(raw, tz)).toBe(expected);
  });

  it('wallClockToUtc agrees with Intl on every hour of a DST year', () => {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'Europe/London', hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) {
      const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
      const wall = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute);
      const back = wallClockToUtc(wall, 'Europe/London');
      // Overlap hours map to the earlier instant; everything else round-trips exactly.
      if (back !== t) expect(t - back).toBe(3_600_000);
    }
  });
});
