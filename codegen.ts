import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchemaSDL } from './src/graphql/print-schema.js';

/**
 * GraphQL Code Generator (`npm run codegen`), fully offline:
 * - schema/schema.graphql: the SDL printed from the code-first Pothos schema, sorted;
 *   test/graphql/schema-file.test.ts fails when the committed file is stale.
 * - test/graphql/gql/: typed documents (client preset) for every graphql(`...`) operation
 *   under test/graphql, so tests call the API with typed variables and results — the same
 *   set-up a frontend copies, pointing `schema` at the committed SDL or the live endpoint.
 */
const sdl = printSchemaSDL();

const config: CodegenConfig = {
  overwrite: true,
  schema: sdl,
  documents: ['test/graphql/**/*.ts', '!test/graphql/gql/**'],
  ignoreNoDocuments: false,
  emitLegacyCommonJSImports: false,
  importExtension: '.js',
  generates: {
    'schema/schema.graphql': {
      plugins: [{ add: { content: sdl, placement: 'content' } }],
    },
    'test/graphql/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        strictScalars: true,
        scalars: { DateTime: 'string', ID: 'string' },
        skipTypename: true,
      },
    },
  },
};

export default config;
