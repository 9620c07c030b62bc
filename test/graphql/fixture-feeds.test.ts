import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pollSource } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { openTestStore } from '../helpers/store.js';
import { graphql } from './gql/index.js';
import { startApi, type Api } from './harness.js';

/** The realistic fixture feeds (test/fixtures/feeds) through the real pipeline, read back through the API. */
const FEEDS = [
  ['vnexpress', 'vnexpress-so-hoa.xml', 'application/rss+xml', ['cong-nghe']],
  ['tuoitre', 'tuoitre-thoi-su.xml', 'application/rss+xml', ['thoi-su']],
  ['dantri', 'dantri-atom.xml', 'application/atom+xml', ['kinh-doanh']],
  ['thanhnien', 'thanhnien-rdf.xml', 'application/rdf+xml', ['thoi-su']],
  ['hostile', 'hostile.xml', 'application/rss+xml', []],
] as const;

const E10 = 'https://vnexpress.net/cong-bo-ket-qua-nghien-cuu-anh-huong-cua-xang-e10-voi-o-to-xe-may-4930112.html';

const Everything = graphql(`
  query Everything {
    articles(first: 100) {
      totalCount
      edges { node { id title link publishedAt contentHtml summary imageUrl source { slug } sources { slug } topics { slug } story { id } } }
    }
  }
`);

const StoriesAbout = graphql(`
  query StoriesAbout($search: String!) {
    stories(filter: { search: $search }) {
      edges { node { headline articleCount sources { slug } articles { title source { slug } } } }
    }
  }
`);

let feeds: FixtureServer;
let store: Store;
let api: Api;
let stored = 0;

beforeAll(async () => {
  feeds = await startFixtureServer(
    Object.fromEntries(
      FEEDS.map(([slug, file, type]) => [`/${slug}.xml`, { headers: { 'content-type': `${type}; charset=utf-8` }, body: readFileSync(`test/fixtures/feeds/${file}`) }]),
    ),
  );
  const config = makeConfig({ sources: FEEDS.map(([slug, , , topics]) => ({ slug, url: feeds.url(`/${slug}.xml`), name: slug, topics: [...topics] })) });
  store = await openTestStore();
  api = await startApi(config, store);
  for (const [slug] of FEEDS) {
    const report = await pollSource(api.app.ingest, (await findSourceBySlug(store.db, slug))!);
    expect(report.error, slug).toBeNull();
    stored += report.new;
  }
});
afterAll(async () => {
  await api.close();
  await store.close();
  await feeds.close();
});

describe('fixture feeds through the pipeline and the API', () => {
  it('lists every stored article newest first, with UTC times', async () => {
    const data = await api.data(Everything);
    expect(stored).toBeGreaterThan(40);
    expect(data.articles.totalCount).toBe(stored);
    expect(data.articles.edges).toHaveLength(stored);
    const times = data.articles.edges.map((e) => e.node.publishedAt);
    expect(times.every((t) => /Z$/.test(t))).toBe(true);
    expect([...times].sort().reverse()).toEqual(times);
    // All fixture dates are 24–28 August 2026 (+07:00).
    expect(times.every((t) => t >= '2026-08-23T17:00:00.000Z' && t < '2026-08-28T17:00:00.000Z')).toBe(true);
  });

  it('shows the article both outlets carried once, with both outlets and topics', async () => {
    const data = await api.data(Everything);
    const e10 = data.articles.edges.filter((e) => e.node.link === E10);
    expect(e10).toHaveLength(1);
    expect(e10[0].node.sources.map((s) => s.slug)).toEqual(['vnexpress', 'tuoitre']);
    expect(e10[0].node.topics.map((t) => t.slug)).toEqual(['cong-nghe', 'thoi-su']);
  });

  it('resolves relative Atom links and serves only sanitised HTML', async () => {
    const data = await api.data(Everything);
    const dantri = data.articles.edges.filter((e) => e.node.source.slug === 'dantri');
    expect(dantri.length).toBeGreaterThan(0);
    expect(dantri.every((e) => e.node.link.startsWith('https://dantri.com.vn/'))).toBe(true);
    const hostile = data.articles.edges.filter((e) => e.node.source.slug === 'hostile');
    expect(hostile.length).toBeGreaterThan(0);
    for (const { node } of hostile) {
      const html = node.contentHtml ?? '';
      expect(html).not.toMatch(/<script|javascript:|vbscript:|onerror|onload|onclick|<iframe|<object|<embed|<form|<style|<meta|<base/i);
      expect(node.link).not.toMatch(/^javascript:/i);
      expect(node.title).not.toMatch(/</);
    }
  });

  it('groups the storm reports of two outlets into a story listing both', async () => {
    const data = await api.data(StoriesAbout, { search: 'Bão số 6' });
    // Which other articles the clusterer adds is its business; both storm reports must share a story.
    const storm = data.stories.edges.find((e) => e.node.articles.some((a) => a.source.slug === 'tuoitre' && a.title.startsWith('Bão số 6')))!.node;
    expect(storm.articles.some((a) => a.source.slug === 'thanhnien' && a.title.startsWith('Bão số 6'))).toBe(true);
    expect(storm.sources.map((s) => s.slug)).toEqual(expect.arrayContaining(['thanhnien', 'tuoitre']));
    for (const { node } of data.stories.edges) {
      expect(node.articleCount).toBe(node.articles.length);
      // Distinct outlets, by name (names equal slugs here).
      expect(node.sources.map((s) => s.slug)).toEqual([...new Set(node.articles.map((a) => a.source.slug))].sort());
    }
  });
});
