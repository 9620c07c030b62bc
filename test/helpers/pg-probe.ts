import pg from 'pg';

/**
 * Where the PostgreSQL test variants run: NEWSGATE_TEST_PG_URL, else the local server as user
 * postgres, then root. Its own module (only `pg`) so test/vitest.config.ts can use it too.
 */
const candidates = (): string[] =>
  process.env.NEWSGATE_TEST_PG_URL
    ? [process.env.NEWSGATE_TEST_PG_URL]
    : ['postgres://postgres@127.0.0.1:5432/test', 'postgres://root@127.0.0.1:5432/test'];

let probed: Promise<{ url: string } | { reason: string }> | null = null;

/** The first PostgreSQL URL that answers, or why none does (asked once per process). */
export function probePostgres(): Promise<{ url: string } | { reason: string }> {
  probed ??= (async () => {
    const reasons: string[] = [];
    for (const url of candidates()) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
      try {
        await client.connect();
        await client.query('select 1');
        return { url };
      } catch (error) {
        reasons.push(`${url.replace(/:[^:@/]*@/, ':***@')}: ${(error as Error).message || (error as Error).name}`);
      } finally {
        await client.end().catch(() => {});
      }
    }
    return { reason: `PostgreSQL is not reachable (${reasons.join('; ')})` };
  })();
  return probed;
}
