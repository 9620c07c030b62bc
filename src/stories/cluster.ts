/**
 * Incremental same-story clustering (in-memory core).
 *
 * Candidates. Each article is compared only with articles found through an
 * inverted index, restricted to articles published within the time window
 * (72 h by default) — never with the whole store. Indexed terms are syllable
 * bigrams, place terms, headline syllables and lead syllables that are still
 * rare (see features.ts). A lookup walks the article's terms from the rarest
 * up and stops as soon as the terms left could not lift an unseen article to
 * the threshold (MaxScore bound) or after `lookupBudget` postings entries; the
 * `maxCandidates` best partial matches are then scored exactly. Articles
 * leaving the window are removed from the index, so memory is bounded by the
 * window. Index state lives in typed arrays (feature-store.ts).
 *
 * Similarity. Cosine of TF-IDF vectors over syllable unigrams and bigrams of
 * headline (weighted `titleWeight`) and lead, idf raised to `idfPower`,
 * divided by 1 + Δt / `decayHours`: coverage of one event clusters within
 * hours, and at the edge of the window an article needs twice the similarity.
 * Document frequencies are counts over the articles in the window (and at
 * least the last `dfHorizon` articles), updated as articles arrive and leave,
 * so results depend only on the input sequence.
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
import { BLOCK_STRIDE, FeatureStore, NO_BLOCK } from './feature-store.js';

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
  /**
   * Document frequencies count every article in the window, and at least the
   * last this-many articles (stable statistics for sparse streams).
   */
  dfHorizon: number;
  /**
   * Postings entries visited per lookup, rarest terms first; a term whose postings would exceed
   * what is left is too common to find candidates (it still counts in scores). Bounds the cost.
   */
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
  decayHours: 72,
  idfPower: 2,
  dfHorizon: 2_000,
  lookupBudget: 1_000,
  maxCandidates: 8,
  minExactTitleTokens: 4,
  features: DEFAULT_FEATURE_OPTIONS,
};

export interface Clusterer {
  /** Decide the story of a new article and index it. */
  assign(doc: ClusterDoc): AssignResult;
  /**
   * Index an article whose story is already decided: the warm start from the store (oldest
   * first), or an article another gateway instance stored (PostgreSQL). It joins the story of
   * that id while the story has members in the window. Counts towards document frequencies.
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
  members: Set<DocEntry>;
  /** Distinct headline signatures of the members, with counts: vetoes cost O(distinct facts), not O(members). */
  sigs: Map<string, { sig: TitleSignature; n: number }>;
}

function newStory(id: number, firstAt: number): Story {
  return { id, firstAt, members: new Set(), sigs: new Map() };
}

function addMember(st: Story, d: DocEntry): void {
  st.members.add(d);
  d.story = st;
  if (d.sigKey !== null) {
    const e = st.sigs.get(d.sigKey);
    if (e) e.n++;
    else st.sigs.set(d.sigKey, { sig: d.signature!, n: 1 });
  }
}

function removeMember(st: Story, d: DocEntry): void {
  if (!st.members.delete(d)) return;
  if (d.sigKey !== null) {
    const e = st.sigs.get(d.sigKey)!;
    if (--e.n === 0) st.sigs.delete(d.sigKey);
  }
}

interface DocEntry {
  id: number;
  t: number;
  /** Dense slot in the window arrays (-1 once evicted). */
  slot: number;
  story: Story;
  /**
   * The article's vectors, contiguous in an arena chunk (see Arena) and read through the chunk's
   * two views (the same memory as int32 and as float32). From `at`: the sorted feature indices
   * (n) and their unit-length tf-idf weights (n); the headline terms, sorted (nt), and their
   * unit-length idf weights (nt); the lookup terms, in the postings while in the window, as
   * positions in the first run (np). No typed array per article: six views each were a seventh of
   * the heap.
   */
  ints: Int32Array;
  floats: Float32Array;
  at: number;
  n: number;
  nt: number;
  np: number;
  /** Still counted in document frequencies after the horizon passed it, until it leaves the window. */
  held: boolean;
  titleKey: string;
  signature: TitleSignature | null; // null when empty
  sigKey: string | null; // serialised signature
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

/**
 * Bump allocator for the articles' vectors: runs of 32-bit cells in 4 MB
 * chunks, each read through one int32 and one float32 view. A chunk is
 * reclaimed by the garbage collector once no article in it is referenced any
 * more; there is no per-article buffer or view to allocate or track, and an
 * article's vectors are contiguous (few cache lines to score it).
 */
class Arena {
  ints = new Int32Array(ARENA_BYTES / 4);
  floats = new Float32Array(this.ints.buffer);
  private off = 0;

  /** Offset of `n` free cells; read `ints`/`floats` after the call (it may start a new chunk). */
  take(n: number): number {
    if (this.off + n > this.ints.length) {
      this.ints = new Int32Array(Math.max(ARENA_BYTES / 4, n));
      this.floats = new Float32Array(this.ints.buffer);
      this.off = 0;
    }
    const at = this.off;
    this.off += n;
    return at;
  }
}

const ARENA_BYTES = 1 << 22;
const HOUR = 3_600_000;
/** Buckets of postings lengths for ordering lookup terms: exact below 16, then powers of two. */
const LENGTH_BUCKETS = 48;

const LOG_TABLE = new Float64Array(4096).map((_, i) => Math.log(i + 1));
function logPlusOne(x: number): number {
  return x < LOG_TABLE.length ? LOG_TABLE[x] : Math.log(x + 1);
}

/** Where an article's headline terms start in its chunk (see DocEntry). */
function titleAt(d: DocEntry): number {
  return d.at + 2 * d.n;
}

/** Where an article's lookup terms start in its chunk (see DocEntry). */
function postAt(d: DocEntry): number {
  return d.at + 2 * (d.n + d.nt);
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
  if (!(opt.dfHorizon >= 1)) throw new RangeError('dfHorizon must be at least 1');
  const windowMs = opt.windowHours * HOUR;
  const decayMs = opt.decayHours * HOUR;
  const decay = (dt: number): number => 1 + Math.abs(dt) / decayMs;

  // ---- features: term id → dense index; document frequency and postings per index
  const store = new FeatureStore(16_384, 16_384);

  // ---- document-frequency horizon (insertion order)
  // an article's features stay counted at least while it is in the window, so that its
  // feature indices are never released and reused under it: the horizon passes it by, and it is
  // uncounted when it leaves the window
  const dfDocs: (DocEntry | null)[] = [];
  let dfHead = 0;
  /** Articles in the horizon… */
  let dfCount = 0;
  /** …and older ones still in the window: together, the articles counted. */
  let heldCount = 0;

  function countDf(fids: Int32Array, n: number): void {
    for (let i = 0; i < n; i++) store.incDf(fids[i]);
    dfDocs.push(null); // set by makeEntry
    dfCount++;
    trimDf();
  }

  function uncountDf(d: DocEntry): void {
    for (let i = d.at, end = d.at + d.n; i < end; i++) store.decDf(d.ints[i]);
  }

  /**
   * Uncount the oldest articles beyond the horizon, except those still in the window (held, and
   * uncounted by `evict`). An article the window never held (backfill, see `assign`) leaves with
   * the horizon, so a first poll of many long feeds does not keep all of them.
   */
  function trimDf(): void {
    while (dfCount > opt.dfHorizon) {
      const owner = dfDocs[dfHead]!; // the newest, not yet set, is never the oldest here
      dfDocs[dfHead] = null;
      dfHead++;
      dfCount--;
      if (owner.slot !== -1) {
        owner.held = true;
        heldCount++;
      } else uncountDf(owner);
      if (dfHead > 1024 && dfHead * 2 > dfDocs.length) {
        dfDocs.splice(0, dfHead);
        dfHead = 0;
      }
    }
  }

  // ---- window: dense slots for the articles inside it. Per slot, 8 bytes that the lookup touches:
  // [stamp int32, partial score float32] (one buffer, two views), and the publication time apart
  let slotStamp: Int32Array = new Int32Array(2 * 4096);
  let slotAcc: Float32Array = new Float32Array(slotStamp.buffer);
  let slotT: Float64Array = new Float64Array(4096);
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
        slotStamp = growInt32(slotStamp, 2 * slotT.length);
        slotAcc = new Float32Array(slotStamp.buffer);
      }
    }
    slotT[s] = d.t;
    slotStamp[2 * s] = 0;
    slotDoc[s] = d;
    return s;
  }

  /** Insertion order; evicted entries are dropped at once (null), the array is compacted now and then. */
  const window: (DocEntry | null)[] = [];
  let winHead = 0;
  let maxT = -Infinity;
  const byTitle = new Map<string, DocEntry[]>();
  /** Stories with members in the window, by id: what `seed` joins. */
  const live = new Map<number, Story>();

  function evictOld(): void {
    const cutoff = maxT - windowMs;
    while (winHead < window.length && window[winHead]!.t < cutoff) {
      evict(window[winHead]!);
      window[winHead++] = null;
    }
    trimDf(); // while the evicted articles' term records are still in cache
    if (winHead > 1024 && winHead * 2 > window.length) {
      window.splice(0, winHead);
      winHead = 0;
    }
  }

  function evict(d: DocEntry): void {
    const slot = d.slot;
    for (let k = postAt(d), end = k + d.np; k < end; k++) store.remove(d.ints[d.at + d.ints[k]], slot);
    slotDoc[slot] = null;
    freeSlots.push(slot);
    d.slot = -1;
    if (d.held) {
      d.held = false;
      heldCount--;
      uncountDf(d);
    }
    removeMember(d.story, d);
    if (d.story.members.size === 0 && live.get(d.story.id) === d.story) live.delete(d.story.id);
    const same = byTitle.get(d.titleKey);
    if (same) {
      const j = same.indexOf(d);
      if (j >= 0) same.splice(j, 1);
      if (same.length === 0) byTitle.delete(d.titleKey);
    }
  }

  function index(d: DocEntry): void {
    d.slot = allocSlot(d);
    for (let k = postAt(d), end = k + d.np; k < end; k++) {
      const i = d.at + d.ints[k];
      store.push(d.ints[i], d.slot, d.floats[i + d.n]);
    }
    addMember(d.story, d);
    live.set(d.story.id, d.story);
    const same = byTitle.get(d.titleKey);
    if (same) same.push(d);
    else byTitle.set(d.titleKey, [d]);
    window.push(d);
  }

  // ---- vectors
  let packed: Float64Array = new Float64Array(256);
  const arena = new Arena();
  /** Articles the window does not hold (backfill): their chunks go as soon as the horizon passes them. */
  const lateArena = new Arena();

  let fidScratch: Int32Array = new Int32Array(256);
  let wScratch: Float64Array = new Float64Array(256);
  let postScratch: Int32Array = new Int32Array(256);
  let titleScratch: Int32Array = new Int32Array(256);
  let idfScratch: Float64Array = new Float64Array(256);

  type Vectors = Pick<DocEntry, 'ints' | 'floats' | 'at' | 'n' | 'nt' | 'np'>;

  function vectorize(f: ArticleFeatures, into: Arena): Vectors {
    const n = f.termIds.length;
    // sort by feature index: pack (index, position) in one number and sort numerically
    if (packed.length < n) {
      packed = growFloat64(packed, n);
      wScratch = growFloat64(wScratch, n);
      idfScratch = growFloat64(idfScratch, n);
      fidScratch = growInt32(fidScratch, n);
      postScratch = growInt32(postScratch, n);
      titleScratch = growInt32(titleScratch, n);
    }
    const view = packed.subarray(0, n);
    for (let i = 0; i < n; i++) view[i] = store.intern(f.termIds[i]) * n + i;
    view.sort();
    const fids = fidScratch;
    const w = wScratch;
    for (let i = 0; i < n; i++) {
      const pos = view[i] % n;
      fids[i] = (view[i] - pos) / n;
      w[i] = f.weights[pos];
    }
    countDf(fids, n);
    const counted = dfCount + heldCount;
    const logN1 = Math.log(counted + 1);
    const rareDf = Math.max(2, counted * 0.002);
    let norm = 0;
    let tnorm = 0;
    let nt = 0;
    let np = 0;
    for (let i = 0; i < n; i++) {
      const df = store.df(fids[i]);
      let idf = logN1 - logPlusOne(df) + 1;
      if (opt.idfPower === 2) idf *= idf;
      else if (opt.idfPower !== 1) idf = Math.pow(idf, opt.idfPower);
      const v = w[i] * idf;
      w[i] = v;
      norm += v * v;
      const pos = view[i] % n;
      if (pos < f.titleTermCount) {
        titleScratch[nt] = i;
        idfScratch[nt++] = idf;
        tnorm += idf * idf;
      }
      // lead-only syllables are indexed only while rare (names, loanwords): common ones find nothing bigrams would not
      if (f.lookup[pos] || df <= rareDf) postScratch[np++] = i;
    }
    norm = Math.sqrt(norm);
    tnorm = Math.sqrt(tnorm);
    const at = into.take(2 * (n + nt) + np);
    const ints = into.ints;
    const floats = into.floats;
    for (let i = 0; i < n; i++) {
      ints[at + i] = fids[i];
      floats[at + n + i] = norm > 0 ? w[i] / norm : 0;
    }
    const ta = at + 2 * n;
    for (let k = 0; k < nt; k++) {
      ints[ta + k] = fids[titleScratch[k]];
      // rounded to float32 before the division, as the weights are stored
      floats[ta + nt + k] = tnorm > 0 ? Math.fround(idfScratch[k]) / tnorm : idfScratch[k];
    }
    const pa = ta + 2 * nt;
    for (let k = 0; k < np; k++) {
      ints[pa + k] = postScratch[k];
    }
    return { ints, floats, at, n, nt, np };
  }

  // ---- exact similarity: merge of two sorted sparse vectors (sequential memory access)
  /** Sparse dot product of the vectors at `a` (la indices, then their weights) and at `b` (lb). */
  function dot(ai: Int32Array, af: Float32Array, a: number, la: number, bi: Int32Array, bf: Float32Array, b: number, lb: number): number {
    let i = a;
    let j = b;
    let s = 0;
    const ea = a + la;
    const eb = b + lb;
    while (i < ea && j < eb) {
      const x = ai[i];
      const y = bi[j];
      if (x === y) {
        s += af[la + i++] * bf[lb + j++];
      } else if (x < y) i++;
      else j++;
    }
    return s;
  }

  /** Time-discounted cosine of two articles. */
  function similarity(d: DocEntry, q: DocEntry): number {
    return dot(d.ints, d.floats, d.at, d.n, q.ints, q.floats, q.at, q.n) / decay(d.t - q.t);
  }

  function titleSimilarity(d: DocEntry, q: DocEntry): number {
    return dot(d.ints, d.floats, titleAt(d), d.nt, q.ints, q.floats, titleAt(q), q.nt);
  }

  // ---- candidates
  let rest: Float64Array = new Float64Array(256);
  let order: Int32Array = new Int32Array(256);
  let bucketOf: Int32Array = new Int32Array(256);
  const bucketCount = new Int32Array(LENGTH_BUCKETS);

  function candidates(q: DocEntry, titleLength: number): Candidate[] {
    if (++stamp === 0x7fffffff) {
      for (let i = 0; i < slotStamp.length; i += 2) slotStamp[i] = 0;
      stamp = 1;
    }
    const t = q.t;
    const n = q.np;
    const qi = q.ints;
    const qpost = postAt(q);
    const qa = q.at;
    const qwa = q.at + q.n;
    // rarest lookup terms first: counting sort on a logarithmic bucket of the postings length
    if (rest.length < n + 1) rest = growFloat64(rest, n + 1);
    if (order.length < n) order = growInt32(order, n);
    if (bucketOf.length < n) bucketOf = growInt32(bucketOf, n);
    bucketCount.fill(0);
    for (let i = 0; i < n; i++) {
      const len = store.live(qi[qa + qi[qpost + i]]);
      const b = len < 16 ? len : Math.min(LENGTH_BUCKETS - 1, 12 + Math.floor(Math.log2(len)));
      bucketOf[i] = b;
      bucketCount[b]++;
    }
    for (let b = 0, start = 0; b < LENGTH_BUCKETS; b++) {
      const c = bucketCount[b];
      bucketCount[b] = start;
      start += c;
    }
    for (let i = 0; i < n; i++) order[bucketCount[bucketOf[i]]++] = i;
    // MaxScore bound: the most that the terms from rank r on can still add to any article's score
    rest[n] = 0;
    for (let r = n - 1; r >= 0; r--) {
      const i = order[r];
      rest[r] = rest[r + 1] + q.floats[qwa + qi[qpost + i]] * store.maxWeight(qi[qa + qi[qpost + i]]);
    }
    const floor = opt.threshold * 0.25;
    let nTouched = 0;
    let visited = 0;
    const blk = store.blk;
    const blkW = store.blkW;
    const ss = slotStamp;
    const sa = slotAcc;
    for (let r = 0; r < n; r++) {
      // articles not seen yet can no longer reach the threshold: the candidates are complete
      if (rest[r] < opt.threshold) break;
      const i = order[r];
      const fid = qi[qa + qi[qpost + i]];
      const len = store.live(fid);
      if (len === 0) continue;
      if (visited + len > opt.lookupBudget) break; // this term and all later ones are too common to identify anything
      visited += len;
      const qw = q.floats[qwa + qi[qpost + i]];
      let b = store.head(fid);
      let off = store.headOffset(fid);
      while (b !== NO_BLOCK) {
        const end = store.blockEnd(fid, b);
        const base = b * BLOCK_STRIDE + 1;
        for (; off < end; off++) {
          const s = blk[base + 2 * off];
          if (s === NO_BLOCK) continue;
          const k = 2 * s;
          if (ss[k] !== stamp) {
            ss[k] = stamp;
            sa[k + 1] = 0;
            if (nTouched === touched.length) touched = growInt32(touched, nTouched + 1);
            touched[nTouched++] = s;
          }
          sa[k + 1] += qw * blkW[base + 2 * off + 1];
        }
        b = blk[b * BLOCK_STRIDE];
        off = 0;
      }
    }
    // partial scores are lower bounds of the cosine: keep the best few that may reach the threshold
    const K = opt.maxCandidates;
    const top: DocEntry[] = [];
    const topAcc: number[] = [];
    for (let k = 0; k < nTouched; k++) {
      const s = touched[k];
      const a = sa[2 * s + 1];
      if (a < floor || (top.length === K && a <= topAcc[K - 1])) continue;
      const dt = slotT[s] - t; // only out-of-order input can put an indexed article outside the window
      if (dt > windowMs || dt < -windowMs) continue;
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
    for (const d of top) out.push({ doc: d, score: similarity(d, q), title: titleSimilarity(d, q), exact: false });
    if (titleLength >= opt.minExactTitleTokens) {
      const same = byTitle.get(q.titleKey);
      if (same) {
        // the most recent copies suffice (they normally all belong to one story)
        let taken = 0;
        for (let k = same.length - 1; k >= 0 && taken < opt.maxCandidates; k--) {
          const d = same[k];
          const dt = d.t - t;
          if (dt > windowMs || dt < -windowMs) continue;
          taken++;
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
    const k = Math.min(opt.linkageSize, members.size);
    if (k === 0) return 0;
    const sims: number[] = [];
    if (members.size <= opt.linkageSize) {
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
    for (const e of story.sigs.values()) if (vetoes(e.sig, sig)) return true;
    return false;
  }

  function storiesConflict(a: Story, b: Story): boolean {
    for (const e of a.sigs.values()) if (storyConflicts(b, e.sig)) return true;
    return false;
  }

  function isOlder(a: Story, b: Story): boolean {
    return a.firstAt < b.firstAt || (a.firstAt === b.firstAt && a.id < b.id);
  }

  /**
   * Merge two stories under the id of `keep` (the older one). Members move from the smaller
   * story object to the larger; the surviving object takes `keep`'s id. Returns the survivor.
   */
  function mergeInto(keep: Story, gone: Story): Story {
    const id = keep.id;
    live.delete(gone.id);
    const firstAt = Math.min(keep.firstAt, gone.firstAt);
    const [big, small] = keep.members.size >= gone.members.size ? [keep, gone] : [gone, keep];
    for (const m of small.members) addMember(big, m);
    small.members.clear();
    small.sigs.clear();
    big.id = id;
    big.firstAt = firstAt;
    live.set(id, big);
    return big;
  }

  function isBefore(a: DocEntry, b: DocEntry): boolean {
    return a.t < b.t || (a.t === b.t && a.id < b.id);
  }

  /** `late`: the window will not hold it (its vectors go in the late arena). */
  function makeEntry(doc: ClusterDoc, f: ArticleFeatures, story: Story | null, late = false): DocEntry {
    const t = doc.publishedAt.getTime();
    const v = vectorize(f, late ? lateArena : arena);
    const entry: DocEntry = {
      id: doc.id,
      t,
      slot: -1,
      story: story ?? newStory(doc.id, t),
      ints: v.ints,
      floats: v.floats,
      at: v.at,
      n: v.n,
      nt: v.nt,
      np: v.np,
      held: false,
      titleKey: f.titleKey,
      signature: isEmptySignature(f.signature) ? null : f.signature,
      sigKey: isEmptySignature(f.signature) ? null : JSON.stringify(f.signature),
    };
    dfDocs[dfDocs.length - 1] = entry;
    return entry;
  }


  /** Evict what the article's time pushes out of the window (before its features are counted). */
  function advanceClock(doc: ClusterDoc): void {
    const t = doc.publishedAt.getTime();
    if (!Number.isFinite(t)) throw new RangeError(`article ${doc.id}: invalid publishedAt`);
    if (t > maxT) {
      maxT = t;
      evictOld();
    }
  }

  return {
    assign(doc: ClusterDoc): AssignResult {
      advanceClock(doc);
      const late = doc.publishedAt.getTime() < maxT - windowMs;
      // Backfill (a feed's first poll lists weeks of items, newest first): an article more than
      // two windows older than the newest one cannot have a candidate in the window. It is a
      // story of its own, at no cost, instead of growing the index with articles that the
      // window has already left.
      if (late && doc.publishedAt.getTime() < maxT - 2 * windowMs) return { storyId: doc.id, merged: [], matchedId: null, score: 0 };
      const f = extractFeatures(doc.title, doc.summary, opt.features);
      const entry = makeEntry(doc, f, null, late);
      const links = linkStories(entry, candidates(entry, f.titleLength));

      let target: StoryLink | null = null;
      const merged: number[] = [];
      for (const g of links) {
        const st = g.story;
        if (st.members.size === 0) continue; // merged away in this loop
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
        merged.push(gone.id);
        target = { ...target, story: mergeInto(keep, gone) };
      }
      if (target) entry.story = target.story;
      // An article already outside the window joins what it matches but is not indexed: the
      // index holds the window only, so its size (memory, lookup cost) does not grow with backfill.
      if (!late) index(entry);
      return {
        storyId: entry.story.id,
        merged,
        matchedId: target ? target.best!.doc.id : null,
        score: target ? target.best!.score : 0,
      };
    },

    seed(doc: ClusterDoc, storyId: number): void {
      advanceClock(doc);
      const f = extractFeatures(doc.title, doc.summary, opt.features);
      const entry = makeEntry(doc, f, null);
      const story = live.get(storyId) ?? newStory(storyId, entry.t);
      if (entry.t < story.firstAt) story.firstAt = entry.t;
      entry.story = story;
      index(entry);
    },

    get windowSize(): number {
      return window.length - winHead;
    },

    get termCount(): number {
      return store.size;
    },
  };
}
