import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import { listSources } from '../../src/store/sources.js';
import { createPgSchema, probePostgres, testDialects } from '../helpers/dialects.js';
import { buildRss } from '../helpers/rss.js';
import { BIN, runCli } from '../helpers/run-cli.js';

/**
 * Issue 7's multi-instance test: three `newsgate serve` processes on one PostgreSQL database and
 * 300 sources on a local fixture server that records which instance (its User-Agent) fetched
 * what. Every source is fetched once in its interval, no article is stored twice, and when one
 * instance is killed with SIGKILL mid-poll its sources are polled by the others once its leases
 * lapse (NEWSGATE_POLL_LEASE_SECONDS=6 here).
 */
const pgCase = (await testDialects()).find((d) => d.dialect === 'postgres')!;
const N = 300;
const LEASE_SECONDS = 6; // longer than serve's 5 s scheduling tick, which renews the leases of running polls

const dir = mkdtempSync(join(tmpdir(), 'newsgate-multi-'));
const children: ChildProcess[] = [];
let feeds: Server | null = null;
let drop: (() => Promise<void>) | null = null;
afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await new Promise<void>((resolve) => (feeds ? feeds.close(() => resolve()) : resolve()));
  await drop?.();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(pgCase.skip !== null)(`three gateway processes on one PostgreSQL database${pgCase.skip ? ` (skipped: ${pgCase.skip})` : ''}`, () => {
  it('fetches each source once, stores no article twice, and takes over a killed instance’s sources within the lease', { timeout: 120_000 }, async () => {
    if (!existsSync(BIN)) throw new Error('dist/newsgate.js is missing: run `npm run build` (npm test does it)');
    // Feeds answer after 150 ms, so polls are in flight when an instance is killed.
    const fetches: { path: string; by: string; at: number }[] = [];
    feeds = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      fetches.push({ path, by: String(req.headers['user-agent']), at: Date.now() });
      const i = Number(path.slice(2, -4));
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(buildRss([{ title: `Tin số ${i} của nguồn ${i}`, link: `https://example.vn/${i}.html`, pubDate: new Date(Date.UTC(2026, 10, 28, 1, 0, i)).toUTCString() }]));
      }, 150);
    });
    await new Promise<void>((resolve) => feeds!.listen(0, '127.0.0.1', resolve));
    const port = (feeds.address() as AddressInfo).port;

    const probe = await probePostgres();
    if (!('url' in probe)) throw new Error(probe.reason);
    const schema = await createPgSchema(probe.url);
    drop = schema.drop;
    expect((await runCli(['migrate', '--db', schema.url])).status).toBe(0);

    const sources = Array.from({ length: N }, (_, i) => ({ slug: `s${i}`, url: `http://127.0.0.1:${port}/f${i}.rss`, name: `Nguồn ${i}`, intervalMinutes: 60 }));
    const start = (n: number) => {
      const config = join(dir, `instance-${n}.json`);
      // The same sources; only the User-Agent tells the instances apart at the fixture server.
      writeFileSync(config, JSON.stringify({ topics: [], sources, fetch: { userAgent: `instance-${n}`, concurrency: 8 } }));
      const child = spawn(process.execPath, [BIN, 'serve', '--config', config, '--db', schema.url, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'], {
        env: { ...process.env, NEWSGATE_ALLOW_PRIVATE_SOURCES: '1', NEWSGATE_POLL_LEASE_SECONDS: String(LEASE_SECONDS), NEWSGATE_PG_POOL_SIZE: '4' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr!.on('data', (chunk) => (err += chunk));
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL' && signal !== 'SIGTERM' && code !== 0) console.error(`instance-${n} exited ${code}: ${err}`);
      });
      children.push(child);
      return child;
    };
    const instances = [start(0), start(1), start(2)];

    // Kill instance 2 while it has polls in flight.
    const until = async (check: () => boolean | Promise<boolean>, ms: number, what: string) => {
      const deadline = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await until(() => fetches.filter((f) => f.by === 'instance-2').length >= 10, 60_000, 'instance-2 to fetch');
    instances[2].kill('SIGKILL');
    const killedAt = Date.now();

    const store = await openDatabase(schema.url);
    try {
      await until(async () => (await listSources(store.db)).every((s) => s.last_fetched_at !== null), 90_000, 'every source to be polled');
      const byPath = new Map<string, string[]>();
      for (const f of fetches) byPath.set(f.path, [...(byPath.get(f.path) ?? []), f.by]);
      expect(byPath.size).toBe(N);
      // Fetched twice only when the first fetch was the killed instance's (its poll never committed).
      const twice = [...byPath].filter(([, by]) => by.length > 1);
      for (const [path, by] of twice) expect([path, by.length, by[0]]).toEqual([path, 2, 'instance-2']);
      expect(twice.length).toBeGreaterThan(0);
      // Its unfinished sources went to the survivors once its leases lapsed, not before.
      const takenOver = fetches.filter((f) => twice.some(([path]) => path === f.path) && f.by !== 'instance-2');
      for (const f of takenOver) expect(f.at).toBeGreaterThanOrEqual(killedAt);
      expect(Math.max(...takenOver.map((f) => f.at)) - killedAt).toBeLessThan((LEASE_SECONDS + 10) * 1000);
      expect(new Set(fetches.map((f) => f.by))).toEqual(new Set(['instance-0', 'instance-1', 'instance-2']));
      const articles = await store.db.selectFrom('articles').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(articles.n)).toBe(N);
      // The survivors give back everything they finished (the dead one's leases just lapse).
      await until(async () => (await listSources(store.db)).every((s) => s.lease_owner === null || s.lease_owner.includes(`:${instances[2].pid}:`)), 10_000, 'leases to be given back');
    } finally {
      await store.close();
      for (const child of instances.slice(0, 2)) child.kill('SIGTERM');
      await Promise.all(instances.slice(0, 2).map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.on('exit', resolve)))));
    }
  });
});
