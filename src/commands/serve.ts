import { createServer } from 'node:http';
import { createApp } from '../app.js';
import type { CliIo } from '../cli.js';
import type { Config } from '../config/types.js';
import { startScheduler } from '../ingest/scheduler.js';
import { openStore } from '../store/database.js';
import { formatReport } from './poll.js';

export async function runServe(options: { config: Config; dbFile: string; port: number; host: string; poll: boolean; io: CliIo }): Promise<number> {
  const { io } = options;
  const store = await openStore(options.dbFile);
  const app = await createApp(options.config, store, readSettings(io.env));
  const server = createServer(app.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  io.stdout.write(`newsgate listening on http://${options.host === '0.0.0.0' ? 'localhost' : options.host}:${port}/\n`);
  const scheduler = options.poll
    ? startScheduler(app.ingest, {
        onReport: (report) => io.stdout.write(formatReport(report) + '\n'),
        onError: (error) => io.stderr.write(`scheduler: ${(error as Error).message}\n`),
      })
    : null;

  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      io.stdout.write(`${signal} received, shutting down\n`);
      resolve();
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  // Order matters: stop polling and let in-flight writes commit before the database closes.
  await scheduler?.stop();
  server.closeIdleConnections?.();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  return 0;
}

function readSettings(env: NodeJS.ProcessEnv) {
  const list = (value: string | undefined) => value?.split(',').map((s) => s.trim()).filter(Boolean);
  return {
    adminToken: env.NEWSGATE_ADMIN_TOKEN || null,
    corsOrigins: list(env.NEWSGATE_CORS_ORIGINS),
    allowPrivateSources: env.NEWSGATE_ALLOW_PRIVATE_SOURCES === '1',
    embedOrigins: list(env.NEWSGATE_EMBED_ORIGINS),
  };
}
