/**
 * The widget page for an <iframe>: one self-contained HTML document (inline style and script,
 * no external assets) with the items already rendered, so it paints before any script runs.
 * The markup is the same the script builds for new items (client.ts render()).
 */
import { escapeHtml } from '../output/safe.js';
import { PAGE_SCRIPT, uiText, WIDGET_CSS } from './client.js';
import type { EmbedItem, WidgetConfig } from './data.js';
import type { Theme } from './params.js';
import { sha256Source } from './policy.js';
import { relativeTime } from './time.js';

export const PAGE_SCRIPT_HASH = sha256Source(PAGE_SCRIPT);
export const PAGE_STYLE_HASH = sha256Source(WIDGET_CSS);

export interface PageInput {
  title: string;
  items: EmbedItem[];
  theme: Theme;
  /** With gql (GraphQL endpoint) and data (this widget's JSON), relative to the page. */
  config: WidgetConfig & { gql: string; data: string; at: number };
  now: number;
}

const attr = escapeHtml;

export function renderItemHtml(item: EmbedItem, now: number, lang: 'vi' | 'en'): string {
  // The title's link covers the whole row (CSS), so the thumbnail needs no link of its own.
  const thumb = item.image
    ? `<img class="th" src="${attr(item.image)}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" width="96" height="64">`
    : '';
  return (
    `<li class="it" data-n="${item.n}" data-s="${item.s}"><div class="bd"><a class="tt" href="${attr(item.url)}" target="_blank" rel="noopener">${escapeHtml(item.title)}</a>` +
    `<p class="mt"><span class="src">${escapeHtml(item.outlets.join(', '))}</span> · <time datetime="${new Date(item.published).toISOString()}">${escapeHtml(relativeTime(item.published, now, lang))}</time></p></div>` +
    `${thumb}</li>`
  );
}

export function renderPage(input: PageInput): string {
  const { config, now } = input;
  const lang = config.lang;
  const text = uiText(lang);
  const items = input.items.map((item) => renderItemHtml(item, now, lang)).join('\n');
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light dark"><title>${escapeHtml(input.title)} · newsgate</title>
<style>${WIDGET_CSS}</style></head>
<body><section class="ng ${input.theme}" aria-labelledby="ng-h" data-cfg="${attr(JSON.stringify(config))}"><h2 class="hd" id="ng-h">${escapeHtml(input.title)}</h2>
<ul class="ls">${items}</ul>
<p class="em"${input.items.length > 0 ? ' hidden' : ''}>${text.empty}</p><div class="sr" role="status" aria-live="polite"></div></section>
<script>${PAGE_SCRIPT}</script></body></html>
`;
}
