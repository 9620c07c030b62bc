import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/ingest/pipeline.js';
import { pollAllOnce } from '../../src/ingest/scheduler.js';
import type { Store } from '../../src/store/database.js';
import { openDatabase } from '../../src/store/open.js';
import { findSourceBySlug, syncConfig } from '../../src/store/sources.js';
import { createPgSchema, openSharedStores, probePostgres, testDialects } from '../helpers/dialects.js';
import { startApi, subscribeSse, type Api } from './harness.js';
import { startWorld, type World } from './world.js';

/**
 * Issue 7 over HTTP: gateway instances sharing one PostgreSQL database. What one instance polls
 * reaches the other's `articleAdded` subscribers (LISTEN/NOTIFY) and its cached feeds; and an
 * instance with DATABASE_READ_URL answers queries from that database while writing to --db.
 */
const pgCase = (await testDialects()).find((d) => d.dialect === 'postgres')!;

const ARTICLE_ADDED = 'subscription($filter: ArticleFilter) { articleAdded(filter: $filter) { id title source { slug } } }';
const COUNT = '{ articles(first: 1) { totalCount } }';

type Added = { articleAdded: { id: string; title: string; source: { slug: string } } };

let world: World;
let stores: Store[] = [];
let apis: Api[] = [];
let close: (() => Promise<void>) | null = null;
let primaryUrl = '';

beforeAll(async () => {
  if (pgCase.skip !== null) return;
  world = await startWorld();
  const shared = await openSharedStores('postgres', 2, world.config);
  stores = shared.stores;
  close = shared.close;
  primaryUrl = shared.target;
  apis = [await startApi(world.config, stores[0]), await startApi(world.config, stores[1])];
});
afterAll(async () => {
  for (const api of apis) await api.close();
  await close?.();
  await world?.close();
});

describe.skipIf(pgCase.skip !== null)(`several instances on one PostgreSQL database${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
  it('streams articles another instance stores to this one’s subscribers, and refreshes its cached feeds', async () => {
    const [here, there] = apis;
    const feedUrl = `${here.origin}/feeds/sources/tuoitre.json`;
    const before = (await (await fetch(feedUrl)).json()) as { items: unknown[] };
    expect(before.items).toHaveLength(0);
    expect((await (await fetch(feedUrl)).json()) as { items: unknown[] }).toMatchObject({ items: [] }); // now cached

    const business = await subscribeSse<Added>(here, ARTICLE_ADDED, { filter: { topics: ['kinh-doanh'] } });
    try {
      const report = await pollSource(there.app.ingest, (await findSourceBySlug(there.store.db, 'tuoitre'))!);
      expect(report.new).toBeGreaterThanOrEqual(50);
      const added = await business.waitFor(report.new, 10_000);
      expect(added).toHaveLength(report.new);
      expect(added.every((e) => e.data!.articleAdded.source.slug === 'tuoitre')).toBe(true);
      const nodeId = (id: number) => Buffer.from(`Article:${id}`).toString('base64');
      expect(new Set(added.map((e) => e.data!.articleAdded.id))).toEqual(new Set(report.newArticleIds.map(nodeId)));
    } finally {
      await business.close();
    }
    const after = (await (await fetch(feedUrl)).json()) as { items: unknown[] };
    expect(after.items.length).toBeGreaterThan(0);
  });

  it('reads its cached feeds again after losing its notification connection (changes meanwhile went unheard)', async () => {
    const [here] = apis;
    const feedUrl = `${here.origin}/feeds/sources/tuoitre.json`;
    type JsonFeed = { items: { url: string; title: string }[] };
    const titleOf = async (url: string) => ((await (await fetch(feedUrl)).json()) as JsonFeed).items.find((item) => item.url === url)?.title;
    const [first] = ((await (await fetch(feedUrl)).json()) as JsonFeed).items;
    expect(first).toBeDefined();
    // A change nobody announces (plain SQL: an operator's fix): the cached feed keeps what it rendered…
    await sql`update articles set title = ${'Tiêu đề sửa tay'} where link = ${first.url}`.execute(stores[1].db);
    expect(await titleOf(first.url)).toBe(first.title);
    // …until this instance's listening connection drops: once it is back, what was stored
    // meanwhile is unknown, so every cached feed is read again.
    const { rows } = await sql<{ channel: string }>`select 'newsgate_' || md5(current_schema()) as channel`.execute(here.store.db);
    const killed = await sql`select pg_terminate_backend(pid) from pg_stat_activity where query = ${`listen "${rows[0].channel}"`}`.execute(here.store.db);
    expect(killed.rows.length).toBeGreaterThan(0);
    const until = Date.now() + 10_000;
    while ((await titleOf(first.url)) !== 'Tiêu đề sửa tay' && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await titleOf(first.url)).toBe('Tiêu đề sửa tay');
  });

  it('reads from DATABASE_READ_URL and writes to the primary', async () => {
    const probe = await probePostgres();
    if (!('url' in probe)) throw new Error(probe.reason);
    // Stand-in for a replica: another database with the schema and sources, and none of the primary's articles.
    const replica = await createPgSchema(probe.url);
    const replicaStore = await openDatabase(replica.url, { migrate: true });
    await syncConfig(replicaStore.db, world.config, Date.now());
    await replicaStore.close();
    const store = await openDatabase(primaryUrl, { readUrl: replica.url });
    const api = await startApi(world.config, store);
    try {
      const primaryCount = Number((await stores[0].db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(primaryCount).toBeGreaterThan(0);
      expect((await api.raw(COUNT)).body.data.articles.totalCount).toBe(0);
      const feed = (await (await fetch(`${api.origin}/feeds/sources/tuoitre.json`)).json()) as { items: unknown[] };
      expect(feed.items).toHaveLength(0);

      const report = await pollSource(api.app.ingest, (await findSourceBySlug(store.db, 'vnexpress'))!);
      expect(report.new).toBeGreaterThan(0);
      const afterPoll = Number((await stores[0].db.selectFrom('articles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(afterPoll).toBe(primaryCount + report.new);
      expect((await api.raw(COUNT)).body.data.articles.totalCount).toBe(0);
    } finally {
      await api.close();
      await store.close();
      await replica.drop();
    }
  });

  it('poll --once leaves a source another instance is polling right now to it, and gives back what it claimed', async () => {
    const [here] = apis;
    const db = here.store.db;
    const busy = (await findSourceBySlug(db, 'thanhnien'))!;
    const until = Date.now() + 60_000;
    await db.updateTable('sources').set({ lease_owner: 'other-instance', lease_expires_at: until }).where('id', '=', busy.id).execute();
    const reports = await pollAllOnce(here.app.ingest, undefined, { owner: 'poll-once', leaseMs: 30_000 });
    expect(reports.map((r) => r.source).sort()).toEqual(['tuoitre', 'vnexpress']);
    expect(reports.every((r) => r.error === null)).toBe(true);
    expect(reports.skipped).toBe(1);
    const leases = await db.selectFrom('sources').select(['slug', 'lease_owner']).orderBy('slug').execute();
    expect(leases).toEqual([
      { slug: 'thanhnien', lease_owner: 'other-instance' },
      { slug: 'tuoitre', lease_owner: null },
      { slug: 'vnexpress', lease_owner: null },
    ]);
  });
});
