import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { startDemoFeedServer } from '../../src/commands/demo.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { pollAllOnce } from '../../src/ingest/scheduler.js';
import type { Store } from '../../src/store/database.js';
import { openTestStore } from '../helpers/store.js';
import { foldAccents } from '../../src/text/fold.js';

// The demo feeds are the team's realistic multi-outlet sample: the same stories told by
// several outlets, plus hard negatives that must stay apart.
let server: Server;
let store: Store;

beforeAll(async () => {
  server = await startDemoFeedServer('feeds/demo', 0);
  const port = (server.address() as AddressInfo).port;
  const demo = loadConfig('feeds/demo/sources.json');
  const config = parseConfig(JSON.parse(JSON.stringify(demo).replaceAll('127.0.0.1:4080', `127.0.0.1:${port}`)));
  store = await openTestStore();
  const app = await createApp(config, store);
  const reports = await pollAllOnce(app.ingest);
  expect(reports.filter((r) => r.error)).toEqual([]);
}, 60_000);
afterAll(async () => {
  await store?.close();
  server?.close();
});

async function storyOf(titleStart: string) {
  const rows = await store.db.selectFrom('articles').select(['id', 'title', 'story_id']).execute();
  const match = rows.filter((r) => foldAccents(r.title).startsWith(foldAccents(titleStart)));
  expect(match.length, `no article starting "${titleStart}"`).toBeGreaterThan(0);
  return new Set(match.map((r) => r.story_id));
}

async function outletsOf(storyId: number) {
  const rows = await store.db
    .selectFrom('articles')
    .innerJoin('article_sources', 'article_sources.article_id', 'articles.id')
    .select('article_sources.source_id')
    .distinct()
    .where('articles.story_id', '=', storyId)
    .execute();
  return rows.length;
}

describe('stories through the real pipeline', () => {
  it('groups the storm reported by three outlets into one story', async () => {
    const stories = await storyOf('Bão số 6');
    expect(stories.size).toBe(1);
    const [id] = stories;
    expect(await outletsOf(id)).toBeGreaterThanOrEqual(2);
    const story = await store.db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(story.article_count).toBeGreaterThanOrEqual(2);
    expect(story.first_seen_at).toBeLessThanOrEqual(story.last_seen_at);
  });

  it('keeps hard negatives apart: dates, storm numbers', async () => {
    const [gold26] = await storyOf('Giá vàng hôm nay 26/11');
    const [gold27] = await storyOf('Giá vàng hôm nay 27/11');
    expect(gold26).not.toBe(gold27);
    const [storm6] = await storyOf('Bão số 6');
    const [storm5] = await storyOf('Hai tháng sau bão số 5');
    expect(storm6).not.toBe(storm5);
  });

  it('keeps every article in exactly one existing story with consistent counters', async () => {
    const orphans = await store.db
      .selectFrom('articles')
      .leftJoin('stories', 'stories.id', 'articles.story_id')
      .select('articles.id')
      .where('stories.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);
    const counts = await store.db
      .selectFrom('stories')
      .select(['stories.id', 'stories.article_count', (eb) => eb.selectFrom('articles').select(eb.fn.countAll<number>().as('n')).whereRef('articles.story_id', '=', 'stories.id').as('actual')])
      .execute();
    for (const row of counts) expect(row.article_count).toBe(Number(row.actual));
  });
});
