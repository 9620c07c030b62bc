import { GraphQLError } from 'graphql';

/**
 * Errors a client can act on. Anything else thrown in a resolver is masked by Yoga as
 * "Unexpected error." (code INTERNAL_SERVER_ERROR) and logged on the server.
 */
export type ErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'UNAUTHENTICATED';

export function userError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const badInput = (message: string, extensions?: Record<string, unknown>) => userError('BAD_USER_INPUT', message, extensions);
export const notFound = (message: string, extensions?: Record<string, unknown>) => userError('NOT_FOUND', message, extensions);
export const unauthenticated = (message: string) => userError('UNAUTHENTICATED', message);

/**
 * For scalar parse errors: graphql-js re-wraps errors thrown while coercing variables and
 * keeps only the extensions of their originalError, so the code rides on both.
 */
export function badInputValue(message: string): GraphQLError {
  const original = Object.assign(new Error(message), { extensions: { code: 'BAD_USER_INPUT' } });
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' }, originalError: original });
}

// Global IDs: base64("Type:id") like GitHub's first generation and the Relay plugin's default,
// but decoding is strict and failures are the client's mistake, not an internal error.

export function encodeGlobalId(typename: string, id: bigint | number | string): string {
  return Buffer.from(`${typename}:${id}`, 'utf8').toString('base64');
}

const GLOBAL_ID = /^([A-Z][A-Za-z]*):([1-9][0-9]{0,15})$/;

export function decodeGlobalId(globalId: string): { typename: string; id: string } {
  const base64 = /^[A-Za-z0-9+/_-]+={0,2}$/.test(globalId);
  const match = base64 ? GLOBAL_ID.exec(Buffer.from(globalId, 'base64').toString('utf8')) : null;
  if (!match) throw badInput(`Invalid ID: ${JSON.stringify(globalId.slice(0, 100))} is not an ID issued by this API.`, { argument: 'id' });
  return { typename: match[1], id: match[2] };
}

/** Types whose IDs Query.node accepts. */
export const NODE_TYPES: ReadonlySet<string> = new Set(['Article', 'Source', 'Story', 'Topic']);

export function assertNodeType(globalId: { typename: string }): void {
  if (!NODE_TYPES.has(globalId.typename)) throw badInput(`Invalid ID: no ${globalId.typename} objects in this API.`, { argument: 'id' });
}

/** The local part of a global ID, already checked to be a positive integer by decodeGlobalId. */
export const parseLocalId = (id: string): number => Number(id);
