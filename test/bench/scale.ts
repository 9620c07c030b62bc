/**
 * npm run bench:scale — issue 7's scaling benchmark: 1, 2 and 3 `newsgate serve` processes
 * polling the same 1,000 loopback sources into one PostgreSQL database, beside one instance on
 * SQLite, in one run.
 *
 * A child process (the other core) serves BENCH_SCALE_SOURCES generated RSS feeds of
 * BENCH_SCALE_ITEMS items each (test/bench/feed-generator.ts) and counts every fetch by path and
 * User-Agent (each instance's config names its own). For each setup: a fresh database (a new
 * PostgreSQL schema migrated with `newsgate migrate`, or a new SQLite file), k instances started
 * with `serve --config F --db URL --port P --host 127.0.0.1`, and the clock runs from their
 * spawn until every source has a last_fetched_at and every item is stored (read from the
 * database every 250 ms). Reported: sources/s and items/s (from spawn, and from the first fetch),
 * fetches per source (must be exactly 1), duplicate articles (must be 0), each instance's share
 * of the fetches, CPU seconds of the gateway processes (/proc/<pid>/stat) and of the PostgreSQL
 * backends serving them, the load average, and errors and warnings in the instances' logs.
 * Only the CLI and SQL are used, so the harness measures whatever the build does.
 *
 * The same setups then run a write-bound workload (BENCH_SCALE_HEAVY, default 200x500: 200
 * sources of 500 items), where the lease scheduler's batches are not the limit.
 *
 * Environment: BENCH_SCALE_SOURCES (1000), BENCH_SCALE_ITEMS (50), BENCH_SCALE_INSTANCES
 * ("1,2,3": the PostgreSQL setups), BENCH_SCALE_SQLITE (1; 0 skips the SQLite setup), BENCH_PG
 * (0 skips PostgreSQL), BENCH_SCALE_TIMEOUT_SECONDS (900 per setup), BENCH_SCALE_PAUSE_SECONDS
 * (10, between setups), BENCH_SCALE_CONCURRENCY (16: fetch.concurrency and perHostConcurrency,
 * since every source is on one loopback host). NEWSGATE_POLL_LEASE_SECONDS passes through.
 * Instance logs go to data/bench-scale-logs/.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { generateFeed } from './feed-generator.js';
import { benchPostgres, BIN, createBenchSchema, migrate, pgBackendCpu, procCpuSeconds, withParams, type BackendCpu } from './pg.js';

/** The workload being run (the fixture child gets it through the same variables). */
let SOURCES = Number(process.env.BENCH_SCALE_SOURCES ?? 1000);
let ITEMS = Number(process.env.BENCH_SCALE_ITEMS ?? 50);
/**
 * A second, write-bound workload ("SOURCESxITEMS", default 200x500: 100,000 items, as
 * bench:ingest) where the scheduler's batches are not what limits the instances, so whatever
 * serialises storing across them shows. BENCH_SCALE_HEAVY=0 skips it.
 */
const HEAVY = process.env.BENCH_SCALE_HEAVY === '0' ? null : (process.env.BENCH_SCALE_HEAVY ?? '200x500').split('x').map(Number);
const INSTANCES = (process.env.BENCH_SCALE_INSTANCES ?? '1,2,3').split(',').map(Number).filter((n) => n > 0);
const TIMEOUT_MS = Number(process.env.BENCH_SCALE_TIMEOUT_SECONDS ?? 900) * 1000;
const PAUSE_MS = Number(process.env.BENCH_SCALE_PAUSE_SECONDS ?? 10) * 1000;
const CONCURRENCY = Number(process.env.BENCH_SCALE_CONCURRENCY ?? 16);
const FEED_NEWEST = Date.UTC(2026, 10, 28, 3);
const LOGS = 'data/bench-scale-logs';

type FixtureStats = {
  counts: number[];
  byAgent: Record<string, number>;
  /** Per instance: how its fetches came, as runs separated by a pause of 1 s or more (size of each). */
  burstsByAgent: Record<string, number[]>;
  first: number | null;
  last: number | null;
  cpuSeconds: number;
};

interface Fixture {
  port: number;
  reset(): Promise<void>;
  stats(): Promise<FixtureStats>;
  stop(): void;
}

async function startFixture(): Promise<Fixture> {
  const child = fork(process.argv[1], ['serve-feeds'], { stdio: 'inherit', env: { ...process.env, BENCH_SCALE_SOURCES: String(SOURCES), BENCH_SCALE_ITEMS: String(ITEMS) } });
  const ask = <T>(message: string) =>
    new Promise<T>((resolve) => {
      child.once('message', (m) => resolve(m as T));
      child.send(message);
    });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  return { port, reset: () => ask('reset').then(() => {}), stats: () => ask<FixtureStats>('stats'), stop: () => child.kill() };
}

const agentOf = (i: number) => `newsgate-bench-instance-${i + 1}`;

function writeConfig(file: string, fixturePort: number, instance: number) {
  writeFileSync(
    file,
    JSON.stringify({
      topics: [{ slug: 'thoi-su', name: 'Thời sự', aliases: ['Thời sự'] }],
      sources: Array.from({ length: SOURCES }, (_, f) => ({
        slug: `bench-${f}`,
        url: `http://127.0.0.1:${fixturePort}/feed-${f}.rss`,
        name: `Bench ${f}`,
        topics: ['thoi-su'],
        // Longer than any run: each source is due exactly once.
        intervalMinutes: 240,
      })),
      // Every source is on the one loopback host: per-host concurrency as high as the global bound.
      fetch: { userAgent: agentOf(instance), concurrency: CONCURRENCY, perHostConcurrency: Math.min(32, CONCURRENCY) },
      retentionDays: 0,
    }),
  );
}

interface Instance {
  child: ChildProcess;
  log: string;
  exited: Promise<void>;
}

function startInstance(db: string, config: string, log: string): Instance {
  const out = createWriteStream(log);
  // Port 0: each instance gets a port of its own from the kernel (a port probed free beforehand can
  // be taken by an outgoing connection before the instance binds it); its log line names it.
  const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--db', db, '--port', '0', '--host', '127.0.0.1', '--log-level', 'info'], {
    env: { ...process.env, NODE_ENV: 'production', NEWSGATE_ALLOW_PRIVATE_SOURCES: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.on('data', (chunk: Buffer) => out.write(`[stderr] ${chunk}`));
  const exited = new Promise<void>((resolve) =>
    child.on('close', (code, signal) => {
      out.end(`[exit] code ${code} signal ${signal}\n`);
      out.once('finish', () => resolve());
    }),
  );
  return { child, log, exited };
}

/** What the logs of an instance say beyond routine: pino lines at warn and above, and anything on stderr. */
function logProblems(file: string): { errors: number; warnings: number; stderr: number; examples: string[]; unexpectedExit: string | null; url: string | null } {
  const result = { errors: 0, warnings: 0, stderr: 0, examples: [] as string[], unexpectedExit: null as string | null, url: null as string | null };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    if (line.startsWith('[exit]')) {
      if (!/code 0 |signal SIGTERM/.test(line)) result.unexpectedExit = line;
      continue;
    }
    if (line.startsWith('[stderr]')) {
      result.stderr++;
      if (result.examples.length < 5) result.examples.push(line.slice(0, 300));
      continue;
    }
    let entry: { level?: number; msg?: string; err?: { message?: string }; source?: string; error?: string; url?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.url && entry.msg?.startsWith('newsgate listening')) result.url = entry.url;
    if ((entry.level ?? 0) >= 50) result.errors++;
    else if ((entry.level ?? 0) >= 40) result.warnings++;
    else continue;
    if (result.examples.length < 5) result.examples.push(`level ${entry.level}: ${entry.source ? `${entry.source}: ` : ''}${entry.msg ?? ''} ${entry.err?.message ?? entry.error ?? ''}`.slice(0, 300));
  }
  return result;
}

/** Counts read from the setup's database. */
interface Progress {
  sources: number;
  polled: number;
  failed: number;
  articles: number;
}

interface Reader {
  progress(): Promise<Progress | null>;
  /** Articles minus distinct keys, minus distinct links (both 0 when nothing was stored twice). */
  duplicates(): Promise<{ byKey: number; byLink: number }>;
  failures(): Promise<string[]>;
  close(): Promise<void>;
}

function sqliteReader(file: string): Reader {
  let db: SQLite.Database | null = null;
  const open = () => {
    try {
      db ??= new SQLite(file, { readonly: true, fileMustExist: true });
      db.prepare('select 1 from sources limit 1').get();
      return db;
    } catch {
      return null;
    }
  };
  return {
    async progress() {
      const d = open();
      if (!d) return null;
      const s = d.prepare('select count(*) n, count(last_fetched_at) polled, count(last_error) failed from sources').get() as { n: number; polled: number; failed: number };
      const a = d.prepare('select count(*) n from articles').get() as { n: number };
      return { sources: s.n, polled: s.polled, failed: s.failed, articles: a.n };
    },
    async duplicates() {
      const r = open()!.prepare('select count(*) - count(distinct key) k, count(*) - count(distinct link) l from articles').get() as { k: number; l: number };
      return { byKey: r.k, byLink: r.l };
    },
    async failures() {
      return (open()!.prepare('select slug, last_error from sources where last_error is not null limit 5').all() as { slug: string; last_error: string }[]).map((r) => `${r.slug}: ${r.last_error}`);
    },
    async close() {
      db?.close();
    },
  };
}

function pgReader(url: string): Reader {
  const client = new pg.Client({ connectionString: withParams(url, { application_name: 'newsgate-bench-reader' }) });
  let connected: Promise<unknown> | null = null;
  const q = async <T extends object>(text: string) => {
    connected ??= client.connect();
    await connected;
    return (await client.query<T>(text)).rows[0];
  };
  return {
    async progress() {
      try {
        const s = await q<{ n: string; polled: string; failed: string }>('select count(*) n, count(last_fetched_at) polled, count(last_error) failed from sources');
        const a = await q<{ n: string }>('select count(*) n from articles');
        return { sources: Number(s.n), polled: Number(s.polled), failed: Number(s.failed), articles: Number(a.n) };
      } catch {
        return null;
      }
    },
    async duplicates() {
      const r = await q<{ k: string; l: string }>('select count(*) - count(distinct key) k, count(*) - count(distinct link) l from articles');
      return { byKey: Number(r.k), byLink: Number(r.l) };
    },
    async failures() {
      connected ??= client.connect();
      await connected;
      return (await client.query<{ slug: string; last_error: string }>('select slug, last_error from sources where last_error is not null limit 5')).rows.map((r) => `${r.slug}: ${r.last_error}`);
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

interface SetupResult {
  label: string;
  engine: 'sqlite' | 'postgres';
  instances: number;
  complete: boolean;
  wallSeconds: number;
  pollSeconds: number;
  stored: number;
  polled: number;
  failedSources: number;
  failures: string[];
  fetchesMin: number;
  fetchesMax: number;
  notOnce: number;
  duplicates: { byKey: number; byLink: number };
  shares: number[];
  /** Per instance: number of fetch bursts and the largest. */
  bursts: { count: number; largest: number }[];
  gatewayCpu: number[];
  pgCpu: BackendCpu | null;
  fixtureCpu: number;
  loadStart: number[];
  loadEnd: number[];
  logs: ReturnType<typeof logProblems>[];
}

/** "0.9 in a transaction; advisory lock 35 %": what the sampled backends were doing. */
const waits = (b: BackendCpu) =>
  `${b.inTransaction.toFixed(2)} in a transaction; ${
    Object.entries(b.lockWaits)
      .sort((x, y) => y[1] - x[1])
      .map(([kind, share]) => `${kind} ${(100 * share).toFixed(0)} %`)
      .join(', ') || 'no lock waits'
  } (${b.samples} samples)`;

const load = () => loadavg().map((n) => Number(n.toFixed(2)));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runSetup(fixture: Fixture, engine: 'sqlite' | 'postgres', k: number, pgBase: string | null): Promise<SetupResult> {
  const label = engine === 'sqlite' ? `SQLite, 1 instance` : `PostgreSQL, ${k} instance${k > 1 ? 's' : ''}`;
  const tag = `${engine}-${k}`;
  console.log(`\n== ${label}`);
  await fixture.reset();
  let db: string;
  let reader: Reader;
  let cleanup: () => Promise<void>;
  let pgCpu: ReturnType<typeof pgBackendCpu> | null = null;
  if (engine === 'postgres') {
    const schema = await createBenchSchema(pgBase!, `scale${k}`);
    await migrate(schema.url);
    db = schema.url;
    reader = pgReader(schema.url);
    cleanup = () => schema.drop();
    pgCpu = pgBackendCpu(pgBase!, `newsgate-bench-${tag}-`);
    await pgCpu.start();
  } else {
    const file = 'data/bench-scale.db';
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    db = file;
    reader = sqliteReader(file);
    cleanup = async () => {
      for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
    };
  }
  const instances: Instance[] = [];
  const total = SOURCES * ITEMS;
  const loadStart = load();
  const started = Date.now();
  try {
    for (let i = 0; i < k; i++) {
      const config = join(LOGS, `${tag}-instance-${i + 1}.json`);
      writeConfig(config, fixture.port, i);
      // Each instance's connections are named, so the PostgreSQL backends serving them can be found.
      const url = engine === 'postgres' ? withParams(db, { application_name: `newsgate-bench-${tag}-${i + 1}` }) : db;
      instances.push(startInstance(url, config, join(LOGS, `${tag}-instance-${i + 1}.log`)));
    }
    let progress: Progress | null = null;
    let complete = false;
    let lastReport = 0;
    let exitedEarly = false;
    for (const instance of instances) void instance.exited.then(() => (exitedEarly = true));
    while (Date.now() - started < TIMEOUT_MS) {
      await sleep(250);
      progress = await reader.progress();
      if (progress && progress.sources === SOURCES && progress.polled === SOURCES) {
        // Every source polled: complete when every item is stored (or some polls failed and nothing more will come).
        if (progress.articles >= total || progress.failed > 0) {
          complete = progress.articles >= total;
          break;
        }
      }
      if (exitedEarly) {
        console.log('an instance exited early: see its log');
        break;
      }
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        console.log(`  ${((Date.now() - started) / 1000).toFixed(0)} s: ${progress?.polled ?? 0}/${SOURCES} sources polled, ${(progress?.articles ?? 0).toLocaleString('en')}/${total.toLocaleString('en')} items stored, load ${load().join(' ')}`);
      }
    }
    const finished = Date.now();
    // CPU and load now, before anything is stopped.
    const gatewayCpu = instances.map((i) => procCpuSeconds(i.child.pid!) ?? NaN);
    const pgCpuResult = (await pgCpu?.stop()) ?? null;
    pgCpu = null;
    const loadEnd = load();
    const stats = await fixture.stats();
    const duplicates = await reader.duplicates();
    const failures = await reader.failures();
    const polled = progress?.polled ?? 0;
    const stored = progress?.articles ?? 0;
    for (const instance of instances) instance.child.kill('SIGTERM');
    await Promise.all(instances.map((i) => i.exited));
    const logs = instances.map((i) => logProblems(i.log));
    const fetched = stats.counts;
    const result: SetupResult = {
      label,
      engine,
      instances: k,
      complete,
      wallSeconds: (finished - started) / 1000,
      pollSeconds: stats.first ? (finished - stats.first) / 1000 : NaN,
      stored,
      polled,
      failedSources: progress?.failed ?? 0,
      failures,
      fetchesMin: Math.min(...fetched),
      fetchesMax: Math.max(...fetched),
      notOnce: fetched.filter((n) => n !== 1).length,
      duplicates,
      shares: instances.map((_, i) => stats.byAgent[agentOf(i)] ?? 0),
      bursts: instances.map((_, i) => {
        const b = stats.burstsByAgent[agentOf(i)] ?? [];
        return { count: b.length, largest: Math.max(0, ...b) };
      }),
      gatewayCpu,
      pgCpu: pgCpuResult,
      fixtureCpu: stats.cpuSeconds,
      loadStart,
      loadEnd,
      logs,
    };
    console.log(
      `  ${complete ? 'done' : 'INCOMPLETE'} in ${result.wallSeconds.toFixed(1)} s (${result.pollSeconds.toFixed(1)} s from the first fetch): ${polled} sources, ${stored.toLocaleString('en')} items; fetches per source ${result.fetchesMin}–${result.fetchesMax}; duplicates ${duplicates.byKey}/${duplicates.byLink}; shares ${result.shares.join(' / ')}; fetch bursts ${result.bursts.map((b) => `${b.count} (largest ${b.largest})`).join(' / ')}; gateway CPU ${gatewayCpu.map((c) => c.toFixed(1)).join(' + ')} s${pgCpuResult ? `; PostgreSQL backends ${pgCpuResult.seconds.toFixed(1)} s (${pgCpuResult.backends}), ${waits(pgCpuResult)}` : ''}; load ${loadStart.join(' ')} → ${loadEnd.join(' ')}`,
    );
    if (failures.length) console.log(`  failed sources (${result.failedSources}): ${failures.join(' | ')}`);
    console.log(`  instances: ${logs.map((l, i) => `${i + 1} ${l.url ?? 'NEVER LISTENED'}`).join(', ')}`);
    logs.forEach((l, i) => {
      if (l.errors || l.warnings || l.stderr || l.unexpectedExit)
        console.log(`  instance ${i + 1} log: ${l.errors} errors, ${l.warnings} warnings, ${l.stderr} stderr lines${l.unexpectedExit ? `, ${l.unexpectedExit}` : ''}\n    ${l.examples.join('\n    ')}`);
    });
    return result;
  } finally {
    for (const instance of instances) if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill('SIGKILL');
    await pgCpu?.stop();
    await reader.close();
    await cleanup();
  }
}

async function main() {
  if (!process.env.BENCH_SKIP_BUILD_CHECK) {
    try {
      readFileSync(BIN);
    } catch {
      throw new Error(`${BIN} is missing: run \`npm run build\` first (npm run bench:scale does)`);
    }
  }
  mkdirSync(LOGS, { recursive: true });
  const postgres = await benchPostgres();
  if ('skip' in postgres) console.log(`skipping the PostgreSQL setups: ${postgres.skip}`);
  const setups: ['sqlite' | 'postgres', number][] = [
    ...(process.env.BENCH_SCALE_SQLITE === '0' ? [] : [['sqlite', 1] as ['sqlite', number]]),
    ...('url' in postgres ? INSTANCES.map((k) => ['postgres', k] as ['postgres', number]) : []),
  ];
  const tables: string[] = [];
  const workloads = [[SOURCES, ITEMS], ...(HEAVY ? [HEAVY] : [])];
  for (const [w, [sources, items]] of workloads.entries()) {
    SOURCES = sources;
    ITEMS = items;
    if (w > 0) await sleep(PAUSE_MS);
    console.log(`
### ${SOURCES.toLocaleString('en')} sources × ${ITEMS} items`);
    const fixture = await startFixture();
    const results: SetupResult[] = [];
    try {
      for (const [n, [engine, k]] of setups.entries()) {
        if (n > 0) await sleep(PAUSE_MS);
        results.push(await runSetup(fixture, engine, k, 'url' in postgres ? postgres.url : null));
      }
    } finally {
      fixture.stop();
    }
    tables.push(report(results));
  }
  console.log(`
Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}); fetch concurrency ${CONCURRENCY} per instance`);
  for (const table of tables) console.log(`
${table}`);
}

/** The markdown table of one workload's setups (and a failure exit code when a check failed). */
function report(results: SetupResult[]): string {

  const int = (n: number) => Math.round(n).toLocaleString('en');
  const total = SOURCES * ITEMS;
  const basePg = results.find((r) => r.engine === 'postgres' && r.instances === 1);
  const rows = results.map((r) => {
    const cpu = r.gatewayCpu.reduce((a, b) => a + b, 0);
    const speedup = basePg && r.engine === 'postgres' ? ` (${(basePg.wallSeconds / r.wallSeconds).toFixed(2)}×)` : '';
    const share = r.shares.map((s) => `${((100 * s) / Math.max(1, r.shares.reduce((a, b) => a + b, 0))).toFixed(0)} %`).join(' / ');
    const errors = r.logs.reduce((n, l) => n + l.errors + l.stderr, 0);
    const warnings = r.logs.reduce((n, l) => n + l.warnings, 0);
    return `| ${r.label}${r.complete ? '' : ' (INCOMPLETE)'} | ${r.wallSeconds.toFixed(1)} s${speedup} | ${r.pollSeconds.toFixed(1)} s | ${int(r.polled / r.wallSeconds)} | ${int(r.stored / r.wallSeconds)} | ${r.fetchesMin === r.fetchesMax ? r.fetchesMin : `${r.fetchesMin}–${r.fetchesMax} (${r.notOnce} not 1)`} | ${r.duplicates.byKey} / ${r.duplicates.byLink} | ${share} | ${r.bursts.map((b) => `${b.count} × ≤ ${b.largest}`).join(' / ')} | ${r.gatewayCpu.map((c) => c.toFixed(1)).join(' + ')} = ${cpu.toFixed(1)} s (${(cpu / r.wallSeconds).toFixed(2)} cores) | ${r.pgCpu ? `${r.pgCpu.seconds.toFixed(1)} s` : '–'} | ${r.pgCpu ? waits(r.pgCpu) : '–'} | ${int(r.stored / (cpu + (r.pgCpu?.seconds ?? 0)))} | ${r.loadStart[0]} → ${r.loadEnd[0]} | ${errors} / ${warnings} |`;
  });
  const table = [
    `${SOURCES.toLocaleString('en')} sources × ${ITEMS} items = ${total.toLocaleString('en')} items:`,
    '',
    `| setup | wall time, spawn → all stored | from the first fetch | sources/s | items/s | fetches per source | duplicate articles (by key / link) | share of fetches per instance | fetch bursts per instance (× largest) | gateway CPU (per instance) | PostgreSQL backends CPU | PostgreSQL backends in a transaction (mean) · waiting for a lock (share of samples) | items per CPU-s (gateways + backends) | load avg (1 min), start → end | log errors / warnings |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  const failed = results.filter(
    (r) =>
      !r.complete ||
      r.fetchesMin !== 1 ||
      r.fetchesMax !== 1 ||
      r.duplicates.byKey !== 0 ||
      r.duplicates.byLink !== 0 ||
      r.logs.some((l) => !l.url || l.errors > 0 || l.stderr > 0 || l.unexpectedExit),
  );
  if (failed.length) {
    console.log(
      `\nCHECKS FAILED for ${SOURCES} × ${ITEMS}: ${failed.map((r) => r.label).join('; ')} (every instance listening with a clean log, every source fetched exactly once, no duplicate article, every item stored)`,
    );
    process.exitCode = 1;
  }
  return table;
}

function serveFeeds() {
  // The fixture server: every feed generated once, each fetch counted.
  const bodies = Array.from({ length: SOURCES }, (_, f) => Buffer.from(generateFeed(f, ITEMS, FEED_NEWEST)));
  let counts = new Array<number>(SOURCES).fill(0);
  let byAgent: Record<string, number> = {};
  let timesByAgent: Record<string, number[]> = {};
  let first: number | null = null;
  let last: number | null = null;
  const server = createServer((req, res) => {
    const f = Number((req.url ?? '').match(/feed-(\d+)\.rss/)?.[1]);
    if (!(f >= 0 && f < SOURCES)) {
      res.writeHead(404).end();
      return;
    }
    const now = Date.now();
    first ??= now;
    last = now;
    counts[f]++;
    const agent = String(req.headers['user-agent']);
    byAgent[agent] = (byAgent[agent] ?? 0) + 1;
    (timesByAgent[agent] ??= []).push(now);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(bodies[f]);
  });
  server.keepAliveTimeout = 60_000;
  process.on('message', (message: string) => {
    if (message === 'reset') {
      counts = new Array<number>(SOURCES).fill(0);
      byAgent = {};
      timesByAgent = {};
      first = last = null;
      process.send!({ reset: true });
    } else if (message === 'stats') {
      const { user, system } = process.cpuUsage();
      const burstsByAgent: Record<string, number[]> = {};
      for (const [agent, times] of Object.entries(timesByAgent)) {
        const bursts: number[] = [];
        times.forEach((t, i) => (i > 0 && t - times[i - 1] < 1000 ? bursts[bursts.length - 1]++ : bursts.push(1)));
        burstsByAgent[agent] = bursts;
      }
      process.send!({ counts, byAgent, burstsByAgent, first, last, cpuSeconds: (user + system) / 1e6 } satisfies FixtureStats);
    }
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
}

if (process.argv[2] === 'serve-feeds') serveFeeds();
else await main();
