import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoryAssigner } from '../../src/store/articles.js';
import { buildRss } from '../helpers/rss.js';
import { startHarness, type Harness } from './harness.js';

/** Test clustering: every title mentioning "Bão số 6" joins the first such article's story. */
function stormStories(): StoryAssigner {
  let storm: number | null = null;
  return {
    assign(doc) {
      if (!doc.title.includes('Bão số 6')) return { storyId: doc.id, merged: [] };
      storm ??= doc.id;
      return { storyId: storm, merged: [] };
    },
  };
}

const vne = buildRss([
  {
    title: 'Bão số 6 mạnh lên, hướng vào Quảng Ngãi',
    link: 'https://vnexpress.net/bao-so-6-manh-len-1.html',
    pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700',
    description: '<p>Bão số 6 mạnh cấp 12.</p><img src="https://i1-vnexpress.vnecdn.net/bao6.jpg">',
  },
  { title: 'Cảnh báo lừa đảo qua điện thoại dịp cuối năm', link: 'https://vnexpress.net/canh-bao-lua-dao-2.html', pubDate: 'Thu, 27 Nov 2026 09:00:00 +0700' },
  { title: 'Thuê bao di động phải xác thực sinh trắc học', link: 'https://vnexpress.net/thue-bao-3.html', pubDate: 'Thu, 27 Nov 2026 08:30:00 +0700' },
  { title: 'Kết quả xổ số: giải đặc biệt trúng giữa mùa bão', link: 'https://vnexpress.net/xo-so-4.html', pubDate: 'Thu, 27 Nov 2026 08:00:00 +0700' },
  { title: 'LŨ QUÉT Ở LÀO CAI', link: 'https://vnexpress.net/lu-quet-5.html', pubDate: 'Thu, 27 Nov 2026 07:00:00 +0700' },
]);
const dantri = buildRss([
  { title: 'Bão số 6 hình thành trên Biển Đông', link: 'https://dantri.com.vn/bao-so-6-hinh-thanh-1.htm', pubDate: 'Thu, 27 Nov 2026 06:00:00 +0700' },
  { title: 'Ba\u0303o lớn gây mưa ở Huế', link: 'https://dantri.com.vn/bao-lon-hue-2.htm', pubDate: 'Thu, 27 Nov 2026 05:00:00 +0700' },
]);
const tuoitre = buildRss([
  { title: 'Bão số 6: hàng không hủy chuyến', link: 'https://tuoitre.vn/bao-so-6-hang-khong-1.htm', pubDate: 'Thu, 27 Nov 2026 11:00:00 +0700' },
  { title: 'Giá vàng tăng mạnh', link: 'https://tuoitre.vn/gia-vang-2.htm', pubDate: 'Thu, 27 Nov 2026 04:00:00 +0700' },
]);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    routes: { '/vne.rss': vne, '/dantri.rss': dantri, '/tuoitre.rss': tuoitre },
    sources: [
      { slug: 'vnexpress', path: '/vne.rss', name: 'VnExpress', topics: ['thoi-su'] },
      { slug: 'dantri', path: '/dantri.rss', name: 'Dân trí', topics: ['thoi-su'] },
      { slug: 'tuoitre', path: '/tuoitre.rss', name: 'Tuổi Trẻ', topics: ['kinh-doanh'] },
    ],
    feeds: [
      { slug: 'tin-nong', title: 'Tin nóng', description: 'Bão, lũ', topics: ['thoi-su'], include: ['bão', 'lũ'], exclude: ['xổ số'], collapse: 'story' },
      { slug: 'tin-nong-phang', title: 'Tin nóng (từng bài)', topics: ['thoi-su'], include: ['bão', 'lũ'], exclude: ['xổ số'] },
      { slug: 'khong-dau', title: 'Không dấu', include: ['bao'] },
      { slug: 'vne-thoi-su', title: 'VnExpress thời sự', topics: ['thoi-su', 'kinh-doanh'], sources: ['vnexpress'], limit: 2 },
      { slug: 'moi-nhat', title: 'Mới nhất', limit: 3 },
      { slug: 'ma', title: 'Ma', topics: ['cong-nghe'] },
    ],
  });
  h.app.ingest.stories = stormStories();
  for (const slug of ['dantri', 'vnexpress', 'tuoitre']) expect((await h.poll(slug)).outcome).toBe('ok');
});
afterAll(async () => {
  await h.close();
});

type JsonItem = { id: string; url: string; title: string; content_html: string; date_published: string; date_modified: string };
const items = async (path: string): Promise<JsonItem[]> => {
  const res = await h.get(path);
  expect(res.status, path).toBe(200);
  return (await res.json()).items;
};

describe('curated feeds', () => {
  it('selects by topic and by include/exclude words, keeping the diacritics given', async () => {
    const titles = (await items('/feeds/tin-nong-phang.json')).map((i) => i.title);
    expect(titles).toEqual(['Bão số 6 mạnh lên, hướng vào Quảng Ngãi', 'LŨ QUÉT Ở LÀO CAI', 'Bão số 6 hình thành trên Biển Đông', 'Bão lớn gây mưa ở Huế']);
    // Not: "Cảnh báo" (báo ≠ bão), "Thuê bao", the lottery (excluded), Tuổi Trẻ (other topic).
  });

  it('ignores diacritics that an include word leaves out', async () => {
    const titles = (await items('/feeds/khong-dau.json')).map((i) => i.title);
    expect(titles).toContain('Cảnh báo lừa đảo qua điện thoại dịp cuối năm');
    expect(titles).toContain('Thuê bao di động phải xác thực sinh trắc học');
    expect(titles).toContain('Bão số 6: hàng không hủy chuyến');
  });

  it('collapses a story into one item: most complete article, stable story id, other outlets named', async () => {
    const list = await items('/feeds/tin-nong.json');
    const storm = list.filter((i) => i.id.startsWith('tag:newsgate,2026:story/'));
    expect(list).toHaveLength(3);
    const story = list[0];
    // The VnExpress article has content and an image; Dân trí's is earlier but bare.
    expect(story.url).toBe('https://vnexpress.net/bao-so-6-manh-len-1.html');
    expect(story.title).toBe('Bão số 6 mạnh lên, hướng vào Quảng Ngãi');
    // Other outlets in order of first publication, including Tuổi Trẻ whose article is outside the topic.
    expect(story.content_html).toContain('<p>Cũng đưa tin: Dân trí, Tuổi Trẻ</p>');
    expect(story.date_published).toBe('2026-11-26T23:00:00.000Z'); // the story's first article (Dân trí, 06:00 +07:00)
    expect(storm.filter((i) => i.content_html.includes('Bão số 6'))).toHaveLength(1);

    const again = await items('/feeds/tin-nong.json?limit=1');
    expect(again.map((i) => i.id)).toEqual([story.id]);
    // ?collapse=none turns it off; the story's articles come back one by one with their links as ids.
    const flat = await items('/feeds/tin-nong.json?collapse=none');
    expect(flat.map((i) => i.id)).toEqual(['https://vnexpress.net/bao-so-6-manh-len-1.html', 'https://vnexpress.net/lu-quet-5.html', 'https://dantri.com.vn/bao-so-6-hinh-thanh-1.htm', 'https://dantri.com.vn/bao-lon-hue-2.htm']);
  });

  it('collapses any feed on request', async () => {
    const all = await items('/feeds/search.json?q=b%C3%A3o%20s%E1%BB%91%206&collapse=story');
    expect(all).toHaveLength(1);
    expect(all[0].url).toBe('https://vnexpress.net/bao-so-6-manh-len-1.html');
    expect(all[0].content_html).toContain('<p>Cũng đưa tin: Dân trí, Tuổi Trẻ</p>');
  });

  it('combines topics and sources: both must hold; limit comes from the config unless given', async () => {
    const list = await items('/feeds/vne-thoi-su.json');
    expect(list.map((i) => i.url)).toEqual(['https://vnexpress.net/bao-so-6-manh-len-1.html', 'https://vnexpress.net/canh-bao-lua-dao-2.html']);
    expect(await items('/feeds/vne-thoi-su.json?limit=5')).toHaveLength(5);
  });

  it('a feed without topics or sources takes everything, newest first', async () => {
    const list = await items('/feeds/moi-nhat.json');
    expect(list.map((i) => i.url)).toEqual(['https://tuoitre.vn/bao-so-6-hang-khong-1.htm', 'https://vnexpress.net/bao-so-6-manh-len-1.html', 'https://vnexpress.net/canh-bao-lua-dao-2.html']);
  });

  it('an empty selection is an empty, valid feed', async () => {
    expect(await items('/feeds/ma.json')).toEqual([]);
    const rss = await h.get('/feeds/ma.rss');
    expect(rss.status).toBe(200);
    expect(rss.headers.get('last-modified')).toBeNull();
  });
});
