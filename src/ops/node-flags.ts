/**
 * V8 options the gateway runs with: the shebang of `newsgate` (src/main.ts), `npm start`,
 * `npm run demo` and bench:ingest's gateway process all pass these (test/ops/node-flags checks).
 *
 * The old generation's limit also sets how far V8 lets the heap grow past what survived the last
 * full collection: up to 4× when the limit is 2 GiB or more (Node's default here is ~4 GiB), 1.6×
 * at 1 GiB. A large poll makes mostly short-lived garbage, so with the default the heap swelled
 * to ~3× its live size: bench:ingest peaked at 450 MB RSS on an empty database and 527 MB at
 * 1,000,000 stored articles; with 1 GiB, 324 MB and 379 MB, at the same speed (unlike
 * --heap-growing-percent, which cost 6-40 % more CPU). 1 GiB is ~6× the live heap at 1,000,000
 * articles: an operator with a much larger window of articles raises it (README, Operations).
 */
export const GATEWAY_NODE_FLAGS = ['--max-old-space-size=1024'] as const;
