/**
 * What the re-published feeds (src/output) need from the store, on top of the API's keyset
 * queries (article-queries.ts, story-queries.ts): walking a selection newest-first while a
 * predicate in JS accepts or rejects articles (include/exclude words, one item per story),
 * the source names the items show, and the accent-aware word matcher for include/exclude.
 */
import type { Kysely } from 'kysely';
import { foldAccents, foldToken } from '../text/fold.js';
import { tokenizeSyllables } from '../text/tokenize.js';
import type { SearchQuery } from '../text/search-query.js';
import { listArticlePage, listSourcesOfArticles, type ArticleFilterSpec, type Keyset, type LinkGroup } from './article-queries.js';
import { findSourcesByIds } from './sources.js';
import { listArticlesOfStories } from './story-queries.js';
import type { ArticleRow, Database } from './types.js';

export interface FeedArticleRow extends ArticleRow {
  source_name: string;
}

export interface FeedArticleQuery {
  /** An article qualifies when it is in any of these topics (when given)… */
  topicIds?: readonly number[];
  /** …and delivered by any of these sources (when given). */
  sourceIds?: readonly number[];
  /** Rows behind each group (topic article_count, source item_count): the smaller one drives the scan. */
  weights?: { topics?: number; sources?: number };
  /** Inclusive lower bound on published_at (ms). */
  since?: number;
  /** Full-text search, the API's (newest first here: a feed is a timeline). */
  search?: SearchQuery;
  /** Predicate applied to each candidate in list order (include/exclude words, one item per story). */
  accept?: (row: ArticleRow) => boolean;
  /** Stop after this many accepted rows. */
  limit: number;
  /** Stop after this many candidates even when fewer were accepted (bounds rare include words). */
  maxScanned?: number;
}

export interface FeedArticleResult {
  rows: FeedArticleRow[];
  scanned: number;
  /** True when the scan stopped at maxScanned rather than at the end of the selection or the limit. */
  truncated: boolean;
}

export type CandidateRow = ArticleRow;

const DEFAULT_MAX_SCANNED = 5_000;

/**
 * Newest-first articles of a selection (listArticlePage pages, keyset-continued while `accept`
 * rejects rows), with their first source's name.
 */
export async function listFeedArticles(db: Kysely<Database>, query: FeedArticleQuery): Promise<FeedArticleResult> {
  const links: LinkGroup[] = [];
  if (query.topicIds) links.push({ kind: 'topic', ids: query.topicIds, weight: query.weights?.topics });
  if (query.sourceIds) links.push({ kind: 'source', ids: query.sourceIds, weight: query.weights?.sources });
  const spec: ArticleFilterSpec = { links, since: query.since ?? null, until: null, search: query.search ?? null };
  const maxScanned = query.maxScanned ?? DEFAULT_MAX_SCANNED;
  let batch = query.accept ? Math.max(query.limit * 2, 100) : query.limit;
  const rows: ArticleRow[] = [];
  let after: Keyset | null = null;
  let scanned = 0;
  let truncated = false;
  scan: for (;;) {
    const page = await listArticlePage(db, spec, { limit: batch, after });
    for (const row of page.rows) {
      scanned++;
      if (query.accept && !query.accept(row)) continue;
      rows.push(row);
      if (rows.length >= query.limit) break scan;
    }
    if (!page.hasMore || page.rows.length === 0) break;
    if (scanned >= maxScanned) {
      truncated = true;
      break;
    }
    const last = page.rows[page.rows.length - 1];
    after = { time: last.published_at, id: last.id };
    batch = Math.min(batch * 2, 1000);
  }
  return { rows: await withSourceNames(db, rows), scanned, truncated };
}

async function withSourceNames(db: Kysely<Database>, rows: ArticleRow[]): Promise<FeedArticleRow[]> {
  const sources = await findSourcesByIds(db, [...new Set(rows.map((r) => r.source_id))]);
  const names = new Map(sources.map((s) => [s.id, s.name]));
  return rows.map((row) => ({ ...row, source_name: names.get(row.source_id) ?? '' }));
}

export interface StoryArticleRow extends FeedArticleRow {
  /** Every source that listed this article, the one that first delivered it first. */
  outlets: string[];
}

/** Each story's articles in publication order (earliest first), with the outlets that carried each. */
export async function loadStoryArticles(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, StoryArticleRow[]>> {
  const byStory = await listArticlesOfStories(db, storyIds);
  const all = [...byStory.values()].flat();
  const sources = await listSourcesOfArticles(db, all.map((a) => a.id));
  const out = new Map<number, StoryArticleRow[]>();
  for (const [storyId, articles] of byStory) {
    out.set(
      storyId,
      articles
        .slice()
        .reverse()
        .map((a) => {
          const outlets = (sources.get(a.id) ?? []).map((s) => s.name);
          return { ...a, source_name: outlets[0] ?? '', outlets };
        }),
    );
  }
  return out;
}

/**
 * Word matching for search and include/exclude, on whole syllables of the title and summary.
 * Case, Unicode normalisation form and tone-mark placement never matter ("BÃO", NFD "bão",
 * "hoà"/"hòa"). Diacritics are ignored where the query leaves them out: "bao" (typed without
 * accents) matches "bão", "báo" and "bao"; "bão" written with its accent matches only "bão",
 * not "báo" (as in "cảnh báo", "dự báo") nor "bao" ("thuê bao", "bao gồm"), which would
 * otherwise drag a large share of all news into a storm feed. `folded` ignores diacritics on
 * both sides ("bão" matches "báo" too).
 */
export type AccentMode = 'query' | 'folded';

export interface TextMatcher {
  /** True when the phrase occurs in the row's title or summary. */
  (row: Pick<FeedArticleRow, 'title' | 'summary'>): boolean;
}

interface RowTokens {
  exact: string[];
  folded: string[];
}

const tokenCache = new WeakMap<object, RowTokens>();
const foldedTextCache = new WeakMap<object, string>();

/** Character-level fold of title and summary: a cheap necessary condition before tokenising. */
function rowFoldedText(row: Pick<FeedArticleRow, 'title' | 'summary'>): string {
  let text = foldedTextCache.get(row);
  if (text === undefined) {
    text = foldAccents(row.summary ? `${row.title}\n${row.summary}` : row.title);
    foldedTextCache.set(row, text);
  }
  return text;
}

function rowTokens(row: Pick<FeedArticleRow, 'title' | 'summary'>): RowTokens {
  let cached = tokenCache.get(row);
  if (!cached) {
    // A sentinel between title and summary so a phrase cannot span them.
    const exact = [...tokenizeSyllables(row.title), '\u0000', ...(row.summary ? tokenizeSyllables(row.summary) : [])];
    cached = { exact, folded: exact.map(foldToken) };
    tokenCache.set(row, cached);
  }
  return cached;
}

/** Null when the phrase has no word in it (punctuation only). */
export function compilePhrase(phrase: string, mode: AccentMode = 'query'): TextMatcher | null {
  const tokens = tokenizeSyllables(phrase);
  if (tokens.length === 0) return null;
  const folded = tokens.map(foldToken);
  const loose = tokens.map((t, i) => mode === 'folded' || folded[i] === t);
  const n = tokens.length;
  // A token can only match where its folded form occurs as a substring of the folded text.
  // Letters only: tokens with digits may be glued across punctuation ("U-21" → "u21").
  const needles = [...new Set(folded.filter((f) => /^[a-z]+$/.test(f)))];
  return (row) => {
    if (needles.length > 0) {
      const haystack = rowFoldedText(row);
      for (const needle of needles) if (!haystack.includes(needle)) return false;
    }
    const text = rowTokens(row);
    const last = text.exact.length - n;
    outer: for (let i = 0; i <= last; i++) {
      for (let j = 0; j < n; j++) {
        if (loose[j] ? text.folded[i + j] !== folded[j] : text.exact[i + j] !== tokens[j]) continue outer;
      }
      return true;
    }
    return false;
  };
}

