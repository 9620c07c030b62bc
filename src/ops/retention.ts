import type { IngestContext, PollReport } from '../ingest/pipeline.js';
import { pruneExpired, type PruneResult } from '../store/retention.js';
import { findSourcesByIds } from '../store/sources.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionHost {
  config: { readonly retentionDays: number };
  ingest: Pick<IngestContext, 'db' | 'onStored'>;
  ops: { readonly logger: Logger; readonly metrics: Metrics };
}

/**
 * One retention pass for a running app: prunes, counts, logs, and tells the app's stored-articles
 * listeners (feed caches) which sources lost articles, as an update they must re-read.
 */
export async function runRetention(host: RetentionHost, options: { signal?: AbortSignal; now?: number } = {}): Promise<PruneResult> {
  const log = host.ops.logger.child({ component: 'retention' });
  const started = Date.now();
  const touched = new Map<number, number>();
  const result = await pruneExpired(host.ingest.db, {
    retentionDays: host.config.retentionDays,
    now: options.now,
    signal: options.signal,
    onBatch: (batch) => {
      host.ops.metrics.observePruned(batch.articles);
      for (const [sourceId, n] of batch.perSource) touched.set(sourceId, (touched.get(sourceId) ?? 0) + n);
    },
  });
  if (host.ingest.onStored && touched.size > 0) {
    for (const source of await findSourcesByIds(host.ingest.db, [...touched.keys()])) {
      const report: PollReport = {
        source: source.slug,
        sourceId: source.id,
        outcome: 'ok',
        status: null,
        fetched: 0,
        new: 0,
        updated: touched.get(source.id) ?? 0,
        unchanged: 0,
        error: null,
        durationMs: 0,
        newArticleIds: [],
      };
      host.ingest.onStored(report);
    }
  }
  if (result.retentionDays === 0) log.debug('retention disabled (retentionDays is 0)');
  else log.info({ ...result, cutoff: new Date(result.cutoff!).toISOString(), durationMs: Date.now() - started }, `retention: pruned ${result.articles} articles`);
  return result;
}

export interface RetentionTimer {
  /** Cancels the timer and waits for a pass in progress to stop between batches. */
  stop(): Promise<void>;
}

/** serve's daily retention: first pass shortly after start, then every intervalMs; never keeps the process alive. */
export function startRetentionTimer(host: RetentionHost, options: { intervalMs?: number; firstDelayMs?: number } = {}): RetentionTimer {
  const intervalMs = options.intervalMs ?? DAY_MS;
  const controller = new AbortController();
  let running: Promise<unknown> | null = null;
  let timer: NodeJS.Timeout | undefined;
  const schedule = (delay: number) => {
    timer = setTimeout(() => {
      running = runRetention(host, { signal: controller.signal })
        .catch((error: unknown) => host.ops.logger.error({ err: error, component: 'retention' }, 'retention failed'))
        .finally(() => {
          running = null;
          if (!controller.signal.aborted) schedule(intervalMs);
        });
    }, delay);
    timer.unref();
  };
  if (host.config.retentionDays > 0) schedule(options.firstDelayMs ?? 60_000);
  return {
    async stop() {
      controller.abort();
      clearTimeout(timer);
      await running;
    },
  };
}
