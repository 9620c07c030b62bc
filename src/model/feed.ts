/**
 * What a parser hands to normalisation: one shape for RSS 0.9x/1.0/2.0, Atom and
 * JSON Feed, still raw (HTML in titles, unparsed date strings, relative links).
 * Only parse.ts produces it and only normalize.ts reads it.
 */
export interface ParsedEnclosure {
  url: string;
  type?: string;
  length?: number;
}

export interface ParsedItem {
  title?: string;
  /** true when the title is an HTML text construct (Atom type="html"/"xhtml"). */
  titleIsHtml?: boolean;
  link?: string;
  guid?: string;
  /** RSS guid isPermaLink="false" — the guid is then not a URL to follow. */
  guidIsPermaLink?: boolean;
  /** Raw date strings exactly as they appeared (pubDate, dc:date, published, updated …). */
  published?: string;
  updated?: string;
  author?: string;
  /** Short description / summary, usually HTML. */
  summary?: string;
  /** Full content (content:encoded, atom:content), HTML. */
  content?: string;
  categories: string[];
  enclosures: ParsedEnclosure[];
  /** media:content / media:thumbnail URLs, in document order. */
  mediaUrls: string[];
  /** xml:base in scope for the item, when the feed declared one. */
  base?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json';
  title?: string;
  /** The site the feed describes (channel link / atom link rel=alternate). */
  siteUrl?: string;
  description?: string;
  language?: string;
  /** RSS <ttl> in minutes, when present. */
  ttlMinutes?: number;
  base?: string;
  items: ParsedItem[];
}
