import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';

/**
 * Route patterns for metric labels and logs: every path maps to one of a fixed set of
 * strings, so a crawler walking random URLs cannot grow the label set. Add a line when a
 * route is added; anything unlisted is "unmatched".
 */
export const ROUTE_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/^\/$/, '/'],
  [/^\/healthz$/, '/healthz'],
  [/^\/readyz$/, '/readyz'],
  [/^\/metrics$/, '/metrics'],
  [/^\/graphql$/, '/graphql'],
  [/^\/feeds\/sources\.opml$/, '/feeds/sources.opml'],
  [/^\/feeds\/topics\/[^/]+$/, '/feeds/topics/:slug'],
  [/^\/feeds\/sources\/[^/]+$/, '/feeds/sources/:slug'],
  [/^\/feeds\/[^/]+$/, '/feeds/:slug'],
  [/^\/embed\.js$/, '/embed.js'],
  [/^\/embed\/topics\/[^/]+$/, '/embed/topics/:slug'],
  [/^\/embed\/sources\/[^/]+$/, '/embed/sources/:slug'],
  [/^\/embed\/[^/]+$/, '/embed/:slug'],
];

export function routePattern(path: string): string {
  for (const [pattern, route] of ROUTE_PATTERNS) if (pattern.test(path)) return route;
  return 'unmatched';
}

/** Probes hit these every few seconds; their request lines are logged at debug. */
const QUIET_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);
const REQUEST_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** The caller's x-request-id when it is a sane token (a proxy's or a client's), otherwise a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  const value = Array.isArray(incoming) ? incoming[0] : incoming;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

export interface GraphQLOperationLabel {
  name: string;
  type: string;
}

export interface RequestInstrumentation {
  /** Wraps a request: id (echoed in x-request-id), timing into metrics, one log line when it ends. */
  instrument(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  /** The request's child logger (with reqId); the app logger for requests not seen. */
  loggerFor(req: IncomingMessage): Logger;
  /** Marks a request as a GraphQL operation (set by the Yoga plugin) for the per-operation histogram. */
  setGraphQLOperation(req: IncomingMessage, label: GraphQLOperationLabel): void;
}

export function createRequestInstrumentation(logger: Logger, metrics: Metrics): RequestInstrumentation {
  const ids = new WeakMap<IncomingMessage, string>();
  const operations = new WeakMap<IncomingMessage, GraphQLOperationLabel>();
  return {
    instrument(req, res, next) {
      const started = process.hrtime.bigint();
      const reqId = requestIdOf(req);
      res.setHeader('x-request-id', reqId);
      ids.set(req, reqId);
      const path = (req.url ?? '/').split('?')[0];
      const route = routePattern(path);
      res.once('close', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const method = req.method ?? 'GET';
        const status = res.statusCode;
        metrics.observeHttp(route, method, status, seconds);
        const operation = operations.get(req);
        if (operation) metrics.observeGraphQL(operation.name, operation.type, seconds);
        const level = status >= 500 ? 'error' : QUIET_ROUTES.has(route) ? 'debug' : 'info';
        // Built only when the line will be written: at warn level most requests write none.
        if (!logger.isLevelEnabled(level)) return;
        const fields = {
          method,
          url: req.url,
          route,
          status,
          durationMs: Math.round(seconds * 1e4) / 10,
          ...(operation ? { operation: operation.name } : {}),
          ...(res.writableFinished ? {} : { aborted: true }),
        };
        logger.child({ reqId })[level](fields, status >= 500 ? 'request failed' : 'request completed');
      });
      next();
    },
    loggerFor: (req) => {
      const reqId = ids.get(req);
      return reqId ? logger.child({ reqId }) : logger;
    },
    setGraphQLOperation(req, label) {
      operations.set(req, label);
    },
  };
}
