/**
 * Story-clustering evaluation on a labelled JSON-lines file.
 *
 *   eval-cli <file.jsonl> [--errors] [--threshold=N] [--window-hours=N] [--decay-hours=N] ...
 *
 * Each line: {"title", "summary", "time" (ISO 8601 with offset), "outlet", "cluster"}.
 * Articles are stored in time order through the real store path (storeArticles
 * with the production story assigner, in an in-memory SQLite database) and their
 * story ids read back; with --direct they go through a bare clusterer instead
 * (faster, for threshold experiments). Default options, overridable with the
 * flags below; prints pairwise precision, recall, F1 and counts. With --errors
 * also lists wrongly merged stories and split clusters.
 *
 * Run it bundled, e.g.
 *   npx esbuild src/stories/eval-cli.ts --bundle --platform=node --format=esm \
 *     --packages=external --outfile=/tmp/eval.mjs && node /tmp/eval.mjs file.jsonl
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from './cluster.js';
import { evaluateClustering, parseLabelledJsonl, type LabelledArticle } from './evaluate.js';
import { evaluateThroughStore } from './evaluate-store.js';

function parseArgs(argv: string[]): { file: string; options: Partial<ClusterOptions>; errors: boolean; direct: boolean } {
  let file: string | null = null;
  const options: Partial<ClusterOptions> = {};
  let errors = false;
  let direct = false;
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) {
      if (file !== null) throw new Error(`unexpected argument ${arg}`);
      file = arg;
      continue;
    }
    const value = Number(m[2]);
    switch (m[1]) {
      case 'threshold':
        options.threshold = value;
        break;
      case 'merge-threshold':
        options.mergeThreshold = value;
        break;
      case 'strong-threshold':
        options.strongThreshold = value;
        break;
      case 'linkage-size':
        options.linkageSize = value;
        break;
      case 'title-threshold':
        options.titleThreshold = value;
        break;
      case 'decay-hours':
        options.decayHours = value;
        break;
      case 'window-hours':
        options.windowHours = value;
        break;
      case 'title-weight':
        options.features = { ...DEFAULT_CLUSTER_OPTIONS.features, ...options.features, titleWeight: value };
        break;
      case 'summary-tokens':
        options.features = { ...DEFAULT_CLUSTER_OPTIONS.features, ...options.features, maxSummaryTokens: value };
        break;
      case 'df-horizon':
        options.dfHorizon = value;
        break;
      case 'lookup-budget':
        options.lookupBudget = value;
        break;
      case 'max-candidates':
        options.maxCandidates = value;
        break;
      case 'idf-power':
        options.idfPower = value;
        break;
      case 'errors':
        errors = true;
        break;
      case 'direct':
        direct = true;
        break;
      default:
        throw new Error(`unknown option --${m[1]}`);
    }
    if (m[1] !== 'errors' && m[1] !== 'direct' && !Number.isFinite(value)) throw new Error(`--${m[1]} needs a number`);
  }
  if (file === null) {
    throw new Error(
      'usage: eval-cli <file.jsonl> [--errors] [--direct] [--threshold=N] [--merge-threshold=N] [--strong-threshold=N] ' +
        '[--title-threshold=N] [--linkage-size=N] [--window-hours=N] [--decay-hours=N] [--idf-power=N] ' +
        '[--df-horizon=N] [--lookup-budget=N] [--max-candidates=N] [--title-weight=N] [--summary-tokens=N]',
    );
  }
  return { file, options, errors, direct };
}

function fmt(x: number): string {
  return x.toFixed(3);
}

function printErrors(articles: readonly LabelledArticle[], stories: readonly number[]): void {
  const line = (i: number) => `    [${articles[i].cluster}] ${articles[i].publishedAt.toISOString().slice(0, 16)} ${articles[i].title}`;
  console.log('\nWrong merges (same predicted story, different labels):');
  const byStory = new Map<number, number[]>();
  stories.forEach((s, i) => byStory.set(s, [...(byStory.get(s) ?? []), i]));
  for (const members of byStory.values()) {
    if (new Set(members.map((i) => articles[i].cluster)).size > 1) {
      console.log('  story:');
      for (const i of members) console.log(line(i));
    }
  }
  console.log('\nSplit clusters (same label, several predicted stories):');
  const byGold = new Map<string, number[]>();
  articles.forEach((a, i) => byGold.set(a.cluster, [...(byGold.get(a.cluster) ?? []), i]));
  for (const members of byGold.values()) {
    if (new Set(members.map((i) => stories[i])).size > 1) {
      console.log('  cluster:');
      for (const i of members) console.log(`${line(i)}  → story ${stories[i]}`);
    }
  }
}

async function main(): Promise<void> {
  const { file, options, errors, direct } = parseArgs(process.argv.slice(2));
  const articles = parseLabelledJsonl(readFileSync(file, 'utf8'));
  const r = direct ? evaluateClustering(articles, options) : await evaluateThroughStore(articles, options);
  console.log(`path                ${direct ? 'bare clusterer (--direct)' : 'the store: storeArticles + story assigner, in-memory SQLite'}`);
  console.log(`articles            ${r.articles}`);
  console.log(`labelled clusters   ${r.goldClusters}`);
  console.log(`predicted stories   ${r.predictedStories}`);
  console.log(`story merges        ${r.merges}`);
  console.log(`pairs gold/pred/ok  ${r.goldPairs} / ${r.predictedPairs} / ${r.correctPairs}`);
  console.log(`precision           ${fmt(r.precision)}`);
  console.log(`recall              ${fmt(r.recall)}`);
  console.log(`F1                  ${fmt(r.f1)}`);
  console.log(`µs per article      ${r.microsPerArticle.toFixed(1)} (cold start, includes JIT warm-up${direct ? '' : '; the whole store write'})`);
  if (errors) printErrors(articles, r.stories);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exitCode = 1;
});
