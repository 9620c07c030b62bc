import { readFileSync } from 'node:fs';
import { buildSchema, getNamedType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLNamedType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';
import { printSchemaSDL, SCHEMA_FILE } from '../../src/graphql/print-schema.js';

/** The minimum public schema from the issue: a contract with clients; extending is fine, renaming is not. */
const CONTRACT = `
interface Node { id: ID! }
scalar DateTime
input ArticleFilter { topics: [String!]  sources: [String!]  since: DateTime  until: DateTime  search: String }
type Query {
  node(id: ID!): Node
  articles(filter: ArticleFilter, first: Int, after: String, last: Int, before: String): ArticleConnection!
  stories(filter: ArticleFilter, first: Int, after: String): StoryConnection!
  topics: [Topic!]!
  topic(slug: String!): Topic
  sources: [Source!]!
  source(slug: String!): Source
}
type Article implements Node { id: ID! title: String! link: String! summary: String contentHtml: String
  author: String imageUrl: String publishedAt: DateTime! fetchedAt: DateTime!
  source: Source! sources: [Source!]! topics: [Topic!]! story: Story! }
type Story implements Node { id: ID! headline: String! articleCount: Int! firstSeenAt: DateTime! lastSeenAt: DateTime!
  articles: [Article!]! sources: [Source!]! topics: [Topic!]! }
type Topic implements Node { id: ID! slug: String! name: String! articleCount: Int!
  articles(filter: ArticleFilter, first: Int, after: String): ArticleConnection! }
type Source implements Node { id: ID! slug: String! name: String! url: String! siteUrl: String language: String
  topics: [Topic!]! health: SourceHealth! articles(filter: ArticleFilter, first: Int, after: String): ArticleConnection! }
type SourceHealth { lastFetchedAt: DateTime lastStatus: Int lastError: String consecutiveFailures: Int! nextPollAt: DateTime itemCount: Int! }
type ArticleConnection { edges: [ArticleEdge] pageInfo: PageInfo! totalCount: Int! }
type ArticleEdge { cursor: String! node: Article }
type StoryConnection { edges: [StoryEdge] pageInfo: PageInfo! totalCount: Int! }
type StoryEdge { cursor: String! node: Story }
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type Mutation {
  addSource(input: AddSourceInput!): AddSourcePayload!
  updateSource(input: UpdateSourceInput!): UpdateSourcePayload!
  removeSource(input: RemoveSourceInput!): RemoveSourcePayload!
  refreshSource(input: RefreshSourceInput!): RefreshSourcePayload!
}
input AddSourceInput { slug: String! url: String! name: String! topics: [String!] language: String intervalMinutes: Int }
type AddSourcePayload { source: Source! }
input UpdateSourceInput { slug: String! }
type UpdateSourcePayload { source: Source! }
input RemoveSourceInput { slug: String! }
type RemoveSourcePayload { slug: String! }
input RefreshSourceInput { slug: String! }
type RefreshSourcePayload { source: Source! }
type Subscription { articleAdded(filter: ArticleFilter): Article! }
`;

/** A contract type `[X]` (nullable) is honoured by `[X!]!` too: stricter output, same input. */
function compatible(actual: string, expected: string, output: boolean): boolean {
  if (actual === expected) return true;
  return output && actual.replace(/!/g, '') === expected.replace(/!/g, '') && actual.length >= expected.length;
}

describe('schema/schema.graphql', () => {
  it('is the printed, sorted SDL of the code schema (run `npm run codegen` when this fails)', () => {
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(printSchemaSDL());
  });

  it('honours every type, field and argument of the public contract', () => {
    const contract = buildSchema(CONTRACT);
    const problems: string[] = [];
    for (const expected of Object.values(contract.getTypeMap()) as GraphQLNamedType[]) {
      if (expected.name.startsWith('__') || ['String', 'Int', 'Boolean', 'ID', 'Float'].includes(expected.name)) continue;
      const actual = schema.getType(expected.name);
      if (!actual || actual.constructor !== expected.constructor) {
        problems.push(`type ${expected.name} missing or of another kind`);
        continue;
      }
      if (isObjectType(expected) || isInterfaceType(expected)) {
        const fields = (actual as typeof expected).getFields();
        for (const field of Object.values(expected.getFields())) {
          const got = fields[field.name];
          if (!got) {
            problems.push(`${expected.name}.${field.name} missing`);
            continue;
          }
          if (!compatible(String(got.type), String(field.type), true)) problems.push(`${expected.name}.${field.name}: ${got.type} instead of ${field.type}`);
          for (const arg of field.args) {
            const gotArg = got.args.find((a) => a.name === arg.name);
            if (!gotArg || String(gotArg.type) !== String(arg.type)) problems.push(`${expected.name}.${field.name}(${arg.name}: ${arg.type}) → ${gotArg?.type}`);
          }
          for (const extra of got.args) if (!field.args.some((a) => a.name === extra.name) && String(extra.type).endsWith('!')) problems.push(`${expected.name}.${field.name}: extra required argument ${extra.name}`);
        }
        if (isObjectType(expected)) {
          for (const iface of expected.getInterfaces()) {
            if (!(actual as typeof expected).getInterfaces().some((i) => i.name === iface.name)) problems.push(`${expected.name} does not implement ${iface.name}`);
          }
        }
      }
      if (isInputObjectType(expected)) {
        const fields = (actual as typeof expected).getFields();
        for (const field of Object.values(expected.getFields())) {
          if (!fields[field.name] || String(fields[field.name].type) !== String(field.type)) problems.push(`${expected.name}.${field.name}: ${fields[field.name]?.type} instead of ${field.type}`);
        }
      }
    }
    expect(problems).toEqual([]);
    expect(getNamedType(schema.getQueryType()!.getFields().node.type).name).toBe('Node');
  });
});
