/**
 * Postings lists for many terms in one slab of typed arrays: each list is a
 * chain of fixed-size blocks (entry = article slot + weight). Appends go to
 * the tail, and since articles leave the window roughly in arrival order,
 * removals usually pop the head; other removals leave a hole (slot -1).
 *
 * Hundreds of thousands of small JS arrays would instead keep the garbage
 * collector busy (old-to-new pointers on every push); this keeps the whole
 * index in a few large buffers.
 */
const BLOCK = 8;
const NONE = -1;

export class PostingsSlab {
  // per block
  private slots: Int32Array;
  private weights: Float64Array;
  private next: Int32Array;
  private blockCount = 0;
  private freeBlock = NONE;
  // per list
  private headBlk: Int32Array;
  private headOff: Int32Array;
  private tailBlk: Int32Array;
  private tailOff: Int32Array;
  private liveCount: Int32Array;
  private maxW: Float64Array;

  constructor(lists = 1024, blocks = 1024) {
    this.slots = new Int32Array(blocks * BLOCK);
    this.weights = new Float64Array(blocks * BLOCK);
    this.next = new Int32Array(blocks);
    this.headBlk = new Int32Array(lists).fill(NONE);
    this.headOff = new Int32Array(lists);
    this.tailBlk = new Int32Array(lists).fill(NONE);
    this.tailOff = new Int32Array(lists);
    this.liveCount = new Int32Array(lists);
    this.maxW = new Float64Array(lists);
  }

  /** Make room for list ids below `n`. */
  ensureLists(n: number): void {
    if (n <= this.headBlk.length) return;
    let cap = this.headBlk.length;
    while (cap < n) cap *= 2;
    const grow = <T extends Int32Array | Float64Array>(a: T, fill: number): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.fill(fill);
      b.set(a);
      return b;
    };
    this.headBlk = grow(this.headBlk, NONE);
    this.headOff = grow(this.headOff, 0);
    this.tailBlk = grow(this.tailBlk, NONE);
    this.tailOff = grow(this.tailOff, 0);
    this.liveCount = grow(this.liveCount, 0);
    this.maxW = grow(this.maxW, 0);
  }

  /** Live entries of a list. */
  live(list: number): number {
    return this.liveCount[list];
  }

  /** Largest weight posted to the list since it was last empty (upper bound of its live weights). */
  maxWeight(list: number): number {
    return this.maxW[list];
  }

  private allocBlock(): number {
    let b = this.freeBlock;
    if (b !== NONE) {
      this.freeBlock = this.next[b];
    } else {
      b = this.blockCount++;
      if (b >= this.next.length) {
        const cap = this.next.length * 2;
        const slots = new Int32Array(cap * BLOCK);
        slots.set(this.slots);
        const weights = new Float64Array(cap * BLOCK);
        weights.set(this.weights);
        const next = new Int32Array(cap);
        next.set(this.next);
        this.slots = slots;
        this.weights = weights;
        this.next = next;
      }
    }
    this.next[b] = NONE;
    return b;
  }

  private releaseBlock(b: number): void {
    this.next[b] = this.freeBlock;
    this.freeBlock = b;
  }

  push(list: number, slot: number, weight: number): void {
    let tb = this.tailBlk[list];
    let off = this.tailOff[list];
    if (tb === NONE) {
      tb = this.allocBlock();
      this.headBlk[list] = tb;
      this.headOff[list] = 0;
      this.tailBlk[list] = tb;
      off = 0;
    } else if (off === BLOCK) {
      const nb = this.allocBlock();
      this.next[tb] = nb;
      this.tailBlk[list] = nb;
      tb = nb;
      off = 0;
    }
    const i = tb * BLOCK + off;
    this.slots[i] = slot;
    this.weights[i] = weight;
    this.tailOff[list] = off + 1;
    this.liveCount[list]++;
    if (weight > this.maxW[list]) this.maxW[list] = weight;
  }

  /** Remove the entry of `slot` from the list (no-op when absent). */
  remove(list: number, slot: number): void {
    let b = this.headBlk[list];
    let off = this.headOff[list];
    let found = false;
    while (b !== NONE) {
      const end = b === this.tailBlk[list] ? this.tailOff[list] : BLOCK;
      for (; off < end; off++) {
        if (this.slots[b * BLOCK + off] === slot) {
          this.slots[b * BLOCK + off] = NONE;
          found = true;
          break;
        }
      }
      if (found) break;
      b = this.next[b];
      off = 0;
    }
    if (!found) return;
    if (--this.liveCount[list] === 0) {
      this.clear(list);
      return;
    }
    this.trimHead(list);
  }

  /** Drop holes at the head of the list, releasing emptied blocks. */
  private trimHead(list: number): void {
    let b = this.headBlk[list];
    let off = this.headOff[list];
    for (;;) {
      const end = b === this.tailBlk[list] ? this.tailOff[list] : BLOCK;
      while (off < end && this.slots[b * BLOCK + off] === NONE) off++;
      if (off < end || b === this.tailBlk[list]) break;
      const nb = this.next[b];
      this.releaseBlock(b);
      b = nb;
      off = 0;
    }
    this.headBlk[list] = b;
    this.headOff[list] = off;
  }

  private clear(list: number): void {
    let b = this.headBlk[list];
    while (b !== NONE) {
      const nb = this.next[b];
      this.releaseBlock(b);
      b = nb;
    }
    this.headBlk[list] = NONE;
    this.tailBlk[list] = NONE;
    this.headOff[list] = 0;
    this.tailOff[list] = 0;
    this.liveCount[list] = 0;
    this.maxW[list] = 0;
  }

  /** Call fn(slot, weight) for every live entry, oldest first. */
  forEach(list: number, fn: (slot: number, weight: number) => void): void {
    let b = this.headBlk[list];
    let off = this.headOff[list];
    const tail = this.tailBlk[list];
    while (b !== NONE) {
      const end = b === tail ? this.tailOff[list] : BLOCK;
      const base = b * BLOCK;
      for (; off < end; off++) {
        const s = this.slots[base + off];
        if (s !== NONE) fn(s, this.weights[base + off]);
      }
      b = this.next[b];
      off = 0;
    }
  }

  /** Raw access for hot loops: see `forEach` for the iteration protocol. */
  get raw(): { slots: Int32Array; weights: Float64Array; next: Int32Array; headBlk: Int32Array; headOff: Int32Array; tailBlk: Int32Array; tailOff: Int32Array } {
    return {
      slots: this.slots,
      weights: this.weights,
      next: this.next,
      headBlk: this.headBlk,
      headOff: this.headOff,
      tailBlk: this.tailBlk,
      tailOff: this.tailOff,
    };
  }
}

export const POSTINGS_BLOCK = BLOCK;
export const POSTINGS_NONE = NONE;
