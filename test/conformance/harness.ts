/**
 * Runs the project's real decode → parse → normalise path over Python feedparser's test
 * corpus (tests/wellformed, tests/illformed) and evaluates the translatable expectations.
 *
 * Each file is handed over as the fetcher would: raw bytes, the Content-Type from its
 * "Header:" lines (feedparser's test server sends text/xml for .xml files otherwise), and the
 * URL feedparser's test server serves it from, http://127.0.0.1:8097/tests/<folder>/<file>.
 * Other headers (Content-Location, Content-Language, ETag …) reach no stage of the pipeline.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { decodeFeedBody } from '../../src/ingest/decode.js';
import { normalizeFeed, normalizeFeedInfo, normalizeItem, type NormalizeContext } from '../../src/ingest/normalize.js';
import { parseFeed } from '../../src/ingest/parse.js';
import { ParseError } from '../../src/ingest/parse-errors.js';
import type { ParsedFeed } from '../../src/model/feed.js';
import { translateExpect, type FeedModel } from './translate.js';

export const TEST_SERVER = 'http://127.0.0.1:8097/';
const DEFAULT_CONTENT_TYPE = 'text/xml';
const TIMEZONE = 'UTC';

export interface CorpusFile {
  /** Path relative to the corpus root, e.g. "wellformed/atom10/entry_title.xml". */
  path: string;
  body: Buffer;
  description: string;
  expect: string | null;
  headers: Record<string, string>;
}

export type IngestOutcome = 'ok' | 'parse-error' | 'crash';

export interface CheckRecord {
  source: string;
  status: 'pass' | 'fail' | 'untranslatable';
  /** Reason (untranslatable) or difference (fail). */
  detail?: string;
  /** The check reads an item the pipeline would drop (no title, link or content). */
  onDroppedItem?: boolean;
}

export interface FileResult {
  path: string;
  /** "wellformed/atom10" */
  folder: string;
  /** "wellformed" | "illformed" */
  kind: string;
  ingest: IngestOutcome;
  error?: string;
  expect: string | null;
  /** The expression could not be parsed as Python (counted as not translatable). */
  expectSyntaxError?: string;
  bozo?: boolean;
  checks: CheckRecord[];
  ms: number;
}

export interface Tally {
  files: number;
  ingested: number;
  parseErrors: number;
  crashes: number;
  pass: number;
  fail: number;
  untranslatable: number;
}

export interface ConformanceSummary {
  corpus: string;
  results: FileResult[];
  byFolder: Map<string, Tally>;
  byKind: Map<string, Tally>;
  total: Tally;
  /** wellformed/ except wellformed/sanitize (the scope of the baseline figures). */
  wellformedWithoutSanitize: Tally;
  untranslatableReasons: Map<string, number>;
}

const HEADER_COMMENT = /<!--([\s\S]*?)-->/;

/** Reads the corpus metadata from the first comment of a test file. */
export function readCorpusFile(root: string, file: string): CorpusFile {
  const body = readFileSync(file);
  const head = body.subarray(0, 8192);
  let headText: string;
  try {
    headText = new TextDecoder('utf-8', { fatal: true }).decode(head);
  } catch {
    headText = head.toString('latin1');
  }
  const comment = HEADER_COMMENT.exec(headText)?.[1] ?? '';
  const headers: Record<string, string> = {};
  let description = '';
  let expect: string | null = null;
  for (const line of comment.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z]+):\s*(.*?)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === 'Description') description = m[2];
    else if (m[1] === 'Expect') expect = m[2];
    else if (m[1] === 'Header') {
      const h = /^([^:]+):\s*(.*)$/.exec(m[2]);
      if (h) headers[h[1].trim().toLowerCase()] = h[2].trim();
    }
  }
  return { path: relative(root, file).split('\\').join('/'), body, description, expect, headers };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out;
}

export function listCorpus(root: string): string[] {
  return ['wellformed', 'illformed'].flatMap((kind) => listFiles(join(root, kind)));
}

function emptyTally(): Tally {
  return { files: 0, ingested: 0, parseErrors: 0, crashes: 0, pass: 0, fail: 0, untranslatable: 0 };
}

function add(t: Tally, r: FileResult): void {
  t.files++;
  if (r.ingest === 'ok') t.ingested++;
  else if (r.ingest === 'parse-error') t.parseErrors++;
  else t.crashes++;
  for (const c of r.checks) t[c.status]++;
}

/** The pipeline as the poller runs it, plus the per-item view the checks need. */
export async function ingestForConformance(
  file: Pick<CorpusFile, 'path' | 'body' | 'headers'>,
): Promise<{ parsed: ParsedFeed; model: FeedModel }> {
  const url = TEST_SERVER + 'tests/' + file.path;
  const contentType = file.headers['content-type'] ?? DEFAULT_CONTENT_TYPE;
  const text = decodeFeedBody(file.body, contentType);
  const parsed = await parseFeed(text, { url, contentType });
  const ctx: NormalizeContext = {
    feedUrl: url,
    feedBase: parsed.base,
    timezone: TIMEZONE,
    fetchedAt: new Date(),
    sourceSlug: 'conformance',
  };
  normalizeFeed(parsed, ctx); // the stored articles; must not throw
  const base = parsed.base ?? url;
  const entries = parsed.items.map((item) => {
    const kept = normalizeItem(item, ctx);
    return {
      item,
      article: kept ?? normalizeItem(item, ctx, { keepEmpty: true })!,
      dropped: kept === null,
      base: item.base ?? base,
    };
  });
  const model: FeedModel = { parsed, info: normalizeFeedInfo(parsed, ctx), entries, base, timezone: TIMEZONE };
  return { parsed, model };
}

export async function runFile(root: string, path: string): Promise<FileResult> {
  const file = readCorpusFile(root, path);
  const parts = file.path.split('/');
  const result: FileResult = {
    path: file.path,
    folder: parts.slice(0, -1).join('/'),
    kind: parts[0],
    ingest: 'ok',
    expect: file.expect,
    checks: [],
    ms: 0,
  };
  const started = performance.now();
  let model: FeedModel | undefined;
  try {
    model = (await ingestForConformance(file)).model;
  } catch (error) {
    if (error instanceof ParseError) result.ingest = 'parse-error';
    else result.ingest = 'crash';
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  result.ms = performance.now() - started;

  if (file.expect === null) return result;
  let translated;
  try {
    translated = translateExpect(file.expect);
  } catch (error) {
    result.expectSyntaxError = (error as Error).message;
    result.checks.push({ source: file.expect, status: 'untranslatable', detail: `unsupported Python: ${(error as Error).message}` });
    return result;
  }
  result.bozo = translated.bozo;
  for (const check of translated.checks) {
    if (check.untranslatable !== null) {
      result.checks.push({ source: check.source, status: 'untranslatable', detail: check.untranslatable });
      continue;
    }
    if (!model) {
      result.checks.push({ source: check.source, status: 'fail', detail: `not ingested: ${result.error}` });
      continue;
    }
    let outcome;
    try {
      outcome = check.evaluate(model);
    } catch (error) {
      outcome = { status: 'fail' as const, diff: `check threw ${(error as Error).message}` };
    }
    const record: CheckRecord = { source: check.source, status: outcome.status };
    if (outcome.status === 'fail') record.detail = outcome.diff;
    if (check.entries.some((i) => model!.entries[i]?.dropped)) record.onDroppedItem = true;
    result.checks.push(record);
  }
  return result;
}

export async function runConformance(root: string, options: { filter?: (path: string) => boolean } = {}): Promise<ConformanceSummary> {
  const files = listCorpus(root).filter((f) => !options.filter || options.filter(relative(root, f)));
  const results: FileResult[] = [];
  for (const file of files) results.push(await runFile(root, file));
  return summarize(root, results);
}

export function summarize(corpus: string, results: FileResult[]): ConformanceSummary {
  const byFolder = new Map<string, Tally>();
  const byKind = new Map<string, Tally>();
  const total = emptyTally();
  const wellformedWithoutSanitize = emptyTally();
  const untranslatableReasons = new Map<string, number>();
  for (const r of results) {
    if (!byFolder.has(r.folder)) byFolder.set(r.folder, emptyTally());
    if (!byKind.has(r.kind)) byKind.set(r.kind, emptyTally());
    add(byFolder.get(r.folder)!, r);
    add(byKind.get(r.kind)!, r);
    add(total, r);
    if (r.kind === 'wellformed' && r.folder !== 'wellformed/sanitize') add(wellformedWithoutSanitize, r);
    for (const c of r.checks) {
      if (c.status === 'untranslatable') {
        const reason = c.detail!.replace(/^(unsupported Python).*/, '$1');
        untranslatableReasons.set(reason, (untranslatableReasons.get(reason) ?? 0) + 1);
      }
    }
  }
  return { corpus, results, byFolder, byKind, total, wellformedWithoutSanitize, untranslatableReasons };
}

/** The figures a run is held to (test/conformance/recorded.json, written by `npm run conformance -- --record`). */
export interface RecordedFigures {
  wellformedFiles: number;
  wellformedIngested: number;
  translatable: number;
  pass: number;
  untranslatable: number;
}

export function figuresOf(s: ConformanceSummary): RecordedFigures {
  const wf = s.byKind.get('wellformed') ?? emptyTally();
  return {
    wellformedFiles: wf.files,
    wellformedIngested: wf.ingested,
    translatable: s.total.pass + s.total.fail,
    pass: s.total.pass,
    untranslatable: s.total.untranslatable,
  };
}

export function percent(n: number, d: number): string {
  return d === 0 ? '–' : `${((100 * n) / d).toFixed(1)} %`;
}

export function passRate(t: Tally): number {
  const translatable = t.pass + t.fail;
  return translatable === 0 ? 1 : t.pass / translatable;
}

export function ingestRate(t: Tally): number {
  return t.files === 0 ? 1 : t.ingested / t.files;
}

function row(name: string, t: Tally): string {
  return `| ${name} | ${t.files} | ${t.ingested} (${percent(t.ingested, t.files)}) | ${t.parseErrors} | ${t.crashes} | ${t.pass} | ${t.fail} | ${t.untranslatable} | ${percent(t.pass, t.pass + t.fail)} |`;
}

/** Per-folder and total table, Markdown. */
export function formatTable(s: ConformanceSummary): string {
  const lines = [
    '| folder | files | ingested | parse errors | crashes | pass | fail | not translatable | pass rate |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [folder, t] of [...s.byFolder].sort(([a], [b]) => a.localeCompare(b))) lines.push(row(folder, t));
  for (const [kind, t] of [...s.byKind].sort(([a], [b]) => b.localeCompare(a))) lines.push(row(`**${kind}**`, t));
  lines.push(row('**wellformed without sanitize/**', s.wellformedWithoutSanitize));
  lines.push(row('**total**', s.total));
  return lines.join('\n');
}


/** The report file: failures (file + difference), then ingest errors, then untranslatable reasons. */
export function formatReport(s: ConformanceSummary): string {
  const out: string[] = [];
  out.push(`# feedparser corpus conformance — ${new Date().toISOString()}`);
  out.push(`# corpus: ${s.corpus}`);
  out.push('');
  out.push(formatTable(s));
  out.push('');
  out.push('## Failed expectations (file: expectation — difference)');
  for (const r of s.results) {
    for (const c of r.checks) {
      if (c.status === 'fail') out.push(`${r.path}: ${c.source} — ${c.detail}${c.onDroppedItem ? ' [item dropped by the pipeline]' : ''}`);
    }
  }
  out.push('');
  out.push('## Files not ingested (file: error)');
  for (const r of s.results) if (r.ingest !== 'ok') out.push(`${r.path}: [${r.ingest}] ${r.error}`);
  out.push('');
  out.push('## Not translatable (count: reason)');
  for (const [reason, n] of [...s.untranslatableReasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    out.push(`${String(n).padStart(5)}: ${reason}`);
  }
  return `${out.join('\n')}\n`;
}
