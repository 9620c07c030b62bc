/**
 * Per-term state of the clustering index — document frequency and postings
 * list — kept in a few large typed arrays laid out for cache locality:
 *
 *  - a hash table from term id (a 52-bit integer, see `termId`) to a dense
 *    feature index `fid`, keys and values interleaved (one probe = one line);
 *  - one 64-byte record per fid: term id, df, live postings, max weight,
 *    head/tail block of the postings chain;
 *  - postings as chains of 64-byte blocks of 7 entries (article slot as int32,
 *    weight as float32 — postings weights only rank candidates, exact scores
 *    come from the articles' own vectors).
 *
 * Hundreds of thousands of small JS arrays or objects would keep the garbage
 * collector busy and cost several cache misses per term; here an article's
 * terms cost about three cache lines each.
 *
 * Postings are appended at the tail; articles leave the window roughly in
 * arrival order, so removals usually pop the head. Other removals leave a
 * hole (slot −1) that iteration skips.
 */
const TWO32 = 4294967296;

// record layout
const R_TERM = 0;
const R_DF = 1;
const R_LIVE = 2;
const R_MAXW = 3;
const R_HEAD = 4; // head block, −1 when empty
const R_HEAD_OFF = 5;
const R_TAIL = 6;
const R_TAIL_OFF = 7;
const REC = 8;

// block layout (32-bit cells): [next, slot0, w0, slot1, w1, …, slot6, w6, unused]
export const BLOCK_STRIDE = 16;
export const BLOCK_ENTRIES = 7;
const NONE = -1;

export class FeatureStore {
  /** Hash table: [termId, fid + 1] pairs; fid + 1 = 0 marks an empty cell. */
  private hash: Float64Array;
  private hashMask: number;
  private hashCount = 0;
  /** Feature records, REC numbers per fid (see layout above). */
  rec: Float64Array;
  private fidCount = 0;
  private freeFids: number[] = [];
  /** Postings blocks, BLOCK_STRIDE 32-bit cells per block: int32 view (next, slots)… */
  blk: Int32Array;
  /** …and float32 view of the same memory (weights). */
  blkW: Float32Array;
  private blockCount = 0;
  private freeBlock = NONE;

  constructor(features = 4096, blocks = 4096) {
    let cap = 16;
    while (cap < features * 2) cap *= 2;
    this.hash = new Float64Array(cap * 2);
    this.hashMask = cap - 1;
    this.rec = new Float64Array(features * REC);
    this.blk = new Int32Array(blocks * BLOCK_STRIDE);
    this.blkW = new Float32Array(this.blk.buffer);
  }

  /** Distinct terms tracked. */
  get size(): number {
    return this.hashCount;
  }

  /** Upper bound of fids in use (for dense per-fid scratch arrays). */
  get fidLimit(): number {
    return this.fidCount;
  }

  private cellOf(term: number): number {
    // low and high bits of an integer below 2^52, without floating-point modulo
    const lo = term >>> 0;
    const hi = (term / TWO32) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    return h & this.hashMask;
  }

  /** Dense index of a term id, allocating a record on first sight. */
  intern(term: number): number {
    const hash = this.hash;
    let c = this.cellOf(term);
    for (;;) {
      const v = hash[2 * c + 1];
      if (v === 0) break;
      if (hash[2 * c] === term) return v - 1;
      c = (c + 1) & this.hashMask;
    }
    const fid = this.newFid(term);
    if ((this.hashCount + 1) * 2 > this.hashMask + 1) {
      this.growHash();
      this.insert(term, fid);
    } else {
      hash[2 * c] = term;
      hash[2 * c + 1] = fid + 1;
      this.hashCount++;
    }
    return fid;
  }

  private insert(term: number, fid: number): void {
    let c = this.cellOf(term);
    while (this.hash[2 * c + 1] !== 0) c = (c + 1) & this.hashMask;
    this.hash[2 * c] = term;
    this.hash[2 * c + 1] = fid + 1;
    this.hashCount++;
  }

  private growHash(): void {
    const old = this.hash;
    const cap = (this.hashMask + 1) * 2;
    this.hash = new Float64Array(cap * 2);
    this.hashMask = cap - 1;
    this.hashCount = 0;
    for (let c = 0; c < old.length; c += 2) if (old[c + 1] !== 0) this.insert(old[c], old[c + 1] - 1);
  }

  private newFid(term: number): number {
    let fid: number;
    if (this.freeFids.length > 0) fid = this.freeFids.pop()!;
    else {
      fid = this.fidCount++;
      if ((fid + 1) * REC > this.rec.length) {
        const rec = new Float64Array(this.rec.length * 2);
        rec.set(this.rec);
        this.rec = rec;
      }
    }
    const r = fid * REC;
    const rec = this.rec;
    rec[r + R_TERM] = term;
    rec[r + R_DF] = 0;
    rec[r + R_LIVE] = 0;
    rec[r + R_MAXW] = 0;
    rec[r + R_HEAD] = NONE;
    rec[r + R_HEAD_OFF] = 0;
    rec[r + R_TAIL] = NONE;
    rec[r + R_TAIL_OFF] = 0;
    return fid;
  }

  /** Forget a feature once it has neither document frequency nor postings. */
  private maybeRelease(fid: number): void {
    const r = fid * REC;
    if (this.rec[r + R_DF] !== 0 || this.rec[r + R_LIVE] !== 0) return;
    const term = this.rec[r + R_TERM];
    // find and delete the hash cell (backward-shift deletion)
    const hash = this.hash;
    const mask = this.hashMask;
    let c = this.cellOf(term);
    while (hash[2 * c] !== term || hash[2 * c + 1] === 0) c = (c + 1) & mask;
    let hole = c;
    let j = c;
    for (;;) {
      j = (j + 1) & mask;
      if (hash[2 * j + 1] === 0) break;
      const home = this.cellOf(hash[2 * j]);
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!inRange) {
        hash[2 * hole] = hash[2 * j];
        hash[2 * hole + 1] = hash[2 * j + 1];
        hole = j;
      }
    }
    hash[2 * hole + 1] = 0;
    this.hashCount--;
    this.freeFids.push(fid);
  }

  df(fid: number): number {
    return this.rec[fid * REC + R_DF];
  }

  incDf(fid: number): void {
    this.rec[fid * REC + R_DF]++;
  }

  decDf(fid: number): void {
    if (--this.rec[fid * REC + R_DF] === 0) this.maybeRelease(fid);
  }

  live(fid: number): number {
    return this.rec[fid * REC + R_LIVE];
  }

  /** Largest weight posted since the list was last empty: an upper bound of its live weights. */
  maxWeight(fid: number): number {
    return this.rec[fid * REC + R_MAXW];
  }

  private allocBlock(): number {
    let b = this.freeBlock;
    if (b !== NONE) this.freeBlock = this.blk[b * BLOCK_STRIDE];
    else {
      b = this.blockCount++;
      if ((b + 1) * BLOCK_STRIDE > this.blk.length) {
        const blk = new Int32Array(this.blk.length * 2);
        blk.set(this.blk);
        this.blk = blk;
        this.blkW = new Float32Array(blk.buffer);
      }
    }
    this.blk[b * BLOCK_STRIDE] = NONE;
    return b;
  }

  private releaseBlock(b: number): void {
    this.blk[b * BLOCK_STRIDE] = this.freeBlock;
    this.freeBlock = b;
  }

  push(fid: number, slot: number, weight: number): void {
    const r = fid * REC;
    let tb = this.rec[r + R_TAIL];
    let off = this.rec[r + R_TAIL_OFF];
    if (tb === NONE) {
      tb = this.allocBlock();
      this.rec[r + R_HEAD] = tb;
      this.rec[r + R_HEAD_OFF] = 0;
      this.rec[r + R_TAIL] = tb;
      off = 0;
    } else if (off === BLOCK_ENTRIES) {
      const nb = this.allocBlock();
      this.blk[tb * BLOCK_STRIDE] = nb;
      this.rec[r + R_TAIL] = nb;
      tb = nb;
      off = 0;
    }
    const i = tb * BLOCK_STRIDE + 1 + 2 * off;
    this.blk[i] = slot;
    this.blkW[i + 1] = weight;
    this.rec[r + R_TAIL_OFF] = off + 1;
    this.rec[r + R_LIVE]++;
    if (weight > this.rec[r + R_MAXW]) this.rec[r + R_MAXW] = weight;
  }

  /** Remove the posting of `slot` (no-op when absent). */
  remove(fid: number, slot: number): void {
    const r = fid * REC;
    const rec = this.rec;
    const blk = this.blk;
    const tail = rec[r + R_TAIL];
    let b = rec[r + R_HEAD];
    let off = rec[r + R_HEAD_OFF];
    let found = false;
    while (b !== NONE && !found) {
      const end = b === tail ? rec[r + R_TAIL_OFF] : BLOCK_ENTRIES;
      for (; off < end; off++) {
        const i = b * BLOCK_STRIDE + 1 + 2 * off;
        if (blk[i] === slot) {
          blk[i] = NONE;
          found = true;
          break;
        }
      }
      if (!found) {
        b = blk[b * BLOCK_STRIDE];
        off = 0;
      }
    }
    if (!found) return;
    if (--rec[r + R_LIVE] === 0) {
      // release the whole chain
      let c = rec[r + R_HEAD];
      while (c !== NONE) {
        const next = blk[c * BLOCK_STRIDE];
        this.releaseBlock(c);
        c = next;
      }
      rec[r + R_HEAD] = NONE;
      rec[r + R_TAIL] = NONE;
      rec[r + R_HEAD_OFF] = 0;
      rec[r + R_TAIL_OFF] = 0;
      rec[r + R_MAXW] = 0;
      this.maybeRelease(fid);
      return;
    }
    // drop holes at the head, releasing emptied blocks
    b = rec[r + R_HEAD];
    off = rec[r + R_HEAD_OFF];
    for (;;) {
      const end = b === tail ? rec[r + R_TAIL_OFF] : BLOCK_ENTRIES;
      while (off < end && blk[b * BLOCK_STRIDE + 1 + 2 * off] === NONE) off++;
      if (off < end || b === tail) break;
      const next = blk[b * BLOCK_STRIDE];
      this.releaseBlock(b);
      b = next;
      off = 0;
    }
    rec[r + R_HEAD] = b;
    rec[r + R_HEAD_OFF] = off;
  }

  /** Head block of a postings chain (−1 when empty); see `blockEnd` and the block layout. */
  head(fid: number): number {
    return this.rec[fid * REC + R_HEAD];
  }

  headOffset(fid: number): number {
    return this.rec[fid * REC + R_HEAD_OFF];
  }

  /** Number of used entries in block `b` of the chain of `fid`. */
  blockEnd(fid: number, b: number): number {
    return b === this.rec[fid * REC + R_TAIL] ? this.rec[fid * REC + R_TAIL_OFF] : BLOCK_ENTRIES;
  }
}

export const NO_BLOCK = NONE;
