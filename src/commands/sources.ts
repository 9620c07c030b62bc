import type { CliIo } from '../cli.js';
import type { Config } from '../config/types.js';
import { openDatabase } from '../store/open.js';
import { listSources, syncConfig } from '../store/sources.js';
import type { SourceRow } from '../store/types.js';

export async function runSources(options: { config: Config; dbFile: string; json: boolean; io: CliIo }): Promise<number> {
  const store = await openDatabase(options.dbFile);
  try {
    await syncConfig(store.db, options.config, Date.now());
    const rows = await listSources(store.db);
    if (options.json) {
      options.io.stdout.write(JSON.stringify(rows.map(toHealth), null, 2) + '\n');
    } else {
      options.io.stdout.write(formatTable(rows, Date.now()) + '\n');
    }
    return 0;
  } finally {
    await store.close();
  }
}

function toHealth(row: SourceRow) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    slug: row.slug,
    name: row.name,
    url: row.url,
    lastFetchedAt: iso(row.last_fetched_at),
    lastStatus: row.last_status,
    lastError: row.last_error,
    consecutiveFailures: row.consecutive_failures,
    nextPollAt: iso(row.next_poll_at),
    itemCount: row.item_count,
  };
}

export function formatTable(rows: SourceRow[], now: number): string {
  const relative = (ms: number | null) => {
    if (ms === null) return '-';
    const minutes = Math.round((ms - now) / 60_000);
    if (minutes === 0) return 'now';
    return minutes < 0 ? `${-minutes} min ago` : `in ${minutes} min`;
  };
  const header = ['SOURCE', 'STATUS', 'LAST FETCH', 'NEXT POLL', 'FAILS', 'ITEMS', 'LAST ERROR'];
  const body = rows.map((r) => [
    r.slug,
    r.last_status === null ? (r.last_error ? 'error' : '-') : String(r.last_status),
    relative(r.last_fetched_at),
    relative(r.next_poll_at),
    String(r.consecutive_failures),
    String(r.item_count),
    r.last_error ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  return [header, ...body].map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}
