import { createHash, timingSafeEqual } from 'node:crypto';
import { initContextCache } from '@pothos/core';
import type { Kysely } from 'kysely';
import type { App } from '../app.js';
import type { Database } from '../store/types.js';
import type { ArticleEvents } from './events.js';

/** What the GraphQL layer needs from the app (not the HTTP handler, which sits on top of it). */
export type GraphQLHost = Pick<App, 'config' | 'store' | 'ingest' | 'settings' | 'onStored'>;

export interface AuthState {
  admin: boolean;
  /** Why not, for the UNAUTHENTICATED error. */
  reason: string;
}

/** Per request: loaders hang off this object (Pothos context cache), so nothing is shared between requests. */
export interface GraphQLContext {
  host: GraphQLHost;
  /** For reads (a read-only connection when the store is a file); writes use host.store.db. */
  db: Kysely<Database>;
  auth: AuthState;
  events: ArticleEvents;
}

export function createContext(host: GraphQLHost, db: Kysely<Database>, events: ArticleEvents, request: Request): GraphQLContext {
  return {
    ...initContextCache(),
    host,
    db,
    auth: authenticate(request.headers.get('authorization'), host.settings.adminToken ?? null),
    events,
  };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Admin rights come from `Authorization: Bearer <NEWSGATE_ADMIN_TOKEN>`, compared in constant time. */
export function authenticate(header: string | null, token: string | null): AuthState {
  if (!token) return { admin: false, reason: 'The admin API is disabled: the server has no NEWSGATE_ADMIN_TOKEN.' };
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match) return { admin: false, reason: 'Authentication required: send "Authorization: Bearer <admin token>".' };
  if (!timingSafeEqual(digest(match[1]), digest(token))) return { admin: false, reason: 'Invalid admin token.' };
  return { admin: true, reason: '' };
}
