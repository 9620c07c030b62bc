import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { pollSource } from '../../src/ingest/pipeline.js';
import { openStore } from '../../src/store/database.js';
import { findSourceBySlug } from '../../src/store/sources.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss } from '../helpers/rss.js';
import { BIN, runCli } from '../helpers/run-cli.js';

// The operations side of the CLI, as users run it: the built bin in a child process.
const DAY = 24 * 60 * 60 * 1000;
const dir = mkdtempSync(join(tmpdir(), 'newsgate-ops-cli-'));
let server: FixtureServer;
let configFile: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error('dist/newsgate.js is missing: run `npm run build` (npm test does it)');
  server = await startFixtureServer({
    '/ok.rss': {
      body: buildRss([
        { title: 'Giá vàng hôm nay 27/11', link: 'https://vnexpress.net/gia-vang-1.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' },
        { title: 'Bão số 6 vào miền Trung', link: 'https://vnexpress.net/bao-2.html', pubDate: 'Thu, 27 Nov 2026 09:00:00 +0700' },
      ]),
    },
  });
  configFile = writeConfig('sources.json', 90);
});
afterAll(async () => server?.close());

function writeConfig(name: string, retentionDays: number): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      topics: [{ slug: 'kinh-doanh', name: 'Kinh doanh' }],
      sources: [{ slug: 'ok', url: server.url('/ok.rss'), name: 'OK', topics: ['kinh-doanh'], intervalMinutes: 15 }],
      retentionDays,
    }),
  );
  return file;
}

const run = runCli;

/** Starts serve, waits until `ready(lines)` holds, runs `during`, stops it with SIGTERM; returns its JSON log lines. */
async function serve(args: string[], env: Record<string, string>, ready: (out: string) => Promise<string | null>, during: (url: string) => Promise<void>) {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile, '--host', '127.0.0.1', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (err += chunk));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 15_000;
    let url: string | null = null;
    while (!(url = await ready(out))) {
      if (Date.now() > deadline) throw new Error(`serve did not become ready: ${out}\n${err}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await during(url);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exit).toBe(0);
  expect(err).toBe('');
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const listeningUrl = async (out: string) => {
  for (const line of out.split('\n').filter(Boolean)) {
    const parsed = JSON.parse(line) as { url?: string };
    if (parsed.url) return parsed.url;
  }
  return null;
};

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('newsgate CLI: operations', () => {
  it('serve logs JSON lines: polls per source, requests with their id; NEWSGATE_LOG_LEVEL sets the level', { timeout: 60_000 }, async () => {
    const db = join(dir, 'serve.db');
    const lines = await serve(
      ['--db', db, '--port', '0'],
      { NEWSGATE_LOG_LEVEL: 'debug' },
      async (out) => ((await listeningUrl(out)) && out.includes('"source":"ok"') ? listeningUrl(out) : null),
      async (url) => {
        const health = await fetch(new URL('/healthz', url), { headers: { 'x-request-id': 'probe-from-test' } });
        expect(health.headers.get('x-request-id')).toBe('probe-from-test');
        const ready = await fetch(new URL('/readyz', url));
        expect(ready.status).toBe(200);
        expect(((await ready.json()) as { checks: { scheduler: { status: string } } }).checks.scheduler.status).toBe('ok');
        const metrics = await (await fetch(new URL('/metrics', url))).text();
        expect(metrics).toContain('newsgate_items_new_total{source="ok"} 2');
      },
    );
    expect(lines.find((l) => l.source === 'ok')).toMatchObject({ level: 30, outcome: 'ok', new: 2, msg: 'poll: 2 new, 0 updated, 0 unchanged' });
    expect(lines.find((l) => l.reqId === 'probe-from-test')).toMatchObject({ level: 20, route: '/healthz', status: 200 });
    expect(lines.at(-1)).toMatchObject({ level: 30, signal: 'SIGTERM' });
  });

  it('--log-level wins over NEWSGATE_LOG_LEVEL and bad levels are usage errors', { timeout: 60_000 }, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}/`;
    const lines = await serve(
      ['--db', join(dir, 'quiet.db'), '--port', String(port), '--no-poll', '--log-level', 'warn'],
      { NEWSGATE_LOG_LEVEL: 'debug' },
      async () => ((await fetch(new URL('/healthz', base)).then((r) => r.ok, () => false)) ? base : null),
      async (url) => {
        await (await fetch(new URL('/feeds/topics/kinh-doanh.rss', url))).text();
        await (await fetch(new URL('/nothing-here', url))).text();
      },
    );
    expect(lines.filter((l) => (l.level as number) < 40)).toEqual([]);

    const bad = await run(['serve', '--log-level', 'loud', '--config', configFile]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--log-level must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
    expect((await run(['sources', '--config', configFile, '--db', join(dir, 'x.db')], { NEWSGATE_LOG_LEVEL: 'nope' })).status).toBe(2);
  });

  it('prune deletes what retention says and prints it', { timeout: 60_000 }, async () => {
    const db = join(dir, 'prune.db');
    const store = await openStore(db);
    const app = await createApp(loadConfig(configFile), store);
    await pollSource({ ...app.ingest, now: () => Date.now() - 120 * DAY }, (await findSourceBySlug(store.db, 'ok'))!);
    await store.close();

    const disabled = await run(['prune', '--config', writeConfig('no-retention.json', 0), '--db', db]);
    expect(disabled.status).toBe(0);
    expect(disabled.stdout).toBe('retention is disabled (retentionDays is 0): nothing deleted\n');

    const result = await run(['prune', '--config', configFile, '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^pruned 2 articles first seen before \d{4}-\d\d-\d\dT[\d:.]+Z \(retentionDays 90\)\nstories: 2 removed, 0 refreshed\ntombstones: 2 added, 0 expired\n$/);
    const json = JSON.parse((await run(['prune', '--json', '--config', configFile, '--db', db])).stdout);
    expect(json).toMatchObject({ retentionDays: 90, articles: 0, batches: 0 });

    // The feed still lists both: poll --once must not bring them back.
    const poll = await run(['poll', '--once', '--config', configFile, '--db', db]);
    expect(poll.stdout).toContain('ok: 0 new, 0 updated, 2 unchanged');

    const missing = await run(['prune', '--config', configFile, '--db', join(dir, 'missing.db')]);
    expect(missing.status).toBe(1);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });
});
