import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { authenticate } from '../../src/graphql/context.js';
import { decodeGlobalId, encodeGlobalId } from '../../src/graphql/errors.js';
import { decodeCursor, encodeCursor, readWindow } from '../../src/graphql/pagination.js';
import { parseDateTime, serializeDateTime } from '../../src/graphql/scalars.js';

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
};

describe('DateTime', () => {
  it('accepts any offset and normalises to the instant', () => {
    const instant = Date.UTC(2026, 10, 28, 3, 4, 5, 678);
    for (const text of ['2026-11-28T03:04:05.678Z', '2026-11-28T10:04:05.678+07:00', '2026-11-28T10:04:05.678+0700', '2026-11-27T22:34:05.678-04:30', '2026-11-28t03:04:05.678z', '2026-11-28 03:04:05.678Z', '2026-11-28T03:04:05.678123456Z']) {
      expect(parseDateTime(text).getTime(), text).toBe(instant);
    }
    expect(parseDateTime('2026-11-28T10:04+07:00').getTime()).toBe(Date.UTC(2026, 10, 28, 3, 4));
  });

  it('refuses local times, impossible dates and non-strings as BAD_USER_INPUT', () => {
    for (const value of ['2026-11-28T10:04:05', '2026-11-28', '2026-02-29T00:00:00Z', '2026-11-28T24:00:00Z', '2026-11-28T10:00:00+25:00', 'now', 1764300000000, null]) {
      expect(codeOf(() => parseDateTime(value)), String(value)).toBe('BAD_USER_INPUT');
    }
    expect(parseDateTime('2028-02-29T00:00:00Z').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it('serialises milliseconds and Dates as UTC with Z', () => {
    expect(serializeDateTime(Date.UTC(2026, 0, 2, 3, 4, 5))).toBe('2026-01-02T03:04:05.000Z');
    expect(serializeDateTime(new Date('2026-01-02T10:04:05+07:00'))).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('IDs and cursors', () => {
  it('round-trips global IDs and refuses anything else', () => {
    expect(decodeGlobalId(encodeGlobalId('Article', 42))).toEqual({ typename: 'Article', id: '42' });
    expect(encodeGlobalId('Article', 42)).toBe(Buffer.from('Article:42').toString('base64'));
    for (const bad of ['', '!!!', Buffer.from('Article:').toString('base64'), Buffer.from('Article:0').toString('base64'), Buffer.from('article:1').toString('base64'), Buffer.from('Article:1:2').toString('base64')]) {
      expect(codeOf(() => decodeGlobalId(bad)), bad).toBe('BAD_USER_INPUT');
    }
  });

  it('round-trips cursors of their own kind only', () => {
    const key = { time: Date.UTC(2026, 10, 28), id: 123 };
    expect(decodeCursor('a', encodeCursor('a', key), 'after')).toEqual(key);
    expect(codeOf(() => decodeCursor('s', encodeCursor('a', key), 'after'))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor('a', 'x'.repeat(500), 'after'))).toBe('BAD_USER_INPUT');
  });

  it('reads connection arguments into a window', () => {
    expect(readWindow('a', {})).toEqual({ limit: 20, after: null, before: null, backward: false });
    expect(readWindow('a', { last: 5 })).toMatchObject({ limit: 5, backward: true });
    expect(readWindow('a', { first: 100 }).limit).toBe(100);
    expect(codeOf(() => readWindow('a', { first: 101 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => readWindow('a', { first: 1, last: 1 }))).toBe('BAD_USER_INPUT');
  });
});

describe('admin token', () => {
  it('needs a configured token and a matching bearer header', () => {
    expect(authenticate('Bearer abc', null)).toMatchObject({ admin: false, reason: expect.stringMatching(/disabled/) });
    expect(authenticate(null, 'abc')).toMatchObject({ admin: false, reason: expect.stringMatching(/Authorization/) });
    expect(authenticate('Bearer abd', 'abc')).toMatchObject({ admin: false, reason: 'Invalid admin token.' });
    expect(authenticate('bearer abc', 'abc')).toMatchObject({ admin: true });
  });
});
