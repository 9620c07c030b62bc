import { sql, type Kysely } from 'kysely';
import type { Store } from './database.js';
import { StoreError } from './database.js';
import { dialectOf } from './dialect.js';
import type { Database } from './types.js';

/**
 * Copies every row of one store into another, empty one (`newsgate copy`, issue 7: moving an
 * embedded SQLite database to PostgreSQL). Ids are kept, so global ids, cursors, story aliases
 * and feed guids stay valid; the search index is rebuilt by the target's own triggers; identity
 * sequences are moved past the copied ids. The whole copy is one transaction on the target:
 * it lands completely or not at all.
 */
export const COPY_TABLES = [
  // Parents before children (foreign keys).
  { table: 'topics', key: ['id'] },
  { table: 'sources', key: ['id'] },
  { table: 'source_topics', key: ['source_id', 'topic_id'] },
  { table: 'stories', key: ['id'] },
  { table: 'story_aliases', key: ['alias_id'] },
  { table: 'articles', key: ['id'] },
  { table: 'article_sources', key: ['article_id', 'source_id'] },
  { table: 'article_topics', key: ['article_id', 'topic_id'] },
  { table: 'article_tombstones', key: ['key'] },
] as const satisfies readonly { table: keyof Database; key: readonly string[] }[];

/** Tables whose id is an identity column on PostgreSQL. */
const IDENTITY_TABLES = ['topics', 'sources', 'stories', 'articles'] as const;

export type CopyCounts = Record<(typeof COPY_TABLES)[number]['table'], number>;

const BATCH = 500;

export async function copyStore(from: Pick<Store, 'db'>, to: Pick<Store, 'db'>, options: { onTable?: (table: string, rows: number) => void } = {}): Promise<CopyCounts> {
  const source = from.db as unknown as Kysely<any>;
  const target = to.db as unknown as Kysely<any>;
  for (const { table } of COPY_TABLES) {
    const row = await target.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    if (Number(row.n) > 0) throw new StoreError(`the target database is not empty (${table} has ${row.n} rows); copy only fills an empty, migrated database`);
  }
  const counts = {} as CopyCounts;
  await target.transaction().execute(async (trx) => {
    for (const { table, key } of COPY_TABLES) {
      let copied = 0;
      let offset = 0;
      // Keyset pages would need per-table tuple comparisons; ordered offset pages over the primary key are simple and fine for a one-off move.
      for (;;) {
        let query = source.selectFrom(table).selectAll();
        for (const column of key) query = query.orderBy(column);
        const rows = await query.limit(BATCH).offset(offset).execute();
        if (rows.length === 0) break;
        await trx.insertInto(table).values(rows).execute();
        copied += rows.length;
        offset += rows.length;
        if (rows.length < BATCH) break;
      }
      counts[table] = copied;
      options.onTable?.(table, copied);
    }
    if (dialectOf(trx) === 'postgres') {
      for (const table of IDENTITY_TABLES) {
        await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(trx);
      }
    }
  });
  return counts;
}
