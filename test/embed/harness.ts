/**
 * The embed tests' world: fixture feeds on a local HTTP server (dates moved to "just before
 * now", so relative times read "5 phút trước"), the real app on 127.0.0.1, and the real
 * pipeline (pollSource) filling an in-memory database.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App, type AppSettings } from '../../src/app.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { pollSource, type PollReport } from '../../src/ingest/pipeline.js';
import type { Store } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { openTestStore } from '../helpers/store.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/feeds/${name}`, import.meta.url), 'utf8');

const MINUTE = 60_000;
/** Minutes before "now" for the VnExpress items, in feed order: minutes, hours, days, and one older than a month. */
export const VNEXPRESS_AGES = [5, 42, 125, 300, 1500, 2950, 4400, 7300, 10_200, 20_000, 60_000];

function rfc822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

/** RSS `<pubDate>`s of the items (not the channel's) replaced in order by now − ages[i] minutes. */
export function withRecentDates(xml: string, now: number, ages: readonly number[]): string {
  let i = 0;
  return xml.replace(/(<item>[\s\S]*?<pubDate>)[^<]*(<\/pubDate>)/g, (_all, open: string, close: string) => `${open}${rfc822(now - ages[Math.min(i++, ages.length - 1)] * MINUTE)}${close}`);
}

export interface ExtraItem {
  title: string;
  link: string;
  /** Publication time: `at` (ms), or that many minutes before the feed's "now". */
  minutesAgo?: number;
  at?: number;
  image?: string;
  category?: string;
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The VnExpress fixture with its dates moved to now, and `extra` items first (newest). */
export function vnexpressFeed(now: number, extra: readonly ExtraItem[] = []): string {
  const items = extra
    .map(
      (e) =>
        `<item><title>${xmlEscape(e.title)}</title><link>${xmlEscape(e.link)}</link><guid>${xmlEscape(e.link)}</guid>` +
        `<pubDate>${rfc822(e.at ?? now - (e.minutesAgo ?? 0) * MINUTE)}</pubDate>` +
        (e.image ? `<enclosure url="${xmlEscape(e.image)}" type="image/jpeg" length="0"/>` : '') +
        (e.category ? `<category>${xmlEscape(e.category)}</category>` : '') +
        `<description>${xmlEscape(e.title)}</description></item>\n`,
    )
    .join('');
  return withRecentDates(fixture('vnexpress-so-hoa.xml'), now, VNEXPRESS_AGES).replace('<item>', `${items}<item>`);
}

/** A small feed under the test's control ("lab"), for hostile titles. */
export function labFeed(items: readonly { title: string; link: string; image?: string; minutesAgo: number }[], now: number): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Lab</title><link>https://lab.example/</link><description>lab</description>
${items
  .map(
    (e) =>
      `<item><title>${xmlEscape(e.title)}</title><link>${xmlEscape(e.link)}</link><pubDate>${rfc822(now - e.minutesAgo * MINUTE)}</pubDate>` +
      (e.image ? `<enclosure url="${xmlEscape(e.image)}" type="image/jpeg" length="0"/>` : '') +
      `</item>`,
  )
  .join('\n')}
</channel></rss>`;
}

export const HOSTILE_TITLE = `<img src=x onerror=alert(1)>Giá "vàng" & 'bạc' </li><script>alert(2)</script> tăng`;

export interface EmbedWorld {
  app: App;
  store: Store;
  feeds: FixtureServer;
  server: Server;
  /** http://127.0.0.1:<port> */
  base: string;
  now: number;
  poll(slug: string): Promise<PollReport>;
  /** Serves a new VnExpress body (with `extra` items on top) and polls it. */
  publish(extra: readonly ExtraItem[]): Promise<PollReport>;
  get(path: string, headers?: Record<string, string>, method?: string): Promise<Response>;
  close(): Promise<void>;
}

export const CURATED: NonNullable<ConfigInput['feeds']> = [
  { slug: 'xang-dien', title: 'Xăng & điện', topics: ['cong-nghe'], include: ['xăng', 'điện'] },
  { slug: 'tong-hop', title: 'Tổng hợp', collapse: 'story', limit: 20 },
];

export async function startEmbedWorld(options: { settings?: AppSettings } = {}): Promise<EmbedWorld> {
  const now = Date.now();
  const extra: ExtraItem[] = [];
  const feeds = await startFixtureServer({
    '/vnexpress.rss': { body: vnexpressFeed(now) },
    '/tuoitre.rss': { body: fixture('tuoitre-thoi-su.xml') },
    '/thanhnien.rdf': { body: fixture('thanhnien-rdf.xml'), headers: { 'content-type': 'application/rdf+xml' } },
    '/hostile.rss': { body: fixture('hostile.xml') },
    '/lab.rss': {
      body: labFeed(
        [
          { title: HOSTILE_TITLE, link: 'https://lab.example/a?x=1&y="2"', image: 'https://img.lab.example/a.jpg?w=1&h=2', minutesAgo: 1 },
          { title: 'Liên kết nguy hiểm', link: 'javascript:alert(3)', minutesAgo: 2 },
          { title: 'Ảnh nguy hiểm', link: 'https://lab.example/b', image: 'javascript:alert(4)', minutesAgo: 3 },
        ],
        now,
      ),
    },
  });
  const config = makeConfig({
    sources: [
      { slug: 'vnexpress', name: 'VnExpress', url: feeds.url('/vnexpress.rss'), topics: ['cong-nghe'] },
      { slug: 'tuoitre', name: 'Tuổi Trẻ', url: feeds.url('/tuoitre.rss'), topics: ['thoi-su'] },
      { slug: 'thanhnien', name: 'Thanh Niên', url: feeds.url('/thanhnien.rdf'), topics: ['thoi-su'] },
      { slug: 'hostile', name: 'Hostile <b>Outlet</b>', url: feeds.url('/hostile.rss'), topics: [] },
      { slug: 'lab', name: 'Lab', url: feeds.url('/lab.rss'), topics: [] },
    ],
    feeds: CURATED,
  });
  const store = await openTestStore();
  const app = await createApp(config, store, { allowPrivateSources: true, ...options.settings });
  // The app wires no story clustering; group the two outlets' "Bão số 6" reports by hand, as test/output does.
  let storm: number | null = null;
  app.ingest.stories = {
    assign(doc) {
      if (!doc.title.includes('Bão số 6')) return { storyId: doc.id, merged: [] };
      storm ??= doc.id;
      return { storyId: storm, merged: [] };
    },
  };
  const server = createServer(app.handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const poll = async (slug: string) => pollSource(app.ingest, (await findSourceBySlug(store.db, slug))!);
  for (const slug of ['vnexpress', 'tuoitre', 'thanhnien', 'hostile', 'lab']) {
    const report = await poll(slug);
    if (report.outcome !== 'ok') throw new Error(`fixture poll of ${slug} failed: ${report.outcome} ${report.error}`);
  }
  return {
    app,
    store,
    feeds,
    server,
    base,
    now,
    poll,
    publish: async (items) => {
      // Dated from the moment of publishing, so they are the newest items.
      extra.unshift(...items.map((item) => ({ ...item, at: item.at ?? Date.now() - (item.minutesAgo ?? 0) * MINUTE })));
      feeds.set('/vnexpress.rss', { body: vnexpressFeed(now, extra) });
      return poll('vnexpress');
    },
    get: (path, headers = {}, method = 'GET') => fetch(`${base}${path}`, { headers, method }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.yoga.dispose?.();
      await feeds.close();
      await store.close();
    },
  };
}
