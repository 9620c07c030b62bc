/**
 * Operations: readiness, Prometheus metrics, request ids and structured logs. One Ops per
 * App (createApp builds it); the logger comes from the entry point, never from a global.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'graphql-yoga';
import type { PollReport } from '../ingest/pipeline.js';
import type { Store } from '../store/database.js';
import { fileIdentity } from '../store/stats.js';
import { useOperationLabels } from './graphql.js';
import { createRequestInstrumentation, type RequestInstrumentation } from './http.js';
import { silentLogger, type Logger } from './logger.js';
import { createMetrics, type Metrics, type MetricsOptions } from './metrics.js';
import { checkReadiness, type Readiness, type SchedulerProbe } from './readiness.js';

export interface Ops {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly http: RequestInstrumentation;
  /** serve sets the running scheduler here; 'disabled' (the default) when nothing polls. */
  scheduler: SchedulerProbe | 'disabled';
  readiness(): Promise<Readiness>;
  /** Every poll's report: counted and logged with the source's slug. */
  observePoll(report: PollReport): void;
  /** Serves /readyz and /metrics; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** For the GraphQL server: names operations for the per-operation histogram. */
  readonly graphqlPlugin: Plugin<{}, { req?: IncomingMessage }>;
}

export interface OpsOptions {
  logger?: Logger;
  metrics?: MetricsOptions;
  schedulerStaleMs?: number;
}

export function createOps(store: Pick<Store, 'db' | 'file' | 'sqlite'>, options: OpsOptions = {}): Ops {
  const logger = options.logger ?? silentLogger();
  const metrics = createMetrics(store, options.metrics);
  const http = createRequestInstrumentation(logger, metrics);
  const identity = fileIdentity(store.file);
  const ops: Ops = {
    logger,
    metrics,
    http,
    scheduler: 'disabled',
    readiness: () => checkReadiness({ store, fileIdentity: identity, scheduler: ops.scheduler, schedulerStaleMs: options.schedulerStaleMs }),
    observePoll(report) {
      metrics.observePoll(report);
      logPoll(logger, report);
    },
    handle(req, res, path) {
      if (path === '/readyz') {
        void sendReadiness(ops, req, res);
        return true;
      }
      if (path === '/metrics') {
        void sendMetrics(ops, req, res);
        return true;
      }
      return false;
    },
    graphqlPlugin: useOperationLabels((req, label) => http.setGraphQLOperation(req, label)),
  };
  return ops;
}

export function logPoll(logger: Logger, report: PollReport): void {
  const log = logger.child({ source: report.source });
  const fields = {
    outcome: report.outcome,
    status: report.status,
    fetched: report.fetched,
    new: report.new,
    updated: report.updated,
    unchanged: report.unchanged,
    durationMs: report.durationMs,
  };
  if (report.error) log.warn({ ...fields, error: report.error }, `poll failed (${report.outcome}): ${report.error}`);
  else if (report.outcome === 'not-modified') log.info(fields, 'poll: not modified');
  else log.info(fields, `poll: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged`);
}

async function sendReadiness(ops: Ops, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const result = await ops.readiness();
    if (result.status !== 'ok') ops.http.loggerFor(req).warn({ failing: result.failing, checks: result.checks }, 'not ready');
    const body = JSON.stringify(result);
    res.writeHead(result.status === 'ok' ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    sendError(res, error);
  }
}

async function sendMetrics(ops: Ops, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const { contentType, body } = await ops.metrics.render();
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch (error) {
    sendError(res, error);
  }
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error as Error);
    return;
  }
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: 'error', error: (error as Error)?.message ?? String(error) }));
}
