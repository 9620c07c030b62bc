import { writeFileSync } from 'node:fs';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './schema.js';

/** The SDL committed as schema/schema.graphql: lexicographically sorted, so diffs show real changes. */
export function printSchemaSDL(): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

export const SCHEMA_FILE = 'schema/schema.graphql';

/** `node dist/print-schema.js [file]` (see npm run codegen) writes the SDL file. */
export function writeSchemaFile(file = SCHEMA_FILE): void {
  writeFileSync(file, printSchemaSDL());
}
