/**
 * ParsedItem → ArticleInput: plain NFC text, sanitised HTML, canonical links, real dates.
 *
 * Hot path (>10k items/s): at most one HTML parse per item (the content: the sanitizer fast
 * path, or sanitize-html for anything unusual); everything else is precompiled regexes.
 */
import { createHash } from 'node:crypto';
import type { ArticleInput } from '../model/article.js';
import type { ParsedFeed, ParsedItem } from '../model/feed.js';
import { canonicalizeUrl, resolveHttpUrl } from './canonical-url.js';
import { parseFeedDate } from './dates.js';
import { detectOriginalOutlet } from '../stories/attribution.js';
import { cleanText, firstImageSrc, htmlToText, looksLikeHtml, sanitizeContent, titleToText, truncateText } from './html-text.js';

export interface NormalizeContext {
  /** Final feed URL: base for relative links when no xml:base applies. */
  feedUrl: string;
  /** The feed-level xml:base (ParsedFeed.base), when declared. */
  feedBase?: string;
  /** IANA zone for dates without an offset. */
  timezone: string;
  fetchedAt: Date;
  sourceSlug: string;
}

export interface NormalizedFeed {
  articles: ArticleInput[];
  /** Items dropped: unusable (no title, link or content) or repeating an earlier key. */
  skipped: number;
}

/** Dates further ahead of fetchedAt than this are clamped to fetchedAt. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;
/** Plain-text summaries are cut (at a word boundary, with "…") beyond this many characters. */
export const SUMMARY_MAX_CHARS = 500;
/** A title derived from the summary/content is cut beyond this many characters. */
export const DERIVED_TITLE_MAX_CHARS = 100;

const IMAGE_EXTENSION = /\.(?:jpe?g|png|gif|webp|avif|bmp|svg|heic|heif)(?:$|[?#;])/i;
const ABSOLUTE_HTTP = /^\s*https?:\/\//i;
/** "editor@example.com (Nguyễn Văn A)" → "Nguyễn Văn A" (RSS 2.0 <author>). */
const EMAIL_WITH_NAME = /^\S+@\S+\s*\((.+)\)$/;
const NAME_WITH_EMAIL = /^(.+?)\s*[<(]\s*\S+@\S+\s*[>)]$/;
const URI_LIKE = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

function isImageEnclosure(url: string, type: string | undefined): boolean {
  if (type && type.startsWith('image/')) return true;
  return IMAGE_EXTENSION.test(url);
}

function pickImage(item: ParsedItem, base: string): string | null {
  for (const enclosure of item.enclosures) {
    if (isImageEnclosure(enclosure.url, enclosure.type)) {
      const url = resolveHttpUrl(enclosure.url, base);
      if (url) return url;
    }
  }
  for (const media of item.mediaUrls) {
    const url = resolveHttpUrl(media, base);
    if (url) return url;
  }
  for (const html of [item.summary, item.content]) {
    const src = firstImageSrc(html);
    if (src) {
      const url = resolveHttpUrl(src, base);
      if (url) return url;
    }
  }
  return null;
}

/**
 * Display name of an author field: plain text, with the e-mail dropped from the
 * "editor@example.com (Nguyễn Văn A)" and "Nguyễn Văn A <editor@example.com>" forms.
 */
export function normalizeAuthor(raw: string | undefined): string | null {
  if (!raw) return null;
  let text = htmlToText(raw);
  if (!text) return null;
  if (text.length <= 200 && text.includes('@')) {
    let m = EMAIL_WITH_NAME.exec(text);
    if (m) text = m[1].trim();
    else if ((m = NAME_WITH_EMAIL.exec(text))) text = m[1].trim();
  }
  return text || null;
}

function cleanCategories(raw: string[]): string[] {
  if (raw.length === 0) return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const category of raw) {
    const text = htmlToText(category);
    if (!text) continue;
    const fold = text.toLowerCase();
    if (seen.has(fold)) continue;
    seen.add(fold);
    out.push(text);
  }
  return out;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Plain text of a title: declared plain text is kept as written, declared HTML is reduced to
 * its text once, and an undeclared (RSS) title gets titleToText's second round for
 * double-encoded entities.
 */
function itemTitle(item: ParsedItem): string {
  const raw = item.title ?? '';
  if (item.titleIsText) return cleanText(raw);
  if (item.titleIsHtml) return htmlToText(raw);
  return titleToText(raw);
}

/**
 * Normalises one item. Returns null only when it has neither a usable title, nor a link,
 * nor any content (summary or body).
 *
 * - link: canonical item link, else the guid when it is a permalink http(s) URL, else "";
 * - key: the canonical link, else "guid:<guid>" (a guid that is not a URI is scoped to the
 *   source, "guid:<sourceSlug>/<guid>", so two feeds numbering items "123" never collide),
 *   else "hash:<sha1(sourceSlug \n title \n published ISO or "")>";
 * - publishedAt: published, else updated, else fetchedAt; clamped to fetchedAt when more than
 *   FUTURE_TOLERANCE_MS ahead of it.
 *
 * `keepEmpty` returns the (empty-titled) article instead of null, for callers that inspect
 * every item's fields (the conformance run).
 */
export function normalizeItem(
  item: ParsedItem,
  ctx: NormalizeContext,
  options?: { keepEmpty?: boolean },
): ArticleInput | null {
  const base = item.base ?? ctx.feedBase ?? ctx.feedUrl;

  // Link.
  let link = item.link ? canonicalizeUrl(item.link, item.linkBase ?? base) : null;
  const guid = item.guid ? item.guid.trim() || null : null;
  if (!link && guid && item.guidIsPermaLink !== false && ABSOLUTE_HTTP.test(guid)) {
    link = canonicalizeUrl(guid);
  }

  // Summary (plain text) and content (sanitised HTML): one sanitize-html parse at most.
  const description = item.summary;
  const contentSource = item.content ?? (description && looksLikeHtml(description) ? description : undefined);
  const contentBase = (item.content !== undefined ? item.contentBase : item.summaryBase) ?? base;
  const contentHtml = contentSource ? sanitizeContent(contentSource, contentBase) : null;
  let summaryText = description ? htmlToText(description) : '';
  if (!summaryText && item.content) summaryText = htmlToText(item.content);
  const summary = summaryText ? truncateText(summaryText, SUMMARY_MAX_CHARS) : null;
  // The body's text, read once: for the credit line of syndicated copies and a missing title.
  // When the body is the description itself, that is the summary's text.
  const bodyText = item.content !== undefined && contentHtml ? htmlToText(contentHtml) : summaryText;

  // Title, derived when missing.
  let title = item.title ? itemTitle(item) : '';
  if (!title && summaryText) title = truncateText(summaryText, DERIVED_TITLE_MAX_CHARS);
  if (!title && !link && !contentHtml && !options?.keepEmpty) return null;
  if (!title && bodyText) title = truncateText(bodyText, DERIVED_TITLE_MAX_CHARS);
  if (!title && link) title = link;
  // Content with no text at all (an image-only item) keeps an empty title.

  // Dates.
  const fetchedAt = ctx.fetchedAt.getTime();
  const dated = parseFeedDate(item.published, ctx.timezone) ?? parseFeedDate(item.updated, ctx.timezone);
  const publishedAt = dated && dated.getTime() <= fetchedAt + FUTURE_TOLERANCE_MS ? dated : new Date(fetchedAt);

  // Identity.
  let key: string;
  if (link) key = link;
  else if (guid) key = URI_LIKE.test(guid) ? `guid:${guid}` : `guid:${ctx.sourceSlug}/${guid}`;
  else key = `hash:${sha1(`${ctx.sourceSlug}\n${title}\n${dated ? dated.toISOString() : ''}`)}`;

  return {
    key,
    link: link ?? '',
    guid,
    title,
    summary,
    contentHtml,
    author: normalizeAuthor(item.author),
    imageUrl: pickImage(item, base),
    categories: cleanCategories(item.categories),
    publishedAt,
    originalOutlet: bodyText ? detectOriginalOutlet(bodyText) : null,
  };
}

/** Normalises every item of a feed, keeping the first of items that share a key. */
export function normalizeFeed(feed: ParsedFeed, ctx: NormalizeContext): NormalizedFeed {
  const itemCtx: NormalizeContext = ctx.feedBase !== undefined || feed.base === undefined
    ? ctx
    : { ...ctx, feedBase: feed.base };
  const articles: ArticleInput[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const item of feed.items) {
    const article = normalizeItem(item, itemCtx);
    if (!article || seen.has(article.key)) {
      skipped++;
      continue;
    }
    seen.add(article.key);
    articles.push(article);
  }
  return { articles, skipped };
}

/** The feed-level fields, normalised like an article's (plain text, display author, real dates). */
export interface FeedInfo {
  title: string | null;
  siteUrl: string | null;
  description: string | null;
  id: string | null;
  author: string | null;
  publishedAt: Date | null;
  updatedAt: Date | null;
  categories: string[];
}

export function normalizeFeedInfo(feed: ParsedFeed, ctx: Pick<NormalizeContext, 'timezone'>): FeedInfo {
  return {
    title: feed.title || null,
    siteUrl: feed.siteUrl || null,
    description: feed.description || null,
    id: feed.id?.trim() || null,
    author: normalizeAuthor(feed.author),
    publishedAt: parseFeedDate(feed.published, ctx.timezone),
    updatedAt: parseFeedDate(feed.updated, ctx.timezone),
    categories: cleanCategories(feed.categories ?? []),
  };
}
