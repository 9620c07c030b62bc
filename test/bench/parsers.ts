/**
 * npm run bench:parsers — XML parsing alone, on the ingest benchmark's generated feeds
 * (BENCH_FEEDS × BENCH_ITEMS, default 200 × 500), one core, no I/O:
 *
 *  - rss-parser parseString: the raw library the pipeline used before (xml2js on sax), without
 *    the mapping the pipeline added on top — a floor the old parse stage could never beat;
 *  - saxes alone, no handlers: the floor of the current parser;
 *  - parseFeed: the current parse stage (body preparation, saxes tree, mapping to ParsedFeed);
 *  - parseFeed + normalizeFeed: parse and normalise, as the poller runs them.
 *
 * The machine is shared, so the variants run interleaved, round after round, and the report
 * gives per-round ratios to rss-parser (median) besides the median rates.
 */
import { performance } from 'node:perf_hooks';
import Parser from 'rss-parser';
import { SaxesParser } from 'saxes';
import { normalizeFeed } from '../../src/ingest/normalize.js';
import { parseFeed } from '../../src/ingest/parse.js';
import { generateFeed } from './feed-generator.js';

const FEEDS = Number(process.env.BENCH_FEEDS ?? 200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const bodies = Array.from({ length: FEEDS }, (_, f) => generateFeed(f, ITEMS));
const total = FEEDS * ITEMS;
const url = (f: number) => `http://127.0.0.1/feed-${f}.rss`;

const variants: [string, () => Promise<void>][] = [
  ['rss-parser parseString (raw library)', async () => {
    const parser = new Parser();
    for (const body of bodies) await parser.parseString(body);
  }],
  ['saxes alone, no handlers', async () => {
    for (const body of bodies) new SaxesParser({ position: false }).write(body).close();
  }],
  ['parseFeed (saxes tree + mapping)', async () => {
    for (const [f, body] of bodies.entries()) await parseFeed(body, { url: url(f) });
  }],
  ['parseFeed + normalizeFeed', async () => {
    const fetchedAt = new Date();
    for (const [f, body] of bodies.entries()) {
      const feed = await parseFeed(body, { url: url(f) });
      normalizeFeed(feed, { feedUrl: url(f), timezone: 'Asia/Ho_Chi_Minh', fetchedAt, sourceSlug: `bench-${f}` });
    }
  }],
];

const rates = new Map<string, number[]>(variants.map(([name]) => [name, []]));
// Warm-up (JIT), not recorded.
for (const [, run] of variants) await run();
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, run] of variants) {
    const started = performance.now();
    await run();
    rates.get(name)!.push(total / ((performance.now() - started) / 1000));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const reference = rates.get(variants[0][0])!;
console.log(`${FEEDS} feeds × ${ITEMS} items, ${ROUNDS} interleaved rounds, Node ${process.version}\n`);
console.log('| parser | median items/s | min–max items/s | × rss-parser (median of per-round ratios) |');
console.log('|---|---:|---:|---:|');
for (const [name] of variants) {
  const xs = rates.get(name)!;
  const ratios = xs.map((x, i) => x / reference[i]);
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`| ${name} | ${fmt(median(xs))} | ${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))} | ${median(ratios).toFixed(2)} |`);
}
