/**
 * Incremental same-story clustering (in-memory core).
 *
 * Candidates. Each article is compared only with articles found through an
 * inverted index of its terms (syllable unigrams and bigrams of headline and
 * lead, see features.ts), restricted to articles published within the time
 * window (72 h by default) — never with the whole store. The lookup walks
 * the query's terms from the rarest up and stops after `lookupBudget`
 * postings entries, so common terms never cost anything; the
 * `maxCandidates` best partial matches are then scored exactly.
 * Articles leaving the window are evicted from the index, so memory is bounded
 * by the window.
 *
 * Similarity. Cosine of TF-IDF vectors (idf raised to `idfPower`, headline
 * terms weighted `titleWeight` times a lead term), divided by
 * 1 + Δt / `decayHours`: coverage of one event clusters within hours, and a
 * similar article days later is usually a new development. Document
 * frequencies are counts over the last `dfHorizon` articles, updated as
 * articles arrive, so results depend only on the input sequence.
 *
 * Decision (precision first):
 *  - an article links to a story member when their similarity reaches
 *    `threshold` and their headlines share at least one term, or when the
 *    similarity reaches `strongThreshold` (same lead under another headline),
 *    or when the accent-folded headlines are identical (syndicated copies);
 *  - it joins a linked story only if its mean similarity to the story's
 *    `linkageSize` most similar members also reaches `threshold`
 *    (average linkage: one bridging article cannot chain two topics), and no
 *    member's headline has a conflicting date, year, number or place
 *    (see signature.ts; a veto is never overridden);
 *  - among qualifying stories the best-linked one is joined; any other story
 *    it links to with `mergeThreshold` and no conflicts is merged into it. The
 *    older story keeps its id; the other ids are reported in `merged`.
 *
 * Same articles in the same order → same stories. Story ids are the id of the
 * story's first article.
 */
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, type ArticleFeatures, type FeatureOptions } from './features.js';
import { isEmptySignature, vetoes, type TitleSignature } from './signature.js';
import { PostingsSlab, POSTINGS_BLOCK, POSTINGS_NONE } from './postings.js';
import { TermTable } from './term-table.js';

export interface ClusterDoc {
  id: number;
  title: string;
  summary: string | null;
  publishedAt: Date;
}

export interface AssignResult {
  /** Story the article now belongs to. */
  storyId: number;
  /** Story ids merged into `storyId` by this article (each is now an alias of `storyId`). */
  merged: number[];
  /** Most similar member of the joined story, or null for a new story. */
  matchedId: number | null;
  /** Similarity to `matchedId` (1 for an identical headline), 0 for a new story. */
  score: number;
}

export interface ClusterOptions {
  /** Candidates must be published within this many hours of the article. */
  windowHours: number;
  /** Minimum (time-discounted) similarity to a member, and mean similarity to the story's closest members, to join a story. */
  threshold: number;
  /** Similarity that links without any shared headline term. */
  strongThreshold: number;
  /** Mean similarity with which a new article also merges a second story into the one it joins. */
  mergeThreshold: number;
  /** Headline-only cosine that a link below `strongThreshold` must exceed (0: at least one shared headline term). */
  titleThreshold: number;
  /** Number of most similar members whose mean similarity decides whether a story can be joined. */
  linkageSize: number;
  /** Similarity is divided by 1 + Δt / decayHours. */
  decayHours: number;
  /** Exponent applied to idf (2 favours rare, decisive terms — names, places, numbers). */
  idfPower: number;
  /** Document frequencies count the last this-many articles. */
  dfHorizon: number;
  /** Postings entries visited per lookup, rarest terms first (common terms are still used for scoring). */
  lookupBudget: number;
  /** Candidates scored exactly per lookup (best partial matches). */
  maxCandidates: number;
  /** Identical headlines join directly only when they have at least this many syllables. */
  minExactTitleTokens: number;
  features: FeatureOptions;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  windowHours: 72,
  threshold: 0.125,
  strongThreshold: 0.5,
  mergeThreshold: 0.45,
  titleThreshold: 0,
  linkageSize: 5,
  decayHours: 48,
  idfPower: 2,
  dfHorizon: 50_000,
  lookupBudget: 1_000,
  maxCandidates: 16,
  minExactTitleTokens: 4,
  features: DEFAULT_FEATURE_OPTIONS,
};

export interface Clusterer {
  /** Decide the story of a new article and index it. */
  assign(doc: ClusterDoc): AssignResult;
  /**
   * Index an article whose story is already known (warm start from the store,
   * oldest first, before any `assign`). Counts towards document frequencies.
   */
  seed(doc: ClusterDoc, storyId: number): void;
  /** Articles currently inside the candidate window. */
  readonly windowSize: number;
  /** Distinct terms currently tracked (document frequencies and postings). */
  readonly termCount: number;
}

interface Story {
  id: number;
  firstAt: number;
  /** Members inside the window. */
  members: DocEntry[];
}

interface DocEntry {
  id: number;
  t: number;
  /** Dense slot in the window arrays (-1 once evicted). */
  slot: number;
  story: Story;
  // plain arrays, not typed arrays: one ArrayBuffer per article costs far more in allocation and GC
  fids: number[]; // sorted feature indices
  w: number[]; // unit-length tf-idf weights aligned with fids
  tfids: number[]; // headline terms only, sorted
  tw: number[]; // unit-length idf weights of headline terms
  titleKey: string;
  signature: TitleSignature | null; // null when empty
}

interface Candidate {
  doc: DocEntry;
  /** Time-discounted cosine of headline+lead vectors (1 for an identical headline). */
  score: number;
  /** Cosine of headline-only vectors. */
  title: number;
  /** Identical accent-folded headline. */
  exact: boolean;
}

interface StoryLink {
  story: Story;
  /** Most similar linking member. */
  best: Candidate | null;
  exact: boolean;
  /** Similarity per candidate member. */
  scores: Map<DocEntry, number>;
  linkage: number;
}

const HOUR = 3_600_000;
const EMPTY_IDS: number[] = [];

const LOG_TABLE = new Float64Array(4096).map((_, i) => Math.log(i + 1));
function logPlusOne(x: number): number {
  return x < LOG_TABLE.length ? LOG_TABLE[x] : Math.log(x + 1);
}

function growInt32(a: Int32Array, min: number): Int32Array {
  let n = a.length;
  while (n < min) n *= 2;
  if (n === a.length) return a;
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function growFloat64(a: Float64Array, min: number): Float64Array {
  let n = a.length;
  while (n < min) n *= 2;
  if (n === a.length) return a;
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

export function createClusterer(options: Partial<ClusterOptions> = {}): Clusterer {
  const opt: ClusterOptions = {
    ...DEFAULT_CLUSTER_OPTIONS,
    ...options,
    features: { ...DEFAULT_CLUSTER_OPTIONS.features, ...options.features },
  };
  const windowMs = opt.windowHours * HOUR;
  const decayMs = opt.decayHours * HOUR;
  const decay = (dt: number): number => 1 + Math.abs(dt) / decayMs;

  // ---- features: term id → dense index; document frequency and postings per index
  const table = new TermTable(4096);
  let fidTerm: Float64Array = new Float64Array(4096);
  let fidDf: Int32Array = new Int32Array(4096);
  const postings = new PostingsSlab(4096, 4096);
  const freeFids: number[] = [];
  let fidCount = 0;

  function intern(term: number): number {
    const known = table.get(term);
    if (known >= 0) return known;
    let fid: number;
    if (freeFids.length > 0) fid = freeFids.pop()!;
    else {
      fid = fidCount++;
      if (fid >= fidTerm.length) {
        fidTerm = growFloat64(fidTerm, fid + 1);
        fidDf = growInt32(fidDf, fid + 1);
        postings.ensureLists(fid + 1);
      }
    }
    fidTerm[fid] = term;
    fidDf[fid] = 0;
    table.set(term, fid);
    return fid;
  }

  function live(fid: number): number {
    return postings.live(fid);
  }

  function maybeFree(fid: number): void {
    if (fidDf[fid] === 0 && live(fid) === 0) {
      table.delete(fidTerm[fid]);
      freeFids.push(fid);
    }
  }

  // ---- document-frequency horizon (insertion order)
  const dfRing: number[][] = [];
  let dfHead = 0;
  let dfCount = 0;

  function countDf(fids: number[]): void {
    for (let i = 0; i < fids.length; i++) fidDf[fids[i]]++;
    dfRing.push(fids);
    dfCount++;
    while (dfCount > opt.dfHorizon) {
      const old = dfRing[dfHead];
      dfRing[dfHead] = EMPTY_IDS;
      dfHead++;
      dfCount--;
      for (let i = 0; i < old.length; i++) {
        if (--fidDf[old[i]] === 0) maybeFree(old[i]);
      }
      if (dfHead > 1024 && dfHead * 2 > dfRing.length) {
        dfRing.splice(0, dfHead);
        dfHead = 0;
      }
    }
  }

  // ---- window: dense slots for the articles inside it
  let slotT: Float64Array = new Float64Array(1024);
  let slotAcc: Float64Array = new Float64Array(1024);
  let slotStamp: Int32Array = new Int32Array(1024);
  const slotDoc: (DocEntry | null)[] = [];
  const freeSlots: number[] = [];
  let slotCount = 0;
  let stamp = 0;
  let touched: Int32Array = new Int32Array(1024);

  function allocSlot(d: DocEntry): number {
    let s: number;
    if (freeSlots.length > 0) s = freeSlots.pop()!;
    else {
      s = slotCount++;
      if (s >= slotT.length) {
        slotT = growFloat64(slotT, s + 1);
        slotAcc = growFloat64(slotAcc, s + 1);
        slotStamp = growInt32(slotStamp, s + 1);
      }
    }
    slotT[s] = d.t;
    slotStamp[s] = 0;
    slotDoc[s] = d;
    return s;
  }

  const window: DocEntry[] = []; // insertion order
  let winHead = 0;
  let maxT = -Infinity;
  const byTitle = new Map<string, DocEntry[]>();

  function evictOld(): void {
    const cutoff = maxT - windowMs;
    while (winHead < window.length && window[winHead].t < cutoff) {
      evict(window[winHead]);
      winHead++;
    }
    if (winHead > 1024 && winHead * 2 > window.length) {
      window.splice(0, winHead);
      winHead = 0;
    }
  }

  function evict(d: DocEntry): void {
    const slot = d.slot;
    for (let i = 0; i < d.fids.length; i++) {
      const fid = d.fids[i];
      postings.remove(fid, slot);
      if (postings.live(fid) === 0) maybeFree(fid);
    }
    slotDoc[slot] = null;
    freeSlots.push(slot);
    d.slot = -1;
    const members = d.story.members;
    const k = members.indexOf(d);
    if (k >= 0) members.splice(k, 1);
    const same = byTitle.get(d.titleKey);
    if (same) {
      const j = same.indexOf(d);
      if (j >= 0) same.splice(j, 1);
      if (same.length === 0) byTitle.delete(d.titleKey);
    }
  }

  function index(d: DocEntry): void {
    d.slot = allocSlot(d);
    for (let i = 0; i < d.fids.length; i++) postings.push(d.fids[i], d.slot, d.w[i]);
    d.story.members.push(d);
    const same = byTitle.get(d.titleKey);
    if (same) same.push(d);
    else byTitle.set(d.titleKey, [d]);
    window.push(d);
  }

  // ---- vectors
  let packed: Float64Array = new Float64Array(256);

  function vectorize(f: ArticleFeatures): { fids: number[]; w: number[]; tfids: number[]; tw: number[] } {
    const n = f.termIds.length;
    // sort by feature index: pack (index, position) in one number and sort numerically
    if (packed.length < n) packed = growFloat64(packed, n);
    const view = packed.subarray(0, n);
    for (let i = 0; i < n; i++) view[i] = intern(f.termIds[i]) * n + i;
    view.sort();
    const fids: number[] = new Array(n);
    const w: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const pos = view[i] % n;
      fids[i] = (view[i] - pos) / n;
      w[i] = f.weights[pos];
    }
    countDf(fids);
    const tfids: number[] = [];
    const tw: number[] = [];
    const logN1 = Math.log(dfCount + 1);
    let norm = 0;
    let tnorm = 0;
    for (let i = 0; i < n; i++) {
      let idf = logN1 - logPlusOne(fidDf[fids[i]]) + 1;
      if (opt.idfPower === 2) idf *= idf;
      else if (opt.idfPower !== 1) idf = Math.pow(idf, opt.idfPower);
      const v = w[i] * idf;
      w[i] = v;
      norm += v * v;
      if (view[i] % n < f.titleTermCount) {
        tfids.push(fids[i]);
        tw.push(idf);
        tnorm += idf * idf;
      }
    }
    norm = Math.sqrt(norm);
    tnorm = Math.sqrt(tnorm);
    if (norm > 0) for (let i = 0; i < n; i++) w[i] /= norm;
    if (tnorm > 0) for (let i = 0; i < tw.length; i++) tw[i] /= tnorm;
    return { fids, w, tfids, tw };
  }

  // ---- exact similarity against the current query, through dense scratch vectors
  let qDense: Float64Array = new Float64Array(4096);
  let qTitleDense: Float64Array = new Float64Array(4096);
  let loaded: DocEntry | null = null;

  function loadQuery(q: DocEntry): void {
    if (loaded === q) return;
    if (loaded) {
      for (let i = 0; i < loaded.fids.length; i++) qDense[loaded.fids[i]] = 0;
      for (let i = 0; i < loaded.tfids.length; i++) qTitleDense[loaded.tfids[i]] = 0;
    }
    if (qDense.length < fidCount) {
      qDense = growFloat64(qDense, fidCount);
      qTitleDense = growFloat64(qTitleDense, fidCount);
    }
    for (let i = 0; i < q.fids.length; i++) qDense[q.fids[i]] = q.w[i];
    for (let i = 0; i < q.tfids.length; i++) qTitleDense[q.tfids[i]] = q.tw[i];
    loaded = q;
  }

  /** Time-discounted cosine of d with the loaded query q. */
  function similarity(d: DocEntry, q: DocEntry): number {
    let s = 0;
    const f = d.fids;
    const w = d.w;
    for (let i = 0; i < f.length; i++) s += w[i] * qDense[f[i]];
    return s / decay(d.t - q.t);
  }

  function titleSimilarity(d: DocEntry): number {
    let s = 0;
    const f = d.tfids;
    const w = d.tw;
    for (let i = 0; i < f.length; i++) s += w[i] * qTitleDense[f[i]];
    return s;
  }

  // ---- candidates
  let rest: Float64Array = new Float64Array(256);

  function candidates(q: DocEntry, titleLength: number): Candidate[] {
    if (++stamp === 0x7fffffff) {
      slotStamp.fill(0);
      stamp = 1;
    }
    const t = q.t;
    const n = q.fids.length;
    // rarest terms first: sort (live postings, position) packed in one number
    if (packed.length < n) packed = growFloat64(packed, n);
    if (rest.length < n + 1) rest = growFloat64(rest, n + 1);
    const order = packed.subarray(0, n);
    for (let i = 0; i < n; i++) order[i] = live(q.fids[i]) * n + i;
    order.sort();
    // MaxScore bound: the most that the terms from rank r on can still add to any article's score
    rest[n] = 0;
    for (let r = n - 1; r >= 0; r--) {
      const i = order[r] % n;
      rest[r] = rest[r + 1] + q.w[i] * postings.maxWeight(q.fids[i]);
    }
    const floor = opt.threshold * 0.25;
    let nTouched = 0;
    let visited = 0;
    const { slots: pSlots, weights: pWeights, next: pNext, headBlk, headOff, tailBlk, tailOff } = postings.raw;
    for (let r = 0; r < n; r++) {
      // articles not seen yet can no longer reach the floor: the candidates are complete
      if (rest[r] < opt.threshold) break;
      const i = order[r] % n;
      const fid = q.fids[i];
      const len = live(fid);
      if (len === 0) continue;
      if (visited > 0 && visited + len > opt.lookupBudget) break;
      visited += len;
      const qw = q.w[i];
      const tail = tailBlk[fid];
      let b = headBlk[fid];
      let off = headOff[fid];
      while (b !== POSTINGS_NONE) {
        const end = b === tail ? tailOff[fid] : POSTINGS_BLOCK;
        const base = b * POSTINGS_BLOCK;
        for (; off < end; off++) {
          const s = pSlots[base + off];
          if (s === POSTINGS_NONE) continue;
          if (slotStamp[s] !== stamp) {
            const dt = slotT[s] - t;
            if (dt > windowMs || dt < -windowMs) continue;
            slotStamp[s] = stamp;
            slotAcc[s] = 0;
            if (nTouched === touched.length) touched = growInt32(touched, nTouched + 1);
            touched[nTouched++] = s;
          }
          slotAcc[s] += qw * pWeights[base + off];
        }
        b = pNext[b];
        off = 0;
      }
    }
    // partial scores are lower bounds of the cosine: keep the best few that may reach the threshold
    const K = opt.maxCandidates;
    const top: DocEntry[] = [];
    const topAcc: number[] = [];
    for (let k = 0; k < nTouched; k++) {
      const s = touched[k];
      const a = slotAcc[s];
      if (a < floor || (top.length === K && a <= topAcc[K - 1])) continue;
      const d = slotDoc[s]!;
      let j = top.length < K ? top.length : K - 1;
      while (j > 0 && (topAcc[j - 1] < a || (topAcc[j - 1] === a && isBefore(d, top[j - 1])))) {
        if (j < K) {
          top[j] = top[j - 1];
          topAcc[j] = topAcc[j - 1];
        }
        j--;
      }
      top[j] = d;
      topAcc[j] = a;
    }
    const out: Candidate[] = [];
    loadQuery(q);
    for (const d of top) out.push({ doc: d, score: similarity(d, q), title: titleSimilarity(d), exact: false });
    if (titleLength >= opt.minExactTitleTokens) {
      const same = byTitle.get(q.titleKey);
      if (same) {
        for (const d of same) {
          const dt = d.t - t;
          if (dt > windowMs || dt < -windowMs) continue;
          const c = out.find((x) => x.doc === d);
          if (c) {
            c.score = 1;
            c.title = 1;
            c.exact = true;
          } else out.push({ doc: d, score: 1, title: 1, exact: true });
        }
      }
    }
    // deterministic order: score desc, then older article first, then smaller id
    out.sort((a, b) => b.score - a.score || a.doc.t - b.doc.t || a.doc.id - b.doc.id);
    return out;
  }

  /** Group candidates by story; keep stories with at least one linking member, with their linkage score. */
  function linkStories(q: DocEntry, cands: Candidate[]): StoryLink[] {
    const byStory = new Map<Story, StoryLink>();
    for (const c of cands) {
      const st = c.doc.story;
      let g = byStory.get(st);
      if (!g) {
        g = { story: st, best: null, exact: false, scores: new Map(), linkage: 0 };
        byStory.set(st, g);
      }
      g.scores.set(c.doc, c.score);
      const links = c.exact || c.score >= opt.strongThreshold || (c.score >= opt.threshold && c.title > opt.titleThreshold);
      if (links && (g.best === null || c.score > g.best.score)) g.best = c;
      if (c.exact) g.exact = true;
    }
    const out: StoryLink[] = [];
    for (const g of byStory.values()) {
      if (!g.best) continue;
      g.linkage = linkage(q, g);
      out.push(g);
    }
    out.sort((a, b) => b.linkage - a.linkage || a.story.firstAt - b.story.firstAt || a.story.id - b.story.id);
    return out;
  }

  /** Mean similarity to the story's `linkageSize` most similar members. */
  function linkage(q: DocEntry, g: StoryLink): number {
    const members = g.story.members;
    const k = Math.min(opt.linkageSize, members.length);
    if (k === 0) return 0;
    const sims: number[] = [];
    if (members.length <= opt.linkageSize) {
      for (const m of members) sims.push(g.scores.get(m) ?? similarity(m, q));
    } else {
      // large story: members that are not candidates are far below the threshold
      for (const v of g.scores.values()) sims.push(v);
    }
    sims.sort((a, b) => b - a);
    let sum = 0;
    for (let i = 0; i < k && i < sims.length; i++) sum += sims[i];
    return sum / k;
  }

  function storyConflicts(story: Story, sig: TitleSignature | null): boolean {
    if (!sig) return false;
    for (const m of story.members) if (m.signature && vetoes(m.signature, sig)) return true;
    return false;
  }

  function storiesConflict(a: Story, b: Story): boolean {
    for (const m of a.members) if (m.signature && storyConflicts(b, m.signature)) return true;
    return false;
  }

  function isOlder(a: Story, b: Story): boolean {
    return a.firstAt < b.firstAt || (a.firstAt === b.firstAt && a.id < b.id);
  }

  function mergeInto(keep: Story, gone: Story): void {
    for (const m of gone.members) {
      m.story = keep;
      keep.members.push(m);
    }
    gone.members = [];
    if (gone.firstAt < keep.firstAt) keep.firstAt = gone.firstAt;
  }

  function isBefore(a: DocEntry, b: DocEntry): boolean {
    return a.t < b.t || (a.t === b.t && a.id < b.id);
  }

  function makeEntry(doc: ClusterDoc, f: ArticleFeatures, story: Story | null): DocEntry {
    const t = doc.publishedAt.getTime();
    if (!Number.isFinite(t)) throw new RangeError(`article ${doc.id}: invalid publishedAt`);
    const v = vectorize(f);
    return {
      id: doc.id,
      t,
      slot: -1,
      story: story ?? { id: doc.id, firstAt: t, members: [] },
      fids: v.fids,
      w: v.w,
      tfids: v.tfids,
      tw: v.tw,
      titleKey: f.titleKey,
      signature: isEmptySignature(f.signature) ? null : f.signature,
    };
  }

  const seeded = new Map<number, Story>();

  return {
    assign(doc: ClusterDoc): AssignResult {
      const f = extractFeatures(doc.title, doc.summary, opt.features);
      const entry = makeEntry(doc, f, null);
      if (entry.t > maxT) maxT = entry.t;
      evictOld();
      const links = linkStories(entry, candidates(entry, f.titleLength));

      let target: StoryLink | null = null;
      const merged: number[] = [];
      for (const g of links) {
        const st = g.story;
        if (st.members.length === 0) continue; // merged away in this loop
        if (target === null) {
          if (g.linkage < opt.threshold && !g.exact) continue;
          if (storyConflicts(st, entry.signature)) continue;
          target = g;
          continue;
        }
        if (g.linkage < opt.mergeThreshold) break;
        const into: Story = target.story;
        if (st === into || storyConflicts(st, entry.signature) || storiesConflict(st, into)) continue;
        const keep: Story = isOlder(st, into) ? st : into;
        const gone = keep === st ? into : st;
        mergeInto(keep, gone);
        merged.push(gone.id);
        target = { ...target, story: keep };
      }
      if (target) entry.story = target.story;
      index(entry);
      return {
        storyId: entry.story.id,
        merged,
        matchedId: target ? target.best!.doc.id : null,
        score: target ? target.best!.score : 0,
      };
    },

    seed(doc: ClusterDoc, storyId: number): void {
      const f = extractFeatures(doc.title, doc.summary, opt.features);
      let story = seeded.get(storyId);
      const entry = makeEntry(doc, f, null);
      if (!story) {
        story = { id: storyId, firstAt: entry.t, members: [] };
        seeded.set(storyId, story);
      } else if (entry.t < story.firstAt) story.firstAt = entry.t;
      entry.story = story;
      if (entry.t > maxT) maxT = entry.t;
      evictOld();
      index(entry);
    },

    get windowSize(): number {
      return window.length - winHead;
    },

    get termCount(): number {
      return table.size;
    },
  };
}
