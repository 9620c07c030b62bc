/**
 * npm run conformance [-- --corpus DIR] [-- --report FILE] [-- --only SUBSTRING] [-- --verbose] [-- --record]
 *
 * Runs the ingest pipeline over feedparser's test corpus (default ../shared/corpora/feedparser
 * relative to the repository root), prints per-folder pass/fail/not-translatable counts and
 * totals, and writes the failures to conformance-report.txt. --record writes the figures to
 * test/conformance/recorded.json, the floor test/conformance/conformance.test.ts holds runs to.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { figuresOf, formatReport, formatTable, percent, runConformance } from './harness.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

const corpusRoot = resolve(arg('corpus') ?? resolve('..', 'shared', 'corpora', 'feedparser'));
const tests = existsSync(resolve(corpusRoot, 'tests')) ? resolve(corpusRoot, 'tests') : corpusRoot;
if (!existsSync(resolve(tests, 'wellformed'))) {
  console.error(`feedparser corpus not found at ${corpusRoot} (expected tests/wellformed and tests/illformed)`);
  process.exit(2);
}
const reportFile = resolve(arg('report') ?? 'conformance-report.txt');
const only = arg('only');

const started = performance.now();
const summary = await runConformance(tests, only ? { filter: (p) => p.includes(only) } : {});
const seconds = (performance.now() - started) / 1000;

console.log(formatTable(summary));
const wf = summary.byKind.get('wellformed');
const t = summary.total;
console.log('');
if (wf) console.log(`well-formed files ingested without error: ${wf.ingested}/${wf.files} (${percent(wf.ingested, wf.files)}; target ≥ 99 %)`);
console.log(`translatable expectations that hold:     ${t.pass}/${t.pass + t.fail} (${percent(t.pass, t.pass + t.fail)}; target ≥ 95 %)`);
console.log(`not translatable:                        ${t.untranslatable} (reasons in the report)`);
console.log(`crashes (anything but a ParseError):     ${t.crashes}`);
const onDropped = summary.results.flatMap((r) => r.checks.filter((c) => c.onDroppedItem));
console.log(`checks on items normalizeFeed drops:    ${onDropped.length} (${onDropped.filter((c) => c.status === 'pass').length} pass; such items have no title, link or content)`);
console.log(`${summary.results.length} files in ${seconds.toFixed(1)} s`);
if (process.argv.includes('--verbose')) {
  for (const r of summary.results) {
    for (const c of r.checks) if (c.status === 'fail') console.log(`FAIL ${r.path}: ${c.detail}`);
    if (r.ingest !== 'ok') console.log(`${r.ingest.toUpperCase()} ${r.path}: ${r.error}`);
  }
}
writeFileSync(reportFile, formatReport(summary));
console.log(`report: ${reportFile}`);
if (process.argv.includes('--record')) {
  if (only) throw new Error('--record needs the whole corpus (no --only)');
  const recorded = resolve('test', 'conformance', 'recorded.json');
  writeFileSync(recorded, `${JSON.stringify(figuresOf(summary), null, 2)}\n`);
  console.log(`recorded: ${recorded}`);
}
if (t.crashes > 0) process.exitCode = 1;
