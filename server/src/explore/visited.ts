/**
 * The full search's visited set: every state key reached, with the sleep set (bits) it
 * was stored with. A key of four UTF-16 units (the simulator's 64-bit hash,
 * sim/state-hash.ts `digest`) is kept as two 32-bit numbers in an open-addressing
 * table of typed arrays: no string kept per state, no hash-map entry object, and a
 * look-up touches one or two cache lines instead of a bucket, an entry and a string.
 * Any other key (a system under test with readable keys) goes to a Map, so the set
 * takes any string. Entries are never removed: the 'full' search keeps every state.
 * A key stored may also be marked (`add`, `delete`, `has`: the states on the search's
 * current path), a byte beside its entry instead of a second hash set of strings.
 */

/** The table starts this large (slots, a power of two) and doubles past half full. */
const INITIAL_SLOTS = 1 << 12;
/** A free slot's value: stored values are sleep sets of at most 31 bits, never negative. */
const EMPTY = -1;

export class VisitedSet {
  private keys = new Int32Array(2 * INITIAL_SLOTS);
  private values = new Int32Array(INITIAL_SLOTS).fill(EMPTY);
  private marks = new Uint8Array(INITIAL_SLOTS);
  private mask = INITIAL_SLOTS - 1;
  private packed = 0;
  private readonly other = new Map<string, number>();
  private readonly otherMarks = new Set<string>();

  get size(): number {
    return this.packed + this.other.size;
  }

  get(key: string): number | undefined {
    if (key.length !== 4) return this.other.get(key);
    const i = this.slot(key);
    return i < 0 ? undefined : this.values[i];
  }

  /** Marks a key stored before; its slot, a hint for `delete` (-1: none). */
  add(key: string): number {
    const i = key.length === 4 ? this.slot(key) : -1;
    if (i >= 0) this.marks[i] = 1;
    else this.otherMarks.add(key);
    return i;
  }

  /** Unmarks a key; `hint` is what `add` returned for it (a stale hint is noticed: the slot holds another key). */
  delete(key: string, hint = -1): void {
    const i = key.length !== 4 ? -1 : hint >= 0 && this.holds(hint, key) ? hint : this.slot(key);
    if (i >= 0) this.marks[i] = 0;
    else this.otherMarks.delete(key);
  }

  /** Whether the key is marked. */
  has(key: string): boolean {
    const i = key.length === 4 ? this.slot(key) : -1;
    return i >= 0 ? this.marks[i] === 1 : this.otherMarks.has(key);
  }

  /** Whether slot i holds the four-unit key. */
  private holds(i: number, key: string): boolean {
    return i <= this.mask && this.values[i] !== EMPTY
      && this.keys[2 * i] === (key.charCodeAt(0) | (key.charCodeAt(1) << 16))
      && this.keys[2 * i + 1] === (key.charCodeAt(2) | (key.charCodeAt(3) << 16));
  }

  /**
   * The key looked up last and its slot: the search asks about one key several times in
   * a row (stored? on the path? store it, mark it), and one probe answers them all.
   */
  private lastKey = '';
  private lastSlot = -1;

  /** The slot of a four-unit key, -1 when it is not stored. */
  private slot(key: string): number {
    if (key === this.lastKey) return this.lastSlot;
    const lo = key.charCodeAt(0) | (key.charCodeAt(1) << 16);
    const hi = key.charCodeAt(2) | (key.charCodeAt(3) << 16);
    const { keys, values, mask } = this;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      if (values[i] === EMPTY) return -1;
      if (keys[2 * i] === lo && keys[2 * i + 1] === hi) {
        this.lastKey = key;
        this.lastSlot = i;
        return i;
      }
    }
  }

  /** Stores `value` (0 to 2^31 - 1) under `key`, replacing what was there. */
  set(key: string, value: number): void {
    if (key.length !== 4) {
      this.other.set(key, value);
      return;
    }
    if (key === this.lastKey) {
      this.values[this.lastSlot] = value;
      return;
    }
    const lo = key.charCodeAt(0) | (key.charCodeAt(1) << 16);
    const hi = key.charCodeAt(2) | (key.charCodeAt(3) << 16);
    const at = this.put(lo, hi, value, 0);
    this.lastKey = key;
    this.lastSlot = at < 0 ? ~at : at;
    if (at < 0) {
      this.packed++;
      if (2 * this.packed > this.mask) this.grow();
    }
  }

  /** Stores the value (and a new key's mark); its slot, or ~slot (negative) when the key is new. */
  private put(lo: number, hi: number, value: number, mark: number): number {
    const { keys, values, mask } = this;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      if (values[i] === EMPTY) {
        keys[2 * i] = lo;
        keys[2 * i + 1] = hi;
        values[i] = value;
        this.marks[i] = mark;
        return ~i;
      }
      if (keys[2 * i] === lo && keys[2 * i + 1] === hi) {
        values[i] = value;
        return i;
      }
    }
  }

  private grow(): void {
    const { keys, values, marks } = this;
    const slots = 2 * values.length;
    this.keys = new Int32Array(2 * slots);
    this.values = new Int32Array(slots).fill(EMPTY);
    this.marks = new Uint8Array(slots);
    this.mask = slots - 1;
    // slots move
    this.lastKey = '';
    for (let i = 0; i < values.length; i++) if (values[i] !== EMPTY) this.put(keys[2 * i], keys[2 * i + 1], values[i], marks[i]);
  }
}

/** The two halves are already well mixed hash words: fold them and keep the low bits. */
function slotOf(lo: number, hi: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}
