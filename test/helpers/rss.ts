/** Builds a small RSS 2.0 document; tests state only the fields they care about. */
export interface RssItem {
  title: string;
  link: string;
  description?: string;
  pubDate?: string;
  guid?: string;
  category?: string[];
}

export function buildRss(items: RssItem[], options: { title?: string; link?: string; ttl?: number } = {}): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const body = items
    .map(
      (item) => `<item>
  <title><![CDATA[${item.title}]]></title>
  <link>${esc(item.link)}</link>
  ${item.guid ? `<guid isPermaLink="false">${esc(item.guid)}</guid>` : ''}
  ${item.description ? `<description><![CDATA[${item.description}]]></description>` : ''}
  ${item.pubDate ? `<pubDate>${item.pubDate}</pubDate>` : ''}
  ${(item.category ?? []).map((c) => `<category>${esc(c)}</category>`).join('')}
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>${esc(options.title ?? 'Test feed')}</title>
<link>${esc(options.link ?? 'https://example.vn/')}</link>
<description>test</description>
${options.ttl ? `<ttl>${options.ttl}</ttl>` : ''}
${body}
</channel></rss>`;
}
