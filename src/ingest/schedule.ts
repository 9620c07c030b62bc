/**
 * When to poll a source next. Pure, so the policy is table-tested apart from the clock.
 * The publisher may ask for less frequent polling (ttl, Cache-Control), never more;
 * failures back off exponentially up to a cap but a source is never given up on.
 */
export const MAX_PUBLISHER_MINUTES = 24 * 60;
export const MAX_BACKOFF_MINUTES = 24 * 60;

export function computeNextPoll(input: {
  now: number;
  intervalMinutes: number;
  publisherMinMinutes?: number | null;
  consecutiveFailures: number;
  retryAfterMs?: number | null;
}): number {
  const minute = 60_000;
  let minutes = input.intervalMinutes;
  if (input.publisherMinMinutes) minutes = Math.max(minutes, Math.min(input.publisherMinMinutes, MAX_PUBLISHER_MINUTES));
  if (input.consecutiveFailures > 0) {
    const factor = 2 ** Math.min(input.consecutiveFailures - 1, 16);
    minutes = Math.min(Math.max(minutes, input.intervalMinutes * factor), Math.max(MAX_BACKOFF_MINUTES, input.intervalMinutes));
  }
  let delay = minutes * minute;
  if (input.retryAfterMs && input.retryAfterMs > 0) delay = Math.max(delay, Math.min(input.retryAfterMs, MAX_BACKOFF_MINUTES * minute));
  return input.now + delay;
}
