/**
 * OPML 2.0 (http://opml.org/spec2.opml), the feed readers' exchange format: the sources as
 * outlines grouped by topic, and the reverse — reading an OPML file into candidate sources.
 */
import { SaxesParser } from 'saxes';
import { escapeXml } from './safe.js';

export interface OpmlSource {
  name: string;
  url: string;
  siteUrl: string | null;
  topics: { slug: string; name: string }[];
}

/** Sources in a folder per topic (a source under two topics appears in both), untopiced ones at the top level. */
export function renderOpml(title: string, sources: readonly OpmlSource[], created: Date): string {
  const outline = (s: OpmlSource, indent: string) =>
    `${indent}<outline type="rss" text="${escapeXml(s.name)}" title="${escapeXml(s.name)}" xmlUrl="${escapeXml(s.url)}"` +
    `${s.siteUrl ? ` htmlUrl="${escapeXml(s.siteUrl)}"` : ''}` +
    `${s.topics.length ? ` category="${escapeXml(s.topics.map((t) => `/${t.slug}`).join(','))}"` : ''}/>\n`;
  const topics = new Map<string, { name: string; sources: OpmlSource[] }>();
  const loose: OpmlSource[] = [];
  for (const source of sources) {
    if (source.topics.length === 0) loose.push(source);
    for (const topic of source.topics) {
      const group = topics.get(topic.slug) ?? { name: topic.name, sources: [] };
      group.sources.push(source);
      topics.set(topic.slug, group);
    }
  }
  const body: string[] = [];
  for (const [slug, group] of [...topics].sort((a, b) => a[0].localeCompare(b[0]))) {
    body.push(`    <outline text="${escapeXml(group.name)}" title="${escapeXml(group.name)}" category="/${escapeXml(slug)}">\n`);
    for (const s of group.sources) body.push(outline(s, '      '));
    body.push('    </outline>\n');
  }
  for (const s of loose) body.push(outline(s, '    '));
  return (
    '<?xml version="1.0" encoding="utf-8"?>\n' +
    '<opml version="2.0">\n' +
    '  <head>\n' +
    `    <title>${escapeXml(title)}</title>\n` +
    `    <dateCreated>${created.toUTCString()}</dateCreated>\n` +
    '    <docs>http://opml.org/spec2.opml</docs>\n' +
    '  </head>\n' +
    '  <body>\n' +
    body.join('') +
    '  </body>\n' +
    '</opml>\n'
  );
}

export interface OpmlFeedOutline {
  /** text, else title attribute. */
  name: string | null;
  xmlUrl: string;
  htmlUrl: string | null;
  /** Labels that may name a topic: enclosing folders' text/title, then category path segments. */
  labels: string[];
  language: string | null;
}

export class OpmlError extends Error {
  override name = 'OpmlError';
}

/** Every outline with an xmlUrl, in document order, with the folder names above it. */
export function parseOpml(xml: string): OpmlFeedOutline[] {
  const parser = new SaxesParser({ xmlns: false });
  const folders: (string[] | null)[] = [];
  const feeds: OpmlFeedOutline[] = [];
  let sawOpml = false;
  let error: Error | null = null;
  parser.on('error', (e) => {
    error ??= e;
  });
  parser.on('opentag', (tag) => {
    const name = tag.name.toLowerCase();
    if (name === 'opml') sawOpml = true;
    if (name !== 'outline') return;
    const attr = (key: string): string | null => {
      for (const [k, v] of Object.entries(tag.attributes)) if (k.toLowerCase() === key.toLowerCase()) return String(v).trim() || null;
      return null;
    };
    const label = attr('text') ?? attr('title');
    const categories = (attr('category') ?? '')
      .split(',')
      .flatMap((path) => path.split('/'))
      .map((s) => s.trim())
      .filter(Boolean);
    const xmlUrl = attr('xmlUrl') ?? attr('url');
    if (xmlUrl) {
      const above = folders.flatMap((f) => f ?? []);
      feeds.push({ name: label, xmlUrl, htmlUrl: attr('htmlUrl'), labels: [...above, ...categories], language: attr('language') });
    }
    // An outline without xmlUrl is a folder; its name applies to everything inside.
    folders.push(xmlUrl ? null : [...(label ? [label] : []), ...categories]);
    if (tag.isSelfClosing) folders.pop();
  });
  parser.on('closetag', (tag) => {
    if (tag.name.toLowerCase() === 'outline' && !tag.isSelfClosing) folders.pop();
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    error ??= e as Error;
  }
  if (error) throw new OpmlError(`not well-formed XML: ${(error as Error).message}`);
  if (!sawOpml) throw new OpmlError('not an OPML document (no <opml> element)');
  return feeds;
}
