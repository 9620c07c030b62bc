/** The HTML index at `/`: every feed with its links, and <link rel="alternate"> for auto-discovery. */
import { escapeHtml } from './safe.js';
import { CONTENT_TYPES, FORMATS, type FeedFormat } from './model.js';

export interface IndexEntry {
  /** Path below /feeds/ without extension: "topics/thoi-su". */
  path: string;
  title: string;
  description?: string;
}

export interface IndexData {
  topics: IndexEntry[];
  sources: IndexEntry[];
  curated: IndexEntry[];
}

const LABEL: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

export function renderIndex(base: string, data: IndexData): string {
  const url = (path: string, f: FeedFormat) => `${base}/feeds/${path}.${f}`;
  const mime = (f: FeedFormat) => CONTENT_TYPES[f].split(';')[0];
  const alternates: string[] = [];
  const all = [...data.curated, ...data.topics, ...data.sources];
  for (const entry of all) {
    for (const f of FORMATS) {
      alternates.push(`<link rel="alternate" type="${mime(f)}" title="${escapeHtml(`${entry.title} (${LABEL[f]})`)}" href="${escapeHtml(url(entry.path, f))}">`);
    }
  }
  const section = (heading: string, entries: IndexEntry[]) =>
    entries.length === 0
      ? ''
      : `<section>\n<h2>${escapeHtml(heading)}</h2>\n<ul>\n${entries
          .map(
            (e) =>
              `<li><strong>${escapeHtml(e.title)}</strong>${e.description ? ` — ${escapeHtml(e.description)}` : ''}<br>` +
              FORMATS.map((f) => `<a href="${escapeHtml(url(e.path, f))}" type="${mime(f)}">${LABEL[f]}</a>`).join(' · ') +
              '</li>',
          )
          .join('\n')}\n</ul>\n</section>\n`;
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsgate — nguồn tin</title>
${alternates.join('\n')}
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem}li{margin:.4rem 0}a{margin-right:.2rem}</style>
</head>
<body>
<h1>newsgate</h1>
<p>Các nguồn tin tổng hợp, dạng RSS, Atom và JSON Feed. Mọi nguồn nhận thêm tham số <code>?limit=</code>, <code>?q=</code>, <code>?since=</code>, <code>?collapse=story</code>. Tìm kiếm: <code>${escapeHtml(`${base}/feeds/search.rss?q=…`)}</code>. Danh sách nguồn: <a href="${escapeHtml(`${base}/feeds/sources.opml`)}">OPML</a>.</p>
${section('Tuyển chọn', data.curated)}${section('Chủ đề', data.topics)}${section('Nguồn', data.sources)}</body>
</html>
`;
}
