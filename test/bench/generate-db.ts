import { existsSync, renameSync, rmSync } from 'node:fs';
import { openStore, PAGE_SIZE } from '../../src/store/database.js';
import { newsStream } from './headlines.js';

/**
 * Builds a benchmark database through the real migrations, then fills it with raw
 * prepared statements (the fastest way to get a million rows in). Reused when the
 * file already exists with the same shape, because building it takes a while.
 */
export interface GenerateOptions {
  articles: number;
  sources: number;
  topics: number;
  /** Articles per story on average; 1 means every article is its own story. */
  storySize?: number;
  /** Newest publication time; articles go back one minute each per source round. */
  newest?: number;
  /**
   * 'news': realistic headlines and leads from headlines.ts, stories grouped by reported event
   * (storySize is ignored). Default 'legacy': makeTitle's 150-syllable walk (bench:api, bench:feeds).
   */
  titles?: 'legacy' | 'news';
}

const SYLLABLES = (
  'bão số sáu hình thành mưa lớn miền trung giá vàng hôm nay tăng giảm xăng dầu điều chỉnh học sinh tuyển sinh đại học ' +
  'bóng đá việt nam thắng đội tuyển hà nội đà nẵng thành phố hồ chí minh công nghệ trí tuệ nhân tạo điện thoại ' +
  'chứng khoán ngân hàng lãi suất bất động sản dự án cao tốc sân bay bệnh viện y tế dịch sốt xuất huyết quốc hội ' +
  'chính phủ thủ tướng bộ trưởng nghị định luật đất đai thuế doanh nghiệp xuất khẩu gạo cà phê du lịch lễ hội'
).split(' ');

export function makeTitle(n: number): string {
  // A cheap deterministic pseudo-random walk so titles differ but share vocabulary.
  let x = (n * 2654435761) >>> 0;
  const words: string[] = [];
  const length = 8 + (x % 7);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    words.push(SYLLABLES[x % SYLLABLES.length]);
  }
  words[0] = words[0][0].toUpperCase() + words[0].slice(1);
  return `${words.join(' ')} ${n % 1000}`;
}

export async function generateDatabase(file: string, options: GenerateOptions): Promise<void> {
  const news = options.titles === 'news';
  // The legacy tag stays as it was so cached databases of other benchmarks remain valid.
  const tag = `${options.articles}:${options.sources}:${options.topics}:${options.storySize ?? 1}${news ? ':news1' : ''}`;
  if (existsSync(file)) {
    const store = await openStore(file);
    const ok = (() => {
      try {
        // A database made before the page size changed is made again: it would not measure what a new one does.
        const shape = (store.sqlite.prepare("select value from bench_meta where key = 'shape'").get() as { value: string } | undefined)?.value;
        return shape === tag && store.sqlite.pragma('page_size', { simple: true }) === PAGE_SIZE;
      } catch {
        return false;
      }
    })();
    await store.close();
    if (ok) return;
  }
  const tmp = `${file}.building`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const store = await openStore(tmp);
  const db = store.sqlite;
  db.pragma('synchronous = OFF');
  const newest = options.newest ?? Date.UTC(2026, 10, 28);
  const storySize = options.storySize ?? 1;
  db.transaction(() => {
    const topic = db.prepare('insert into topics (id, slug, name, aliases, keywords, article_count) values (?, ?, ?, ?, ?, 0)');
    for (let t = 1; t <= options.topics; t++) topic.run(t, `topic-${t}`, `Chủ đề ${t}`, '[]', '[]');
    const source = db.prepare(
      "insert into sources (id, slug, url, name, timezone, interval_minutes, origin, created_at, item_count) values (?, ?, ?, ?, 'Asia/Ho_Chi_Minh', 15, 'config', 0, 0)",
    );
    const sourceTopic = db.prepare('insert into source_topics (source_id, topic_id) values (?, ?)');
    for (let s = 1; s <= options.sources; s++) {
      source.run(s, `source-${s}`, `http://127.0.0.1:9/source-${s}.rss`, `Nguồn ${s}`);
      sourceTopic.run(s, ((s - 1) % options.topics) + 1);
    }
    const article = db.prepare(
      `insert into articles (id, key, link, guid, title, summary, content_html, author, image_url, categories, published_at, fetched_at, updated_at, source_id, story_id, original_outlet, content_hash)
       values (?, ?, ?, null, ?, ?, ?, null, ?, '[]', ?, ?, ?, ?, ?, null, 'x')`,
    );
    const articleSource = db.prepare('insert into article_sources (article_id, source_id, published_at) values (?, ?, ?)');
    const articleTopic = db.prepare('insert into article_topics (article_id, topic_id, published_at) values (?, ?, ?)');
    const story = db.prepare('insert into stories (id, headline, article_count, first_seen_at, last_seen_at) values (?, ?, ?, ?, ?)');
    const growStory = db.prepare('update stories set article_count = article_count + 1, last_seen_at = max(last_seen_at, ?) where id = ?');
    let storyStart = 1;
    const stream = news ? newsStream({ stream: 'db', itemsPerHour: options.sources * 60 }) : null;
    const eventStory = new Map<string, number>();
    for (let i = 1; i <= options.articles; i++) {
      const s = ((i - 1) % options.sources) + 1;
      const t = ((s - 1) % options.topics) + 1;
      const published = newest - Math.floor((options.articles - i) / options.sources) * 60_000 - s * 100;
      const link = `https://source-${s}.example.vn/bai-viet-${i}.html`;
      let title: string;
      let summary: string;
      let storyId: number;
      if (stream) {
        const item = stream.item(s, i, published);
        title = item.title;
        summary = item.summary;
        storyId = item.event === null ? i : (eventStory.get(item.event) ?? i);
        if (item.event !== null && storyId === i) {
          if (eventStory.size > 100_000) eventStory.clear();
          eventStory.set(item.event, i);
        }
      } else {
        title = makeTitle(i);
        summary = `${title}. Tóm tắt bài viết số ${i}.`;
        storyId = storySize > 1 && (i - 1) % storySize !== 0 ? storyStart : (storyStart = i);
      }
      article.run(i, link, link, title, summary, `<p>${title}</p>`, i % 3 === 0 ? `https://img.example.vn/${i}.jpg` : null, published, published, published, s, storyId);
      articleSource.run(i, s, published);
      articleTopic.run(i, t, published);
      if (storyId === i) story.run(i, title, 1, published, published);
      else growStory.run(published, storyId);
    }
    db.exec('update topics set article_count = (select count(*) from article_topics where topic_id = topics.id)');
    db.exec('update sources set item_count = (select count(*) from article_sources where source_id = sources.id)');
    db.exec('create table bench_meta (key text primary key, value text)');
    db.prepare("insert into bench_meta values ('shape', ?)").run(tag);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('analyze');
  await store.close();
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, file);
}
