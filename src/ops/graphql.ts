import type { IncomingMessage } from 'node:http';
import { format } from 'node:util';
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import { CACHED_OPERATION, type CachedOperationLabel } from '../graphql/response-cache.js';
import type { GraphQLOperationLabel } from './http.js';
import type { Logger } from './logger.js';

type ServerContext = { req?: IncomingMessage; [CACHED_OPERATION]?: CachedOperationLabel };

/**
 * Yoga plugin naming each HTTP request's GraphQL operation for the per-operation histogram
 * (the timing itself is the HTTP request's). A request is "unknown" until its document
 * parses and validates; then it takes the operation's name, or "anonymous". An answer from the
 * response cache is neither parsed nor executed: it takes the label stored with it.
 */
export function useOperationLabels(record: (req: IncomingMessage, label: GraphQLOperationLabel) => void): Plugin<{}, ServerContext> {
  const label = (args: { document: DocumentNode; operationName?: string | null; contextValue: unknown }) => {
    const req = (args.contextValue as ServerContext | undefined)?.req;
    if (!req) return;
    const operation = getOperationAST(args.document, args.operationName ?? undefined);
    record(req, { name: operation?.name?.value ?? 'anonymous', type: operation?.operation ?? 'unknown' });
  };
  return {
    onParams({ context }) {
      if (context?.req) record(context.req, { name: 'unknown', type: 'unknown' });
    },
    onExecute({ args }) {
      label(args);
    },
    onSubscribe({ args }) {
      label(args);
    },
    onExecutionResult({ context }) {
      const cached = context?.[CACHED_OPERATION];
      if (cached && context.req) record(context.req, cached);
    },
  };
}

/** Yoga's own messages (masked errors in full, warnings) as pino lines. */
export function yogaLogger(logger: Logger): YogaLogger {
  const forward =
    (level: 'trace' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      // Yoga narrates each request at debug (trace here): skip formatting lines nobody writes.
      if (!logger.isLevelEnabled(level)) return;
      const error = args.find((a): a is Error => a instanceof Error);
      const text = format(...args.filter((a) => !(a instanceof Error)));
      if (error) logger[level]({ err: error, component: 'graphql' }, text || error.message);
      else logger[level]({ component: 'graphql' }, text);
    };
  // Yoga narrates every request at debug; that is trace for us.
  return { debug: forward('trace'), info: forward('info'), warn: forward('warn'), error: forward('error') };
}
