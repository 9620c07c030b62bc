import { fileURLToPath } from 'node:url';
import { probePostgres } from './helpers/pg-probe.js';
import { defineConfig } from 'vitest/config';

/**
 * Two projects (the test matrix, as Kysely's own tests have one):
 * - "sqlite": every suite, on SQLite as always. Suites that carry their own dialect loop
 *   (test/store) run their PostgreSQL variants here too (test/helpers/dialects.ts).
 * - "postgres": the API and feed suites once more, with openTestStore giving each store a
 *   fresh PostgreSQL schema. Only when PostgreSQL answers (NEWSGATE_TEST_PG_URL, default
 *   postgres://postgres@127.0.0.1:5432/test, then user root); otherwise the run says it skipped
 *   PostgreSQL and why — and fails instead when REQUIRE_PG=1 (CI).
 */
const POSTGRES_SUITES = [
  'test/graphql/articles.test.ts',
  'test/graphql/search.test.ts',
  'test/graphql/stories.test.ts',
  'test/graphql/fixture-feeds.test.ts',
  'test/graphql/subscription.test.ts',
  'test/graphql/conformance.test.ts',
  'test/graphql/admin.test.ts',
  'test/graphql/n-plus-one.test.ts',
  'test/ops/retention.test.ts',
  'test/ops/metrics.test.ts',
  'test/output/http.test.ts',
  'test/output/curated.test.ts',
  'test/output/hostile.test.ts',
];

export default defineConfig(async () => {
  const probe = await probePostgres();
  if ('reason' in probe) {
    if (process.env.REQUIRE_PG === '1') throw new Error(`REQUIRE_PG=1 but ${probe.reason}`);
    console.warn(`newsgate tests: skipping the PostgreSQL project: ${probe.reason} (set NEWSGATE_TEST_PG_URL; REQUIRE_PG=1 makes this a failure)`);
  }
  return {
    // Kept under test/ so the repository's top level stays as documented; paths resolve from the repo root.
    root: fileURLToPath(new URL('..', import.meta.url)),
    // Timeouts only bound waiting (a loaded CI machine is slow); speed is measured by the benchmarks.
    test: {
      testTimeout: 60_000,
      hookTimeout: 120_000,
      setupFiles: ['test/helpers/pg-cleanup.ts'],
      projects: [
        { extends: true as const, test: { name: 'sqlite' } },
        ...('url' in probe
          ? [{ extends: true as const, test: { name: 'postgres', include: POSTGRES_SUITES, env: { NEWSGATE_TEST_DIALECT: 'postgres', NEWSGATE_TEST_PG_URL: probe.url } } }]
          : []),
      ],
    },
    resolve: {
      alias: [
        // graphql 16 ships CJS (main) and ESM (module) builds. Node, and so every dependency vitest
        // leaves external (Yoga, Pothos), loads the CJS one; without this, code vitest transforms
        // would get the ESM one, and two graphql realms reject each other's schemas and errors.
        { find: /^graphql$/, replacement: fileURLToPath(new URL('../node_modules/graphql/index.js', import.meta.url)) },
      ],
    },
  };
});
