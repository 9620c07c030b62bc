import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type LogLevel, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import { prepareArticleSearch } from '../store/article-queries.js';
import { createContext, type GraphQLContext, type GraphQLHost } from './context.js';
import { createArticleEvents } from './events.js';
import { defaultLimits, useQueryLimits, type QueryLimits } from './limits.js';
import { schema } from './schema.js';

export type NodeServerContext = { req: IncomingMessage; res: ServerResponse };
export type GraphQLServer = YogaServerInstance<NodeServerContext, GraphQLContext>;

export const GRAPHQL_PATH = '/graphql';
export const MAX_BODY_BYTES = 1_000_000;

export interface GraphQLServerOptions {
  /** Where masked errors and warnings go; Yoga's console logger by default. */
  logging?: boolean | YogaLogger | LogLevel;
  limits?: Partial<QueryLimits>;
}

const EXAMPLE_QUERY = `# Latest articles of a topic, with their outlets
query LatestArticles {
  articles(first: 10, filter: { topics: ["thoi-su"] }) {
    edges {
      node { title link publishedAt source { name } }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * The GraphQL endpoint: Yoga over the Pothos schema. GET from a browser shows GraphiQL; GET
 * and POST take queries (mutations only by POST); subscriptions stream over Server-Sent Events.
 * Unexpected errors reach clients as "Unexpected error." and the server log in full.
 */
export function createGraphQLServer(host: GraphQLHost, options: GraphQLServerOptions = {}): GraphQLServer {
  prepareArticleSearch(host.store);
  const events = createArticleEvents(host);
  const origins = host.settings.corsOrigins?.filter(Boolean) ?? [];
  return createYoga<NodeServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }) => createContext(host, events, request),
    graphiql: { title: 'newsgate GraphQL', defaultQuery: EXAMPLE_QUERY },
    landingPage: false,
    maskedErrors: true,
    logging: options.logging ?? true,
    batching: false,
    maxRequestBodySize: MAX_BODY_BYTES,
    cors: {
      origin: origins.length === 0 || origins.includes('*') ? '*' : origins,
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'authorization', 'accept'],
      maxAge: 600,
    },
    plugins: [useQueryLimits({ ...defaultLimits, ...options.limits })],
  });
}
