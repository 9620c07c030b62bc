import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticleEvents } from '../../src/graphql/events.js';
import type { PollReport } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { pollSource } from '../../src/ingest/pipeline.js';
import { openTestStore } from '../helpers/store.js';
import { graphql } from './gql/index.js';
import { startApi, subscribeSse, type Api } from './harness.js';
import { startWorld, type World } from './world.js';

const ArticleAdded = graphql(`
  subscription ArticleAdded($filter: ArticleFilter) {
    articleAdded(filter: $filter) { id title publishedAt source { slug } topics { slug } }
  }
`);

type Added = { articleAdded: { id: string; title: string; publishedAt: string; source: { slug: string }; topics: { slug: string }[] } };

const subscribe = (api: Api, variables: Record<string, unknown>) => subscribeSse<Added>(api, print(ArticleAdded), variables);

let world: World;
let store: Store;
let api: Api;

beforeAll(async () => {
  world = await startWorld();
  store = await openTestStore();
  api = await startApi(world.config, store);
});
afterAll(async () => {
  await api.close();
  await store.close();
  await world.close();
});

const poll = async (slug: string) => pollSource(api.app.ingest, (await findSourceBySlug(store.db, slug))!);

describe('Subscription.articleAdded over SSE', () => {
  it('streams each new article a poll stores that matches the filter', async () => {
    const business = await subscribe(api, { filter: { topics: ['kinh-doanh'] } });
    const danang = await subscribe(api, { filter: { search: 'đà nẵng' } });
    try {
      expect((await poll('vnexpress')).new).toBe(60);
      const local = await danang.waitFor(3);
      expect(local.map((e) => e.data!.articleAdded.title)).toEqual(['Thời sự số 20', 'ĐÀ NẴNG đón khách quốc tế', 'Mưa lớn kéo dài ở Đà Nẵng']);
      expect(local.every((e) => e.data!.articleAdded.source.slug === 'vnexpress')).toBe(true);

      // 50 new business articles; the shared one was stored by vnexpress already, so it is not "added".
      expect((await poll('tuoitre')).new).toBe(50);
      const added = await business.waitFor(50);
      expect(added).toHaveLength(50);
      expect(added[0].data!.articleAdded).toMatchObject({ title: 'Kinh doanh số 49', source: { slug: 'tuoitre' }, topics: [{ slug: 'kinh-doanh' }] });
      expect(added.every((e) => e.data!.articleAdded.topics.some((t) => t.slug === 'kinh-doanh'))).toBe(true);
      expect(danang.received).toHaveLength(3);
    } finally {
      await business.close();
      await danang.close();
    }
  });

  it('refuses an invalid filter before streaming', async () => {
    const response = await fetch(api.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: print(ArticleAdded), variables: { filter: { since: 'soon' } } }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const tooLong = await fetch(api.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: print(ArticleAdded), variables: { filter: { search: 'x'.repeat(300) } } }),
    });
    const text = await tooLong.text();
    expect(text).toMatch(/BAD_USER_INPUT/);
    expect(text).toMatch(/event: complete/);
  });

  it('keeps serving other clients after one goes away', async () => {
    const gone = await subscribe(api, {});
    await gone.close();
    const still = await subscribe(api, {});
    try {
      expect((await poll('thanhnien')).new).toBe(15);
      expect(await still.waitFor(15)).toHaveLength(15);
      expect(gone.received).toHaveLength(0);
    } finally {
      await still.close();
    }
  });
});

describe('article events', () => {
  const report = (ids: number[]) => ({ newArticleIds: ids }) as unknown as PollReport;

  it('queues reports from the moment of subscribing and unregisters on return, even mid-wait', async () => {
    let emit: (r: PollReport) => void = () => {};
    const events = createArticleEvents({ onStored: (listener) => ((emit = listener), () => {}) });
    const stream = events.subscribe();
    expect(events.size()).toBe(1);
    emit(report([1]));
    emit(report([])); // nothing new: not forwarded
    emit(report([2, 3]));
    expect((await stream.next()).value).toEqual(report([1]));
    expect((await stream.next()).value).toEqual(report([2, 3]));
    const waiting = stream.next();
    await stream.return!();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(events.size()).toBe(0);
  });
});
