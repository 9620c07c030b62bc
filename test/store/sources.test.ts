import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug, listDueSources, listSources, syncConfig, updateSourceState } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { testDialects } from '../helpers/dialects.js';

const dialects = await testDialects();
const NOW = Date.UTC(2026, 10, 28, 12);
const config = makeConfig({
  sources: ['d', 'c', 'b', 'a'].map((slug) => ({ slug, url: `https://${slug}.vn/rss`, name: slug.toUpperCase(), topics: ['thoi-su'] })),
});

let store: Store;
afterEach(async () => store?.close());

for (const d of dialects)
  describe.skipIf(d.skip !== null)(`sources [${d.dialect}]${d.skip ? ` (skipped: ${d.skip})` : ''}`, () => {
    it('lists due sources never-polled first, then by next poll time, and in slug order for the table', async () => {
      store = await d.open(config);
      const id = async (slug: string) => (await findSourceBySlug(store.db, slug))!.id;
      await updateSourceState(store.db, await id('a'), { next_poll_at: NOW - 1000 });
      await updateSourceState(store.db, await id('b'), { next_poll_at: NOW - 5000 });
      await updateSourceState(store.db, await id('c'), { next_poll_at: NOW + 60_000 });
      // d was never polled (next_poll_at null): first, whatever the engine's default null order.
      expect((await listDueSources(store.db, NOW)).map((s) => s.slug)).toEqual(['d', 'b', 'a']);
      expect((await listSources(store.db)).map((s) => s.slug)).toEqual(['a', 'b', 'c', 'd']);
    });

    it('disables config sources dropped from the file and keeps their rows', async () => {
      store = await d.open(config);
      await syncConfig(store.db, makeConfig({ sources: [{ slug: 'a', url: 'https://a.vn/rss', name: 'A', topics: [] }] }), NOW);
      expect((await listSources(store.db)).map((s) => s.slug)).toEqual(['a']);
      expect((await listSources(store.db, { includeDisabled: true })).map((s) => [s.slug, s.enabled])).toEqual([
        ['a', 1],
        ['b', 0],
        ['c', 0],
        ['d', 0],
      ]);
    });
  });
