/**
 * Route → selection → FeedModel. Knows which articles a feed holds and how they are presented;
 * knows nothing about formats or HTTP.
 */
import type { Kysely } from 'kysely';
import type { Config, CuratedFeedDef } from '../config/types.js';
import { compilePhrase, listFeedArticles, loadStoryArticles, type AccentMode, type CandidateRow, type FeedArticleRow, type StoryArticleRow, type TextMatcher } from '../store/feed-queries.js';
import type { Database } from '../store/types.js';
import { parseSearchQuery } from '../text/search-query.js';
import { FORMATS, TAG_AUTHORITY, type FeedFormat, type FeedItem, type FeedModel } from './model.js';
import { canonicalQuery, DEFAULT_LIMIT, type FeedParams } from './params.js';
import { escapeHtml, plainText, safeHtml, safeHttpUrl } from './safe.js';

export type FeedRoute = { kind: 'topic'; slug: string } | { kind: 'source'; slug: string } | { kind: 'curated'; slug: string } | { kind: 'search' };

/** What a cached rendering depends on: a poll that stores into any of these invalidates it. */
export interface FeedDependencies {
  all: boolean;
  topicIds: number[];
  sourceIds: number[];
}

export interface ResolvedFeed {
  /** URL path below /feeds/, without the extension: "topics/thoi-su", "tin-nong", "search". */
  path: string;
  title: string;
  description: string;
  homeUrl: string | null;
  language: string | null;
  ttlMinutes: number;
  topicIds?: number[];
  sourceIds?: number[];
  /** Rows behind the topic and source groups, when both select (the smaller drives the scan). */
  weights?: { topics?: number; sources?: number };
  include: readonly string[];
  exclude: readonly string[];
  collapse: 'none' | 'story';
  limit: number;
  deps: FeedDependencies;
}

export interface SelectContext {
  db: Kysely<Database>;
  config: Config;
}

export const DEFAULT_TTL_MINUTES = 15;
/** Words shown before the other outlets of a collapsed story. */
export const ALSO_REPORTED = 'Cũng đưa tin';
const SITE_NAME = 'newsgate';

/** Finds what a route names; null when the slug is unknown (→ 404). */
export async function resolveFeed(ctx: SelectContext, route: FeedRoute): Promise<ResolvedFeed | null> {
  const { db } = ctx;
  switch (route.kind) {
    case 'topic': {
      const topic = await db.selectFrom('topics').select(['id', 'name']).where('slug', '=', route.slug).executeTakeFirst();
      if (!topic) return null;
      const sources = await involvedSources(db, { topicIds: [topic.id] });
      return {
        path: `topics/${route.slug}`,
        title: `${topic.name} · ${SITE_NAME}`,
        description: `Tin mới nhất chủ đề ${topic.name}`,
        homeUrl: null,
        ...sources,
        topicIds: [topic.id],
        include: [],
        exclude: [],
        collapse: 'none',
        limit: DEFAULT_LIMIT,
        deps: { all: false, topicIds: [topic.id], sourceIds: [] },
      };
    }
    case 'source': {
      const source = await db
        .selectFrom('sources')
        .select(['id', 'name', 'site_url', 'language', 'interval_minutes'])
        .where('slug', '=', route.slug)
        .where('enabled', '=', 1)
        .executeTakeFirst();
      if (!source) return null;
      return {
        path: `sources/${route.slug}`,
        title: source.name,
        description: `Tin mới nhất từ ${source.name}, qua ${SITE_NAME}`,
        homeUrl: safeHttpUrl(source.site_url),
        language: source.language,
        ttlMinutes: source.interval_minutes,
        sourceIds: [source.id],
        include: [],
        exclude: [],
        collapse: 'none',
        limit: DEFAULT_LIMIT,
        deps: { all: false, topicIds: [], sourceIds: [source.id] },
      };
    }
    case 'curated': {
      const def = ctx.config.feeds.find((f) => f.slug === route.slug);
      return def ? resolveCurated(db, def) : null;
    }
    case 'search': {
      const sources = await involvedSources(db, {});
      return {
        path: 'search',
        title: `Tìm kiếm · ${SITE_NAME}`,
        description: 'Kết quả tìm kiếm',
        homeUrl: null,
        ...sources,
        include: [],
        exclude: [],
        collapse: 'none',
        limit: DEFAULT_LIMIT,
        deps: { all: true, topicIds: [], sourceIds: [] },
      };
    }
  }
}

async function resolveCurated(db: Kysely<Database>, def: CuratedFeedDef): Promise<ResolvedFeed> {
  // Slugs the config names but the database lacks select nothing (rather than everything).
  const topics = def.topics.length > 0 ? await db.selectFrom('topics').select(['id', 'article_count']).where('slug', 'in', [...def.topics]).execute() : undefined;
  const sources =
    def.sources.length > 0
      ? await db.selectFrom('sources').select(['id', 'item_count']).where('slug', 'in', [...def.sources]).where('enabled', '=', 1).execute()
      : undefined;
  const topicIds = topics?.map((r) => r.id);
  const sourceIds = sources?.map((r) => r.id);
  const weights = { topics: topics?.reduce((n, r) => n + r.article_count, 0), sources: sources?.reduce((n, r) => n + r.item_count, 0) };
  const involved = await involvedSources(db, { topicIds, sourceIds });
  return {
    path: def.slug,
    title: def.title,
    description: def.description || def.title,
    homeUrl: null,
    ...involved,
    topicIds,
    sourceIds,
    weights,
    include: def.include,
    exclude: def.exclude,
    collapse: def.collapse,
    limit: def.limit,
    deps: { all: !topicIds && !sourceIds, topicIds: topicIds ?? [], sourceIds: sourceIds ?? [] },
  };
}

/** Poll interval (shortest of the sources involved) and the language when they all share one. */
async function involvedSources(
  db: Kysely<Database>,
  selection: { topicIds?: number[]; sourceIds?: number[] },
): Promise<{ ttlMinutes: number; language: string | null }> {
  let q = db.selectFrom('sources as s').select(['s.interval_minutes', 's.language']).where('s.enabled', '=', 1);
  if (selection.sourceIds) q = q.where('s.id', 'in', selection.sourceIds.length ? selection.sourceIds : [-1]);
  if (selection.topicIds) {
    const topicIds = selection.topicIds.length ? selection.topicIds : [-1];
    q = q.where((eb) => eb.exists(eb.selectFrom('source_topics as st').select('st.source_id').whereRef('st.source_id', '=', 's.id').where('st.topic_id', 'in', topicIds)));
  }
  const rows = await q.execute();
  const ttl = rows.length ? Math.min(...rows.map((r) => r.interval_minutes)) : DEFAULT_TTL_MINUTES;
  const languages = new Set(rows.map((r) => r.language));
  const language = languages.size === 1 ? [...languages][0] : null;
  return { ttlMinutes: ttl, language };
}

/**
 * Include/exclude: an article qualifies when its title or summary contains any include phrase
 * (when there are some) and no exclude phrase. Matching is by whole syllables, case-insensitive,
 * with diacritics ignored only where the phrase leaves them out — see compilePhrase.
 */
export function compileWordFilter(
  include: readonly string[],
  exclude: readonly string[],
  mode: AccentMode = 'query',
): ((row: Pick<FeedArticleRow, 'title' | 'summary'>) => boolean) | undefined {
  const inc = include.map((w) => compilePhrase(w, mode)).filter((m): m is TextMatcher => m !== null);
  const exc = exclude.map((w) => compilePhrase(w, mode)).filter((m): m is TextMatcher => m !== null);
  if (inc.length === 0 && exc.length === 0) return undefined;
  return (row) => (inc.length === 0 || inc.some((m) => m(row))) && !exc.some((m) => m(row));
}

export interface EffectiveQuery {
  limit: number;
  collapse: 'none' | 'story';
  q?: string;
  since?: number;
}

export function effectiveQuery(feed: ResolvedFeed, params: FeedParams): EffectiveQuery {
  return { limit: params.limit ?? feed.limit, collapse: params.collapse ?? feed.collapse, q: params.q, since: params.since };
}

/** Reads the feed's articles and turns them into the format-independent model. */
export async function buildFeedModel(ctx: SelectContext, feed: ResolvedFeed, params: FeedParams, base: string): Promise<FeedModel> {
  const query = effectiveQuery(feed, params);
  const words = compileWordFilter(feed.include, feed.exclude);
  const seenStories = new Set<number>();
  const accept =
    query.collapse === 'story'
      ? (row: CandidateRow) => {
          if (seenStories.has(row.story_id)) return false;
          if (words && !words(row)) return false;
          seenStories.add(row.story_id);
          return true;
        }
      : words;
  const { rows } = await listFeedArticles(ctx.db, {
    topicIds: feed.topicIds,
    sourceIds: feed.sourceIds,
    weights: feed.weights,
    since: query.since,
    search: query.q === undefined ? undefined : parseSearchQuery(query.q),
    accept,
    limit: query.limit,
  });

  let items: FeedItem[];
  let lastModified: number | null = null;
  const touch = (row: FeedArticleRow) => {
    const t = Math.max(row.updated_at, row.fetched_at);
    if (lastModified === null || t > lastModified) lastModified = t;
  };
  if (query.collapse === 'story') {
    const stories = await loadStoryArticles(ctx.db, rows.map((r) => r.story_id));
    items = [];
    for (const row of rows) {
      const members = stories.get(row.story_id) ?? [{ ...row, outlets: [row.source_name] }];
      members.forEach(touch);
      const item = storyItem(row.story_id, members, feed.sourceIds);
      if (item) items.push(item);
    }
  } else {
    rows.forEach(touch);
    items = rows.map(articleItem).filter((i): i is FeedItem => i !== null);
  }

  const suffix = canonicalQuery(params);
  const urls = Object.fromEntries(FORMATS.map((f) => [f, `${base}/feeds/${feed.path}.${f}${suffix}`])) as Record<FeedFormat, string>;
  let title = feed.title;
  if (query.q !== undefined) title = feed.path === 'search' ? `Tìm kiếm “${query.q}” · ${SITE_NAME}` : `${feed.title} — “${query.q}”`;
  const updated = items.length ? Math.max(...items.map((i) => i.updated)) : null;
  return {
    id: `${TAG_AUTHORITY}feeds/${feed.path}${suffix}`,
    title: plainText(title),
    description: plainText(feed.description),
    homeUrl: feed.homeUrl ?? `${base}/`,
    urls,
    language: feed.language,
    ttlMinutes: feed.ttlMinutes,
    updated,
    lastModified,
    author: SITE_NAME,
    items,
  };
}

function categoriesOf(row: FeedArticleRow): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.categories);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out = new Set<string>();
  for (const c of parsed) if (typeof c === 'string') out.add(plainText(c));
  out.delete('');
  return [...out];
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  bmp: 'image/bmp',
};

export function imageType(url: string): string {
  const ext = /\.([a-z0-9]{2,5})$/i.exec(new URL(url).pathname)?.[1]?.toLowerCase();
  return (ext && IMAGE_TYPES[ext]) ?? 'image/jpeg';
}

function articleItem(row: FeedArticleRow): FeedItem | null {
  const url = safeHttpUrl(row.link);
  if (!url) return null;
  const title = plainText(row.title) || url;
  const summary = row.summary ? plainText(row.summary) || null : null;
  const image = safeHttpUrl(row.image_url);
  return {
    id: url,
    idIsLink: true,
    url,
    title,
    summary,
    contentHtml: safeHtml(row.content_html) || `<p>${escapeHtml(summary ?? title)}</p>`,
    published: row.published_at,
    // updated_at equals fetched_at until a re-poll changes the article.
    updated: row.updated_at > row.fetched_at ? Math.max(row.published_at, row.updated_at) : row.published_at,
    authors: [plainText(row.author ?? '') || plainText(row.source_name) || SITE_NAME],
    categories: categoriesOf(row),
    image: image ? { url: image, type: imageType(image) } : null,
  };
}

/**
 * One item for a whole story: its most complete article (content, image, summary; the earliest
 * on a tie), the story's tag URI as id, the other outlets named at the end of the body.
 * In a feed restricted to sources, the representative comes from those sources when it can.
 */
function storyItem(storyId: number, members: StoryArticleRow[], sourceIds: readonly number[] | undefined): FeedItem | null {
  const completeness = (a: StoryArticleRow) => (a.content_html ? 4 : 0) + (a.image_url ? 2 : 0) + (a.summary ? 1 : 0);
  let pool = members;
  if (sourceIds) {
    const own = members.filter((m) => sourceIds.includes(m.source_id));
    if (own.length > 0) pool = own;
  }
  // members are in publication order, so the first best is the earliest best.
  let best = pool[0];
  for (const m of pool) if (completeness(m) > completeness(best)) best = m;
  const base = articleItem(best);
  if (!base) return null;
  const outlets: string[] = [];
  for (const m of members) for (const name of m.outlets) if (!outlets.includes(name)) outlets.push(name);
  const others = outlets.filter((name) => name !== best.source_name).map(plainText).filter(Boolean);
  const first = members[0];
  const updated = Math.max(...members.map((m) => (m.updated_at > m.fetched_at ? Math.max(m.published_at, m.updated_at) : m.published_at)));
  return {
    ...base,
    id: `${TAG_AUTHORITY}story/${storyId}`,
    idIsLink: false,
    contentHtml: others.length ? `${base.contentHtml}\n<p>${ALSO_REPORTED}: ${escapeHtml(others.join(', '))}</p>` : base.contentHtml,
    published: first.published_at,
    updated,
  };
}
