import type { CliIo } from '../cli.js';
import { copyStore } from '../store/copy.js';
import { redactUrl } from '../store/dialect.js';
import { openDatabase } from '../store/open.js';

/**
 * `newsgate copy --from sqlite:FILE --to postgres://…`: every row of an existing database into
 * an empty one (migrated first), ids kept. The source is brought to the latest migration as
 * any command on it would; the target must hold no rows yet.
 */
export async function runCopy(options: { from: string; to: string; json: boolean; io: CliIo }): Promise<number> {
  const { io } = options;
  const from = await openDatabase(options.from, { migrate: true });
  try {
    const to = await openDatabase(options.to, { migrate: true });
    try {
      const progress = !options.json && io.stderr.isTTY;
      const started = Date.now();
      const counts = await copyStore(from, to, { onTable: (table, rows) => progress && io.stderr.write(`${table}: ${rows}\n`) });
      const seconds = (Date.now() - started) / 1000;
      const target = redactUrl(options.to);
      if (options.json) io.stdout.write(JSON.stringify({ from: redactUrl(options.from), to: target, rows: counts, seconds }, null, 2) + '\n');
      else
        io.stdout.write(
          `copied ${redactUrl(options.from)} to ${target} in ${seconds.toFixed(1)} s: ` +
            Object.entries(counts)
              .map(([table, n]) => `${n} ${table}`)
              .join(', ') +
            '\n',
        );
      return 0;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
