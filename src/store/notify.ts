import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './types.js';

/**
 * Cross-instance "articles stored" notices on PostgreSQL (LISTEN/NOTIFY).
 *
 * Why NOTIFY rather than Redis pub/sub: the database every instance already shares carries it, so
 * a deployment needs no second service; and a notice sent inside the storing transaction is
 * delivered only if, and when, that transaction commits — a subscriber never hears of an article
 * it cannot read yet, nor of one that was rolled back. Notices are best-effort like any pub/sub
 * (a listener that is disconnected misses them; see `onGap`).
 */
/**
 * The channel: one per schema (NOTIFY is database-wide; two deployments in two schemas of one
 * database must not hear each other), hashed to stay within an identifier's 63 bytes.
 */
const CHANNEL_SQL = "'newsgate_' || md5(current_schema())";

export interface StoredNotice {
  sourceId: number;
  newArticleIds: number[];
  updated: number;
  /** Topics whose article lists changed (for precise feed-cache invalidation). */
  topicIds: number[];
}

/** NOTIFY payloads are limited to 8,000 bytes: 400 ids of up to 16 digits stay under it. */
const IDS_PER_NOTICE = 400;

/** Each PostgreSQL store's own tag, so an instance skips the notices it sent itself. */
const origins = new WeakMap<Kysely<Database>, string>();

export function createOrigin(db: Kysely<Database>): string {
  const origin = randomUUID();
  origins.set(db, origin);
  return origin;
}

export function originOf(db: Kysely<Database>): string {
  return origins.get(db) ?? '';
}

/** Queues the notice in the transaction; PostgreSQL delivers it at commit. */
export async function notifyStored(trx: Transaction<Database>, origin: string, notice: StoredNotice): Promise<void> {
  const ids = notice.newArticleIds;
  for (let i = 0; i === 0 || i < ids.length; i += IDS_PER_NOTICE) {
    const first = i === 0;
    const payload = JSON.stringify({ o: origin, s: notice.sourceId, n: ids.slice(i, i + IDS_PER_NOTICE), u: first ? notice.updated : 0, t: first ? notice.topicIds : [] });
    await sql`select pg_notify(${sql.raw(CHANNEL_SQL)}, ${payload})`.execute(trx);
  }
}

export interface NoticeListener {
  close(): Promise<void>;
}

export interface ListenOptions {
  /** Called when notices may have been missed (the connection was lost and is back). */
  onGap?: () => void;
  onError?: (error: Error) => void;
  /** Delay before reconnecting after the connection is lost (ms). */
  retryMs?: number;
}

/**
 * Listens on a connection of its own (a pooled one would be handed to queries and lose the
 * LISTEN), reconnecting after it is lost. Notices from `origin` itself are skipped.
 */
export async function listenStored(url: string, origin: string, onNotice: (notice: StoredNotice) => void, options: ListenOptions = {}): Promise<NoticeListener> {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  let channel = '';
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel !== channel || !message.payload) return;
      const notice = parseNotice(message.payload, origin);
      if (notice) onNotice(notice);
    });
    next.on('error', (error) => {
      options.onError?.(error);
      lost(next);
    });
    next.on('end', () => lost(next));
    try {
      await next.connect();
      channel = (await next.query<{ channel: string }>(`select ${CHANNEL_SQL} as channel`)).rows[0].channel;
      await next.query(`listen "${channel}"`);
    } catch (error) {
      await next.end().catch(() => {});
      throw error;
    }
    client = next;
  };

  const lost = (which: pg.Client) => {
    if (closed || client !== which) return;
    client = null;
    void which.end().catch(() => {});
    schedule();
  };

  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connect().then(
        () => options.onGap?.(),
        (error: Error) => {
          options.onError?.(error);
          schedule();
        },
      );
    }, options.retryMs ?? 1000);
    retry.unref();
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const last = client;
      client = null;
      await last?.end().catch(() => {});
    },
  };
}

/** A notice from another instance, or null (our own, or not one of ours). */
export function parseNotice(payload: string, origin: string): StoredNotice | null {
  try {
    const value = JSON.parse(payload) as { o?: unknown; s?: unknown; n?: unknown; u?: unknown; t?: unknown };
    if (value.o === origin || typeof value.s !== 'number' || !Array.isArray(value.n)) return null;
    const ints = (list: unknown[]) => list.filter((id): id is number => Number.isSafeInteger(id));
    return { sourceId: value.s, newArticleIds: ints(value.n), updated: typeof value.u === 'number' ? value.u : 0, topicIds: Array.isArray(value.t) ? ints(value.t) : [] };
  } catch {
    return null;
  }
}
