import { describe, expect, it } from 'vitest';
import { computeNextPoll } from '../../src/ingest/schedule.js';

const now = Date.UTC(2026, 7, 28);
const min = 60_000;

describe('computeNextPoll', () => {
  it.each([
    ['plain interval', { intervalMinutes: 15, consecutiveFailures: 0 }, 15],
    ['ttl asks for less frequent polling', { intervalMinutes: 15, publisherMinMinutes: 60, consecutiveFailures: 0 }, 60],
    ['ttl asking for more frequent polling is ignored', { intervalMinutes: 15, publisherMinMinutes: 5, consecutiveFailures: 0 }, 15],
    ['absurd ttl is capped at a day', { intervalMinutes: 15, publisherMinMinutes: 100_000, consecutiveFailures: 0 }, 1440],
    ['first failure keeps the interval', { intervalMinutes: 15, consecutiveFailures: 1 }, 15],
    ['second failure doubles', { intervalMinutes: 15, consecutiveFailures: 2 }, 30],
    ['fifth failure', { intervalMinutes: 15, consecutiveFailures: 5 }, 240],
    ['back-off is capped at a day, never disabled', { intervalMinutes: 15, consecutiveFailures: 40 }, 1440],
    ['Retry-After longer than back-off wins', { intervalMinutes: 15, consecutiveFailures: 1, retryAfterMs: 120 * min }, 120],
    ['Retry-After shorter than the interval is not a reason to poll sooner', { intervalMinutes: 15, consecutiveFailures: 1, retryAfterMs: 1 * min }, 15],
  ])('%s', (_name, input, minutes) => {
    expect((computeNextPoll({ now, ...input }) - now) / min).toBe(minutes);
  });
});
