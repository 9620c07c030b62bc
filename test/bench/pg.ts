/**
 * PostgreSQL for the benchmarks (issue 7): the server the tests use (test/helpers/pg-probe.ts:
 * NEWSGATE_TEST_PG_URL, else postgres://postgres@127.0.0.1:5432/test), a fresh schema per run
 * selected by the URL's search_path (as test/helpers/dialects.ts does), dropped afterwards, and
 * the CLI (dist/newsgate.js) to migrate and fill it — the benchmarks touch PostgreSQL only through
 * the public CLI and SQL, so they measure whatever the build does.
 *
 * BENCH_PG=0 skips the PostgreSQL cases; an unreachable server skips them with the reason printed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { probePostgres } from '../helpers/pg-probe.js';
import { BIN, runCli as runBuiltCli } from '../helpers/run-cli.js';

export { BIN };

/** The PostgreSQL server to benchmark on, or why the PostgreSQL cases are skipped. */
export async function benchPostgres(): Promise<{ url: string } | { skip: string }> {
  if (process.env.BENCH_PG === '0') return { skip: 'BENCH_PG=0' };
  const probe = await probePostgres();
  if ('reason' in probe) return { skip: probe.reason };
  if (!existsSync(BIN)) return { skip: `${BIN} is missing (run \`npm run build\`)` };
  return probe;
}

/** `url` with query parameters set (search_path through `options`, application_name, …). */
export function withParams(url: string, params: Record<string, string>): string {
  const u = new URL(url);
  for (const [key, value] of Object.entries(params)) u.searchParams.set(key, value);
  return u.toString();
}

const live = new Map<string, string>();
let hooked = false;

async function dropSchema(baseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl });
  try {
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    live.delete(schema);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops every schema this process created and has not dropped yet (also on SIGINT/SIGTERM). */
export async function dropLiveSchemas(): Promise<void> {
  for (const [schema, baseUrl] of [...live]) {
    await dropSchema(baseUrl, schema).catch((error: Error) => console.error(`could not drop schema ${schema}: ${error.message}`));
  }
}

export interface BenchSchema {
  /** The server URL with `options=-c search_path=<schema>`. */
  url: string;
  schema: string;
  drop(): Promise<void>;
}

/** A fresh empty schema named ng_bench_<label>_<pid>_<random>; drop() removes it and everything in it. */
export async function createBenchSchema(baseUrl: string, label: string): Promise<BenchSchema> {
  const schema = `ng_bench_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  live.set(schema, baseUrl);
  if (!hooked) {
    hooked = true;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        void dropLiveSchemas().finally(() => process.exit(130));
      });
    }
  }
  return {
    url: withParams(baseUrl, { options: `-c search_path=${schema}` }),
    schema,
    drop: () => dropSchema(baseUrl, schema),
  };
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs `newsgate …` (the built bin) to completion, timed. */
export async function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const started = performance.now();
  const result = await runBuiltCli(args, env);
  return { ...result, seconds: (performance.now() - started) / 1000 };
}

/** `newsgate migrate --db URL`; throws with the CLI's output when it fails. */
export async function migrate(url: string): Promise<void> {
  const run = await runCli(['migrate', '--db', url]);
  if (run.status !== 0) throw new Error(`newsgate migrate failed (${run.status}): ${run.stderr || run.stdout}`);
}

/** `newsgate copy --from sqlite:FILE --to URL --json`; resolves to its wall time and row counts. */
export async function copyInto(from: string, to: string): Promise<{ seconds: number; rows: Record<string, number> }> {
  const run = await runCli(['copy', '--from', from, '--to', to, '--json']);
  if (run.status !== 0) throw new Error(`newsgate copy failed (${run.status}): ${run.stderr || run.stdout}`);
  const out = JSON.parse(run.stdout) as { rows: Record<string, number>; seconds: number };
  return { seconds: run.seconds, rows: out.rows };
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; null when it is gone. */
export function procCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds of this process's waited-for children (cutime + cstime), from /proc/self/stat. */
export function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** USER_HZ: 100 on every Linux build Node supports. */
const CLOCK_TICKS = 100;

/** What pgBackendCpu found. */
export interface BackendCpu {
  /** CPU seconds of the backends seen (user + system). */
  seconds: number;
  backends: number;
  /** Periodic samples taken. */
  samples: number;
  /** Mean number of backends inside a transaction (active, or idle in one while the app works). */
  inTransaction: number;
  /** Per lock kind (pg_stat_activity.wait_event: advisory, transactionid, tuple, …): share of samples in which a backend waited for one. */
  lockWaits: Record<string, number>;
}

/**
 * CPU time of the PostgreSQL backends serving connections whose application_name starts with
 * `prefix` (set it in the URL). Backends come and go with the pools, so they are sampled and the
 * last reading of each is kept; the server's background processes (WAL writer, checkpointer)
 * are not counted. Each periodic sample also notes which backends are in a transaction and
 * which wait for a lock (serialisation between instances shows there).
 */
export function pgBackendCpu(baseUrl: string, prefix: string, everyMs = 250) {
  const seen = new Map<number, number>();
  const client = new pg.Client({ connectionString: withParams(baseUrl, { application_name: 'newsgate-bench-sampler' }) });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let samples = 0;
  let inTransaction = 0;
  const lockWaits: Record<string, number> = {};
  const sample = async (periodic = false) => {
    const { rows } = await client.query<{ pid: number; state: string | null; wait_event_type: string | null; wait_event: string | null }>(
      'select pid, state, wait_event_type, wait_event from pg_stat_activity where application_name like $1',
      [`${prefix}%`],
    );
    for (const { pid } of rows) {
      const cpu = procCpuSeconds(pid);
      if (cpu !== null) seen.set(pid, Math.max(cpu, seen.get(pid) ?? 0));
    }
    if (!periodic) return;
    samples++;
    inTransaction += rows.filter((r) => r.state === 'active' || r.state?.startsWith('idle in transaction')).length;
    for (const kind of new Set(rows.filter((r) => r.wait_event_type === 'Lock').map((r) => r.wait_event ?? '?'))) lockWaits[kind] = (lockWaits[kind] ?? 0) + 1;
  };
  const loop = async () => {
    if (stopped) return;
    await sample(true).catch(() => {});
    if (!stopped) timer = setTimeout(loop, everyMs);
  };
  const result = (): BackendCpu => ({
    seconds: [...seen.values()].reduce((a, b) => a + b, 0),
    backends: seen.size,
    samples,
    inTransaction: samples ? inTransaction / samples : 0,
    lockWaits: Object.fromEntries(Object.entries(lockWaits).map(([kind, n]) => [kind, n / Math.max(1, samples)])),
  });
  return {
    async start() {
      await client.connect();
      void loop();
    },
    /** Samples now and returns the CPU seconds so far. */
    async read(): Promise<BackendCpu> {
      await sample().catch(() => {});
      return result();
    },
    /** Takes a last sample and returns the totals. */
    async stop(): Promise<BackendCpu> {
      stopped = true;
      clearTimeout(timer);
      await sample().catch(() => {});
      await client.end().catch(() => {});
      return result();
    },
  };
}
