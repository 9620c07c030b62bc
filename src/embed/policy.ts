/**
 * Who may frame the widget, and what the widget page itself may do.
 *
 * NEWSGATE_EMBED_ORIGINS (settings.embedOrigins) lists CSP source expressions for
 * `frame-ancestors`: origins such as https://example.com, wildcards such as https://*.example.com,
 * or 'self'; unset means any page may frame it (`*`). Entries that are not a single source
 * expression (a ";" or a space would start another directive) are dropped; if every entry was
 * dropped, nobody may frame it, rather than everybody.
 */
import { createHash } from 'node:crypto';

const SOURCE_EXPRESSION = /^(?:\*|'self'|'none'|https?:|(?:https?:\/\/)?(?:\*\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*(?::(?:\d{1,5}|\*))?|(?:https?:\/\/)?\[[0-9a-f:.]+\](?::\d{1,5})?)$/i;

export function frameAncestors(origins: readonly string[] | undefined): string {
  const given = (origins ?? []).map((o) => o.trim()).filter(Boolean);
  if (given.length === 0) return '*';
  const valid = given.map((o) => (/^https?:\/\//i.test(o) ? o.replace(/\/+$/, '') : o)).filter((o) => SOURCE_EXPRESSION.test(o));
  if (valid.includes('*')) return '*';
  return valid.length > 0 ? [...new Set(valid)].join(' ') : "'none'";
}

export function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The page's policy: nothing by default; its one inline script and one inline style by hash
 * (they are the same bytes on every page, so no per-response nonce is needed); thumbnails from
 * anywhere on the web; GraphQL and the data URL on this origin only.
 */
export function pageCsp(scriptHash: string, styleHash: string, ancestors: string): string {
  return [
    "default-src 'none'",
    `script-src ${scriptHash}`,
    `style-src ${styleHash}`,
    'img-src https: http: data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}
