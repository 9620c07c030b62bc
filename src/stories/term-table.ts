/**
 * Open-addressing hash map from term ids (non-negative integers below 2^52,
 * see `termId`) to small non-negative integers. Avoids the boxing and memory
 * overhead of a `Map<number, number>` with hundreds of thousands of entries.
 * Deletion uses backward-shift, so there are no tombstones.
 */
const TWO32 = 4294967296;
const EMPTY = -1;

export class TermTable {
  private keys: Float64Array;
  private values: Int32Array;
  private mask: number;
  private count = 0;

  constructor(initialCapacity = 1024) {
    let cap = 16;
    while (cap < initialCapacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.values = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  private slotOf(key: number): number {
    // low 32 bits mixed with the high bits
    const lo = key % TWO32;
    const hi = (key - lo) / TWO32;
    let h = Math.imul((lo ^ Math.imul(hi, 0x9e3779b1)) | 0, 0x85ebca6b);
    h ^= h >>> 13;
    return h & this.mask;
  }

  /** Value for `key`, or -1. */
  get(key: number): number {
    let s = this.slotOf(key);
    for (;;) {
      const v = this.values[s];
      if (v === EMPTY) return EMPTY;
      if (this.keys[s] === key) return v;
      s = (s + 1) & this.mask;
    }
  }

  /** Set `key` to `value` (value must be >= 0). */
  set(key: number, value: number): void {
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    let s = this.slotOf(key);
    for (;;) {
      const v = this.values[s];
      if (v === EMPTY) {
        this.keys[s] = key;
        this.values[s] = value;
        this.count++;
        return;
      }
      if (this.keys[s] === key) {
        this.values[s] = value;
        return;
      }
      s = (s + 1) & this.mask;
    }
  }

  delete(key: number): boolean {
    let s = this.slotOf(key);
    for (;;) {
      const v = this.values[s];
      if (v === EMPTY) return false;
      if (this.keys[s] === key) break;
      s = (s + 1) & this.mask;
    }
    // backward-shift deletion
    let hole = s;
    let j = s;
    for (;;) {
      j = (j + 1) & this.mask;
      if (this.values[j] === EMPTY) break;
      const home = this.slotOf(this.keys[j]);
      // move j into the hole when its home slot is not in (hole, j] cyclically
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (!inRange) {
        this.keys[hole] = this.keys[j];
        this.values[hole] = this.values[j];
        hole = j;
      }
    }
    this.values[hole] = EMPTY;
    this.count--;
    return true;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = oldKeys.length * 2;
    this.keys = new Float64Array(cap);
    this.values = new Int32Array(cap).fill(EMPTY);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldKeys.length; i++) if (oldValues[i] !== EMPTY) this.set(oldKeys[i], oldValues[i]);
  }
}
