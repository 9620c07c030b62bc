import { afterEach, expect, it } from 'vitest';
import { startScheduler, type Scheduler } from '../../src/ingest/scheduler.js';
import type { Store } from '../../src/store/database.js';
import { listSources } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss } from '../helpers/rss.js';
import { openTestStore } from '../helpers/store.js';

const N = 24;
let feeds: FixtureServer | undefined;
let store: Store | undefined;
let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  await store?.close();
  await feeds?.close();
});

it('polls many sources at once without Node warning of a listener leak on the shutdown signal', async () => {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    // Slow answers keep every poll in flight together, each listening to the scheduler's signal.
    const slow = (i: number) => ({
      handler: (_req: unknown, res: import('node:http').ServerResponse) =>
        setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(buildRss([{ title: `Tin ${i}`, link: `https://example.vn/${i}.html` }])), 300),
    });
    feeds = await startFixtureServer(Object.fromEntries(Array.from({ length: N }, (_, i) => [`/f${i}.rss`, slow(i)])));
    const server = feeds;
    store = await openTestStore(makeConfig({ sources: Array.from({ length: N }, (_, i) => ({ slug: `f${i}`, url: server.url(`/f${i}.rss`), name: `F${i}`, topics: [] })) }));
    const db = store.db;
    scheduler = startScheduler({ db, fetch: { timeoutMs: 20_000, maxBytes: 1024 * 1024, userAgent: 'newsgate-test' }, allowPrivateSources: true }, { tickMs: 10 });
    const until = Date.now() + 30_000;
    while (!(await listSources(db)).every((s) => s.last_fetched_at !== null)) {
      if (Date.now() > until) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  } finally {
    process.off('warning', onWarning);
  }
});
