import { Migrator, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/model/article.js';
import { listArticlePage, listArticleSearchPage, countArticles, noFilter, type ArticleFilterSpec, type PageWindow } from '../../src/store/article-queries.js';
import { storeArticles } from '../../src/store/articles.js';
import type { Store } from '../../src/store/database.js';
import { migrateDatabase } from '../../src/store/open.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { deleteArticles } from '../../src/store/retention.js';
import { findSourceBySlug, listTopicIdsBySource, syncConfig } from '../../src/store/sources.js';
import { parseSearchQuery, SearchQueryError } from '../../src/text/search-query.js';
import { makeConfig } from '../helpers/config.js';
import { testDialects, type DialectCase } from '../helpers/dialects.js';

const dialects = await testDialects();
let current: DialectCase;
const openTestStore = (config?: Parameters<DialectCase['open']>[0]) => current.open(config);

const config = makeConfig({
  sources: [
    { slug: 'vnexpress', url: 'https://vnexpress.net/rss', name: 'VnExpress', topics: ['thoi-su'] },
    { slug: 'dantri', url: 'https://dantri.com.vn/rss', name: 'Dân trí', topics: ['kinh-doanh'] },
  ],
});

const T = Date.UTC(2026, 10, 28, 1, 0);

function article(n: number, title: string, summary: string | null = null): ArticleInput {
  return {
    key: `https://example.vn/${n}`,
    link: `https://example.vn/${n}`,
    guid: null,
    title,
    summary,
    contentHtml: null,
    author: null,
    imageUrl: null,
    categories: [],
    publishedAt: new Date(T + n * 60_000),
  };
}

let store: Store;
afterEach(async () => store?.close());

async function put(slug: string, articles: ArticleInput[], now = T + 86_400_000) {
  const source = (await findSourceBySlug(store.db, slug))!;
  const topics = (await listTopicIdsBySource(store.db, [source.id])).get(source.id)!;
  return storeArticles(store.db, { sourceId: source.id, sourceTopicIds: topics, articles, now });
}

const spec = (search: string, extra: Partial<ArticleFilterSpec> = {}): ArticleFilterSpec => ({ ...noFilter, search: parseSearchQuery(search), ...extra });
const titles = async (search: string, extra: Partial<ArticleFilterSpec> = {}) =>
  (await listArticlePage(store.db, spec(search, extra), { limit: 50 })).rows.map((r) => r.title);

const WORLD = [
  article(1, 'Mưa lớn ở Đà Nẵng', 'Người dân chuẩn bị ứng phó'),
  article(2, 'Thủy điện xả lũ', null),
  article(3, 'Thuỷ điện Hòa Bình mở cửa xả', 'Đà Nẵng không bị ảnh hưởng'),
  article(4, 'Giá xăng E10 giảm từ chiều nay', 'Xăng RON95 cũng giảm'),
  article(5, 'Xổ số miền Bắc ngày 28/8', null),
  article(6, 'Bão số 5 đổ bộ', 'Cảnh báo mưa lớn'),
];

for (const d of dialects)
describe.skipIf(d.skip !== null)(`full-text search [${d.dialect}: ${d.dialect === 'sqlite' ? 'FTS5' : 'tsvector'}]${d.skip ? ` (skipped: ${d.skip})` : ''}`, () => {
  beforeEach(() => {
    current = d;
  });

  it('finds Vietnamese text with or without diacritics, in NFC or NFD, old or new tone placement', async () => {
    store = await openTestStore(config);
    await put('vnexpress', WORLD);
    const daNang = ['Mưa lớn ở Đà Nẵng', 'Thuỷ điện Hòa Bình mở cửa xả'];
    for (const q of ['da nang', 'Đà Nẵng', 'Đà Nẵng'.normalize('NFD'), 'ĐÀ NẴNG', 'đà nẵng']) expect((await titles(q)).sort()).toEqual(daNang.sort());
    for (const q of ['thuy dien', 'Thủy điện', 'Thuỷ điện']) expect((await titles(q)).sort()).toEqual(['Thuỷ điện Hòa Bình mở cửa xả', 'Thủy điện xả lũ'].sort());
    expect(await titles('xang e10')).toEqual(['Giá xăng E10 giảm từ chiều nay']);
    expect(await titles('xăng E10')).toEqual(['Giá xăng E10 giảm từ chiều nay']);
    // Numbers stay whole: "28/8" is not "28" or "8", "số 5" is not "số 6".
    expect(await titles('28/8')).toEqual(['Xổ số miền Bắc ngày 28/8']);
    expect(await titles('bão số 6')).toEqual([]);
    // Phrases, exclusions, alternatives, prefixes.
    expect(await titles('"mưa lớn" -bão')).toEqual(['Mưa lớn ở Đà Nẵng']);
    expect((await titles('xổ số OR xăng')).sort()).toEqual(['Giá xăng E10 giảm từ chiều nay', 'Xổ số miền Bắc ngày 28/8'].sort());
    expect(await titles('ron*')).toEqual(['Giá xăng E10 giảm từ chiều nay']);
    // The source name is indexed too.
    expect(await titles('vnexpress bão')).toEqual(['Bão số 5 đổ bộ']);
  });

  it('keeps the index in step with inserts, title changes and deletions', async () => {
    store = await openTestStore(config);
    const first = await put('vnexpress', [article(1, 'Giá vàng hôm nay tăng mạnh')]);
    expect(await titles('gia vang')).toEqual(['Giá vàng hôm nay tăng mạnh']);
    await put('vnexpress', [article(1, 'Giá bạc hôm nay tăng mạnh')], T + 2 * 86_400_000);
    expect(await titles('gia vang')).toEqual([]);
    expect(await titles('gia bac')).toEqual(['Giá bạc hôm nay tăng mạnh']);
    // Polls write the index themselves (migration 005); any other writer is indexed by the triggers.
    await store.db.updateTable('articles').set({ title: 'Giá đồng hôm nay giảm' }).where('id', '=', first.inserted[0]).execute();
    expect(await titles('gia bac')).toEqual([]);
    expect(await titles('gia dong')).toEqual(['Giá đồng hôm nay giảm']);
    await store.db.transaction().execute((trx) => deleteArticles(trx, first.inserted));
    expect(await titles('gia dong')).toEqual([]);
    expect(await countArticles(store.db, spec('hom nay'))).toBe(0);
  });

  it('indexes the articles of an existing database when the migration runs', async () => {
    {
      store = await current.openBare();
      // On PostgreSQL the migrator's tables live in this store's own schema (see migrateDatabase).
      const schema = current.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0].s : undefined;
      const migrated = await new Migrator({ db: store.db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateTo('002-article-tombstones');
      expect(migrated.error).toBeUndefined();
      await syncConfig(store.db, config, T);
      await put('dantri', [article(1, 'Đà Nẵng đón khách quốc tế'), article(2, 'Hà Nội mưa rét')]);
      expect(await migrateDatabase(store)).toEqual(Object.keys(await migrationProvider.getMigrations()).filter((name) => name > '002-article-tombstones'));
      expect(await titles('da nang')).toEqual(['Đà Nẵng đón khách quốc tế']);
      expect(await titles('dan tri')).toHaveLength(2);
    }
  });

  it('combines with the other filters and counts', async () => {
    store = await openTestStore(config);
    await put('vnexpress', WORLD);
    await put('dantri', [article(10, 'Mưa lớn ở Hà Nội')]);
    const dantri = (await findSourceBySlug(store.db, 'dantri'))!;
    expect(await titles('mua lon', { links: [{ kind: 'source', ids: [dantri.id] }] })).toEqual(['Mưa lớn ở Hà Nội']);
    expect(await titles('mua lon', { since: T + 7 * 60_000 })).toEqual(['Mưa lớn ở Hà Nội']);
    expect(await countArticles(store.db, spec('mua lon'))).toBe(3);
  });

  it('ranks by relevance, newer first among equals, and pages by rank without gaps or repeats', async () => {
    store = await openTestStore(config);
    await put('vnexpress', [
      article(1, 'Tin tổng hợp', 'Bão gần bờ'),
      article(2, 'Bão mạnh gần bờ biển', null),
      article(3, 'Bão mạnh gần bờ biển', null),
      article(4, 'Kinh tế', 'Không liên quan'),
      ...Array.from({ length: 7 }, (_, i) => article(10 + i, `Bão số ${i} tin ${i}`, 'Thêm chi tiết về cơn bão')),
    ]);
    const s = spec('bão');
    const all = (await listArticleSearchPage(store.db, s, { limit: 50 }, 'relevance')).rows;
    expect(all).toHaveLength(10);
    for (let i = 1; i < all.length; i++) {
      const [x, y] = [all[i - 1], all[i]];
      expect(x.rank! < y.rank! || (x.rank === y.rank && x.published_at >= y.published_at)).toBe(true);
    }
    // The article with the word only in its summary ranks below those with it in the title.
    expect(all.at(-1)!.title).toBe('Tin tổng hợp');
    // Equal ranks: the newer of the two identical titles first.
    const twins = all.filter((r) => r.title === 'Bão mạnh gần bờ biển');
    expect(twins[0].published_at).toBeGreaterThan(twins[1].published_at);
    // Forward pages of 3 and backward pages of 3 rebuild the same order.
    const forward: number[] = [];
    let window: PageWindow = { limit: 3 };
    for (;;) {
      const page = await listArticleSearchPage(store.db, s, window, 'relevance');
      forward.push(...page.rows.map((r) => r.id));
      if (!page.hasMore) break;
      const last = page.rows.at(-1)!;
      window = { limit: 3, after: { rank: last.rank, time: last.published_at, id: last.id } };
    }
    expect(forward).toEqual(all.map((r) => r.id));
    const backward: number[] = [];
    window = { limit: 3, backward: true };
    for (;;) {
      const page = await listArticleSearchPage(store.db, s, window, 'relevance');
      backward.unshift(...page.rows.map((r) => r.id));
      if (!page.hasMore) break;
      const first = page.rows[0];
      window = { limit: 3, backward: true, before: { rank: first.rank, time: first.published_at, id: first.id } };
    }
    expect(backward).toEqual(all.map((r) => r.id));
    // Recency order: newest first, no rank.
    const recent = (await listArticleSearchPage(store.db, s, { limit: 50 }, 'recency')).rows;
    expect(recent.map((r) => r.published_at)).toEqual([...recent.map((r) => r.published_at)].sort((a, b) => b - a));
  });

  it('orders relevance by tiers, the same on both engines: phrase in the title, all words in the title, anywhere', async () => {
    store = await openTestStore(config);
    await put('vnexpress', [
      article(1, 'Giá vàng hôm nay tăng', null),
      article(2, 'Vàng miếng và giá cả', null),
      article(3, 'Thị trường', 'Giá vàng giảm nhẹ'),
      article(4, 'Giá vàng lại giảm', null),
      article(5, 'Giá xăng', 'vàng'),
      article(6, 'Vàng và giá', 'xổ số'),
    ]);
    const order = async (text: string) => (await listArticleSearchPage(store.db, spec(text), { limit: 50 }, 'relevance')).rows.map((r) => [r.rank, r.title]);
    expect(await order('giá vàng')).toEqual([
      [0, 'Giá vàng lại giảm'],
      [0, 'Giá vàng hôm nay tăng'],
      [1, 'Vàng và giá'],
      [1, 'Vàng miếng và giá cả'],
      [2, 'Giá xăng'],
      [2, 'Thị trường'],
    ]);
    // Exclusions apply to every tier; a prefix skips the phrase tier; OR clauses too.
    expect(await order('giá vàng -"xổ số"')).toEqual([
      [0, 'Giá vàng lại giảm'],
      [0, 'Giá vàng hôm nay tăng'],
      [1, 'Vàng miếng và giá cả'],
      [2, 'Giá xăng'],
      [2, 'Thị trường'],
    ]);
    expect((await order('vàn* giá')).map(([rank]) => rank)).toEqual([0, 0, 0, 0, 1, 1]);
    expect(await order('xăng OR "thị trường"')).toEqual([
      [0, 'Giá xăng'],
      [0, 'Thị trường'],
    ]);
  });

  it('runs any user string safely: results or a SearchQueryError, never a database error', async () => {
    store = await openTestStore(config);
    await put('vnexpress', WORLD);
    const hostile = [
      '"',
      '""',
      "'",
      'AND',
      'OR OR OR',
      'NOT',
      '(',
      ')',
      '*',
      'a*',
      '**bão**',
      'NEAR(',
      'NEAR(bão mưa, 2)',
      'bão NEAR mưa',
      'title:bão',
      '{title summary}: bão',
      '^bão',
      '- -- ---',
      "'; DROP TABLE articles; --",
      '1 OR 1=1',
      '%_\\',
      'bão\u0000mưa',
      '\u202e\u200b',
      '🌀 bão',
      'x'.repeat(5000),
      'bão '.repeat(1250),
    ];
    for (const text of hostile) {
      let query;
      try {
        query = parseSearchQuery(text);
      } catch (error) {
        expect(error, text).toBeInstanceOf(SearchQueryError);
        continue;
      }
      const s = { ...noFilter, search: query };
      await expect(listArticlePage(store.db, s, { limit: 5 }), text).resolves.toBeDefined();
      await expect(listArticleSearchPage(store.db, s, { limit: 5 }, 'relevance'), text).resolves.toBeDefined();
      await expect(countArticles(store.db, s), text).resolves.toBeTypeOf('number');
    }
    expect(await titles("'; DROP TABLE articles; --")).toEqual([]);
    expect((await listArticlePage(store.db, noFilter, { limit: 50 })).rows).toHaveLength(WORLD.length);
  });
});

describe('full-text search rows written by a poll [sqlite: FTS5, migration 006]', () => {
  const instances = (table: string) =>
    sql<{ term: string; doc: number; col: string; offset: number }>`select term, doc, col, offset from ${sql.table(table)} order by doc, col, offset`.execute(store.db).then((r) => r.rows);

  it('are the rows the insert trigger would have written, for several feeds stored in one transaction', async () => {
    store = await dialects[0].open(config);
    // Two feeds handed over in the same turn of the event loop share one transaction (src/store/articles.ts),
    // their publication times interleaved (index keys out of order across the feeds).
    const vne = WORLD.map((a, i) => ({ ...a, publishedAt: new Date(T + i * 120_000) }));
    const dt = [article(20, 'Đà Nẵng đón khách quốc tế', 'Khách Hàn Quốc tăng 28/8'), article(21, 'Hà Nội mưa rét', null), article(22, 'Giá xăng E10 giảm', 'Từ 15h chiều nay')].map((a, i) => ({ ...a, publishedAt: new Date(T + 60_000 + i * 120_000) }));
    await Promise.all([put('vnexpress', vne), put('dantri', dt)]);
    // The reference: migration 003's trigger formula run over the stored articles into a twin table.
    await sql`create virtual table ref_search using fts5(title, summary, source, article_id unindexed, published_at unindexed,
      content = '', contentless_delete = 1, contentless_unindexed = 1, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'")`.execute(store.db);
    await sql`insert into ref_search (rowid, title, summary, source, article_id, published_at)
      select (min(max(a.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + a.id), newsgate_search_text(a.title), newsgate_search_text(a.summary), newsgate_search_text(s.name), a.id, a.published_at
      from articles a join sources s on s.id = a.source_id`.execute(store.db);
    await sql`create virtual table temp.got_v using fts5vocab(main, article_search, instance)`.execute(store.db);
    await sql`create virtual table temp.ref_v using fts5vocab(main, ref_search, instance)`.execute(store.db);
    const got = await instances('got_v');
    expect(got.length).toBeGreaterThan(50);
    expect(got).toEqual(await instances('ref_v'));
    expect(await titles('dan tri da nang')).toEqual(['Đà Nẵng đón khách quốc tế']);
  });

  it('never keep another writer’s articles out of the index, even after a poll that failed', async () => {
    store = await dialects[0].open(config);
    await put('vnexpress', [article(1, 'Giá vàng hôm nay tăng mạnh')]);
    // A poll whose transaction fails (its source is gone: the source link breaks a foreign key).
    await expect(storeArticles(store.db, { sourceId: 999, sourceTopicIds: [], articles: [article(2, 'Bão số 5 đổ bộ')], now: T })).rejects.toThrow();
    // Plain SQL in a transaction of its own: the trigger indexes it.
    const source = (await findSourceBySlug(store.db, 'dantri'))!;
    await store.db.transaction().execute((trx) =>
      trx.insertInto('articles').values({ key: 'k-plain', link: 'https://example.vn/plain', title: 'Thủy điện xả lũ', published_at: T, fetched_at: T, updated_at: T, source_id: source.id, story_id: 0, content_hash: 'x', categories: '[]' }).execute(),
    );
    expect(await titles('thuy dien')).toEqual(['Thủy điện xả lũ']);
    expect(await titles('bao so 5')).toEqual([]);
    expect(await titles('gia vang')).toEqual(['Giá vàng hôm nay tăng mạnh']);
  });
});
