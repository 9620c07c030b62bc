import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgSchema, probePostgres } from '../helpers/dialects.js';
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server.js';
import { buildRss } from '../helpers/rss.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'newsgate-cli-'));
let server: FixtureServer;
let configFile: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error('dist/newsgate.js is missing: run `npm run build` (npm test does it)');
  server = await startFixtureServer({
    '/ok.rss': { body: buildRss([{ title: 'Giá vàng hôm nay 27/11', link: 'https://vnexpress.net/gia-vang-1.html', pubDate: 'Thu, 27 Nov 2026 10:00:00 +0700' }]) },
  });
  configFile = join(dir, 'sources.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      topics: [{ slug: 'kinh-doanh', name: 'Kinh doanh', aliases: [], keywords: [] }],
      sources: [
        { slug: 'ok', url: server.url('/ok.rss'), name: 'OK', topics: ['kinh-doanh'], language: 'vi', intervalMinutes: 15 },
        { slug: 'missing', url: server.url('/missing.rss'), name: 'Missing', topics: [], language: 'vi', intervalMinutes: 15 },
      ],
      feeds: [],
      retentionDays: 90,
    }),
  );
});
afterAll(async () => server?.close());

const run = runCli;

describe('newsgate CLI', () => {
  it('poll --once prints a line per source and a total, exiting 0 whatever the sources did', async () => {
    const db = join(dir, 'poll.db');
    const result = await run(['poll', '--once', '--config', configFile, '--db', db]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('ok: 1 new, 0 updated, 0 unchanged');
    expect(result.stdout).toContain('missing: error (http-error): HTTP 404 Not Found');
    expect(result.stdout).toContain('total: 2 sources, 1 new, 0 updated, 0 unchanged, 1 failed');
    const again = await run(['poll', '--once', '--json'], { NEWSGATE_CONFIG: configFile, NEWSGATE_DB: db });
    expect(again.status).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json.totals).toEqual({ new: 0, updated: 0, unchanged: 1, failed: 1 });
  });

  it('sources prints the health table', async () => {
    const db = join(dir, 'poll.db');
    const result = await run(['sources', '--config', configFile, '--db', db]);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SOURCE\s+STATUS\s+LAST FETCH\s+NEXT POLL\s+FAILS\s+ITEMS\s+LAST ERROR$/);
    expect(lines.find((l) => l.startsWith('missing'))).toMatch(/404.*HTTP 404 Not Found/);
    const json = JSON.parse((await run(['sources', '--json', '--config', configFile, '--db', db])).stdout);
    expect(json.find((s: { slug: string }) => s.slug === 'ok')).toMatchObject({ itemCount: 1, consecutiveFailures: 0, lastStatus: 200 });
  });

  it('rejects a bad config with a clear error, exit 1, and touches nothing', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ topics: [], sources: [{ slug: 'x', url: 'not a url', name: 'X', topics: ['nope'] }] }));
    const db = join(dir, 'never.db');
    const result = await run(['poll', '--once', '--config', bad, '--db', db]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('bad.json: invalid configuration');
    expect(result.stderr).toContain('sources[0] (x).url: must be an absolute http(s) URL');
    expect(existsSync(db)).toBe(false);
  });

  it('refuses a read replica for a SQLite database, touching nothing', async () => {
    const db = join(dir, 'replica.db');
    const result = await run(['serve', '--config', configFile, '--db', db, '--port', '0'], { DATABASE_READ_URL: 'postgres://replica.invalid/newsgate' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--read-db (DATABASE_READ_URL) needs a PostgreSQL --db');
    expect(existsSync(db)).toBe(false);
  });

  it('serve exits 1 with a clear error when its port is taken, on either engine', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = String((taken.address() as AddressInfo).port);
    try {
      const sqlite = await run(['serve', '--no-poll', '--config', configFile, '--db', join(dir, 'taken.db'), '--host', '127.0.0.1', '--port', port]);
      expect(sqlite.status).toBe(1);
      expect(sqlite.stderr).toContain(`newsgate serve: cannot listen on 127.0.0.1:${port}: the address is already in use`);
      const probe = await probePostgres();
      if (!('url' in probe)) return;
      // PostgreSQL holds a pool and a LISTEN connection open: serve must still exit.
      const schema = await createPgSchema(probe.url);
      try {
        expect((await run(['migrate', '--db', schema.url])).status).toBe(0);
        const pg = await run(['serve', '--no-poll', '--config', configFile, '--db', schema.url, '--host', '127.0.0.1', '--port', port]);
        expect(pg.status).toBe(1);
        expect(pg.stderr).toContain('the address is already in use');
      } finally {
        await schema.drop();
      }
    } finally {
      taken.close();
    }
  });

  it('serve refuses a bad NEWSGATE_PG_POOL_SIZE before touching the database', async () => {
    const db = join(dir, 'pool.db');
    const result = await run(['serve', '--config', configFile, '--db', db, '--port', '0'], { NEWSGATE_PG_POOL_SIZE: 'lots' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('NEWSGATE_PG_POOL_SIZE must be a whole number from 1 to 1000, got "lots"');
    expect(existsSync(db)).toBe(false);
  });

  it('explains unknown commands and options', async () => {
    expect((await run(['frobnicate'])).status).toBe(2);
    expect((await run(['poll', '--bogus'])).stderr).toContain("Unknown option '--bogus'");
    expect((await run(['--help'])).stdout).toContain('Usage: newsgate <command>');
  });

  it('serve answers /healthz and GraphQL, and shuts down cleanly on SIGTERM, leaving the database in its one file', async () => {
    const db = join(dir, 'serve.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--config', configFile, '--db', db, '--port', '0', '--host', '127.0.0.1', '--no-poll'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 10_000);
      child.stdout.on('data', () => {
        const match = out.match(/listening on (http:\/\/\S+)/);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    const response = await fetch(new URL('/healthz', url));
    expect(response.status).toBe(200);
    // A query opens the API's own read connection, which must be closed on the way out too.
    const graphql = await fetch(new URL('/graphql', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sources { slug } }' }),
    });
    expect(graphql.status).toBe(200);
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    // Every connection closed: the last one checkpointed the WAL into the file and removed it.
    expect(existsSync(db)).toBe(true);
    expect(existsSync(`${db}-wal`)).toBe(false);
    expect(existsSync(`${db}-shm`)).toBe(false);
  });
});
