/** What every renderer receives: already safe, already resolved, format-independent. */

export type FeedFormat = 'rss' | 'atom' | 'json';

export const FORMATS: readonly FeedFormat[] = ['rss', 'atom', 'json'];

export const CONTENT_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  json: 'application/feed+json; charset=utf-8',
};

/** Tag URIs (RFC 4151) give feeds and collapsed stories ids that survive a change of host name. */
export const TAG_AUTHORITY = 'tag:newsgate,2026:';

export interface FeedItem {
  /** Atom id / JSON id / RSS guid: the canonical article link, or a story's tag URI. */
  id: string;
  /** True when id is the article's own link (RSS guid isPermaLink="true"). */
  idIsLink: boolean;
  /** Canonical article link (http/https). */
  url: string;
  /** Plain text, tag-free. */
  title: string;
  /** Plain text. */
  summary: string | null;
  /** Sanitised HTML (never empty: falls back to the escaped summary or title). */
  contentHtml: string;
  published: number;
  updated: number;
  /** Author names; at least one (the outlet when the article has no author). */
  authors: string[];
  categories: string[];
  image: { url: string; type: string } | null;
}

export interface FeedModel {
  /** Stable feed identity (tag URI of the route and its canonical query). */
  id: string;
  title: string;
  description: string;
  /** An HTML page for the feed (the gateway's index, or the source's site). */
  homeUrl: string;
  /** This feed's URL in each format (self link and alternates), with the canonical query. */
  urls: Record<FeedFormat, string>;
  language: string | null;
  ttlMinutes: number;
  /** Newest item update, ms; null for an empty feed. */
  updated: number | null;
  /** Newest stored change of any item (insert or update time), ms; drives Last-Modified. */
  lastModified: number | null;
  /** Feed-level author (Atom requires one on the feed or each entry; we give both). */
  author: string;
  items: FeedItem[];
}
