import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Kept under test/ so the repository's top level stays as documented; paths resolve from the repo root.
  root: fileURLToPath(new URL('..', import.meta.url)),
  // Timeouts only bound waiting (a loaded CI machine is slow); speed is measured by the benchmarks.
  test: { testTimeout: 60_000, hookTimeout: 120_000 },
  resolve: {
    alias: [
      // graphql 16 ships CJS (main) and ESM (module) builds. Node, and so every dependency vitest
      // leaves external (Yoga, Pothos), loads the CJS one; without this, code vitest transforms
      // would get the ESM one, and two graphql realms reject each other's schemas and errors.
      { find: /^graphql$/, replacement: fileURLToPath(new URL('../node_modules/graphql/index.js', import.meta.url)) },
    ],
  },
});
