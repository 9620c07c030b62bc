/**
 * Evaluation of story clustering against labelled data: pairwise precision /
 * recall / F1 over pairs of articles (same predicted story vs same labelled
 * cluster). Pure, used by eval-cli.ts and the unit tests.
 */
import { createClusterer, type AssignResult, type ClusterOptions } from './cluster.js';

export interface LabelledArticle {
  title: string;
  summary: string | null;
  publishedAt: Date;
  outlet: string | null;
  cluster: string;
}

/** Parse JSON lines with `title`, `summary`, `time` (ISO 8601), `outlet`, `cluster`. Blank lines are skipped. */
export function parseLabelledJsonl(text: string): LabelledArticle[] {
  const out: LabelledArticle[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new Error(`line ${i + 1}: invalid JSON (${(err as Error).message})`);
    }
    const title = row.title;
    const time = row.time;
    if (typeof title !== 'string' || typeof time !== 'string' || row.cluster === undefined || row.cluster === null) {
      throw new Error(`line ${i + 1}: needs string "title", string "time" and "cluster"`);
    }
    const publishedAt = new Date(time);
    if (Number.isNaN(publishedAt.getTime())) throw new Error(`line ${i + 1}: bad time ${JSON.stringify(time)}`);
    out.push({
      title,
      summary: typeof row.summary === 'string' ? row.summary : null,
      publishedAt,
      outlet: typeof row.outlet === 'string' ? row.outlet : null,
      cluster: String(row.cluster),
    });
  }
  return out;
}

export interface PairwiseScores {
  precision: number;
  recall: number;
  f1: number;
  /** Pairs in the same predicted story. */
  predictedPairs: number;
  /** Pairs in the same labelled cluster. */
  goldPairs: number;
  /** Pairs in both. */
  correctPairs: number;
}

function pairs(n: number): number {
  return (n * (n - 1)) / 2;
}

/** Pairwise scores of a predicted partition against a gold partition (aligned arrays of labels). */
export function pairwiseScores(gold: readonly (string | number)[], predicted: readonly (string | number)[]): PairwiseScores {
  if (gold.length !== predicted.length) throw new Error('gold and predicted differ in length');
  const g = new Map<string | number, number>();
  const p = new Map<string | number, number>();
  const both = new Map<string, number>();
  for (let i = 0; i < gold.length; i++) {
    g.set(gold[i], (g.get(gold[i]) ?? 0) + 1);
    p.set(predicted[i], (p.get(predicted[i]) ?? 0) + 1);
    const k = JSON.stringify([gold[i], predicted[i]]);
    both.set(k, (both.get(k) ?? 0) + 1);
  }
  let goldPairs = 0;
  let predictedPairs = 0;
  let correctPairs = 0;
  for (const n of g.values()) goldPairs += pairs(n);
  for (const n of p.values()) predictedPairs += pairs(n);
  for (const n of both.values()) correctPairs += pairs(n);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = goldPairs === 0 ? 1 : correctPairs / goldPairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, predictedPairs, goldPairs, correctPairs };
}

export interface EvaluationResult extends PairwiseScores {
  articles: number;
  goldClusters: number;
  predictedStories: number;
  /** Story merges triggered by a linking article. */
  merges: number;
  /** Mean wall-clock cost of assign() in microseconds. */
  microsPerArticle: number;
  /** Final story per input article (input order). */
  stories: number[];
  /** Per input article, in time order of processing, the raw decision. */
  decisions: (AssignResult & { index: number })[];
}

/**
 * Feed articles through a fresh clusterer in time order (ties keep input
 * order; article ids are 1-based input positions) and score the result.
 */
export function evaluateClustering(articles: readonly LabelledArticle[], options: Partial<ClusterOptions> = {}): EvaluationResult {
  const order = articles.map((_, i) => i).sort((a, b) => articles[a].publishedAt.getTime() - articles[b].publishedAt.getTime() || a - b);
  const clusterer = createClusterer(options);
  const alias = new Map<number, number>();
  const resolve = (id: number): number => {
    let r = id;
    while (alias.has(r)) r = alias.get(r)!;
    return r;
  };
  const assigned = new Array<number>(articles.length);
  const decisions: (AssignResult & { index: number })[] = [];
  let merges = 0;
  const start = process.hrtime.bigint();
  for (const i of order) {
    const a = articles[i];
    const r = clusterer.assign({ id: i + 1, title: a.title, summary: a.summary, publishedAt: a.publishedAt });
    for (const m of r.merged) alias.set(m, r.storyId);
    merges += r.merged.length;
    assigned[i] = r.storyId;
    decisions.push({ ...r, index: i });
  }
  const elapsed = Number(process.hrtime.bigint() - start) / 1000;
  const stories = assigned.map(resolve);
  const scores = pairwiseScores(
    articles.map((a) => a.cluster),
    stories,
  );
  return {
    ...scores,
    articles: articles.length,
    goldClusters: new Set(articles.map((a) => a.cluster)).size,
    predictedStories: new Set(stories).size,
    merges,
    microsPerArticle: articles.length === 0 ? 0 : elapsed / articles.length,
    stories,
    decisions,
  };
}
