/**
 * npm run bench:ingest — end-to-end ingest throughput against raw floors.
 * 100,000 items across 200 feeds served from loopback by a child process (the other core),
 * polled by the real pipeline into (1) an empty database — a second time with every thread of the
 * gateway pinned to one core (taskset), the feed server on another — and (2) one holding 1,000,000
 * articles, each on SQLite and then on PostgreSQL (issue 7) in the same run: a fresh schema migrated with
 * `newsgate migrate`, the 1M database copied in with `newsgate copy` (BENCH_PG_STORED sets a
 * smaller prefill for PostgreSQL, 0 skips it), dropped afterwards. BENCH_PG=0 skips PostgreSQL;
 * an unreachable server skips it with the reason printed. Needs `npm run build` (the CLI).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { createApp } from '../../src/app.js';
import { createStoryAssigner } from '../../src/stories/assigner.js';
import { parseConfig } from '../../src/config/load.js';
import { decodeFeedChunks } from '../../src/ingest/decode.js';
import { normalizeFeed } from '../../src/ingest/normalize.js';
import { parseFeed } from '../../src/ingest/parse.js';
import { pollAllOnce } from '../../src/ingest/scheduler.js';
import { readWriteStats } from '../../src/store/articles.js';
import { openStore } from '../../src/store/database.js';
import { GATEWAY_ENV, GATEWAY_NODE_FLAGS } from '../../src/ops/node-flags.js';
import { searchKey } from '../../src/store/search.js';
import { toSearchText } from '../../src/text/search-query.js';
import { openDatabase } from '../../src/store/open.js';
import type { ArticleInput } from '../../src/model/article.js';
import { generateDatabase } from './generate-db.js';
import { generateFeed } from './feed-generator.js';
import { benchPostgres, copyInto, createBenchSchema, migrate, pgBackendCpu, withParams, type BenchSchema } from './pg.js';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 500);
const BIG = Number(process.env.BENCH_STORED ?? 1_000_000);
/** Articles already stored in the PostgreSQL database of the second run (copied from a generated SQLite one). */
const PG_BIG = Number(process.env.BENCH_PG_STORED ?? BIG);
/** The 1M database's newest article; the feeds' newest items are three hours later ("now" of the run). */
const DB_NEWEST = Date.UTC(2026, 10, 28);
const FEED_NEWEST = DB_NEWEST + 3 * 3_600_000;

const benchConfig = (port: number) =>
  parseConfig({
    topics: [{ slug: 'thoi-su', name: 'Thời sự', aliases: ['Thời sự'] }],
    sources: Array.from({ length: FEEDS }, (_, f) => ({ slug: `bench-${f}`, url: `http://127.0.0.1:${port}/feed-${f}.rss`, name: `Bench ${f}`, topics: ['thoi-su'] })),
    fetch: { concurrency: 8, perHostConcurrency: 8 },
  });

if (process.argv[2] === 'pipeline') {
  // A fresh process per run, so peak RSS is the gateway's own and not the benchmark's buffers.
  const [, , , file, port] = process.argv;
  // A SQLite file, or a postgres:// URL (already migrated: PostgreSQL never is implicitly).
  const store = await openDatabase(file);
  const app = await createApp(benchConfig(Number(port)), store);
  // The gateway (re)started at the feeds' "now": warm the story index as it would then.
  let t = performance.now();
  const assigner = await createStoryAssigner(store.db, { now: FEED_NEWEST });
  const seedSeconds = (performance.now() - t) / 1000;
  let clusterMs = 0;
  let clustered = 0;
  app.ingest.stories = {
    assign(doc) {
      const t0 = performance.now();
      const result = assigner.assign(doc);
      clusterMs += performance.now() - t0;
      clustered++;
      return result;
    },
    // PostgreSQL: reading what other instances stored, under the story lock (not counted as clustering).
    ...(assigner.catchUp ? { catchUp: (trx) => assigner.catchUp!(trx) } : {}),
  };
  // Where the memory is: peak V8 heap in use and peak memory outside it (Buffers, SQLite).
  const peak = { heapMb: 0, externalMb: 0, startRssMb: process.memoryUsage().rss / 2 ** 20 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peak.heapMb = Math.max(peak.heapMb, m.heapUsed / 2 ** 20);
    peak.externalMb = Math.max(peak.externalMb, (m.rss - m.heapTotal) / 2 ** 20);
  }, 50);
  // The parent reads the PostgreSQL backends' CPU time from here on.
  await new Promise<void>((resolve) => process.send!({ phase: 'polling' }, () => resolve()));
  const cpu = process.cpuUsage();
  // Page faults: ~14 µs each on the development machine's virtual machine (README, tenth round).
  const faultsBefore = process.resourceUsage().minorPageFault;
  const start = performance.now();
  const reports = await pollAllOnce(app.ingest);
  clearInterval(sampler);
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const pageFaults = process.resourceUsage().minorPageFault - faultsBefore;
  const writes = readWriteStats(store.db);
  await store.close();
  process.send!({
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    seedSeconds,
    clusterUs: clustered ? (clusterMs * 1000) / clustered : 0,
    stored: reports.reduce((n, r) => n + r.new, 0),
    failures: reports.filter((r) => r.error).slice(0, 3).map((r) => r.error),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    pageFaults,
    transactions: writes.transactions,
    ...peak,
  });
} else if (process.argv[2] === 'serve-feeds') {
  const bodies = Array.from({ length: FEEDS }, (_, f) => Buffer.from(generateFeed(f, ITEMS, FEED_NEWEST)));
  const server = createServer((req, res) => {
    const f = Number((req.url ?? '').match(/feed-(\d+)/)?.[1]);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(bodies[f]);
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as { port: number }).port }));
} else {
  await main();
}

async function main() {
  mkdirSync('data', { recursive: true });
  const child: ChildProcess = fork(process.argv[1], ['serve-feeds'], { stdio: 'inherit' });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const total = FEEDS * ITEMS;
  const bodies = Array.from({ length: FEEDS }, (_, f) => Buffer.from(generateFeed(f, ITEMS, FEED_NEWEST)));
  const rows: string[] = [];
  const line = (name: string, seconds: number, note = '') => {
    const rate = Math.round(total / seconds);
    rows.push(`| ${name} | ${rate.toLocaleString('en')} items/s | ${seconds.toFixed(2)} s | ${note} |`);
    console.log(`${name.padEnd(52)} ${rate.toLocaleString('en').padStart(9)} items/s  (${seconds.toFixed(2)} s) ${note}`);
    return rate;
  };

  // Floor 1: rss-parser alone on the same bytes.
  let t = performance.now();
  const rawParser = new Parser();
  for (const body of bodies) await rawParser.parseString(body.toString('utf8'));
  const parserSeconds = (performance.now() - t) / 1000;
  line('floor: rss-parser parseString alone', parserSeconds);

  // Our decode + parse + normalise, no I/O.
  t = performance.now();
  const normalized: ArticleInput[][] = [];
  for (const [f, body] of bodies.entries()) {
    const feed = await parseFeed(decodeFeedChunks(body, 'application/rss+xml; charset=utf-8'), { url: `http://127.0.0.1/feed-${f}.rss` });
    normalized.push(normalizeFeed(feed, { feedUrl: `http://127.0.0.1/feed-${f}.rss`, timezone: 'Asia/Ho_Chi_Minh', fetchedAt: new Date(), sourceSlug: `bench-${f}` }).articles);
  }
  line('decode + parse + normalise (no I/O)', (performance.now() - t) / 1000);

  // Floor 2: better-sqlite3 inserting the same rows with prepared statements in one transaction,
  // each feed's oldest first as the store writes them (ids ascending with time), with their
  // full-text search rows as the store writes them (migration 006): folded, sorted by index key
  // and inserted after the articles — and without the search rows, to show what the index costs.
  const insertFloor = async (withSearch: boolean) => {
    const floorFile = 'data/bench-floor.db';
    for (const f of [floorFile, `${floorFile}-wal`, `${floorFile}-shm`]) rmSync(f, { force: true });
    const floorStore = await openStore(floorFile);
    floorStore.sqlite.prepare("insert into sources (id, slug, url, name, created_at) values (1, 's', 'http://x', 'Bench', 0)").run();
    const insert = floorStore.sqlite.prepare(
      `insert into articles (id, key, link, guid, title, summary, content_html, author, image_url, categories, published_at, fetched_at, updated_at, source_id, story_id, content_hash)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, 'x')`,
    );
    const insertSearch = floorStore.sqlite.prepare('insert into article_search (rowid, title, summary, source, article_id, published_at) values (?, ?, ?, ?, ?, ?)');
    const t0 = performance.now();
    floorStore.sqlite.transaction(() => {
      floorStore.sqlite.prepare('select newsgate_app_search(1)').get();
      const searchRows: { key: bigint; id: number; title: string; summary: string | null; publishedAt: number }[] = [];
      let id = 0;
      for (const articles of normalized)
        for (const a of [...articles].reverse()) {
          insert.run(++id, a.key, a.link, a.guid, a.title, a.summary, a.contentHtml, a.author, a.imageUrl, JSON.stringify(a.categories), a.publishedAt.getTime(), 0, 0);
          if (withSearch) searchRows.push({ key: searchKey(a.publishedAt.getTime(), id), id, title: a.title, summary: a.summary, publishedAt: a.publishedAt.getTime() });
        }
      searchRows.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const source = toSearchText('Bench');
      for (const r of searchRows) insertSearch.run(r.key, toSearchText(r.title), r.summary === null ? null : toSearchText(r.summary), source, r.id, r.publishedAt);
      floorStore.sqlite.prepare('select newsgate_app_search(0)').get();
    })();
    const seconds = (performance.now() - t0) / 1000;
    await floorStore.close();
    return seconds;
  };
  const insertSeconds = await insertFloor(true);
  line('floor: better-sqlite3 prepared inserts (articles, search rows), one transaction', insertSeconds);
  line('  … the same without the full-text search index', await insertFloor(false));
  // One core does both floors' work and more: their sum bounds what the pipeline can reach.
  const floorsSeconds = parserSeconds + insertSeconds;
  line('floors together (rss-parser + prepared insert)', floorsSeconds, 'the most one core could reach with nothing else to do');

  const rssByRun: string[] = [];
  /**
   * `target`: a SQLite file or a migrated PostgreSQL schema's URL (`pgBase` set: its backends' CPU is counted too).
   * `pin`: every thread of the gateway (V8's collector and the checkpointer included) on CPU 0, the feed server on CPU 1.
   */
  const runPipeline = async (target: string, label: string, pgBase: string | null = null, pin = false) => {
    const sampler = pgBase ? pgBackendCpu(pgBase, 'newsgate-bench-ingest') : null;
    await sampler?.start();
    // The gateway process runs with the V8 options `newsgate` itself starts with.
    const worker = fork(process.argv[1], ['pipeline', pgBase ? withParams(target, { application_name: 'newsgate-bench-ingest' }) : target, String(port)], {
      stdio: 'inherit',
      execArgv: [...process.execArgv, ...GATEWAY_NODE_FLAGS],
      env: { ...process.env, ...GATEWAY_ENV },
    });
    type Result = { transactions: number; seconds: number; cpuSeconds: number; seedSeconds: number; clusterUs: number; stored: number; failures: string[]; maxRssMb: number; pageFaults: number; heapMb: number; externalMb: number; startRssMb: number };
    let backendCpuAtStart = 0;
    const result = await new Promise<Result>((resolve, reject) => {
      worker.on('message', (m: Result | { phase: string }) => {
        if ('phase' in m) {
          void sampler?.read().then((s) => (backendCpuAtStart = s.seconds));
          if (pin) {
            try {
              setAffinity(worker.pid!, '0');
              setAffinity(child.pid!, '1');
            } catch (error) {
              console.log(`could not pin the run to one core: ${(error as Error).message.split('\n')[0]}`);
            }
          }
        }
        else resolve(m);
      });
      worker.once('exit', (code) => reject(new Error(`pipeline worker exited ${code} before reporting`)));
    });
    if (pin) {
      try {
        setAffinity(child.pid!, `0-${availableParallelism() - 1}`);
      } catch {
        // The feed server then stays on CPU 1, which the later runs share with it.
        console.log('could not give the feed server every CPU back');
      }
    }
    const backend = sampler ? await sampler.stop() : null;
    const backendCpu = backend ? backend.seconds - backendCpuAtStart : 0;
    worker.kill();
    if (result.failures.length) console.log('failures:', result.failures);
    rssByRun.push(`${label}: ${result.maxRssMb.toFixed(0)} MB`);
    const pgNote = backend ? `; PostgreSQL backends CPU ${backendCpu.toFixed(2)} s (${backend.backends} connections), gateway + backends ${Math.round(total / (result.cpuSeconds + backendCpu)).toLocaleString('en')} items per CPU-s` : '';
    const rate = line(
      label,
      result.seconds,
      `${result.stored.toLocaleString('en')} new, CPU ${result.cpuSeconds.toFixed(2)} s (${Math.round(total / result.cpuSeconds).toLocaleString('en')} items per CPU-s)${pgNote}, ${result.pageFaults.toLocaleString('en')} page faults, peak RSS ${result.maxRssMb.toFixed(0)} MB (${result.startRssMb.toFixed(0)} MB before polling; heap in use ≤ ${result.heapMb.toFixed(0)} MB, outside the heap ≤ ${result.externalMb.toFixed(0)} MB), load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
    );
    const clusterNote = `story index warmed in ${result.seedSeconds.toFixed(2)} s before the run${result.transactions ? `; ${result.transactions} write transactions (${(FEEDS / result.transactions).toFixed(1)} feeds each)` : ''}`;
    rows.push(`| … of which story clustering | ${result.clusterUs.toFixed(1)} µs/article | ${((result.clusterUs * result.stored) / 1e6).toFixed(2)} s | ${clusterNote} |`);
    console.log(`${'  of which story clustering'.padEnd(52)} ${result.clusterUs.toFixed(1).padStart(9)} µs/article (${((result.clusterUs * result.stored) / 1e6).toFixed(2)} s) ${clusterNote}`);
    return { rate, stored: result.stored };
  };

  const postgres = await benchPostgres();
  if ('skip' in postgres) console.log(`skipping the PostgreSQL runs: ${postgres.skip}`);
  const pgBase = 'url' in postgres ? postgres.url : null;
  const summary: string[] = [];
  /** Counts the articles of a PostgreSQL schema (a check that the run stored what it reported). */
  const pgCount = async (url: string) => {
    const store = await openDatabase(url, { migrate: false });
    try {
      return Number((await store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } finally {
      await store.close();
    }
  };
  const schemas: BenchSchema[] = [];
  try {
    const emptyFile = 'data/bench-ingest-empty.db';
    for (const f of [emptyFile, `${emptyFile}-wal`, `${emptyFile}-shm`]) rmSync(f, { force: true });
    const empty = await runPipeline(emptyFile, 'newsgate end to end, empty database');
    const check = new SQLite(emptyFile, { readonly: true });
    summary.push(`articles stored (SQLite, empty run): ${(check.prepare('select count(*) n from articles').get() as { n: number }).n}`);
    check.close();
    // The target says "on one core": the run above lets V8's collector threads and the WAL
    // checkpointer use the second core (the feed server shares it). This one holds them to one.
    const pinSkip = availableParallelism() < 2 ? 'one CPU only' : affinityUnavailable();
    if (pinSkip) console.log(`skipping the run pinned to one core: ${pinSkip}`);
    else {
      for (const f of [emptyFile, `${emptyFile}-wal`, `${emptyFile}-shm`]) rmSync(f, { force: true });
      await runPipeline(emptyFile, '… the same, every gateway thread pinned to one core', null, true);
    }

    let pgEmpty: { rate: number } | null = null;
    if (pgBase) {
      const schema = await createBenchSchema(pgBase, 'ingest_empty');
      schemas.push(schema);
      await migrate(schema.url);
      pgEmpty = await runPipeline(schema.url, 'PostgreSQL: newsgate end to end, empty database', pgBase);
      summary.push(`articles stored (PostgreSQL, empty run): ${await pgCount(schema.url)}`);
      summary.push(`PostgreSQL ÷ SQLite, empty database: ${(pgEmpty.rate / empty.rate).toFixed(2)}× the items/s`);
      await schema.drop();
    }

    if (process.env.BENCH_ONLY !== 'empty') {
      console.log(`generating ${BIG.toLocaleString('en')}-article database (cached in data/)…`);
      const bigSource = `data/bench-${BIG}.db`;
      await generateDatabase(bigSource, { articles: BIG, sources: 500, topics: 20, titles: 'news', newest: DB_NEWEST });
      const bigFile = 'data/bench-ingest-big.db';
      for (const f of [bigFile, `${bigFile}-wal`, `${bigFile}-shm`]) rmSync(f, { force: true });
      copyFileSync(bigSource, bigFile);
      const big = await runPipeline(bigFile, `newsgate end to end, ${BIG.toLocaleString('en')} stored`);
      summary.push(`slowdown at ${BIG.toLocaleString('en')} stored: ${(empty.rate / big.rate).toFixed(2)}x (target ≤ 1.5x)`);

      if (pgBase && PG_BIG > 0) {
        const pgSource = `data/bench-${PG_BIG}.db`;
        if (PG_BIG !== BIG) await generateDatabase(pgSource, { articles: PG_BIG, sources: 500, topics: 20, titles: 'news', newest: DB_NEWEST });
        const schema = await createBenchSchema(pgBase, 'ingest_big');
        schemas.push(schema);
        console.log(`copying ${PG_BIG.toLocaleString('en')} articles into PostgreSQL with \`newsgate copy\`…`);
        const copied = await copyInto(`sqlite:${pgSource}`, schema.url);
        // What an operator does after a bulk load (autovacuum would get to it within minutes).
        const admin = await openDatabase(schema.url, { migrate: false });
        await sql`analyze`.execute(admin.db);
        await admin.close();
        summary.push(`PostgreSQL prefill: ${copied.rows.articles?.toLocaleString('en')} articles copied with \`newsgate copy\` in ${copied.seconds.toFixed(0)} s (${Math.round((copied.rows.articles ?? 0) / copied.seconds).toLocaleString('en')} articles/s), then ANALYZE`);
        const pgBig = await runPipeline(schema.url, `PostgreSQL: newsgate end to end, ${PG_BIG.toLocaleString('en')} stored`, pgBase);
        summary.push(`PostgreSQL slowdown at ${PG_BIG.toLocaleString('en')} stored: ${(pgEmpty!.rate / pgBig.rate).toFixed(2)}x`);
        await schema.drop();
      } else if (pgBase) {
        summary.push('PostgreSQL run on a prefilled database skipped (BENCH_PG_STORED=0)');
      }
    }
  } finally {
    for (const schema of schemas) await schema.drop().catch(() => {});
    child.kill();
  }

  console.log('');
  for (const s of summary) console.log(s);
  console.log(`peak RSS of the gateway process (target < 300 MB): ${rssByRun.join('; ')}`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  console.log('\n| stage | throughput | time | note |\n|---|---|---|---|\n' + rows.join('\n'));
}

/** Sets the CPU affinity of every thread of a process (util-linux `taskset`). */
function setAffinity(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

/** Why the process's threads cannot be pinned here, or null. */
function affinityUnavailable(): string | null {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return null;
  } catch (error) {
    return `taskset failed (${(error as Error).message.split('\n')[0]})`;
  }
}
