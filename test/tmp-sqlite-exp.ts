import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/database.js';
import { toSearchText } from '../src/text/search-query.js';
const src = 'data/bench-floor.db';
const which = process.argv[2];
async function run(label: string, fts: string | null, opts: { precomputed?: boolean; fn?: string } = {}) {
  if (which && !label.startsWith(which)) return;
  const file = 'data/exp.db';
  for (const f of [file, file + '-wal', file + '-shm']) rmSync(f, { force: true });
  const store = await openStore(file);
  const db = store.sqlite;
  db.prepare("insert into sources (id, slug, url, name, created_at) values (1, 's', 'http://x', 'VnExpress Thời sự', 0)").run();
  for (const t of db.prepare("select name from sqlite_master where type='trigger' and tbl_name='articles'").all() as any[]) db.exec(`drop trigger ${t.name}`);

  if (fts) db.exec(`create virtual table fts_x using fts5(title, summary, source, article_id unindexed, published_at unindexed, content='', contentless_delete=1, contentless_unindexed=1, ${fts})`);
  db.function('ident', { deterministic: true }, (v: unknown) => v as string);
  db.function('fold2', { deterministic: true }, (v: unknown) => (typeof v === 'string' ? toSearchText(v) : null));
  if (fts && !opts.precomputed) db.exec(`create trigger ai after insert on articles begin insert into fts_x (rowid, title, summary, source, article_id, published_at)
    values ((min(max(new.published_at / 1000 - 1577836800, -2147483648), 2147483647) * 4294967296 + new.id), FN(new.title), FN(new.summary),
            FN((select name from sources where id = new.source_id)), new.id, new.published_at); end`.replaceAll('FN', opts.fn ?? 'newsgate_search_text'));
  db.exec(`attach '${src}' as src`);
  const rows = db.prepare('select * from src.articles order by id').all() as any[];
  const B = 400;
  const insert = db.prepare(`insert into articles (id, key, link, guid, title, summary, content_html, author, image_url, categories, published_at, fetched_at, updated_at, source_id, story_id, content_hash) values ` + Array(B).fill(`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 'x')`).join(','));
  const ftsMany = db.prepare('insert into fts_x (rowid, title, summary, source, article_id, published_at) values ' + Array(B).fill('(?, ?, ?, ?, ?, ?)').join(','));
  const ftsIns = fts && opts.precomputed;
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < rows.length; i += 4000) {
    db.transaction(() => {
      for (let j = i; j < i + 4000; j += B) {
        const chunk = rows.slice(j, j + B);
        insert.run(chunk.flatMap((r) => [r.id, r.key, r.link, r.guid, r.title, r.summary, r.content_html, r.author, r.image_url, r.categories, r.published_at, r.fetched_at, r.updated_at]));
        if (ftsIns) ftsMany.run(chunk.flatMap((r) => [BigInt(Math.floor(r.published_at / 1000) - 1577836800) * 4294967296n + BigInt(r.id), toSearchText(r.title), r.summary ? toSearchText(r.summary) : null, toSearchText('VnExpress Thời sự'), r.id, r.published_at]));
      }
    })();
  }
  const u = process.cpuUsage(cpu);
  const size = (db.prepare("select sum(pgsize) s from dbstat where name like 'fts_x%'").get() as any)?.s;
  console.log(label.padEnd(36), ((performance.now() - t) / 1000).toFixed(2), 's wall', ((u.user + u.system) / 1e6).toFixed(2), 's cpu', 'fts bytes', size);
  await store.close();
}
await run('unicode61 (current)', `tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"`);
await run('trigger fold2 (same fn, non-registered)', `tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"`, { fn: 'fold2' });
await run('trigger ident (no fold)', `tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"`, { fn: 'ident' });
await run('unicode61 precomputed in JS', `tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"`, { precomputed: true });
