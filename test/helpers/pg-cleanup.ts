import pg from 'pg';
import { afterAll } from 'vitest';
import { liveSchemas } from './dialects.js';

// Setup file of every test file: a PostgreSQL schema a test forgot to close is dropped when its file ends.
afterAll(async () => {
  for (const [schema, url] of liveSchemas) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      liveSchemas.delete(schema);
    } catch {
      // Unreachable now: nothing more to do from here.
    } finally {
      await client.end().catch(() => {});
    }
  }
});
