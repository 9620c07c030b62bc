import { createComplexityRule } from '@pothos/plugin-complexity';
import {
  GraphQLError,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Limits against abusive queries, all checked before execution starts, so a refused query
 * costs a parse (cached, capped in tokens) and one walk over its syntax tree:
 * - cost: Pothos complexity with list multipliers (a connection multiplies its selection by
 *   its page size), e.g. 500 aliases of articles(first: 100) are far over budget;
 * - depth of nested fields;
 * - how deeply introspection lists nest (types → fields → args is what tools ask for;
 *   types → fields → type → fields … grows the response exponentially);
 * - tokens per document, which bounds parsing and validation work.
 */
export interface QueryLimits {
  maxComplexity: number;
  maxDepth: number;
  maxIntrospectionListDepth: number;
  maxTokens: number;
}

export const defaultLimits: QueryLimits = {
  maxComplexity: 20_000,
  maxDepth: 12,
  maxIntrospectionListDepth: 3,
  maxTokens: 15_000,
};

const INTROSPECTION_LISTS = new Set(['types', 'fields', 'args', 'inputFields', 'interfaces', 'possibleTypes', 'enumValues', 'directives']);

function introspectionListDepth(document: DocumentNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const memo = new Map<SelectionSetNode, number>();
  const visiting = new Set<SelectionSetNode>();
  const walk = (set: SelectionSetNode, inIntrospection: boolean): number => {
    const cached = inIntrospection ? memo.get(set) : undefined;
    if (cached !== undefined) return cached;
    if (visiting.has(set)) return 0; // fragment cycles are a validation error reported elsewhere
    visiting.add(set);
    let max = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        const entering = inIntrospection || name === '__schema' || name === '__type';
        if (!selection.selectionSet) continue;
        const below = walk(selection.selectionSet, entering);
        max = Math.max(max, below + (entering && INTROSPECTION_LISTS.has(name) ? 1 : 0));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, walk(selection.selectionSet, inIntrospection));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) max = Math.max(max, walk(fragment.selectionSet, inIntrospection));
      }
    }
    visiting.delete(set);
    if (inIntrospection) memo.set(set, max);
    return max;
  };
  let max = 0;
  for (const def of document.definitions) if (def.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, walk(def.selectionSet, false));
  return max;
}

/** The errors that refuse this operation; empty when it is within limits. */
export function checkLimits(
  schema: GraphQLSchema,
  document: DocumentNode,
  variableValues: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
  context: object,
  limits: QueryLimits = defaultLimits,
): readonly GraphQLError[] {
  const listDepth = introspectionListDepth(document);
  if (listDepth > limits.maxIntrospectionListDepth) {
    return [
      new GraphQLError(`Introspection lists nest ${listDepth} deep; at most ${limits.maxIntrospectionListDepth} are allowed (types → fields → args).`, {
        extensions: { code: 'QUERY_DEPTH', queryDepth: { max: limits.maxIntrospectionListDepth, actual: listDepth } },
      }),
    ];
  }
  const rule = createComplexityRule({
    context,
    variableValues: variableValues ?? {},
    operationName: operationName ?? undefined,
    validate: ({ complexity, depth }, report) => {
      if (depth > limits.maxDepth) {
        report(
          new GraphQLError(`Query depth ${depth} exceeds the maximum of ${limits.maxDepth}.`, {
            extensions: { code: 'QUERY_DEPTH', queryDepth: { max: limits.maxDepth, actual: depth } },
          }),
        );
      }
      if (complexity > limits.maxComplexity) {
        report(
          new GraphQLError(
            `Query cost ${complexity} exceeds the maximum of ${limits.maxComplexity}. Lists multiply the cost of what they select (a connection by its page size): ask for smaller pages, fewer nested lists or fewer aliases.`,
            { extensions: { code: 'QUERY_COMPLEXITY', queryComplexity: { max: limits.maxComplexity, actual: complexity } } },
          ),
        );
      }
    },
  });
  return validate(schema, document, [rule]);
}

/** Yoga/envelop plugin applying the limits to queries, mutations and subscriptions. */
export function useQueryLimits(limits: QueryLimits = defaultLimits): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => parse(source, { ...options, maxTokens: limits.maxTokens }));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const errors = checkLimits(args.schema, args.document, args.variableValues, args.operationName, args.contextValue as object, limits);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const errors = checkLimits(args.schema, args.document, args.variableValues, args.operationName, args.contextValue as object, limits);
      if (errors.length > 0) setResultAndStopExecution({ errors });
    },
  };
}
