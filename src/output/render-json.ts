/**
 * JSON Feed 1.1, written directly: `feed`'s json1() declares version 1 and uses the 1.0
 * `author` object, and the format is a typed object away from JSON.stringify anyway.
 */
import type { FeedModel } from './model.js';

interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary?: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors: { name: string }[];
  tags?: string[];
}

interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description?: string;
  language?: string;
  authors: { name: string }[];
  items: JsonFeedItem[];
}

export function renderJson(model: FeedModel): string {
  const feed: JsonFeed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: model.title,
    home_page_url: model.homeUrl,
    feed_url: model.urls.json,
    ...(model.description ? { description: model.description } : {}),
    ...(model.language ? { language: model.language } : {}),
    authors: [{ name: model.author }],
    items: model.items.map((item) => ({
      id: item.id,
      url: item.url,
      title: item.title,
      content_html: item.contentHtml,
      ...(item.summary ? { summary: item.summary } : {}),
      ...(item.image ? { image: item.image.url } : {}),
      date_published: new Date(item.published).toISOString(),
      date_modified: new Date(item.updated).toISOString(),
      authors: item.authors.map((name) => ({ name })),
      ...(item.categories.length ? { tags: item.categories } : {}),
    })),
  };
  // JSON.stringify escapes only what JSON needs; "<" stays, which is fine for application/feed+json
  // (served with nosniff), but escaping it costs nothing and keeps the body inert if embedded in HTML.
  return JSON.stringify(feed, null, 2).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029') + '\n';
}
