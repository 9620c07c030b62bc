import { newsStream } from './headlines.js';

/** Feed items are one hour apart per feed and 13 minutes apart between feeds: ~200 items an hour for 200 feeds. */
const feedNews = newsStream({ stream: 'feeds', itemsPerHour: 200 });

/** A realistic VnExpress-shaped RSS document with `items` items for benchmark feed `feed`. */
export function generateFeed(feed: number, items: number, newest = Date.UTC(2026, 10, 28, 3)): string {
  const parts: string[] = [];
  for (let i = 0; i < items; i++) {
    const n = feed * 100_000 + i;
    const published = newest - (feed * 13 + i * 60) * 60_000;
    const { title, summary } = feedNews.item(feed, i, published);
    const date = new Date(published).toUTCString().replace('GMT', '+0000');
    parts.push(`<item>
<title><![CDATA[${title}]]></title>
<description><![CDATA[<a href="https://bench-${feed}.example.vn/bai-${n}.html"><img src="https://i.example.vn/${n}.jpg" ></a></br>${summary}]]></description>
<pubDate>${date}</pubDate>
<link>https://bench-${feed}.example.vn/bai-${n}.html?utm_source=rss</link>
<guid>https://bench-${feed}.example.vn/bai-${n}.html</guid>
<category>Thời sự</category>
</item>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Bench feed ${feed}</title><link>https://bench-${feed}.example.vn/</link><description>Benchmark</description>
${parts.join('\n')}
</channel></rss>`;
}
