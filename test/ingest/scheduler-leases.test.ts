import { afterEach, describe, expect, it } from 'vitest';
import type { IngestContext } from '../../src/ingest/pipeline.js';
import { startScheduler, type Scheduler } from '../../src/ingest/scheduler.js';
import type { Store } from '../../src/store/database.js';
import { claimDueSources, listSources } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { openSharedStores, testDialects } from '../helpers/dialects.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss } from '../helpers/rss.js';

/**
 * Several gateway instances on one database, each with its own scheduler claiming sources with
 * leases (issue 7): every source is fetched by exactly one of them, and a crashed instance's
 * sources are taken over once its leases lapse. Real schedulers, real HTTP, real databases.
 */
const dialects = await testDialects();
const N = 24;

let feeds: FixtureServer;
let close: (() => Promise<void>) | null = null;
const schedulers: Scheduler[] = [];
afterEach(async () => {
  for (const scheduler of schedulers.splice(0)) await scheduler.stop();
  await close?.();
  close = null;
  await feeds?.close();
});

async function world(dialect: 'sqlite' | 'postgres', instances: number) {
  const routes = Object.fromEntries(
    Array.from({ length: N }, (_, i) => [
      `/f${i}.rss`,
      { body: buildRss([0, 1].map((k) => ({ title: `Tin ${i}-${k}`, link: `https://example.vn/${i}/${k}.html`, pubDate: new Date(Date.UTC(2026, 10, 28, 1, i, k)).toUTCString() }))) },
    ]),
  );
  feeds = await startFixtureServer(routes);
  const config = makeConfig({ sources: Array.from({ length: N }, (_, i) => ({ slug: `f${i}`, url: feeds.url(`/f${i}.rss`), name: `F${i}`, topics: [] })) });
  const shared = await openSharedStores(dialect, instances, config);
  close = shared.close;
  const ingest = (store: Store): IngestContext => ({
    db: store.db,
    fetch: { timeoutMs: 20_000, maxBytes: 15 * 1024 * 1024, userAgent: 'newsgate-test' },
    allowPrivateSources: true,
  });
  return { stores: shared.stores, ingest };
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const allPolled = (store: Store) => async () => (await listSources(store.db)).every((s) => s.last_fetched_at !== null);

for (const d of dialects)
  describe.skipIf(d.skip !== null)(`schedulers with poll leases [${d.dialect}]${d.skip ? ` (skipped: ${d.skip})` : ''}`, () => {
    it('claims the next batch as soon as half the last one is done when more sources are due, not a tick later', async () => {
      const { stores, ingest } = await world(d.dialect, 1);
      // A tick a minute and 4 claims at a time: without the early claim, one tick would poll 4 of 24.
      schedulers.push(startScheduler(ingest(stores[0]), { tickMs: 60_000, lease: { owner: 'solo', leaseMs: 60_000, maxClaims: 4 } }));
      await waitFor(allPolled(stores[0]), 20_000);
      for (let i = 0; i < N; i++) expect(feeds.hits(`/f${i}.rss`), `f${i}`).toBe(1);
    });

    it('has each source fetched by exactly one of three instances', async () => {
      const { stores, ingest } = await world(d.dialect, 3);
      const polledBy = new Map<string, string[]>();
      stores.forEach((store, i) => {
        schedulers.push(
          startScheduler(ingest(store), {
            tickMs: 10,
            lease: { owner: `i${i}`, leaseMs: 60_000, maxClaims: 4 },
            onReport: (report) => polledBy.set(report.source, [...(polledBy.get(report.source) ?? []), `i${i}`]),
          }),
        );
      });
      await waitFor(allPolled(stores[0]));
      for (const scheduler of schedulers.splice(0)) await scheduler.stop();
      for (let i = 0; i < N; i++) expect(feeds.hits(`/f${i}.rss`), `f${i}`).toBe(1);
      expect([...polledBy.values()].every((owners) => owners.length === 1)).toBe(true);
      // The work was shared, and every lease was given back.
      expect(new Set([...polledBy.values()].flat()).size).toBeGreaterThan(1);
      const rows = await listSources(stores[0].db);
      expect(rows.filter((s) => s.lease_owner !== null)).toEqual([]);
      const articles = await stores[0].db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(articles.n)).toBe(2 * N);
    });

    it("takes over a crashed instance's sources once its leases lapse", async () => {
      const { stores, ingest } = await world(d.dialect, 2);
      // The "crashed" instance claimed everything and will never poll or give anything back.
      const leaseMs = 1_500;
      const claimedAt = Date.now();
      expect(await claimDueSources(stores[0].db, { owner: 'crashed', now: claimedAt, leaseMs, limit: N })).toHaveLength(N);
      const firstPollAt: number[] = [];
      schedulers.push(startScheduler(ingest(stores[1]), { tickMs: 10, lease: { owner: 'survivor', leaseMs }, onReport: () => firstPollAt.push(Date.now()) }));
      await waitFor(allPolled(stores[1]));
      expect(Math.min(...firstPollAt)).toBeGreaterThanOrEqual(claimedAt + leaseMs);
      for (let i = 0; i < N; i++) expect(feeds.hits(`/f${i}.rss`), `f${i}`).toBe(1);
    });
  });
