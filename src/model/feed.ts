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
  /**
   * true when the feed declared the title plain text (Atom type="text", the Atom default):
   * it is then shown as is, never stripped of tags or entity-decoded. Titles with neither flag
   * (RSS) may be HTML, or entity-encoded twice.
   */
  titleIsText?: boolean;
  link?: string;
  guid?: string;
  /** RSS guid isPermaLink="false" — the guid is then not a URL to follow. */
  guidIsPermaLink?: boolean;
  /** Raw date strings exactly as they appeared (pubDate, dc:date, published, updated …). */
  published?: string;
  updated?: string;
  author?: string;
  /** Short description / summary, HTML (plain-text constructs arrive escaped). */
  summary?: string;
  /** Full content (content:encoded, atom:content), HTML (plain-text constructs arrive escaped). */
  content?: string;
  /** The summary / content was declared plain text and has been HTML-escaped into `summary` / `content`. */
  summaryIsText?: boolean;
  contentIsText?: boolean;
  /** xml:base in scope for the link / summary / content element, when it differs from `base`. */
  linkBase?: string;
  summaryBase?: string;
  contentBase?: string;
  categories: string[];
  enclosures: ParsedEnclosure[];
  /** media:content / media:thumbnail URLs, in document order. */
  mediaUrls: string[];
  /** xml:base in scope for the item, when the feed declared one. */
  base?: string;
}

export interface ParsedFeed {
  format: 'rss' | 'atom' | 'rdf' | 'json' | 'cdf';
  /** Plain text. */
  title?: string;
  /** The title was declared plain text (Atom type="text"), so markup in it was kept as text. */
  titleIsText?: boolean;
  /** The site the feed describes (channel link / atom link rel=alternate). */
  siteUrl?: string;
  /** Plain text. */
  description?: string;
  /** The description was declared plain text (Atom type="text"). */
  descriptionIsText?: boolean;
  /** Feed identity (atom:id). */
  id?: string;
  /** Raw author (managingEditor, dc:creator, atom:author …). */
  author?: string;
  /** Raw date strings (pubDate / published, lastBuildDate / updated …). */
  published?: string;
  updated?: string;
  /** Raw channel-level categories. */
  categories?: string[];
  language?: string;
  /** RSS <ttl> in minutes, when present. */
  ttlMinutes?: number;
  base?: string;
  items: ParsedItem[];
}
