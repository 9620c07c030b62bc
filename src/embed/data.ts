/**
 * Route → the widget's items. Which articles a widget shows is decided exactly as for the
 * re-published feeds: src/output/select.ts resolves the route (topic, source, curated feed with
 * its topics, sources, include/exclude words and collapse setting) and listFeedArticles walks
 * the selection. Presentation differs: a collapsed story is shown through its newest article,
 * with every outlet that carried the story.
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config/types.js';
import { compileWordFilter, resolveFeed, type FeedRoute, type ResolvedFeed } from '../output/select.js';
import { plainText, safeHttpUrl } from '../output/safe.js';
import { listSourcesOfArticles } from '../store/article-queries.js';
import { listFeedArticles, type CandidateRow } from '../store/feed-queries.js';
import { listSourcesOfStories } from '../store/story-queries.js';
import type { Database } from '../store/types.js';

export type EmbedRoute = Extract<FeedRoute, { slug: string }>;

/** One row of the widget, as the server renders it and as the script receives it (JSON). */
export interface EmbedItem {
  /** Article id (the local part of its GraphQL ID). */
  n: number;
  /** Story id (the local part of its GraphQL ID). */
  s: number;
  url: string;
  /** Plain text. */
  title: string;
  /** Outlet names, never empty. */
  outlets: string[];
  image: string | null;
  /** Publication time, ms. */
  published: number;
}

/** What the script needs to keep the widget live: the GraphQL filter and how to merge. */
export interface WidgetConfig {
  filter: { topics?: string[]; sources?: string[] };
  /** The feed filters by include/exclude words, which GraphQL cannot express: re-read the data URL instead. */
  words: boolean;
  collapse: boolean;
  limit: number;
  lang: 'vi' | 'en';
}

export interface EmbedSelection {
  feed: ResolvedFeed;
  /** Heading: the topic's, source's or curated feed's name. */
  title: string;
  /** Slugs for the GraphQL filter. */
  filter: WidgetConfig['filter'];
}

const SITE_SUFFIX = / · newsgate$/;

export async function resolveEmbed(db: Kysely<Database>, config: Config, route: EmbedRoute): Promise<EmbedSelection | null> {
  const feed = await resolveFeed({ db, config }, route);
  if (!feed) return null;
  let filter: WidgetConfig['filter'];
  if (route.kind === 'topic') filter = { topics: [route.slug] };
  else if (route.kind === 'source') filter = { sources: [route.slug] };
  else {
    const def = config.feeds.find((f) => f.slug === route.slug)!;
    filter = {};
    if (def.topics.length > 0) filter.topics = [...def.topics];
    if (def.sources.length > 0) filter.sources = [...def.sources];
  }
  return { feed, title: plainText(feed.title.replace(SITE_SUFFIX, '')), filter };
}

export async function listEmbedItems(db: Kysely<Database>, feed: ResolvedFeed, options: { limit: number; collapse: boolean }): Promise<EmbedItem[]> {
  const words = compileWordFilter(feed.include, feed.exclude);
  const seenStories = new Set<number>();
  const accept = options.collapse
    ? (row: CandidateRow) => {
        if (seenStories.has(row.story_id)) return false;
        if (words && !words(row)) return false;
        seenStories.add(row.story_id);
        return true;
      }
    : words;
  const { rows } = await listFeedArticles(db, {
    topicIds: feed.topicIds,
    sourceIds: feed.sourceIds,
    weights: feed.weights,
    accept,
    limit: options.limit,
  });
  const outlets = options.collapse
    ? await listSourcesOfStories(db, rows.map((r) => r.story_id)).then((m) => (row: CandidateRow) => m.get(row.story_id))
    : await listSourcesOfArticles(db, rows.map((r) => r.id)).then((m) => (row: CandidateRow) => m.get(row.id));
  const items: EmbedItem[] = [];
  for (const row of rows) {
    const url = safeHttpUrl(row.link);
    if (!url) continue;
    const names = (outlets(row) ?? []).map((s) => plainText(s.name)).filter(Boolean);
    items.push({
      n: row.id,
      s: row.story_id,
      url,
      title: plainText(row.title) || url,
      outlets: names.length > 0 ? names : [plainText(row.source_name) || 'newsgate'],
      image: safeHttpUrl(row.image_url),
      published: row.published_at,
    });
  }
  return items;
}

export function widgetConfig(selection: EmbedSelection, options: { limit: number; collapse: boolean; lang: 'vi' | 'en' }): WidgetConfig {
  const { feed } = selection;
  return {
    filter: selection.filter,
    words: feed.include.length > 0 || feed.exclude.length > 0,
    collapse: options.collapse,
    limit: options.limit,
    lang: options.lang,
  };
}
