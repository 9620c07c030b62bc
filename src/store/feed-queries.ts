/**
 * The narrow article queries the re-published feeds need (src/output). Written before the
 * GraphQL article listing (article-queries.ts) existed; fold into it once that lands.
 *
 * Every listing walks an index newest-first with a keyset cursor — (topic_id|source_id,
 * published_at, article_id) on the link tables, (published_at, id) on articles — so the
 * cost is proportional to the rows read, never to the size of the table.
 */
import { sql, type Kysely } from 'kysely';
import { foldAccents, foldToken } from '../text/fold.js';
import { tokenizeSyllables } from '../text/tokenize.js';
import type { Database } from './types.js';

export interface FeedArticleRow {
  id: number;
  link: string;
  title: string;
  summary: string | null;
  content_html: string | null;
  author: string | null;
  image_url: string | null;
  categories: string;
  published_at: number;
  fetched_at: number;
  updated_at: number;
  source_id: number;
  story_id: number;
  source_name: string;
}

export interface FeedArticleQuery {
  /** An article qualifies when it is in any of these topics (when given). */
  topicIds?: readonly number[];
  /** …and delivered by any of these sources (when given). */
  sourceIds?: readonly number[];
  /** Inclusive lower bound on published_at (ms). */
  since?: number;
  /** Words that must occur in the title or summary (see compilePhrase). Interim until FTS5. */
  search?: string;
  /** Extra predicate applied to each candidate, in order (include/exclude words, story collapse). */
  accept?: (row: CandidateRow) => boolean;
  /** Stop after this many accepted rows. */
  limit: number;
  /** Stop after reading this many candidate rows even when fewer were accepted (bounds rare searches). */
  maxScanned?: number;
}

export interface FeedArticleResult {
  rows: FeedArticleRow[];
  scanned: number;
  /** True when the scan stopped at maxScanned rather than at the end of the selection or the limit. */
  truncated: boolean;
}

/** What filters see: the light columns, so a long scan never reads article bodies. */
export type CandidateRow = Pick<FeedArticleRow, 'id' | 'title' | 'summary' | 'story_id' | 'source_id' | 'published_at'>;

const DEFAULT_MAX_SCANNED = 10_000;

type Cursor = { published_at: number; id: number };
type Head = { article_id: number; published_at: number };

/**
 * Newest-first articles of a selection. With no filter in JS (search/accept) this is one
 * index range read per topic or source plus one primary-key lookup batch.
 */
export async function listFeedArticles(db: Kysely<Database>, query: FeedArticleQuery): Promise<FeedArticleResult> {
  const filtered = query.search !== undefined || query.accept !== undefined;
  const maxScanned = query.maxScanned ?? DEFAULT_MAX_SCANNED;
  // Read a little more than needed when rows may be rejected, in growing batches.
  let batch = filtered ? Math.max(query.limit * 2, 100) : query.limit;
  const search = query.search !== undefined ? compilePhrase(query.search) : undefined;
  const streams = makeStreams(db, query);
  const accepted: number[] = [];
  let scanned = 0;
  let lastId = -1;
  for (;;) {
    const ids: number[] = [];
    while (ids.length < batch) {
      const next = await nextHead(streams, batch);
      if (!next) break;
      if (next.article_id === lastId) continue; // the same article under two topics/sources
      lastId = next.article_id;
      ids.push(next.article_id);
    }
    if (ids.length === 0) return { rows: await loadInOrder(db, accepted), scanned, truncated: false };
    if (!filtered) {
      accepted.push(...ids);
      scanned += ids.length;
      if (accepted.length >= query.limit) return { rows: await loadInOrder(db, accepted.slice(0, query.limit)), scanned, truncated: false };
    } else {
      const candidates = await loadCandidates(db, ids);
      for (const id of ids) {
        const row = candidates.get(id);
        scanned++;
        if (!row) continue;
        if (search && !search(row)) continue;
        if (query.accept && !query.accept(row)) continue;
        accepted.push(id);
        if (accepted.length >= query.limit) return { rows: await loadInOrder(db, accepted), scanned, truncated: false };
      }
    }
    if (scanned >= maxScanned) return { rows: await loadInOrder(db, accepted), scanned, truncated: true };
    batch = Math.min(batch * 2, 2000);
  }
}

async function loadInOrder(db: Kysely<Database>, ids: readonly number[]): Promise<FeedArticleRow[]> {
  const loaded = await loadArticles(db, ids);
  return ids.map((id) => loaded.get(id)).filter((row): row is FeedArticleRow => row !== undefined);
}

async function loadCandidates(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, CandidateRow>> {
  const map = new Map<number, CandidateRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('articles')
      .select(['id', 'title', 'summary', 'story_id', 'source_id', 'published_at'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) map.set(row.id, row);
  }
  return map;
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

interface Stream {
  buffer: Head[];
  /** Next unread position in buffer (shift() would be quadratic on big batches). */
  pos: number;
  done: boolean;
  cursor: Cursor | null;
  fetch(after: Cursor | null, size: number): Promise<Head[]>;
}

function makeStreams(db: Kysely<Database>, query: FeedArticleQuery): Stream[] {
  const since = query.since ?? null;
  const topicIds = query.topicIds ? [...new Set(query.topicIds)] : undefined;
  const sourceIds = query.sourceIds ? [...new Set(query.sourceIds)] : undefined;
  const make = (fetch: Stream['fetch']): Stream => ({ buffer: [], pos: 0, done: false, cursor: null, fetch });
  if (topicIds && topicIds.length === 0) return [];
  if (sourceIds && sourceIds.length === 0) return [];
  if (topicIds) {
    return topicIds.map((topicId) =>
      make(async (after, size) => {
        let q = db
          .selectFrom('article_topics as at')
          .select(['at.article_id', 'at.published_at'])
          .where('at.topic_id', '=', topicId)
          .orderBy('at.published_at', 'desc')
          .orderBy('at.article_id', 'desc')
          .limit(size);
        if (after) q = q.where(sql<boolean>`(at.published_at, at.article_id) < (${after.published_at}, ${after.id})`);
        if (since !== null) q = q.where('at.published_at', '>=', since);
        if (sourceIds) {
          q = q.where((eb) =>
            eb.exists(
              eb.selectFrom('article_sources as s').select(sql`1`.as('one')).whereRef('s.article_id', '=', 'at.article_id').where('s.source_id', 'in', sourceIds),
            ),
          );
        }
        return q.execute();
      }),
    );
  }
  if (sourceIds) {
    return sourceIds.map((sourceId) =>
      make(async (after, size) => {
        let q = db
          .selectFrom('article_sources as s')
          .select(['s.article_id', 's.published_at'])
          .where('s.source_id', '=', sourceId)
          .orderBy('s.published_at', 'desc')
          .orderBy('s.article_id', 'desc')
          .limit(size);
        if (after) q = q.where(sql<boolean>`(s.published_at, s.article_id) < (${after.published_at}, ${after.id})`);
        if (since !== null) q = q.where('s.published_at', '>=', since);
        return q.execute();
      }),
    );
  }
  return [
    make(async (after, size) => {
      let q = db
        .selectFrom('articles as a')
        .select(['a.id as article_id', 'a.published_at'])
        .orderBy('a.published_at', 'desc')
        .orderBy('a.id', 'desc')
        .limit(size);
      if (after) q = q.where(sql<boolean>`(a.published_at, a.id) < (${after.published_at}, ${after.id})`);
      if (since !== null) q = q.where('a.published_at', '>=', since);
      return q.execute();
    }),
  ];
}

/** k-way merge of the streams, newest first (ties: higher id first, as the indexes order them). */
async function nextHead(streams: Stream[], size: number): Promise<Head | undefined> {
  let best: Stream | undefined;
  for (const stream of streams) {
    if (stream.pos >= stream.buffer.length && !stream.done) {
      const rows = await stream.fetch(stream.cursor, size);
      stream.buffer = rows;
      stream.pos = 0;
      if (rows.length < size) stream.done = true;
      if (rows.length > 0) {
        const last = rows[rows.length - 1];
        stream.cursor = { published_at: last.published_at, id: last.article_id };
      }
    }
    const head = stream.buffer[stream.pos];
    if (!head) continue;
    const top = best?.buffer[best.pos];
    if (!top || head.published_at > top.published_at || (head.published_at === top.published_at && head.article_id > top.article_id)) best = stream;
  }
  return best ? best.buffer[best.pos++] : undefined;
}

const ARTICLE_COLUMNS = [
  'a.id',
  'a.link',
  'a.title',
  'a.summary',
  'a.content_html',
  'a.author',
  'a.image_url',
  'a.categories',
  'a.published_at',
  'a.fetched_at',
  'a.updated_at',
  'a.source_id',
  'a.story_id',
  'src.name as source_name',
] as const;

async function loadArticles(db: Kysely<Database>, ids: readonly number[]): Promise<Map<number, FeedArticleRow>> {
  const map = new Map<number, FeedArticleRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('articles as a')
      .innerJoin('sources as src', 'src.id', 'a.source_id')
      .select(ARTICLE_COLUMNS)
      .where('a.id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const row of rows) map.set(row.id, row);
  }
  return map;
}

export interface StoryArticleRow extends FeedArticleRow {
  /** Every source that delivered this article (the first one included), by name. */
  outlets: string[];
}

/** All articles of the given stories (aliases resolved by the store), each with the outlets that carried it. */
export async function loadStoryArticles(db: Kysely<Database>, storyIds: readonly number[]): Promise<Map<number, StoryArticleRow[]>> {
  const byStory = new Map<number, StoryArticleRow[]>();
  if (storyIds.length === 0) return byStory;
  const rows = await db
    .selectFrom('articles as a')
    .innerJoin('sources as src', 'src.id', 'a.source_id')
    .select(ARTICLE_COLUMNS)
    .where('a.story_id', 'in', [...storyIds])
    .orderBy('a.published_at')
    .orderBy('a.id')
    .execute();
  const outlets = new Map<number, string[]>();
  for (let i = 0; i < rows.length; i += 500) {
    const links = await db
      .selectFrom('article_sources as s')
      .innerJoin('sources as src', 'src.id', 's.source_id')
      .select(['s.article_id', 'src.name'])
      .where('s.article_id', 'in', rows.slice(i, i + 500).map((r) => r.id))
      .orderBy('s.source_id')
      .execute();
    for (const link of links) {
      const list = outlets.get(link.article_id) ?? [];
      list.push(link.name);
      outlets.set(link.article_id, list);
    }
  }
  for (const row of rows) {
    const list = byStory.get(row.story_id) ?? [];
    const names = outlets.get(row.id) ?? [];
    list.push({ ...row, outlets: names.includes(row.source_name) ? names : [row.source_name, ...names] });
    byStory.set(row.story_id, list);
  }
  return byStory;
}

/** Topic ids of the given articles (for cache invalidation after a poll). */
export async function topicIdsOfArticles(db: Kysely<Database>, articleIds: readonly number[]): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < articleIds.length; i += 500) {
    const rows = await db.selectFrom('article_topics').select('topic_id').distinct().where('article_id', 'in', articleIds.slice(i, i + 500)).execute();
    for (const row of rows) out.add(row.topic_id);
  }
  return out;
}
