/**
 * Atom 1.0 (RFC 4287), written directly rather than through `feed`: its atom1() writes
 * categories without the required `term` unless given one, plain-text titles as type="html"
 * CDATA (a title "a <b> c" would then be markup), enclosure types guessed from the file name
 * ("image/jpg", or garbage when there is no extension), and escapes only `"` in attributes.
 * The format is small enough that owning it is cheaper than patching around it.
 */
import type { FeedItem, FeedModel } from './model.js';
import { escapeXml } from './safe.js';

const rfc3339 = (ms: number) => new Date(ms).toISOString();

export function renderAtom(model: FeedModel): string {
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="utf-8"?>\n');
  out.push(`<feed xmlns="http://www.w3.org/2005/Atom"${model.language ? ` xml:lang="${escapeXml(model.language)}"` : ''}>\n`);
  out.push(`  <id>${escapeXml(model.id)}</id>\n`);
  out.push(`  <title type="text">${escapeXml(model.title)}</title>\n`);
  if (model.description) out.push(`  <subtitle type="text">${escapeXml(model.description)}</subtitle>\n`);
  out.push(`  <updated>${rfc3339(model.updated ?? 0)}</updated>\n`);
  out.push(`  <author><name>${escapeXml(model.author)}</name></author>\n`);
  out.push(`  <link rel="self" type="application/atom+xml" href="${escapeXml(model.urls.atom)}"/>\n`);
  out.push(`  <link rel="alternate" type="text/html" href="${escapeXml(model.homeUrl)}"/>\n`);
  out.push(`  <link rel="alternate" type="application/rss+xml" href="${escapeXml(model.urls.rss)}"/>\n`);
  out.push(`  <link rel="alternate" type="application/feed+json" href="${escapeXml(model.urls.json)}"/>\n`);
  out.push('  <generator>newsgate</generator>\n');
  for (const item of model.items) out.push(entry(item));
  out.push('</feed>\n');
  return out.join('');
}

function entry(item: FeedItem): string {
  const parts = [
    '  <entry>\n',
    `    <id>${escapeXml(item.id)}</id>\n`,
    `    <title type="text">${escapeXml(item.title)}</title>\n`,
    `    <link rel="alternate" type="text/html" href="${escapeXml(item.url)}"/>\n`,
    `    <published>${rfc3339(item.published)}</published>\n`,
    `    <updated>${rfc3339(item.updated)}</updated>\n`,
  ];
  for (const name of item.authors) parts.push(`    <author><name>${escapeXml(name)}</name></author>\n`);
  for (const term of item.categories) parts.push(`    <category term="${escapeXml(term)}"/>\n`);
  if (item.image) parts.push(`    <link rel="enclosure" type="${escapeXml(item.image.type)}" href="${escapeXml(item.image.url)}"/>\n`);
  if (item.summary) parts.push(`    <summary type="text">${escapeXml(item.summary)}</summary>\n`);
  parts.push(`    <content type="html">${escapeXml(item.contentHtml)}</content>\n`);
  parts.push('  </entry>\n');
  return parts.join('');
}
