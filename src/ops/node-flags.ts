/**
 * How the gateway's process is started: the shebang of `newsgate` (src/main.ts), `npm start`,
 * `npm run demo` and the server processes of bench:ingest and bench:api all pass these V8 options
 * and environment (test/ops/node-flags checks the first three).
 *
 * The old generation's limit also sets how far V8 lets the heap grow past what survived the last
 * full collection: up to 4× when the limit is 2 GiB or more (Node's default here is ~4 GiB), 1.6×
 * at 1 GiB. A large poll makes mostly short-lived garbage, so with the default the heap swelled
 * to ~3× its live size: bench:ingest peaked at 450 MB RSS on an empty database and 527 MB at
 * 1,000,000 stored articles; with 1 GiB, 324 MB and 379 MB, at the same speed (unlike
 * --heap-growing-percent, which cost 6-40 % more CPU). 1 GiB is ~6× the live heap at 1,000,000
 * articles: an operator with a much larger window of articles raises it (README, Operations).
 *
 * Semi-spaces of 8 MB instead of 16: V8 grows the young generation to its maximum during a busy
 * poll (or the story index's warm start) and keeps it; bench:ingest peaked 13-20 MB lower, with
 * no CPU difference beyond the noise of alternating runs.
 */
export const GATEWAY_NODE_FLAGS = ['--max-old-space-size=1024', '--max-semi-space-size=8'] as const;

/**
 * Environment the process must start with (glibc's malloc reads it once, at start-up).
 *
 * A fixed mmap threshold of 1 MB: glibc otherwise raises it to the size of every large block
 * freed (up to 32 MB), so the story index's 4 MB chunks and grown typed arrays are then carved
 * from the main heap, whose freed space is seldom given back. bench:ingest at 1,000,000 stored
 * articles: malloc's heap peaked at 47 MB instead of 70-76 MB, the process at 264-274 MB instead
 * of 299-306 MB. Not lower: at 128 KB, SQLite's per-query buffers (sorters, full-text doclists)
 * were mapped and unmapped on every query, and uncached GraphQL requests took more CPU in
 * bench:api.
 *
 * One malloc arena for every thread. Fixing the mmap threshold also fixes glibc's trim threshold at
 * 128 KB, so each arena gives memory back as soon as that much lies free at its top and faults it
 * in again on its next large allocation; V8's compiler threads, which allocate and free a few MB
 * per optimised function, each had an arena of their own doing so. Page faults are costly on a
 * virtual machine (~14 µs each on the development machine): bench:ingest made ~70,000 instead
 * of 110,000-155,000, used 2-4 % less CPU in alternating runs (pinned to one core and not), and
 * peaked 3-4 MB lower; bench:api's servers showed no difference beyond the run's noise. The
 * threads that allocate (the event loop, V8's compiler and collector helpers, the checkpointer)
 * seldom do so at the same time. A trim threshold of 4 MB saved as many faults but cost 8-25 MB
 * at peak. Both ignored by other C libraries (musl).
 */
export const GATEWAY_ENV = { MALLOC_MMAP_THRESHOLD_: '1048576', MALLOC_ARENA_MAX: '1' } as const;

/** `NAME=value …` as a shell or `env -S` takes it. */
export const GATEWAY_ENV_WORDS = Object.entries(GATEWAY_ENV).map(([name, value]) => `${name}=${value}`);
