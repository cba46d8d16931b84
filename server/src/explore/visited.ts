/**
 * The full search's visited set: every state key reached, with the sleep set (bits) it
 * was stored with. A key of four UTF-16 units (the simulator's 64-bit hash,
 * sim/state-key.ts `keyOf`) is kept as two 32-bit numbers in an open-addressing
 * table, one typed array holding each slot's key, value and mark side by side: no
 * string kept per state, no hash-map entry object, and a look-up touches one cache
 * line (usually) instead of a bucket, an entry and a string.
 * Any other key (a system under test with readable keys) goes to a Map, so the set
 * takes any string. Entries are never removed: the 'full' search keeps every state.
 * A key stored may also be marked (`add`, `delete`, `has`: the states on the search's
 * current path), a word beside its entry instead of a second hash set of strings.
 */

/** The table starts this large (slots, a power of two) and doubles past half full. */
const INITIAL_SLOTS = 1 << 12;
/** A free slot's value: stored values are sleep sets of at most 31 bits, never negative. */
const EMPTY = -1;
/** A slot's words: the key's two halves, the value, the mark. */
const LO = 0;
const HI = 1;
const VALUE = 2;
const MARK = 3;
const WORDS = 4;

function newTable(slots: number): Int32Array {
  const t = new Int32Array(WORDS * slots);
  for (let i = VALUE; i < t.length; i += WORDS) t[i] = EMPTY;
  return t;
}

export class VisitedSet {
  private table = newTable(INITIAL_SLOTS);
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
    return i < 0 ? undefined : this.table[WORDS * i + VALUE];
  }

  /** Marks a key stored before; its slot, a hint for `delete` (-1: none). */
  add(key: string): number {
    const i = key.length === 4 ? this.slot(key) : -1;
    if (i >= 0) this.table[WORDS * i + MARK] = 1;
    else this.otherMarks.add(key);
    return i;
  }

  /** Unmarks a key; `hint` is what `add` returned for it (a stale hint is noticed: the slot holds another key). */
  delete(key: string, hint = -1): void {
    const i = key.length !== 4 ? -1 : hint >= 0 && this.holds(hint, key) ? hint : this.slot(key);
    if (i >= 0) this.table[WORDS * i + MARK] = 0;
    else this.otherMarks.delete(key);
  }

  /** Whether the key is marked. */
  has(key: string): boolean {
    const i = key.length === 4 ? this.slot(key) : -1;
    return i >= 0 ? this.table[WORDS * i + MARK] === 1 : this.otherMarks.has(key);
  }

  /** Whether slot i holds the four-unit key. */
  private holds(i: number, key: string): boolean {
    const t = this.table;
    return i <= this.mask && t[WORDS * i + VALUE] !== EMPTY
      && t[WORDS * i + LO] === (key.charCodeAt(0) | (key.charCodeAt(1) << 16))
      && t[WORDS * i + HI] === (key.charCodeAt(2) | (key.charCodeAt(3) << 16));
  }

  /**
   * The key looked up last and its slot (-1: not stored): the search asks about one key
   * several times in a row (stored? on the path? store it, mark it), and one probe
   * answers them all. Only `set` stores a key, and it makes its key the last one.
   */
  private lastKey = '';
  private lastSlot = -1;

  /** The slot of a four-unit key, -1 when it is not stored. */
  private slot(key: string): number {
    if (key === this.lastKey) return this.lastSlot;
    const lo = key.charCodeAt(0) | (key.charCodeAt(1) << 16);
    const hi = key.charCodeAt(2) | (key.charCodeAt(3) << 16);
    const { table, mask } = this;
    let i = slotOf(lo, hi, mask);
    for (;; i = (i + 1) & mask) {
      const at = WORDS * i;
      if (table[at + VALUE] === EMPTY) {
        i = -1;
        break;
      }
      if (table[at + LO] === lo && table[at + HI] === hi) break;
    }
    this.lastKey = key;
    this.lastSlot = i;
    return i;
  }

  /** Stores `value` (0 to 2^31 - 1) under `key`, replacing what was there. */
  set(key: string, value: number): void {
    if (key.length !== 4) {
      this.other.set(key, value);
      return;
    }
    if (key === this.lastKey && this.lastSlot >= 0) {
      this.table[WORDS * this.lastSlot + VALUE] = value;
      return;
    }
    const lo = key.charCodeAt(0) | (key.charCodeAt(1) << 16);
    const hi = key.charCodeAt(2) | (key.charCodeAt(3) << 16);
    const at = this.put(lo, hi, value, 0);
    if (at < 0) {
      this.packed++;
      if (2 * this.packed > this.mask) {
        this.grow();
        this.lastKey = '';
        return;
      }
    }
    this.lastKey = key;
    this.lastSlot = at < 0 ? ~at : at;
  }

  /** Stores the value (and a new key's mark); its slot, or ~slot (negative) when the key is new. */
  private put(lo: number, hi: number, value: number, mark: number): number {
    const { table, mask } = this;
    for (let i = slotOf(lo, hi, mask); ; i = (i + 1) & mask) {
      const at = WORDS * i;
      if (table[at + VALUE] === EMPTY) {
        table[at + LO] = lo;
        table[at + HI] = hi;
        table[at + VALUE] = value;
        table[at + MARK] = mark;
        return ~i;
      }
      if (table[at + LO] === lo && table[at + HI] === hi) {
        table[at + VALUE] = value;
        return i;
      }
    }
  }

  private grow(): void {
    const old = this.table;
    const slots = 2 * (this.mask + 1);
    this.table = newTable(slots);
    this.mask = slots - 1;
    // slots move
    this.lastKey = '';
    for (let at = 0; at < old.length; at += WORDS) if (old[at + VALUE] !== EMPTY) this.put(old[at + LO], old[at + HI], old[at + VALUE], old[at + MARK]);
  }
}

/** The two halves are already well mixed hash words: fold them and keep the low bits. */
function slotOf(lo: number, hi: number, mask: number): number {
  return (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
}
