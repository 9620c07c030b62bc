import { setMaxListeners } from 'node:events';
import { claimDueSources, listDueSources, listSources, releaseSourceLease, renewSourceLeases } from '../store/sources.js';
import type { SourceRow } from '../store/types.js';
import { pollSource, type IngestContext, type PollReport } from './pipeline.js';

/**
 * Polls every enabled source once, concurrently within the limiter's bounds. With `lease`
 * (PostgreSQL, where instances may be serving), sources are claimed first, so one another
 * instance is polling at this moment is left to it (counted in `skipped`), and each is given
 * back after its poll.
 */
export async function pollAllOnce(
  ctx: IngestContext,
  onReport?: (report: PollReport) => void,
  lease?: Pick<LeaseOptions, 'owner' | 'leaseMs'>,
): Promise<PollReport[] & { skipped?: number }> {
  const all = await listSources(ctx.db);
  if (!lease) return pollMany(ctx, all, onReport);
  const leaseMs = lease.leaseMs ?? DEFAULT_LEASE_MS;
  const claimed = await claimDueSources(ctx.db, { owner: lease.owner, now: Date.now(), leaseMs, limit: all.length, dueOnly: false });
  // Renewed while the polls run, as the scheduler does.
  const renew = setInterval(() => void renewSourceLeases(ctx.db, { owner: lease.owner, ids: claimed.map((s) => s.id), now: Date.now(), leaseMs }).catch(() => {}), leaseMs / 3);
  try {
    const reports: PollReport[] & { skipped?: number } = await pollMany(ctx, claimed, onReport, (source) =>
      releaseSourceLease(ctx.db, { owner: lease.owner, id: source.id }).then(() => {}, () => {}),
    );
    reports.skipped = all.length - claimed.length;
    return reports;
  } finally {
    clearInterval(renew);
  }
}

async function pollMany(ctx: IngestContext, sources: SourceRow[], onReport?: (report: PollReport) => void, after?: (source: SourceRow) => Promise<void>): Promise<PollReport[]> {
  return Promise.all(
    sources.map(async (source) => {
      try {
        const report = await pollSource(ctx, source);
        onReport?.(report);
        return report;
      } finally {
        await after?.(source);
      }
    }),
  );
}

export interface Scheduler {
  /** Stops taking new polls, waits for in-flight ones to finish writing. */
  stop(): Promise<void>;
  /** Time of the last completed scheduling pass; readiness checks that it keeps moving. */
  lastTickAt(): number;
  inFlight(): number;
}

/** A claim's default length: well above a poll's whole-request timeout (20 s). */
export const DEFAULT_LEASE_MS = 120_000;

/**
 * Several instances polling one database (PostgreSQL, issue 7): each due source is claimed with
 * a lease (src/store/sources.ts claimDueSources) so only one instance polls it; leases of polls
 * still running are renewed every tick and given back when the poll has stored its next poll
 * time, and a crashed instance's lapse after `leaseMs`, when the others take its sources over.
 */
export interface LeaseOptions {
  /** This instance's name, unique among the instances (host, pid, a random part). */
  owner: string;
  /** How long a claim holds without renewal (default 2 minutes: a poll's timeout is 20 s). */
  leaseMs?: number;
  /** Most sources claimed and not yet finished at once (default 32). */
  maxClaims?: number;
}

/**
 * Wakes every tickMs, starts a poll for each due source not already being polled (with `lease`,
 * for each due source this instance could claim). The limiter inside the context bounds global
 * and per-host concurrency.
 */
export function startScheduler(
  ctx: IngestContext,
  options: { tickMs?: number; onReport?: (report: PollReport) => void; onError?: (error: unknown) => void; lease?: LeaseOptions } = {},
): Scheduler {
  const tickMs = options.tickMs ?? 5_000;
  const lease = options.lease ? { owner: options.lease.owner, leaseMs: options.lease.leaseMs ?? DEFAULT_LEASE_MS, maxClaims: options.lease.maxClaims ?? 32 } : null;
  const clock = ctx.now ?? Date.now;
  const controller = new AbortController();
  // Every poll in flight listens to this signal (and stops listening when done): dozens at once
  // are normal, not the leak Node's default limit of 10 listeners warns about.
  setMaxListeners(0, controller.signal);
  const running = new Map<number, Promise<void>>();
  let lastTick = clock();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pollCtx: IngestContext = { ...ctx, signal: controller.signal };
  // With leases, a tick claims at most maxClaims sources. When it took that many (more may be
  // due: a start-up or an outage leaves every source due at once), the next tick comes as soon
  // as half of them have finished, not a whole tick later — else one instance would start at
  // most maxClaims polls per tickMs however fast they finish.
  let backlog = false;
  let ticking = false;
  let wakeAfterTick = false;
  const wake = () => {
    if (stopped) return;
    if (ticking) {
      wakeAfterTick = true;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(tick, 0);
  };

  const tick = async () => {
    if (stopped) return;
    ticking = true;
    wakeAfterTick = false;
    try {
      const now = clock();
      let due: SourceRow[];
      if (lease) {
        if (running.size > 0) await renewSourceLeases(ctx.db, { owner: lease.owner, ids: [...running.keys()], now, leaseMs: lease.leaseMs });
        const limit = lease.maxClaims - running.size;
        due = await claimDueSources(ctx.db, { owner: lease.owner, now, leaseMs: lease.leaseMs, limit });
        // A tick with no room (woken while the last one filled it) says nothing about what is due.
        if (limit > 0) backlog = due.length === limit;
      } else {
        due = await listDueSources(ctx.db, now);
      }
      for (const source of due) {
        if (running.has(source.id)) continue;
        if (stopped) {
          if (lease) await releaseSourceLease(ctx.db, { owner: lease.owner, id: source.id }).catch((error) => options.onError?.(error));
          continue;
        }
        const job = pollSource(pollCtx, source)
          .then((report) => options.onReport?.(report))
          .catch((error) => options.onError?.(error))
          .finally(async () => {
            // Given back once the poll stored the source's next poll time (or, cancelled by
            // shutdown, left it due): another instance may take it from then on.
            if (lease) await releaseSourceLease(ctx.db, { owner: lease.owner, id: source.id }).catch((error) => options.onError?.(error));
            running.delete(source.id);
            if (lease && backlog && running.size <= lease.maxClaims / 2) wake();
          });
        running.set(source.id, job);
      }
      lastTick = clock();
    } catch (error) {
      options.onError?.(error);
    }
    ticking = false;
    if (!stopped) timer = setTimeout(tick, wakeAfterTick ? 0 : tickMs);
  };
  timer = setTimeout(tick, 0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      controller.abort();
      await Promise.allSettled(running.values());
    },
    lastTickAt: () => lastTick,
    inFlight: () => running.size,
  };
}
