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
      // Keyset pages over the primary key: each page is an index range read, however deep.
      let last: Record<string, unknown> | null = null;
      for (;;) {
        let query = source.selectFrom(table).selectAll();
        if (last) {
          const after = last;
          query = query.where((eb) =>
            key.length === 1
              ? eb(key[0], '>', after[key[0]])
              : eb.or([eb(key[0], '>', after[key[0]]), eb.and([eb(key[0], '=', after[key[0]]), eb(key[1], '>', after[key[1]])])]),
          );
        }
        for (const column of key) query = query.orderBy(column);
        const rows: Record<string, unknown>[] = await query.limit(BATCH).execute();
        if (rows.length === 0) break;
        await trx.insertInto(table).values(rows).execute();
        copied += rows.length;
        last = rows[rows.length - 1];
        if (rows.length < BATCH) break;
      }
      // Nothing may go missing on the way: the target must now hold exactly what the source has.
      const [had, has] = await Promise.all([
        source.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
        trx.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      ]);
      if (Number(had.n) !== copied || Number(has.n) !== copied) {
        throw new StoreError(`${table}: the source has ${had.n} rows, ${copied} were read and the target holds ${has.n}; nothing was copied (a writer on the source? stop the gateway first)`);
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
