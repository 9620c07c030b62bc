import { Kind } from 'graphql';
import { builder } from './builder.js';
import { badInputValue } from './errors.js';

/**
 * DateTime: RFC 3339 / ISO 8601 date-time. Output is always UTC with a Z and milliseconds
 * ("2026-11-28T03:04:05.000Z"); input takes any offset ("2026-11-28T10:04:05+07:00") but
 * must have one, since a bare local time means a different instant in every time zone.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})$/;

export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string') throw badInputValue('DateTime must be a string such as "2026-11-28T10:00:00+07:00".');
  const match = DATE_TIME.exec(value.trim());
  if (!match) {
    throw badInputValue(`DateTime ${JSON.stringify(value.slice(0, 60))} is not an ISO 8601 date-time with an offset, such as "2026-11-28T10:00:00+07:00" or "2026-11-28T03:00:00Z".`);
  }
  const [, y, mo, d, h, mi, s = '0', frac = '', zone] = match;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2));
    if (oh > 23 || om > 59) throw badInputValue(`DateTime ${JSON.stringify(value)} has an invalid offset.`);
    offsetMinutes = sign * (oh * 60 + om);
  }
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  // Date.UTC rolls 2026-02-30 over into March; a real date round-trips.
  if (
    check.getUTCFullYear() !== Number(y) ||
    check.getUTCMonth() !== Number(mo) - 1 ||
    check.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    throw badInputValue(`DateTime ${JSON.stringify(value)} is not a valid date and time.`);
  }
  return new Date(local - offsetMinutes * 60_000);
}

export function serializeDateTime(value: unknown): string {
  const date = value instanceof Date ? value : new Date(Number(value));
  if (Number.isNaN(date.getTime())) throw new TypeError(`cannot serialize ${String(value)} as DateTime`);
  return date.toISOString();
}

builder.scalarType('DateTime', {
  description:
    'An instant as an ISO 8601 / RFC 3339 string. Output is UTC with a Z suffix and milliseconds (2026-11-28T03:00:00.000Z); input accepts any offset (2026-11-28T10:00:00+07:00) but requires one.',
  specifiedByURL: 'https://datatracker.ietf.org/doc/html/rfc3339',
  serialize: serializeDateTime,
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw badInputValue('DateTime must be a string such as "2026-11-28T10:00:00+07:00".');
    return parseDateTime(ast.value);
  },
});
