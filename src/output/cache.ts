/**
 * Rendered feeds kept in memory: a bounded LRU (entries and bytes) with dependency-based
 * invalidation. An entry depends on topics, sources, or everything; a poll that stored
 * articles marks the entries it may have changed as stale. A stale entry is not thrown away:
 * the next request re-reads the feed, and when its ETag is unchanged the body is reused
 * without rendering.
 */
import type { FeedDependencies } from './select.js';

export interface CachedFeed {
  body: Buffer;
  /** The body gzipped, made on first demand (not counted in maxBytes: ~1/8 of body). */
  gzip?: Buffer;
  etag: string;
  lastModified: string | null;
  contentType: string;
  maxAgeSeconds: number;
  cacheControl: string;
  deps: FeedDependencies;
  /** When the entry was (re)validated against the database, ms. */
  checkedAt: number;
  stale: boolean;
}

export interface FeedCacheOptions {
  maxEntries?: number;
  maxBytes?: number;
}

export interface StoredChange {
  /** The source whose articles changed; `all` when unknown (notices missed while disconnected). */
  sourceId: number | 'all';
  /** Topics of the stored articles; `all` when unknown (updates of unknown articles). */
  topicIds: ReadonlySet<number> | 'all';
}

export class FeedCache {
  private readonly entries = new Map<string, CachedFeed>();
  private bytes = 0;
  readonly maxEntries: number;
  readonly maxBytes: number;
  stats = { hits: 0, misses: 0, revalidated: 0, rendered: 0, evicted: 0, invalidated: 0 };

  constructor(options: FeedCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  get size(): number {
    return this.entries.size;
  }

  get totalBytes(): number {
    return this.bytes;
  }

  /** The entry, moved to the most-recently-used end. */
  get(key: string): CachedFeed | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedFeed): void {
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.body.length;
      this.entries.delete(key);
    }
    if (entry.body.length > this.maxBytes) return;
    this.entries.set(key, entry);
    this.bytes += entry.body.length;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.bytes -= this.entries.get(oldest)!.body.length;
      this.entries.delete(oldest);
      this.stats.evicted++;
    }
  }

  /** Marks stale every entry a store into `change` may have altered; returns how many. */
  invalidate(change: StoredChange): number {
    let n = 0;
    for (const entry of this.entries.values()) {
      if (entry.stale) continue;
      const { deps } = entry;
      const hit =
        deps.all ||
        change.sourceId === 'all' ||
        deps.sourceIds.includes(change.sourceId) ||
        (deps.topicIds.length > 0 && (change.topicIds === 'all' || deps.topicIds.some((t) => (change.topicIds as ReadonlySet<number>).has(t))));
      if (hit) {
        entry.stale = true;
        n++;
      }
    }
    this.stats.invalidated += n;
    return n;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }
}
