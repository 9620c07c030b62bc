import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { migrateDatabase } from '../../src/store/open.js';
import { toSearchText } from '../../src/text/search-query.js';
import { testDialects } from '../helpers/dialects.js';

const dialects = await testDialects();
const pgCase = dialects.find((d) => d.dialect === 'postgres')!;

/** Every line of text in the fixture and demo feeds (tags, entities and all): a varied corpus of real headlines and noise. */
function corpus(): string[] {
  const lines = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(xml|rss|atom|json|jsonl|txt)$/.test(entry.name)) for (const line of readFileSync(path, 'utf8').split('\n')) if (line.trim()) lines.add(line.slice(0, 2000));
    }
  };
  walk('test/fixtures');
  walk('feeds/demo');
  for (const extra of [
    'Giá xăng E10 hôm nay 28/8 tăng 1,6% lên 10.000 đồng', 'U-21 Việt Nam thắng 3-0, MH-17, COVID-19', 'ĐÀ NẴNG Ðà Nẵng Thuỷ điện Thủy điện hoà hòa',
    'Đa\u0300 Na\u0306\u0303ng (NFD)', 'soft\u00adhyphen zero\u200bwidth \ufeffBOM', 'abcdef-5 ab-cd-5 ab-3-4 5ab-3 Ă-5 đ-5 x-1', '10:30 1.2.3 a.b 1,, ,1 -5 5- 1/2/3/4',
    "O'Neil \\ back\\slash \"quotes\" 中文 日本語 한국어 Ελληνικά Русский café naïve", '', '   ', '###',
  ])
    lines.add(extra);
  return [...lines];
}

describe('migrations', () => {
  it('give SQLite exactly the schema they always gave (frozen: PostgreSQL branches must not leak into SQLite)', async () => {
    const store = await openStore(':memory:', { migrate: false });
    try {
      // 001–003 as released; later migrations add to the schema and are not part of this record.
      const { error } = await new Migrator({ db: store.db, provider: migrationProvider }).migrateTo('003-article-search');
      expect(error).toBeUndefined();
      const rows = store.sqlite.prepare('select type, name, tbl_name, sql from sqlite_master order by type, name').all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
      const dump = rows.map((r) => `-- ${r.type} ${r.name} on ${r.tbl_name}\n${r.sql ?? ''};\n`).join('\n');
      // Recorded from the migrations as released, before PostgreSQL support. A difference here means
      // a released migration was edited: databases that already ran it would not get the change.
      expect(dump).toBe(readFileSync('test/fixtures/sqlite-schema.sql', 'utf8'));
    } finally {
      await store.close();
    }
  });

  describe.skipIf(pgCase.skip !== null)(`on PostgreSQL${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
    it('apply once, and again as a no-op', async () => {
      const store = await pgCase.open();
      try {
        expect(await migrateDatabase(store)).toEqual([]);
        const tables = await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = current_schema() order by 1`.execute(store.db);
        expect(tables.rows.map((r) => r.t)).toEqual([
          'article_search', 'article_sources', 'article_tombstones', 'article_topics', 'articles', 'kysely_migration', 'kysely_migration_lock', 'source_topics', 'sources', 'stories', 'story_aliases', 'topics',
        ]);
        // Slugs order by code point, as on SQLite, whatever the database's locale.
        const collations = await sql<{ t: string; c: string }>`select table_name as t, collation_name as c from information_schema.columns where table_schema = current_schema() and column_name = 'slug' order by 1`.execute(store.db);
        expect(collations.rows).toEqual([
          { t: 'sources', c: 'C' },
          { t: 'topics', c: 'C' },
        ]);
      } finally {
        await store.close();
      }
    });

    it('build the same search document from text folded in JavaScript as the trigger builds from the raw text', async () => {
      const store = await pgCase.open();
      try {
        const lines = corpus();
        const mismatches: { i: number; app: string; trigger: string }[] = [];
        for (let i = 0; i + 2 < lines.length; i += 600) {
          // Triples of corpus lines as title, source name and summary.
          const triples = Array.from({ length: 200 }, (_, k) => [lines[(i + 3 * k) % lines.length], lines[(i + 3 * k + 1) % lines.length], lines[(i + 3 * k + 2) % lines.length]]);
          const folded = triples.map((t) => t.map((x) => toSearchText(x)));
          const result = await sql<{ i: number; app: string; trigger: string }>`
            select u.ord::int as i, newsgate_search_doc(u.a, u.b, u.c)::text as app, newsgate_search_vector(u.x, u.y, u.z)::text as trigger
            from unnest(${folded.map((t) => t[0])}::text[], ${folded.map((t) => t[1])}::text[], ${folded.map((t) => t[2])}::text[],
                        ${triples.map((t) => t[0])}::text[], ${triples.map((t) => t[1])}::text[], ${triples.map((t) => t[2])}::text[]) with ordinality as u(a, b, c, x, y, z, ord)`.execute(store.db);
          for (const row of result.rows) if (row.app !== row.trigger) mismatches.push(row);
        }
        expect(mismatches.slice(0, 3)).toEqual([]);
      } finally {
        await store.close();
      }
    });

    it('fold search text in SQL exactly as toSearchText does in JavaScript', async () => {
      const store = await pgCase.open();
      try {
        const lines = corpus();
        expect(lines.length).toBeGreaterThan(500);
        const mismatches: { text: string; js: string; pg: string }[] = [];
        for (let i = 0; i < lines.length; i += 200) {
          const chunk = lines.slice(i, i + 200);
          const result = await sql<{ i: number; out: string }>`select ord::int as i, newsgate_search_text(t) as out from unnest(${chunk}::text[]) with ordinality as u(t, ord)`.execute(store.db);
          for (const row of result.rows) {
            const text = chunk[row.i - 1];
            const js = toSearchText(text);
            if (js !== row.out) mismatches.push({ text, js, pg: row.out });
          }
        }
        expect(mismatches.slice(0, 5)).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
});
