/**
 * The full search's visited set: every state key reached, with the sleep set (bits) it
 * was stored with. A key of four UTF-16 units (the simulator's 64-bit hash,
 * sim/state-hash.ts `digest`) is kept as two 32-bit numbers in an open-addressing
 * table of typed arrays: no string kept per state, no hash-map entry object, and a
 * look-up touches one or two cache lines instead of a bucket, an entry and a string.
 * Any other key (a system under test with readable keys) goes to a Map, so the set
 * takes any string. Entries are never removed: the 'full' search keeps every state.
 */

/** The table starts this large (slots, a power of two) and doubles past half full. */
const INITIAL_SLOTS = 1 << 12;
/** A free slot's value: stored values are sleep sets of at most 31 bits, never negative. */
const EMPTY = -1;

export class VisitedSet {
  private keys = new Int32Array(2 * INITIAL_SLOTS);
  private values = new Int32Array(INITIAL_SLOTS).fill(EMPTY);
  private mask = INITIAL_SLOTS - 1;
  private packed = 0;
  private readonly other = new Map<string, number>();

  get size(): number {
    return this.packed + this.other.size;
  }

  get(key: string): number | undefined {
    if (key.length !== 4) return this.other.get(key);
    const lo = key.charCodeAt(0) | (key.charCodeAt(1) << 16);
    const hi = key.charCodeAt(2) | (key.charCodeAt(3) << 16);
    const { keys, values, mask } = this;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      const v = values[i];
      if (v === EMPTY) return undefined;
      if (keys[2 * i] === lo && keys[2 * i + 1] === hi) return v;
    }
  }

  /** Stores `value` (0 to 2^31 - 1) under `key`, replacing what was there. */
  set(key: string, value: number): void {
    if (key.length !== 4) {
      this.other.set(key, value);
      return;
    }
    const lo = key.charCodeAt(0) | (key.charCodeAt(1) << 16);
    const hi = key.charCodeAt(2) | (key.charCodeAt(3) << 16);
    if (this.put(lo, hi, value)) {
      this.packed++;
      if (2 * this.packed > this.mask) this.grow();
    }
  }

  /** true when the key was not there before */
  private put(lo: number, hi: number, value: number): boolean {
    const { keys, values, mask } = this;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      if (values[i] === EMPTY) {
        keys[2 * i] = lo;
        keys[2 * i + 1] = hi;
        values[i] = value;
        return true;
      }
      if (keys[2 * i] === lo && keys[2 * i + 1] === hi) {
        values[i] = value;
        return false;
      }
    }
  }

  private grow(): void {
    const { keys, values } = this;
    const slots = 2 * values.length;
    this.keys = new Int32Array(2 * slots);
    this.values = new Int32Array(slots).fill(EMPTY);
    this.mask = slots - 1;
    for (let i = 0; i < values.length; i++) if (values[i] !== EMPTY) this.put(keys[2 * i], keys[2 * i + 1], values[i]);
  }
}

/** The two halves are already well mixed hash words: fold them and keep the low bits. */
function slotOf(lo: number, hi: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}
