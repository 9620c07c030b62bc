import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Config } from '../../src/config/types.js';
import { openStore, type Store } from '../../src/store/database.js';
import { dialectOf } from '../../src/store/dialect.js';
import { openDatabase } from '../../src/store/open.js';
import { syncConfig } from '../../src/store/sources.js';
import { probePostgres } from './pg-probe.js';

/**
 * The test matrix (as Kysely's own tests do it): suites that touch the store run once per
 * dialect. SQLite is always there (in memory); PostgreSQL is the server at NEWSGATE_TEST_PG_URL
 * (default postgres://127.0.0.1:5432/test as user postgres, else root). Each PostgreSQL store
 * is a fresh schema of its own (workers run in parallel), dropped when the store closes.
 *
 * When PostgreSQL cannot be reached the PostgreSQL variants are skipped, and the reason is
 * printed once per test file — unless REQUIRE_PG=1 (CI), where that is a failure.
 */
export type TestDialect = 'sqlite' | 'postgres';

export interface DialectCase {
  dialect: TestDialect;
  /** Skip reason when this dialect cannot run here; null when it runs. */
  skip: string | null;
  /** A fresh, migrated store with the config synced in. */
  open(config?: Config): Promise<Store>;
  /** A fresh store with no migration applied (to test migrations over existing data). */
  openBare(): Promise<Store>;
}

export { probePostgres };

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** Schemas this process created and has not dropped yet (test/helpers/pg-cleanup.ts drops leftovers). */
export const liveSchemas = new Map<string, string>();

/** A fresh empty schema on the test server; its URL selects it; drop() removes it and everything in it. */
export async function createPgSchema(baseUrl: string): Promise<{ url: string; schema: string; drop(): Promise<void> }> {
  const schema = `ng_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
    liveSchemas.set(schema, baseUrl);
  } finally {
    await admin.end();
  }
  return {
    url: withSearchPath(baseUrl, schema),
    schema,
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
        liveSchemas.delete(schema);
      } finally {
        await client.end();
      }
    },
  };
}

/** A migrated PostgreSQL store in a schema of its own, with the config synced in; close() drops the schema. */
export async function openPgTestStore(baseUrl: string, config?: Config, options: { migrate?: boolean } = {}): Promise<Store> {
  const { url, drop } = await createPgSchema(baseUrl);
  let store: Store;
  try {
    store = await openDatabase(url, { migrate: options.migrate ?? true, poolSize: 4 });
  } catch (error) {
    await drop();
    throw error;
  }
  if (config) await syncConfig(store.db, config, Date.now());
  const close = store.close;
  let closed = false;
  return {
    ...store,
    close: async () => {
      if (closed) return;
      closed = true;
      await close();
      await drop();
    },
  };
}

/** A real in-memory SQLite database migrated by the real migrations, with the config synced in. */
export async function openSqliteTestStore(config?: Config): Promise<Store> {
  const store = await openStore(':memory:');
  if (config) await syncConfig(store.db, config, Date.now());
  return store;
}

const warned = new Set<string>();

/**
 * The dialects to run a suite on: `for (const d of await testDialects()) describe.skipIf(d.skip)(`… [${d.dialect}]`, …)`.
 * Throws (failing the file) when REQUIRE_PG=1 and PostgreSQL is not reachable.
 */
export async function testDialects(): Promise<DialectCase[]> {
  const sqlite: DialectCase = { dialect: 'sqlite', skip: null, open: (config) => openSqliteTestStore(config), openBare: () => openStore(':memory:', { migrate: false }) };
  const probe = await probePostgres();
  if ('reason' in probe) {
    if (process.env.REQUIRE_PG === '1') throw new Error(`REQUIRE_PG=1 but ${probe.reason}`);
    const message = `skipping the PostgreSQL variants: ${probe.reason} (set NEWSGATE_TEST_PG_URL, or REQUIRE_PG=1 to make this a failure)`;
    if (!warned.has(message)) {
      warned.add(message);
      console.warn(message);
    }
    const unavailable = () => Promise.reject(new Error(probe.reason));
    return [sqlite, { dialect: 'postgres', skip: probe.reason, open: unavailable, openBare: unavailable }];
  }
  return [
    sqlite,
    { dialect: 'postgres', skip: null, open: (config) => openPgTestStore(probe.url, config), openBare: () => openPgTestStore(probe.url, undefined, { migrate: false }) },
  ];
}

/**
 * App settings a store's dialect needs, as `newsgate serve` applies them: the GraphQL response
 * cache reads SQLite's data_version, so it is off on PostgreSQL.
 */
export function dialectAppSettings(store: Store): { responseCache?: false } {
  return dialectOf(store.db) === 'postgres' ? { responseCache: false } : {};
}

/**
 * `n` stores on one fresh, migrated database (the config synced in): several gateway instances
 * sharing it. A SQLite file in a temp directory, or a PostgreSQL schema. close() closes them all
 * and removes the database.
 */
export async function openSharedStores(dialect: TestDialect, n: number, config?: Config): Promise<{ stores: Store[]; target: string; close(): Promise<void> }> {
  let target: string;
  let drop: () => Promise<void>;
  if (dialect === 'postgres') {
    const probe = await probePostgres();
    if (!('url' in probe)) throw new Error(probe.reason);
    const schema = await createPgSchema(probe.url);
    target = schema.url;
    drop = schema.drop;
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'newsgate-shared-'));
    target = join(dir, 'newsgate.db');
    drop = async () => rmSync(dir, { recursive: true, force: true });
  }
  const first = await openDatabase(target, { migrate: true });
  if (config) await syncConfig(first.db, config, Date.now());
  const stores = [first];
  for (let i = 1; i < n; i++) stores.push(await openDatabase(target));
  return {
    stores,
    target,
    close: async () => {
      for (const store of stores) await store.close();
      await drop();
    },
  };
}
