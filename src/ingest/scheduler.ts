import { listDueSources, listSources } from '../store/sources.js';
import type { SourceRow } from '../store/types.js';
import { pollSource, type IngestContext, type PollReport } from './pipeline.js';

/** Polls every enabled source once, concurrently within the limiter's bounds. */
export async function pollAllOnce(ctx: IngestContext, onReport?: (report: PollReport) => void): Promise<PollReport[]> {
  const sources = await listSources(ctx.db);
  return pollMany(ctx, sources, onReport);
}

async function pollMany(ctx: IngestContext, sources: SourceRow[], onReport?: (report: PollReport) => void): Promise<PollReport[]> {
  return Promise.all(
    sources.map(async (source) => {
      const report = await pollSource(ctx, source);
      onReport?.(report);
      return report;
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

/**
 * Wakes every tickMs, starts a poll for each due source not already being polled.
 * The limiter inside the context bounds global and per-host concurrency.
 */
export function startScheduler(ctx: IngestContext, options: { tickMs?: number; onReport?: (report: PollReport) => void; onError?: (error: unknown) => void } = {}): Scheduler {
  const tickMs = options.tickMs ?? 5_000;
  const clock = ctx.now ?? Date.now;
  const controller = new AbortController();
  const running = new Map<number, Promise<void>>();
  let lastTick = clock();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const pollCtx: IngestContext = { ...ctx, signal: controller.signal };

  const tick = async () => {
    if (stopped) return;
    try {
      const due = await listDueSources(ctx.db, clock());
      for (const source of due) {
        if (stopped || running.has(source.id)) continue;
        const job = pollSource(pollCtx, source)
          .then((report) => options.onReport?.(report))
          .catch((error) => options.onError?.(error))
          .finally(() => running.delete(source.id));
        running.set(source.id, job);
      }
      lastTick = clock();
    } catch (error) {
      options.onError?.(error);
    }
    if (!stopped) timer = setTimeout(tick, tickMs);
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
