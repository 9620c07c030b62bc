import type SQLite from 'better-sqlite3';
import { getOperationAST, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * Server-side cache of public query results: the same document, operation name and variables
 * get the same JSON again without parsing, validating, executing or serialising — as long as
 * nothing was written since. Only queries are stored, only results without errors, never for a
 * request carrying Authorization (admin requests bypass the cache both ways); mutations and
 * subscriptions always run.
 *
 * Freshness does not depend on remembering every place that writes. An entry is served only
 * when the store's version is the one it was read at, and the version combines
 * - SQLite's `data_version` on the API's read connection, which changes when any other
 *   connection commits (the ingest pipeline, admin mutations and retention on the store's
 *   connection, a `newsgate prune` or `import-opml` in another process),
 * - `total_changes()` of that connection, for an in-memory store that reads and writes on one,
 * - a generation that the app bumps on every poll report, every stored-articles report
 *   (retention included) and every mutation (invalidate()).
 * A result whose execution overlapped a write is not stored. Entries also expire after
 * maxAgeMs regardless, and the cache is bounded in entries and bytes (LRU).
 */
export interface ResponseCacheOptions {
  /** Longest an entry is served, ms (default 5,000). */
  maxAgeMs?: number;
  maxEntries?: number;
  /** Bound on the cached JSON, in UTF-16 code units (default 32 Mi). */
  maxBytes?: number;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stored: number;
  /** Results not stored: errors, a write during execution, or too large. */
  skipped: number;
  /** Requests that did not use the cache: Authorization, no query text. */
  bypassed: number;
  invalidations: number;
  evicted: number;
}

/** What the operation of a cached answer was, for per-operation metrics (see src/ops/graphql.ts). */
export interface CachedOperationLabel {
  name: string;
  type: string;
}

/** Set on the server context of a request answered from the cache. */
export const CACHED_OPERATION = Symbol('newsgate.cachedOperation');

interface Entry {
  version: string;
  storedAt: number;
  /** The result as sent; the only copy kept (parsed again only if something reads `data`). */
  json: string;
  label: CachedOperationLabel;
}

/** What a request remembers between looking up and storing. */
interface Pending {
  key: string;
  version: string;
}

export class ResponseCache {
  readonly maxAgeMs: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0, stored: 0, skipped: 0, bypassed: 0, invalidations: 0, evicted: 0 };
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  private generation = 0;
  private lastVersion = '';
  private storageVersion: (() => string) | null = null;

  constructor(options: ResponseCacheOptions = {}) {
    this.maxAgeMs = options.maxAgeMs ?? 5_000;
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  }

  /** The connection queries read through: its commits-by-others counter and its own change count. */
  watch(sqlite: SQLite.Database): void {
    // Two prepared statements (~2 µs a request); one select over pragma_data_version costs twice that.
    const dataVersion = sqlite.prepare('pragma data_version').pluck();
    const totalChanges = sqlite.prepare('select total_changes()').pluck();
    this.storageVersion = () => `${dataVersion.get() as number}:${totalChanges.get() as number}`;
  }

  /** Something was written (a poll, retention, a mutation): nothing cached so far is served again. */
  invalidate(): void {
    this.generation++;
    this.stats.invalidations++;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** The current version; entries of an older one are dropped as soon as it changes. */
  version(): string {
    const version = `${this.generation}:${this.storageVersion?.() ?? ''}`;
    if (version !== this.lastVersion) {
      this.lastVersion = version;
      this.clear();
    }
    return version;
  }

  get(key: string, version: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.version !== version || Date.now() - entry.storedAt > this.maxAgeMs) {
      this.delete(key, entry);
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Entry): boolean {
    const size = key.length + entry.json.length;
    if (size > this.maxBytes / 16) return false;
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    this.entries.set(key, entry);
    this.bytes += size;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest, this.entries.get(oldest)!);
      this.stats.evicted++;
    }
    return true;
  }

  private delete(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= key.length + entry.json.length;
  }
}

type ServerContext = Record<PropertyKey, unknown>;

/** The cache as a Yoga plugin: looks up in onParams (before parsing), stores when a query's execution ends. */
export function useResponseCache(cache: ResponseCache): Plugin {
  const pending = new WeakMap<Request, Pending>();
  return {
    onParams({ params, request, context, setResult }) {
      if (typeof params.query !== 'string' || request.headers.has('authorization')) {
        cache.stats.bypassed++;
        return;
      }
      const key = `${params.operationName ?? ''}\u0000${params.variables ? JSON.stringify(params.variables) : ''}\u0000${params.query}`;
      const version = cache.version();
      const entry = cache.get(key, version);
      if (entry) {
        cache.stats.hits++;
        (context as ServerContext)[CACHED_OPERATION] = entry.label;
        // Yoga serialises a result with its own stringify: the cached JSON is sent as is. Nothing
        // in the response path reads `data`; it is there, parsed on demand, for any plugin that would.
        const json = entry.json;
        setResult({
          get data() {
            return (JSON.parse(json) as ExecutionResult).data;
          },
          stringify: () => json,
        } as ExecutionResult);
        return;
      }
      cache.stats.misses++;
      pending.set(request, { key, version });
    },
    onExecute({ args }) {
      const operation = getOperationAST(args.document, args.operationName ?? undefined);
      if (operation?.operation === 'mutation') {
        // Whatever it changed, and whether or not it succeeded, later reads must not see older answers.
        return { onExecuteDone: () => cache.invalidate() };
      }
      const request = (args.contextValue as { request?: Request }).request;
      const remembered = request && pending.get(request);
      if (!remembered || operation?.operation !== 'query') return;
      const label = { name: operation.name?.value ?? 'anonymous', type: 'query' };
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || result.errors?.length || cache.version() !== remembered.version) {
            cache.stats.skipped++;
            return;
          }
          const json = JSON.stringify(result);
          if (!cache.set(remembered.key, { version: remembered.version, storedAt: Date.now(), json, label })) {
            cache.stats.skipped++;
            return;
          }
          cache.stats.stored++;
          setResult({ ...result, stringify: () => json } as ExecutionResult);
        },
      };
    },
  };
}
