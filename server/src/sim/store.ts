/**
 * The world's values as a persistent array: chunks of 16 slots, 16 chunks to a page,
 * shared between a state and its successors and copied only when a step writes into
 * them, and a Zobrist-style 64-bit hash kept up to date slot by slot. A step then costs
 * the slots it touches (a page list of a few entries, a page and a chunk per write),
 * not the size of the world: a world of 1,900 slots has 8 pages of 16 chunks.
 */
import type { Value } from './program.js';

const SHIFT = 4;
const MASK = (1 << SHIFT) - 1;
const PAGE_SHIFT = 8;

type Page = readonly (readonly Value[])[];

function slotHash(i: number, v: Value, seed: number): number {
  let h = Math.imul(seed ^ (i + 1), 0x9e3779b1);
  if (v === null) {
    h ^= 0x51ed27;
  } else if (typeof v === 'number') {
    h = Math.imul(h ^ (v | 0), 0x85ebca6b);
    h ^= (v / 4294967296) | 0;
  } else {
    h ^= 0x2545f491;
    for (let k = 0; k < v.length; k++) h = Math.imul(h ^ v.charCodeAt(k), 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h | 0;
}

const SEED1 = 0x243f6a88;
const SEED2 = 0x13198a2e;

export class WorldStore {
  constructor(readonly pages: readonly Page[], readonly h1: number, readonly h2: number) {}

  static of(values: readonly Value[]): WorldStore {
    const pages: Value[][][] = [];
    let h1 = 0;
    let h2 = 0;
    values.forEach((v, i) => {
      ((pages[i >> PAGE_SHIFT] ??= [])[(i >> SHIFT) & MASK] ??= []).push(v);
      h1 ^= slotHash(i, v, SEED1);
      h2 ^= slotHash(i, v, SEED2);
    });
    return new WorldStore(pages, h1, h2);
  }

  get(i: number): Value {
    return this.pages[i >> PAGE_SHIFT][(i >> SHIFT) & MASK][i & MASK];
  }

  /**
   * This world with slots `at` set to `values`, which changes its hash by `d1`, `d2`
   * (hashDelta of each slot's old and new value: a remembered transition knows both).
   */
  with(at: readonly number[], values: readonly Value[], d1: number, d2: number): WorldStore {
    const base = this.pages;
    const pages = base.slice();
    for (let k = 0; k < at.length; k++) putInto(base, pages as Page[], at[k], values[k]);
    return new WorldStore(pages, this.h1 ^ d1, this.h2 ^ d2);
  }
}

/**
 * Writes slot `i` into `pages`, a copy of the page list `base`: a page or chunk still
 * the same object as in `base` is shared with the world before, and copied first. The
 * copies are told apart by identity, so no list of what was copied is kept.
 */
function putInto(base: readonly Page[], pages: Page[], i: number, v: Value): void {
  const p = i >> PAGE_SHIFT;
  let page = pages[p] as (readonly Value[])[];
  if (page === base[p]) pages[p] = page = page.slice();
  const c = (i >> SHIFT) & MASK;
  let chunk = page[c] as Value[];
  if (chunk === (base[p] as (readonly Value[])[])[c]) page[c] = chunk = chunk.slice();
  chunk[i & MASK] = v;
}

/** What setting slot `i` from `old` to `v` does to a world's two hashes. */
export function hashDelta(i: number, old: Value, v: Value): [number, number] {
  return [slotHash(i, old, SEED1) ^ slotHash(i, v, SEED1), slotHash(i, old, SEED2) ^ slotHash(i, v, SEED2)];
}

/**
 * A step's view of a state's world: reads through, copies the page list, a page and a
 * chunk on the first write into each. Most transitions of a thread that only reads,
 * and the local computation outside steps, write nothing: they copy nothing and freeze
 * into the world they started from. The hash is brought up to date when the writer
 * freezes, from the slots it wrote and their values before and after: a slot written
 * several times (a lock taken and released, a count up and down) is hashed once or not
 * at all, and the world's hash is a function of its values, however they were reached.
 */
export class WorldWriter {
  private pages: readonly Page[];
  /**
   * `dirty`: where the slots set to a new value are listed, each once, in the order first
   * written, from its start: a list one transition after another lends (what is past the
   * writer's count is an earlier writer's, and its room is kept), or a new one.
   */
  constructor(private readonly base: WorldStore, private readonly dirty: number[] = []) {
    this.pages = base.pages;
  }

  /** how many of `dirty` this writer listed */
  private dirtyCount = 0;

  get(i: number): Value {
    return this.pages[i >> PAGE_SHIFT][(i >> SHIFT) & MASK][i & MASK];
  }

  set(i: number, v: Value): void {
    if (this.get(i) === v) return;
    const dirty = this.dirty;
    const n = this.dirtyCount;
    let k = 0;
    while (k < n && dirty[k] !== i) k++;
    if (k === n) dirty[this.dirtyCount++] = i;
    this.put(i, v);
  }

  /** Writes without touching the hash (freeze hashes the slots `set` noted). */
  private put(i: number, v: Value): void {
    // the page list is this writer's own once it is no longer the base's
    if (this.pages === this.base.pages) this.pages = this.pages.slice();
    putInto(this.base.pages, this.pages as Page[], i, v);
  }

  freeze(): WorldStore {
    const base = this.base;
    if (this.pages === base.pages) return base;
    let h1 = base.h1;
    let h2 = base.h2;
    const dirty = this.dirty;
    for (let k = 0; k < this.dirtyCount; k++) {
      const i = dirty[k];
      const old = base.get(i);
      const v = this.get(i);
      if (old === v) continue;
      h1 ^= slotHash(i, old, SEED1) ^ slotHash(i, v, SEED1);
      h2 ^= slotHash(i, old, SEED2) ^ slotHash(i, v, SEED2);
    }
    return new WorldStore(this.pages, h1, h2);
  }
}
