import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type LogLevel, type Plugin, type YogaLogger, type YogaServerInstance } from 'graphql-yoga';
import { openReadConnection } from '../store/read-connection.js';
import { useCors } from './cors.js';
import { createContext, type GraphQLContext, type GraphQLHost } from './context.js';
import { createArticleEvents } from './events.js';
import { defaultLimits, useQueryLimits, useRequestErrors, type QueryLimits } from './limits.js';
import { useResponseCache, type ResponseCache } from './response-cache.js';
import { schema } from './schema.js';

export type NodeServerContext = { req: IncomingMessage; res: ServerResponse };
export type GraphQLServer = YogaServerInstance<NodeServerContext, GraphQLContext>;

export const GRAPHQL_PATH = '/graphql';
export const MAX_BODY_BYTES = 1_000_000;

export interface GraphQLServerOptions {
  /** Where masked errors and warnings go; Yoga's console logger by default. */
  logging?: boolean | YogaLogger | LogLevel;
  limits?: Partial<QueryLimits>;
  /** More Yoga/envelop plugins (metrics, tracing), run after the built-in ones. */
  plugins?: Plugin[];
  /** Serves repeated public queries from memory (see response-cache.ts); the caller invalidates it on writes. */
  responseCache?: ResponseCache;
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
 * GraphiQL with its scripts and styles inlined (@graphql-yoga/render-graphiql) rather than
 * Yoga's default page, which loads them from unpkg.com: a gateway on an intranet or offline
 * still shows its IDE. The page is ~9 MB of JavaScript (~2.5 MB gzipped), so the module is
 * loaded on the first GraphiQL request, not at start-up.
 */
async function renderGraphiQL(options: Parameters<typeof import('@graphql-yoga/render-graphiql').renderGraphiQL>[0]): Promise<string> {
  const { renderGraphiQL: render } = await import('@graphql-yoga/render-graphiql');
  return render(options);
}

/**
 * The GraphQL endpoint: Yoga over the Pothos schema. GET from a browser shows GraphiQL; GET
 * and POST take queries (mutations only by POST); subscriptions stream over Server-Sent Events.
 * Unexpected errors reach clients as "Unexpected error." and the server log in full.
 */
export function createGraphQLServer(host: GraphQLHost, options: GraphQLServerOptions = {}): GraphQLServer {
  // Reads go through their own connection (see read-connection.ts); admin writes use the store's.
  const reader = openReadConnection(host.store);
  const events = createArticleEvents(host);
  options.responseCache?.watch(reader.sqlite);
  return createYoga<NodeServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    context: ({ request }) => createContext(host, reader.db, events, request),
    graphiql: { title: 'newsgate GraphQL', defaultQuery: EXAMPLE_QUERY },
    renderGraphiQL,
    landingPage: false,
    maskedErrors: true,
    logging: options.logging ?? true,
    batching: false,
    maxRequestBodySize: MAX_BODY_BYTES,
    cors: false,
    plugins: [
      { onDispose: () => Promise.all([reader.close(), events.close()]).then(() => undefined) },
      useCors(host.settings.corsOrigins),
      useCloseAfterRefusedBody(),
      useRequestErrors(),
      useQueryLimits({ ...defaultLimits, ...options.limits }),
      ...(options.responseCache ? [useResponseCache(options.responseCache)] : []),
      ...(options.plugins ?? []),
    ],
  });
}

/**
 * A body refused as too large (413) may still be arriving; reusing that connection would
 * hand its remaining bytes to the next request. Close it instead of keeping it alive.
 */
function useCloseAfterRefusedBody(): Plugin {
  return {
    onResponse({ response }) {
      if (response.status === 413) response.headers.set('connection', 'close');
    },
  };
}
