import type { Config } from '../../src/config/types.js';
import { pollSource } from '../../src/ingest/pipeline.js';
import type { App } from '../../src/app.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { makeConfig } from '../helpers/config.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss, type RssItem } from '../helpers/rss.js';

/**
 * A small deterministic news world served as RSS by the fixture server and stored by the real
 * pipeline: three outlets, 124 articles over Nov 20–21 2026, one article carried by two outlets,
 * two published at the same second, and Vietnamese titles with capital diacritics for search.
 */
export const T0 = Date.UTC(2026, 10, 20, 0, 0);
const MIN = 60_000;

const rfc822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

export const SHARED_LINK = 'https://vnexpress.net/thoi-su/gia-xang-giam-lan-thu-ba-3.html';

function vnexpress(): RssItem[] {
  return Array.from({ length: 60 }, (_, i) => ({
    title: i === 5 ? 'Mưa lớn kéo dài ở Đà Nẵng' : i === 12 ? 'ĐÀ NẴNG đón khách quốc tế' : i === 3 ? 'Giá xăng giảm lần thứ ba' : `Thời sự số ${i}`,
    link: i === 3 ? SHARED_LINK : `https://vnexpress.net/thoi-su/tin-${i}.html`,
    description: i === 20 ? '<p>Người dân đà nẵng chuẩn bị ứng phó bão</p>' : `<p>Tóm tắt thời sự ${i}</p>`,
    pubDate: rfc822(T0 + i * 10 * MIN),
  }));
}

function tuoitre(): RssItem[] {
  const items: RssItem[] = Array.from({ length: 50 }, (_, i) => ({
    title: `Kinh doanh số ${i}`,
    link: `https://tuoitre.vn/kinh-doanh/bai-${i}.htm`,
    description: `<p>Thị trường ${i}</p>`,
    pubDate: rfc822(T0 + i * 10 * MIN + 5 * MIN),
  }));
  // The same story, same URL, carried by a second outlet: one article with both sources and topics.
  items.push({ title: 'Giá xăng giảm lần thứ ba', link: SHARED_LINK, pubDate: rfc822(T0 + 3 * 10 * MIN) });
  return items;
}

function thanhnien(): RssItem[] {
  return Array.from({ length: 15 }, (_, i) => ({
    title: i === 0 ? 'Trí tuệ nhân tạo 100% tự động' : `Công nghệ số ${i}`,
    link: `https://thanhnien.vn/cong-nghe/${i}.htm`,
    description: `<p>Công nghệ ${i}</p>`,
    // Items 1 and 2 share a publication time with vnexpress items 10 and 20: ties break by id.
    pubDate: rfc822(i === 1 ? T0 + 100 * MIN : i === 2 ? T0 + 200 * MIN : T0 + i * 37 * MIN + 2 * MIN),
  }));
}

/** Distinct articles: the shared item is one article listed by two outlets. */
export const ARTICLE_COUNT = 60 + 50 + 15;

export interface World {
  feeds: FixtureServer;
  config: Config;
  /** Polls every source through the real pipeline (fetch → parse → normalise → store). */
  pollAll(app: App): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(extra: Partial<Parameters<typeof makeConfig>[0]> = {}): Promise<World> {
  const feeds = await startFixtureServer({
    '/vnexpress.rss': { body: buildRss(vnexpress(), { title: 'VnExpress - Thời sự', link: 'https://vnexpress.net/' }) },
    '/tuoitre.rss': { body: buildRss(tuoitre(), { title: 'Tuổi Trẻ - Kinh doanh', link: 'https://tuoitre.vn/' }) },
    '/thanhnien.rss': { body: buildRss(thanhnien(), { title: 'Thanh Niên - Công nghệ', link: 'https://thanhnien.vn/' }) },
  });
  const config = makeConfig({
    sources: [
      { slug: 'vnexpress', url: feeds.url('/vnexpress.rss'), name: 'VnExpress', topics: ['thoi-su'], language: 'vi' },
      { slug: 'tuoitre', url: feeds.url('/tuoitre.rss'), name: 'Tuổi Trẻ', topics: ['kinh-doanh'], language: 'vi' },
      { slug: 'thanhnien', url: feeds.url('/thanhnien.rss'), name: 'Thanh Niên', topics: ['cong-nghe'], language: 'vi' },
    ],
    ...extra,
  });
  return {
    feeds,
    config,
    pollAll: async (app) => {
      for (const slug of ['vnexpress', 'tuoitre', 'thanhnien']) {
        const report = await pollSource(app.ingest, (await findSourceBySlug(app.store.db, slug))!);
        if (report.error) throw new Error(`poll ${slug}: ${report.error}`);
      }
    },
    close: () => feeds.close(),
  };
}
