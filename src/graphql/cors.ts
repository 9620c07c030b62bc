import type { Plugin } from 'graphql-yoga';

/**
 * CORS for /graphql from NEWSGATE_CORS_ORIGINS (comma-separated; unset or "*" allows any
 * origin). Any-origin answers a literal `*` and never allows credentials: the API
 * authenticates with a bearer token, not cookies, so a page elsewhere can read public data
 * but only holds admin rights if it has the token. A list answers the matching origin only.
 */
const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'accept, authorization, content-type';
const MAX_AGE_SECONDS = '600';

export function useCors(origins: readonly string[] | undefined): Plugin {
  const list = (origins ?? []).map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
  const anyOrigin = list.length === 0 || list.includes('*');
  const allowed = new Set(list);
  const allowOrigin = (origin: string | null): string | null => {
    if (anyOrigin) return '*';
    return origin && allowed.has(origin) ? origin : null;
  };
  const apply = (headers: Headers, origin: string | null) => {
    const value = allowOrigin(origin);
    if (!anyOrigin) headers.append('vary', 'Origin');
    if (value) headers.set('access-control-allow-origin', value);
  };
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      if (request.method !== 'OPTIONS') return;
      const origin = request.headers.get('origin');
      const headers = new fetchAPI.Headers();
      apply(headers, origin);
      if (allowOrigin(origin)) {
        headers.set('access-control-allow-methods', ALLOW_METHODS);
        headers.set('access-control-allow-headers', ALLOW_HEADERS);
        headers.set('access-control-max-age', MAX_AGE_SECONDS);
      }
      endResponse(new fetchAPI.Response(null, { status: 204, headers }));
    },
    onResponse({ request, response }) {
      apply(response.headers, request.headers.get('origin'));
    },
  };
}
