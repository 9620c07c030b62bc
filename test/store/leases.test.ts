import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { claimDueSources, findSourceBySlug, releaseSourceLease, renewSourceLeases, updateSourceState } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { openSharedStores, testDialects, type TestDialect } from '../helpers/dialects.js';

/**
 * Poll leases (issue 7): sources claimed by one instance are not handed to another until the
 * lease is given back or lapses. "Instances" here are stores of their own (connections, or pools)
 * on one database: a SQLite file, a PostgreSQL schema.
 */
const dialects = await testDialects();
const NOW = Date.UTC(2026, 10, 28, 12);
const LEASE = 5 * 60_000;
const slugs = Array.from({ length: 12 }, (_, i) => `s${String(i).padStart(2, '0')}`);
const config = makeConfig({ sources: slugs.map((slug) => ({ slug, url: `https://${slug}.vn/rss`, name: slug, topics: [] })) });

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

/** `n` stores on one fresh, migrated database with the config synced in. */
async function instances(dialect: TestDialect, n: number): Promise<Store[]> {
  const shared = await openSharedStores(dialect, n, config);
  cleanup = shared.close;
  return shared.stores;
}

for (const d of dialects)
  describe.skipIf(d.skip !== null)(`poll leases [${d.dialect}]${d.skip ? ` (skipped: ${d.skip})` : ''}`, () => {
    it('hands a due source to one owner until it is released or the lease lapses', async () => {
      const [store] = await instances(d.dialect, 1);
      const id = async (slug: string) => (await findSourceBySlug(store.db, slug))!.id;
      // s00 polled recently and not due; s01 due a minute ago; the others never polled.
      await updateSourceState(store.db, await id('s00'), { next_poll_at: NOW + 60_000 });
      await updateSourceState(store.db, await id('s01'), { next_poll_at: NOW - 60_000 });
      const a = await claimDueSources(store.db, { owner: 'a', now: NOW, leaseMs: LEASE, limit: 3 });
      expect(a.map((s) => s.slug)).toEqual(['s02', 's03', 's04']);
      expect(a.every((s) => s.lease_owner === 'a' && s.lease_expires_at === NOW + LEASE)).toBe(true);
      const b = await claimDueSources(store.db, { owner: 'b', now: NOW, leaseMs: LEASE, limit: 20 });
      expect(b.map((s) => s.slug)).toEqual([...slugs.slice(5), 's01']);
      expect(await claimDueSources(store.db, { owner: 'c', now: NOW + 1000, leaseMs: LEASE, limit: 20 })).toEqual([]);
      // a finishes s02 (its next poll stored) and gives it back; b cannot release what it does not hold.
      await updateSourceState(store.db, await id('s02'), { next_poll_at: NOW + 900_000 });
      expect(await releaseSourceLease(store.db, { owner: 'b', id: await id('s02') })).toBe(false);
      expect(await releaseSourceLease(store.db, { owner: 'a', id: await id('s02') })).toBe(true);
      // a renews s03 only; at the lease's end s04 and all of b's lapse and go to c (with s00, due by
      // then), s03 stays a's and s02 is not due.
      expect(await renewSourceLeases(store.db, { owner: 'a', ids: [await id('s03'), await id('s05')], now: NOW + LEASE - 1000, leaseMs: LEASE })).toBe(1);
      const c = await claimDueSources(store.db, { owner: 'c', now: NOW + LEASE, leaseMs: LEASE, limit: 20 });
      expect(c.map((s) => s.slug)).toEqual(['s04', ...slugs.slice(5), 's01', 's00']);
    });

    it('never gives one source to two instances claiming at the same moment', async () => {
      const stores = await instances(d.dialect, 3);
      const claimed: string[][] = [[], [], []];
      // Three instances, each claiming two at a time, over and over, all at once.
      await Promise.all(
        stores.map(async (store, i) => {
          for (let round = 0; round < 6; round++) {
            const got = await claimDueSources(store.db, { owner: `i${i}`, now: NOW, leaseMs: LEASE, limit: 2 });
            claimed[i].push(...got.map((s) => s.slug));
          }
        }),
      );
      const all = claimed.flat();
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(slugs);
    });
  });
