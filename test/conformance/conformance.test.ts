/**
 * The feedparser corpus conformance run as a test: the pipeline must ingest at least the
 * recorded share of well-formed files and keep at least the recorded share of translatable
 * expectations (test/conformance/recorded.json, see RESULTS.md), and must never crash.
 *
 * The corpus lives outside the repository, in ../shared/corpora/feedparser; without it the
 * suite is skipped with a message.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { figuresOf, runConformance, type ConformanceSummary, type RecordedFigures } from './harness.js';

const CORPUS = path.resolve('..', 'shared', 'corpora', 'feedparser');
const TESTS = path.join(CORPUS, 'tests');
const present = existsSync(path.join(TESTS, 'wellformed')) && existsSync(path.join(TESTS, 'illformed'));
const recorded = JSON.parse(
  readFileSync(new URL('./recorded.json', import.meta.url), 'utf8'),
) as RecordedFigures;

if (!present) {
  console.warn(`feedparser corpus conformance skipped: corpus not found at ${CORPUS}`);
  describe('feedparser corpus conformance', () => {
    it.skip(`skipped: feedparser corpus not found at ${CORPUS} (expected tests/wellformed and tests/illformed)`, () => {});
  });
} else {
  describe('feedparser corpus conformance', () => {
    let summary: ConformanceSummary;
    beforeAll(async () => {
      summary = await runConformance(TESTS);
    }, 120_000);

    it('never crashes: every file ingests or fails with a ParseError', () => {
      const crashes = summary.results.filter((r) => r.ingest === 'crash').map((r) => `${r.path}: ${r.error}`);
      expect(crashes).toEqual([]);
    });

    it(`ingests at least the recorded share of well-formed files (${recorded.wellformedIngested}/${recorded.wellformedFiles}) and ≥ 99 %`, () => {
      const now = figuresOf(summary);
      const rate = now.wellformedIngested / now.wellformedFiles;
      expect(rate).toBeGreaterThanOrEqual(0.99);
      expect(rate).toBeGreaterThanOrEqual(recorded.wellformedIngested / recorded.wellformedFiles);
    });

    it(`keeps at least the recorded share of translatable expectations (${recorded.pass}/${recorded.translatable}) and ≥ 95 %`, () => {
      const now = figuresOf(summary);
      const rate = now.pass / now.translatable;
      const failures = summary.results.flatMap((r) =>
        r.checks.filter((c) => c.status === 'fail').map((c) => `${r.path}: ${c.detail}`),
      );
      const detail = `${now.pass}/${now.translatable}; failures:\n${failures.join('\n')}`;
      expect(rate, detail).toBeGreaterThanOrEqual(0.95);
      expect(rate, detail).toBeGreaterThanOrEqual(recorded.pass / recorded.translatable);
    });
  });
}
