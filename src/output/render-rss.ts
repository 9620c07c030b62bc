/**
 * RSS 2.0 through the `feed` package. Its XML writer (xml-js) has three quirks that matter for
 * untrusted text, worked around here rather than by forking it:
 *  - text nodes: "&amp;" is un-escaped before escaping, so a literal "&amp;" would come out as "&"
 *    (→ forXmlJsText doubles it first, the exact inverse);
 *  - CDATA: only the first "]]>" is split, a second one would end the section
 *    (→ forXmlJsCdata pre-splits all but the first);
 *  - no stripping of characters XML 1.0 forbids (→ xmlSafe everywhere, done in the model).
 * It also writes <author> from names (RSS wants an e-mail address there), so authors go out as
 * dc:creator, and it only declares xmlns:dc when there is content:encoded.
 */
import { Feed } from 'feed';
import type { FeedItem, FeedModel } from './model.js';
import { xmlSafe } from './safe.js';

export function forXmlJsText(s: string): string {
  return xmlSafe(s).replace(/&amp;/g, '&amp;amp;');
}

export function forXmlJsCdata(s: string): string {
  const parts = xmlSafe(s).split(']]>');
  if (parts.length <= 2) return parts.join(']]>');
  // xml-js replaces the first "]]>" itself; the later ones are already split when it runs.
  return `${parts[0]}]]>${parts.slice(1).join(']]]]><![CDATA[>')}`;
}

const DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"';

export function renderRss(model: FeedModel): string {
  const feed = new Feed({
    id: model.id,
    title: forXmlJsText(model.title),
    description: forXmlJsText(model.description),
    link: model.homeUrl,
    language: model.language ?? undefined,
    ttl: model.ttlMinutes,
    updated: new Date(model.updated ?? 0),
    generator: 'newsgate',
    feedLinks: { rss: model.urls.rss },
  });
  for (const item of model.items) feed.addItem(rssItem(item));
  let xml = feed.rss2();
  if (model.items.length > 0 && !xml.includes('xmlns:dc=')) xml = xml.replace('<rss version="2.0"', `<rss version="2.0" ${DC}`);
  return xml;
}

function rssItem(item: FeedItem) {
  return {
    title: forXmlJsCdata(item.title),
    link: item.url,
    // No id/guid for an article: `feed` then writes the link as guid isPermaLink="true".
    ...(item.idIsLink ? {} : { guid: forXmlJsText(item.id) }),
    date: new Date(item.published),
    description: forXmlJsCdata(item.summary ? escapeForDescription(item.summary) : item.contentHtml),
    content: forXmlJsCdata(item.contentHtml),
    category: item.categories.map((name) => ({ name: forXmlJsText(name) })),
    enclosure: item.image ? { url: item.image.url, type: item.image.type, length: 0 } : undefined,
    // One dc:creator: `feed` keys extensions by element name.
    extensions: item.authors.length ? [{ name: 'dc:creator', objects: { _text: forXmlJsText(item.authors[0]) } }] : undefined,
  };
}

/** RSS description is HTML: the plain-text summary is escaped so "a < b" stays text. */
function escapeForDescription(summary: string): string {
  return summary.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
