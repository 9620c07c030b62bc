import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PollReport } from '../ingest/pipeline.js';
import type { Store } from '../store/database.js';
import { dialectOf } from '../store/dialect.js';
import { countContent, databaseSize, postgresSchemaSize } from '../store/stats.js';

/** Every metric name, for the README and the tests. */
export const METRIC_NAMES = {
  itemsFetched: 'newsgate_items_fetched_total',
  itemsNew: 'newsgate_items_new_total',
  itemsUpdated: 'newsgate_items_updated_total',
  polls: 'newsgate_polls_total',
  pollDuration: 'newsgate_poll_duration_seconds',
  httpDuration: 'newsgate_http_request_duration_seconds',
  graphqlDuration: 'newsgate_graphql_request_duration_seconds',
  databaseSize: 'newsgate_database_size_bytes',
  articles: 'newsgate_articles',
  stories: 'newsgate_stories',
  pruned: 'newsgate_retention_pruned_articles_total',
} as const;

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export interface Metrics {
  readonly registry: Registry;
  observePoll(report: PollReport): void;
  /** `route` must be a pattern (routePattern), never a raw path. */
  observeHttp(route: string, method: string, status: number, seconds: number): void;
  /** `operation`: a GraphQL operation name, 'anonymous' or 'unknown'; bounded here. */
  observeGraphQL(operation: string, type: string, seconds: number): void;
  observePruned(articles: number): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

export interface MetricsOptions {
  /** Distinct GraphQL operation names kept as labels; later ones count as "other". */
  maxOperationNames?: number;
  /** Process metrics (CPU, memory, event loop lag, GC): on by default. */
  processMetrics?: boolean;
}

/**
 * The app's Prometheus metrics in a Registry of its own (never prom-client's global one), so
 * each app, and each test, counts for itself. Content gauges are read from the store at scrape time.
 */
export function createMetrics(store: Pick<Store, 'db' | 'file' | 'sqlite'>, options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  const itemsFetched = new Counter({ name: METRIC_NAMES.itemsFetched, help: 'Items read from source feeds', labelNames: ['source'], registers });
  const itemsNew = new Counter({ name: METRIC_NAMES.itemsNew, help: 'New articles stored, by source', labelNames: ['source'], registers });
  const itemsUpdated = new Counter({ name: METRIC_NAMES.itemsUpdated, help: 'Stored articles whose content changed, by source', labelNames: ['source'], registers });
  const polls = new Counter({
    name: METRIC_NAMES.polls,
    help: 'Feed polls by source and outcome (ok, not-modified, timeout, http-error, network-error, parse-error, too-large)',
    labelNames: ['source', 'outcome'],
    registers,
  });
  const pollDuration = new Histogram({
    name: METRIC_NAMES.pollDuration,
    help: 'Time to poll one source (fetch, parse, store), by outcome',
    labelNames: ['outcome'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
    registers,
  });
  const httpDuration = new Histogram({
    name: METRIC_NAMES.httpDuration,
    help: 'HTTP request duration by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const graphqlDuration = new Histogram({
    name: METRIC_NAMES.graphqlDuration,
    help: 'GraphQL request duration by operation name and type (anonymous, unknown: not parsed, other: past the name limit)',
    labelNames: ['operation', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const pruned = new Counter({ name: METRIC_NAMES.pruned, help: 'Articles deleted by retention', registers });

  new Gauge({
    name: METRIC_NAMES.databaseSize,
    help: 'Database size: SQLite on disk, main file (db) and write-ahead log (wal); PostgreSQL, the schema\'s tables and indexes (db)',
    labelNames: ['file'],
    registers,
    async collect() {
      if (dialectOf(store.db) === 'postgres') {
        const bytes = await postgresSchemaSize(store.db).catch(() => null);
        if (bytes !== null) this.set({ file: 'db' }, bytes);
        return;
      }
      try {
        const size = databaseSize(store);
        this.set({ file: 'db' }, size.db);
        this.set({ file: 'wal' }, size.wal);
      } catch {
        // A closed database has no size; readiness reports why.
      }
    },
  });
  let counts: Promise<{ articles: number; stories: number } | null> | null = null;
  // One query pair per scrape, shared by both gauges.
  const readCounts = () =>
    (counts ??= countContent(store.db)
      .catch(() => null)
      .finally(() => setImmediate(() => (counts = null))));
  new Gauge({
    name: METRIC_NAMES.articles,
    help: 'Articles stored',
    registers,
    async collect() {
      const c = await readCounts();
      if (c) this.set(c.articles);
    },
  });
  new Gauge({
    name: METRIC_NAMES.stories,
    help: 'Stories (groups of articles about one event)',
    registers,
    async collect() {
      const c = await readCounts();
      if (c) this.set(c.stories);
    },
  });

  const operationNames = new Set<string>();
  const maxOperationNames = options.maxOperationNames ?? 100;
  const boundedOperation = (name: string): string => {
    if (name === 'anonymous' || name === 'unknown') return name;
    if (!GRAPHQL_NAME.test(name)) return 'unknown';
    if (operationNames.has(name)) return name;
    if (operationNames.size >= maxOperationNames) return 'other';
    operationNames.add(name);
    return name;
  };
  let processMetrics = options.processMetrics ?? true;

  return {
    registry,
    observePoll(report) {
      const source = report.source;
      polls.inc({ source, outcome: report.outcome });
      pollDuration.observe({ outcome: report.outcome }, report.durationMs / 1000);
      itemsFetched.inc({ source }, report.fetched);
      itemsNew.inc({ source }, report.new);
      itemsUpdated.inc({ source }, report.updated);
    },
    observeHttp(route, method, status, seconds) {
      httpDuration.observe({ route, method: METHODS.has(method) ? method : 'other', status: String(status) }, seconds);
    },
    observeGraphQL(operation, type, seconds) {
      const kind = type === 'query' || type === 'mutation' || type === 'subscription' ? type : 'unknown';
      graphqlDuration.observe({ operation: boundedOperation(operation), type: kind }, seconds);
    },
    observePruned(articles) {
      pruned.inc(articles);
    },
    async render() {
      // Registered on first scrape: apps that are never scraped (tests, one-shot commands) start no monitors.
      if (processMetrics) {
        processMetrics = false;
        collectDefaultMetrics({ register: registry });
      }
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
