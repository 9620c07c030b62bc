/**
 * Canonical article URLs: the identity of an article across polls and sources.
 *
 * - relative URLs are resolved against `base` (xml:base or the feed URL);
 * - only http(s) survives;
 * - scheme and host are lower-cased, default ports and the fragment dropped (WHATWG URL);
 * - credentials are dropped;
 * - tracking parameters (utm_*, fbclid, gclid, mc_cid, Zalo's zarsrc/gidzl …) are removed,
 *   every other parameter is kept byte-for-byte and in order (no re-encoding);
 * - the path is left alone (case, trailing slash and encoding are meaningful to servers).
 */

const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid', 'ttclid',
  'li_fat_id', 'igshid', 'igsh', 'mc_cid', 'mc_eid', '_ga', '_gl', '_hsenc', '_hsmi', '__hstc', '__hssc',
  '__hsfp', 'hsctatracking', 'mkt_tok', 'vero_id', 'vero_conv', 'oly_enc_id', 'oly_anon_id', 'rb_clickid',
  's_cid', 'wickedid', 'zarsrc', 'gidzl', 'ncid', 'sr_share', 'spm', 'scid',
]);
const TRACKING_PREFIX = /^(?:utm_|pk_|mtm_|ga_)/;
const WHITESPACE = /[\t\n\r]/g;
const HTTP_START = /^\s*(?:https?:|\/\/|[^:/?#]*(?:[/?#]|$))/i;

function isTracking(rawKey: string): boolean {
  let key = rawKey;
  if (key.includes('%') || key.includes('+')) {
    try {
      key = decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      return false;
    }
  }
  key = key.toLowerCase();
  return TRACKING_PARAMS.has(key) || TRACKING_PREFIX.test(key);
}

/** Removes tracking parameters from a serialised search ("?a=1&utm_source=x"), keeping order. */
function stripTracking(search: string): string {
  const pairs = search.slice(1).split('&');
  let changed = false;
  const kept: string[] = [];
  for (const pair of pairs) {
    if (pair === '') {
      changed = true;
      continue;
    }
    const eq = pair.indexOf('=');
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (isTracking(key)) {
      changed = true;
      continue;
    }
    kept.push(pair);
  }
  if (!changed) return search;
  return kept.length ? `?${kept.join('&')}` : '';
}

/**
 * Canonical form of `raw` resolved against `base`, or null when it is not an http(s) URL.
 */
export function canonicalizeUrl(raw: string | null | undefined, base?: string | null): string | null {
  if (typeof raw !== 'string') return null;
  let input = raw.trim();
  if (input.length === 0 || input.length > 4096) return null;
  if (input.includes('\n') || input.includes('\t') || input.includes('\r')) input = input.replace(WHITESPACE, '');
  // Cheap rejection of other schemes (javascript:, mailto:, data: …) before URL parsing.
  if (!HTTP_START.test(input)) return null;
  let url: URL;
  try {
    url = base ? new URL(input, base) : new URL(input);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.hostname === '') return null;
  url.hash = '';
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
  }
  if (url.search.length > 1) {
    const search = stripTracking(url.search);
    if (search !== url.search) url.search = search;
  } else if (url.search === '?' || url.href.endsWith('?')) {
    url.search = '';
  }
  let href = url.href;
  // An empty query ("…?") survives `search = ''` in some inputs; drop it.
  if (href.endsWith('?')) href = href.slice(0, -1);
  return href;
}

/** Resolves `raw` against `base` to an absolute http(s) URL without canonicalising the query. */
export function resolveHttpUrl(raw: string | null | undefined, base?: string | null): string | null {
  if (typeof raw !== 'string') return null;
  let input = raw.trim();
  if (input.length === 0 || input.length > 4096) return null;
  if (input.includes('\n') || input.includes('\t') || input.includes('\r')) input = input.replace(WHITESPACE, '');
  if (!HTTP_START.test(input)) return null;
  try {
    const url = base ? new URL(input, base) : new URL(input);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.hostname === '') return null;
    return url.href;
  } catch {
    return null;
  }
}
