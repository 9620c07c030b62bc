import { createComplexityRule } from '@pothos/plugin-complexity';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * Limits against abusive queries, all checked before execution starts, so a refused query
 * costs a parse (cached, capped in tokens) and one walk over its syntax tree:
 * - cost: Pothos complexity with list multipliers (a connection multiplies its selection by
 *   its page size), e.g. 500 aliases of articles(first: 100) are far over budget;
 * - depth of nested fields;
 * - tokens per document, which bounds parsing and validation work.
 * Introspection is allowed; graphql-js's own validation (MaxIntrospectionDepthRule) refuses
 * introspection that nests types → fields → type → fields … to blow up the response.
 */
export interface QueryLimits {
  maxComplexity: number;
  maxDepth: number;
  maxTokens: number;
}

export const defaultLimits: QueryLimits = {
  maxComplexity: 20_000,
  maxDepth: 12,
  maxTokens: 15_000,
};

/**
 * Errors that refuse a whole request (no `data`): GraphQL over HTTP wants a 4xx for them with
 * application/graphql-response+json and 200 with application/json, which is what Yoga does
 * for `http: { status, spec: true }` (and it strips `http` from what the client sees).
 */
const REQUEST_ERROR = { status: 400, spec: true } as const;

/** Variable sets remembered per document (a client paging through cursors makes new ones each page). */
const MAX_VERDICTS_PER_DOCUMENT = 200;

/** The errors that refuse this operation; empty when it is within limits. */
export function checkLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  context: object,
  limits: QueryLimits = defaultLimits,
): readonly GraphQLError[] {
  const rule = createComplexityRule({
    context,
    variableValues: variableValues ?? {},
    operationName: operationName ?? undefined,
    validate: ({ complexity, depth }, report) => {
      if (depth > limits.maxDepth) {
        report(
          new GraphQLError(`Query depth ${depth} exceeds the maximum of ${limits.maxDepth}.`, {
            extensions: { code: 'QUERY_DEPTH', queryDepth: { max: limits.maxDepth, actual: depth }, http: REQUEST_ERROR },
          }),
        );
      }
      if (complexity > limits.maxComplexity) {
        report(
          new GraphQLError(
            `Query cost ${complexity} exceeds the maximum of ${limits.maxComplexity}. Lists multiply the cost of what they select (a connection by its page size): ask for smaller pages, fewer nested lists or fewer aliases.`,
            { extensions: { code: 'QUERY_COMPLEXITY', queryComplexity: { max: limits.maxComplexity, actual: complexity }, http: REQUEST_ERROR } },
          ),
        );
      }
    },
  });
  return validate(schema, document, [rule]);
}

/**
 * Yoga/envelop plugin applying the limits to queries, mutations and subscriptions. The verdict
 * depends only on the document (Yoga hands the same parsed object for the same text), the
 * operation and the variables, so it is remembered per document for the variable sets seen.
 */
export function useQueryLimits(limits: QueryLimits = defaultLimits): Plugin {
  const verdicts = new WeakMap<DocumentNode, Map<string, readonly GraphQLError[]>>();
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: Record<string, unknown> | null; operationName?: string | null; contextValue: unknown }) => {
    let byVariables = verdicts.get(args.document);
    if (!byVariables) verdicts.set(args.document, (byVariables = new Map()));
    const key = `${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
    let errors = byVariables.get(key);
    if (!errors) {
      errors = checkLimits(args.schema, args.document, args.variableValues, args.operationName, args.contextValue as object, limits);
      if (byVariables.size >= MAX_VERDICTS_PER_DOCUMENT) byVariables.clear();
      byVariables.set(key, errors);
    }
    return errors;
  };
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: limits.maxTokens }));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = check(args);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}

/**
 * Variable values that do not coerce ($first: "ten", a DateTime without an offset) fail the
 * whole request without data. graphql-js gives those errors no code; they are the client's
 * mistake, so they become BAD_USER_INPUT with a 400 under application/graphql-response+json.
 */
function asRequestErrors<T extends { errors?: readonly GraphQLError[]; data?: unknown }>(result: T): T {
  if ('data' in result || !result.errors?.length) return result;
  const errors = result.errors.map((error) =>
    error.extensions?.http
      ? error
      : new GraphQLError(error.message, {
          nodes: error.nodes,
          source: error.source,
          positions: error.positions,
          path: error.path,
          originalError: error.originalError,
          extensions: { code: 'BAD_USER_INPUT', ...error.extensions, http: REQUEST_ERROR },
        }),
  );
  return { ...result, errors };
}

export function useRequestErrors(): Plugin {
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (!isAsyncIterable(result)) setResult(asRequestErrors(result));
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (!isAsyncIterable(result)) setResult(asRequestErrors(result));
      },
    }),
  };
}
