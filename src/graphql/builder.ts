import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { GraphQLContext } from './context.js';
import { assertNodeType, decodeGlobalId, encodeGlobalId, unauthenticated } from './errors.js';

/**
 * The one Pothos builder. Configuration only: types live in one file per type, and
 * schema.ts imports them all. Fields are non-null unless they say otherwise.
 */
export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: { list: false; items: false };
  DefaultNodeNullability: false;
  AuthScopes: { admin: boolean };
  Scalars: {
    /** Times are integer milliseconds in the store; input arrives as a parsed Date. */
    DateTime: { Input: Date; Output: Date | number };
    ID: { Input: string; Output: string | number };
  };
  /** Every connection can count its rows, but only does when totalCount is selected. */
  Connection: { totalCount: () => Promise<number> | number };
}>({
  // scope-auth first, so nothing else runs for a field the caller may not use.
  plugins: [ScopeAuthPlugin, RelayPlugin, DataloaderPlugin, ComplexityPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    authScopes: (context) => ({ admin: context.auth.admin }),
    unauthorizedError: (_parent, context) => unauthenticated(context.auth.reason),
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // A connection field's multiplier is its page size (see pagination.ts), which already
    // accounts for the edges list; pageInfo is one cheap object whatever the page size.
    edgesFieldOptions: { nullable: { list: false, items: false }, complexity: { field: 0, multiplier: 1 } },
    nodeFieldOptions: { nullable: false },
    pageInfoFieldOptions: { complexity: { field: 1, multiplier: 0 } },
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    // An ID of a type that is not a node is the client's mistake, not an internal error.
    nodeQueryOptions: {
      resolve: (_root, { id }, _ctx, _info, resolveNode) => {
        assertNodeType(id);
        return resolveNode(id);
      },
    },
    nodesQueryOptions: {
      resolve: (_root, { ids }, _ctx, _info, resolveNodes) => {
        ids.forEach(assertNodeType);
        return resolveNodes(ids);
      },
    },
  },
  complexity: {
    defaultComplexity: 1,
    defaultListMultiplier: 10,
    // Limits are enforced by the server's complexity plugin before execution starts (limits.ts).
  },
});
