import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Copies the WAL into the database file from a thread of its own, so that the writer does not
 * wait for it.
 *
 * A checkpoint is mostly waiting: SQLite syncs the WAL, copies its pages into the database file
 * and syncs that. Run by the writer itself (wal_autocheckpoint), the commit that crosses the
 * threshold stalls the whole pipeline meanwhile — commits took 1.8 s of a bench:ingest run
 * with them, 0.6 s without. Here a second connection on a worker thread runs PASSIVE checkpoints,
 * which take no lock that a writer or a reader waits for and copy only what no reader still
 * needs, after the writer's commits: at most one at a time and one per MIN_INTERVAL_MS (a
 * checkpoint after every commit took less off the pipeline: each one's syncs compete with the
 * writer's own writes). The writer keeps an automatic checkpoint at a larger threshold as a
 * backstop, should this thread fall behind or fail.
 *
 * The thread costs about 9 MB of RSS: an isolate, and a connection with a minimal page cache (a
 * checkpoint does not go through it).
 */
export interface Checkpointer {
  /** The writer committed: checkpoint soon (coalesced; never blocks). */
  committed(): void;
  /** Stops the thread after the checkpoint under way, closing its connection. */
  close(): Promise<void>;
}

const MIN_INTERVAL_MS = 1_000;

// A script, not a module file: the gateway is bundled, and a worker's entry needs no file of its own then.
const WORKER_SOURCE = `
const { statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const identity = () => { const s = statSync(workerData.file); return s.dev + ':' + s.ino; };
const before = identity();
const db = new SQLite(workerData.file, { fileMustExist: true });
if (before !== workerData.identity || identity() !== workerData.identity) {
  db.close();
  throw new Error('the database file was replaced before the checkpointer could open it');
}
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -64');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  let error = null;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    error = String((e && e.message) || e);
  }
  parentPort.postMessage({ error });
});
`;

export interface CheckpointerOptions {
  /**
   * fileIdentity() of the file the writer opened. The thread opens the path later: should it
   * name another file by then, the thread would copy the writer's WAL into that one, so it stops.
   */
  identity: string | null;
  /** The thread or a checkpoint failed, and the thread has stopped; the message says why. */
  onError?: (message: string) => void;
}

export function startCheckpointer(file: string, options: CheckpointerOptions): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Resolved here: the script has no module of its own to resolve from.
    workerData: { file, identity: options.identity, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
    // A checkpoint allocates next to nothing in JavaScript (the thread starts in about 4 MB of heap).
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 1 },
  });
  // An idle checkpointer must not keep a finished command alive.
  worker.unref();
  let running = false;
  let pending = false;
  let stopped = false;
  let lastStart = -Infinity;
  let timer: NodeJS.Timeout | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const start = () => {
    timer = null;
    if (stopped) return;
    const wait = lastStart + MIN_INTERVAL_MS - Date.now();
    if (wait > 0) {
      timer = setTimeout(start, wait);
      timer.unref();
      return;
    }
    pending = false;
    running = true;
    lastStart = Date.now();
    worker.postMessage('checkpoint');
  };
  // One failure stops the thread for good: the writer's own checkpoints take over (see onError).
  const fail = (message: string) => {
    if (stopped) return;
    stopped = true;
    if (timer) clearTimeout(timer);
    worker.postMessage('close');
    options.onError?.(message);
  };
  worker.on('message', (reply: { error: string | null }) => {
    running = false;
    if (reply.error) fail(`background checkpoint failed: ${reply.error}`);
    else if (pending && !timer) start();
  });
  worker.on('error', (error) => fail(`background checkpointer stopped: ${error.message}`));
  return {
    committed() {
      if (stopped) return;
      pending = true;
      if (!running && !timer) start();
    },
    async close() {
      if (timer) clearTimeout(timer);
      if (!stopped) {
        stopped = true;
        // Held open until the thread has closed its connection (unref'd, it would not keep the process alive).
        worker.ref();
        worker.postMessage('close');
      }
      await exited;
    },
  };
}
