/**
 * Per-term state of the clustering index — document frequency and postings
 * list — kept in a few large typed arrays laid out for cache locality:
 *
 *  - an open-addressing hash table from term id (a 52-bit integer, see
 *    `termId`) to a dense feature index `fid`: one int32 per cell (fid + 1),
 *    the term itself compared in the fid's record, which the caller reads next
 *    anyway (a quarter of the memory of [term, fid] pairs of doubles);
 *  - one 32-byte record per fid: term id (low and high 32 bits), df, live
 *    postings, max weight (float32), head/tail block of the postings chain and
 *    both offsets;
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

// record layout (32-bit cells)
const R_TERM_LO = 0;
const R_TERM_HI = 1;
const R_DF = 2;
const R_LIVE = 3;
const R_MAXW = 4; // float32, read through recW
const R_HEAD = 5; // head block, −1 when empty
const R_TAIL = 6;
const R_OFFS = 7; // head offset | tail offset << 8
const REC = 8;

// block layout (32-bit cells): [next, slot0, w0, slot1, w1, …, slot6, w6, unused]
export const BLOCK_STRIDE = 16;
export const BLOCK_ENTRIES = 7;
const NONE = -1;

export class FeatureStore {
  /** Hash table of fid + 1 per cell (0: empty); the cell's term is the fid's record's. */
  private hash: Int32Array;
  private hashMask: number;
  private hashCount = 0;
  /** Feature records, REC cells per fid (see layout above), as int32… */
  private rec: Int32Array;
  /** …and as float32 (the max weight). */
  private recW: Float32Array;
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
    this.hash = new Int32Array(cap);
    this.hashMask = cap - 1;
    this.rec = new Int32Array(features * REC);
    this.recW = new Float32Array(this.rec.buffer);
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

  private cellOfParts(lo: number, hi: number): number {
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    return h & this.hashMask;
  }

  private cellOfFid(fid: number): number {
    return this.cellOfParts(this.rec[fid * REC + R_TERM_LO] >>> 0, this.rec[fid * REC + R_TERM_HI]);
  }

  /** Dense index of a term id, allocating a record on first sight. */
  intern(term: number): number {
    // low and high bits of an integer below 2^52, without floating-point modulo
    const lo = term >>> 0;
    const hi = (term / TWO32) | 0;
    const hash = this.hash;
    const rec = this.rec;
    let c = this.cellOfParts(lo, hi);
    for (;;) {
      const v = hash[c];
      if (v === 0) break;
      const r = (v - 1) * REC;
      if (rec[r + R_TERM_LO] >>> 0 === lo && rec[r + R_TERM_HI] === hi) return v - 1;
      c = (c + 1) & this.hashMask;
    }
    const fid = this.newFid(lo, hi);
    if ((this.hashCount + 1) * 2 > this.hashMask + 1) {
      this.growHash();
      this.insert(fid);
    } else {
      hash[c] = fid + 1;
      this.hashCount++;
    }
    return fid;
  }

  private insert(fid: number): void {
    let c = this.cellOfFid(fid);
    while (this.hash[c] !== 0) c = (c + 1) & this.hashMask;
    this.hash[c] = fid + 1;
    this.hashCount++;
  }

  private growHash(): void {
    const old = this.hash;
    this.hash = new Int32Array(old.length * 2);
    this.hashMask = this.hash.length - 1;
    this.hashCount = 0;
    for (let c = 0; c < old.length; c++) if (old[c] !== 0) this.insert(old[c] - 1);
  }

  private newFid(lo: number, hi: number): number {
    let fid: number;
    if (this.freeFids.length > 0) fid = this.freeFids.pop()!;
    else {
      fid = this.fidCount++;
      if ((fid + 1) * REC > this.rec.length) {
        const rec = new Int32Array(this.rec.length * 2);
        rec.set(this.rec);
        this.rec = rec;
        this.recW = new Float32Array(rec.buffer);
      }
    }
    const r = fid * REC;
    const rec = this.rec;
    rec[r + R_TERM_LO] = lo;
    rec[r + R_TERM_HI] = hi;
    rec[r + R_DF] = 0;
    rec[r + R_LIVE] = 0;
    this.recW[r + R_MAXW] = 0;
    rec[r + R_HEAD] = NONE;
    rec[r + R_TAIL] = NONE;
    rec[r + R_OFFS] = 0;
    return fid;
  }

  /** Forget a feature once it has neither document frequency nor postings. */
  private maybeRelease(fid: number): void {
    const r = fid * REC;
    if (this.rec[r + R_DF] !== 0 || this.rec[r + R_LIVE] !== 0) return;
    // find and delete the hash cell (backward-shift deletion)
    const hash = this.hash;
    const mask = this.hashMask;
    let c = this.cellOfFid(fid);
    while (hash[c] !== fid + 1) c = (c + 1) & mask;
    let hole = c;
    let j = c;
    for (;;) {
      j = (j + 1) & mask;
      if (hash[j] === 0) break;
      const home = this.cellOfFid(hash[j] - 1);
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!inRange) {
        hash[hole] = hash[j];
        hole = j;
      }
    }
    hash[hole] = 0;
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
    return this.recW[fid * REC + R_MAXW];
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
    const rec = this.rec;
    let tb = rec[r + R_TAIL];
    let offs = rec[r + R_OFFS];
    let off = offs >>> 8;
    if (tb === NONE) {
      tb = this.allocBlock();
      rec[r + R_HEAD] = tb;
      rec[r + R_TAIL] = tb;
      offs = 0;
      off = 0;
    } else if (off === BLOCK_ENTRIES) {
      const nb = this.allocBlock();
      this.blk[tb * BLOCK_STRIDE] = nb;
      rec[r + R_TAIL] = nb;
      tb = nb;
      off = 0;
    }
    const i = tb * BLOCK_STRIDE + 1 + 2 * off;
    this.blk[i] = slot;
    this.blkW[i + 1] = weight;
    rec[r + R_OFFS] = (offs & 0xff) | ((off + 1) << 8);
    rec[r + R_LIVE]++;
    if (weight > this.recW[r + R_MAXW]) this.recW[r + R_MAXW] = weight;
  }

  /** Remove the posting of `slot` (no-op when absent). */
  remove(fid: number, slot: number): void {
    const r = fid * REC;
    const rec = this.rec;
    const blk = this.blk;
    const tail = rec[r + R_TAIL];
    const tailOff = rec[r + R_OFFS] >>> 8;
    let b = rec[r + R_HEAD];
    let off = rec[r + R_OFFS] & 0xff;
    let found = false;
    while (b !== NONE && !found) {
      const end = b === tail ? tailOff : BLOCK_ENTRIES;
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
      rec[r + R_OFFS] = 0;
      this.recW[r + R_MAXW] = 0;
      this.maybeRelease(fid);
      return;
    }
    // drop holes at the head, releasing emptied blocks
    b = rec[r + R_HEAD];
    off = rec[r + R_OFFS] & 0xff;
    for (;;) {
      const end = b === tail ? tailOff : BLOCK_ENTRIES;
      while (off < end && blk[b * BLOCK_STRIDE + 1 + 2 * off] === NONE) off++;
      if (off < end || b === tail) break;
      const next = blk[b * BLOCK_STRIDE];
      this.releaseBlock(b);
      b = next;
      off = 0;
    }
    rec[r + R_HEAD] = b;
    rec[r + R_OFFS] = off | (tailOff << 8);
  }

  /** Head block of a postings chain (−1 when empty); see `blockEnd` and the block layout. */
  head(fid: number): number {
    return this.rec[fid * REC + R_HEAD];
  }

  headOffset(fid: number): number {
    return this.rec[fid * REC + R_OFFS] & 0xff;
  }

  /** Number of used entries in block `b` of the chain of `fid`. */
  blockEnd(fid: number, b: number): number {
    return b === this.rec[fid * REC + R_TAIL] ? this.rec[fid * REC + R_OFFS] >>> 8 : BLOCK_ENTRIES;
  }
}

export const NO_BLOCK = NONE;
