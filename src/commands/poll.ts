import { createApp } from '../app.js';
import type { CliIo } from '../cli.js';
import type { Config } from '../config/types.js';
import type { PollReport } from '../ingest/pipeline.js';
import { pollAllOnce } from '../ingest/scheduler.js';
import { isPostgresUrl } from '../store/dialect.js';
import { openDatabase } from '../store/open.js';
import { listSources } from '../store/sources.js';
import { pollLease } from './lease.js';

export async function runPollOnce(options: { config: Config; dbFile: string; json: boolean; io: CliIo }): Promise<number> {
  const { io } = options;
  const store = await openDatabase(options.dbFile);
  try {
    const app = await createApp(options.config, store);
    const total = (await listSources(store.db)).length;
    let done = 0;
    const progress = io.stderr.isTTY && !options.json;
    // PostgreSQL: sources a serving instance is polling right now are left to it.
    const lease = isPostgresUrl(options.dbFile) ? pollLease(io.env) : undefined;
    const reports = await pollAllOnce(
      app.ingest,
      (report) => {
        done++;
        if (progress) io.stderr.write(`\r\x1b[K[${done}/${total}] ${report.source}`);
        else if (!options.json) io.stdout.write(formatReport(report) + '\n');
      },
      lease,
    );
    if (progress) {
      io.stderr.write('\r\x1b[K');
      for (const report of reports) io.stdout.write(formatReport(report) + '\n');
    }
    const totals = { ...sumReports(reports), ...(reports.skipped ? { skipped: reports.skipped } : {}) };
    if (options.json) io.stdout.write(JSON.stringify({ sources: reports.map(({ newArticleIds: _, ...r }) => r), totals }, null, 2) + '\n');
    else
      io.stdout.write(
        `total: ${reports.length} sources, ${totals.new} new, ${totals.updated} updated, ${totals.unchanged} unchanged, ${totals.failed} failed` +
          (reports.skipped ? `, ${reports.skipped} skipped (being polled by another instance)` : '') +
          '\n',
      );
    return 0;
  } finally {
    await store.close();
  }
}

export function formatReport(report: PollReport): string {
  if (report.error) return `${report.source}: error (${report.outcome}): ${report.error}`;
  if (report.outcome === 'not-modified') return `${report.source}: not modified (304)`;
  return `${report.source}: ${report.new} new, ${report.updated} updated, ${report.unchanged} unchanged`;
}

export function sumReports(reports: PollReport[]) {
  return reports.reduce(
    (acc, r) => ({
      new: acc.new + r.new,
      updated: acc.updated + r.updated,
      unchanged: acc.unchanged + r.unchanged,
      failed: acc.failed + (r.error ? 1 : 0),
    }),
    { new: 0, updated: 0, unchanged: 0, failed: 0 },
  );
}
