/**
 * The world's values as a persistent array: chunks of 16 slots shared between a state
 * and its successors, copied only when a step writes into them, and a Zobrist-style
 * 64-bit hash kept up to date slot by slot. A step then costs the slots it touches,
 * not the size of the world.
 */
import type { Value } from './program.js';

const SHIFT = 4;
const MASK = (1 << SHIFT) - 1;

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
  constructor(readonly chunks: readonly (readonly Value[])[], readonly h1: number, readonly h2: number) {}

  static of(values: readonly Value[]): WorldStore {
    const chunks: Value[][] = [];
    let h1 = 0;
    let h2 = 0;
    values.forEach((v, i) => {
      (chunks[i >> SHIFT] ??= []).push(v);
      h1 ^= slotHash(i, v, SEED1);
      h2 ^= slotHash(i, v, SEED2);
    });
    return new WorldStore(chunks, h1, h2);
  }

  get(i: number): Value {
    return this.chunks[i >> SHIFT][i & MASK];
  }

  /**
   * This world with slots `at` set to `values`, which changes its hash by `d1`, `d2`
   * (hashDelta of each slot's old and new value: a remembered transition knows both).
   */
  with(at: readonly number[], values: readonly Value[], d1: number, d2: number): WorldStore {
    const chunks = this.chunks.slice() as Value[][];
    for (let k = 0; k < at.length; k++) {
      const i = at[k];
      const c = i >> SHIFT;
      if (chunks[c] === this.chunks[c]) chunks[c] = chunks[c].slice();
      chunks[c][i & MASK] = values[k];
    }
    return new WorldStore(chunks, this.h1 ^ d1, this.h2 ^ d2);
  }
}

/** What setting slot `i` from `old` to `v` does to a world's two hashes. */
export function hashDelta(i: number, old: Value, v: Value): [number, number] {
  return [slotHash(i, old, SEED1) ^ slotHash(i, v, SEED1), slotHash(i, old, SEED2) ^ slotHash(i, v, SEED2)];
}

/**
 * A step's view of a state's world: reads through, copies a chunk on its first write
 * (and the list of chunks on the first write of all). Most transitions of a thread that
 * only reads, and the local computation outside steps, write nothing: they copy nothing
 * and freeze into the world they started from.
 */
export class WorldWriter {
  private chunks: readonly (readonly Value[])[];
  /** whether `chunks` is this writer's own copy of the list */
  private ownList = false;
  /** chunks this writer has copied: a bit per chunk below 31, a set for the rest */
  private ownedLow = 0;
  private ownedHigh: Set<number> | undefined;
  private h1: number;
  private h2: number;

  constructor(private readonly base: WorldStore) {
    this.chunks = base.chunks;
    this.h1 = base.h1;
    this.h2 = base.h2;
  }

  get(i: number): Value {
    return this.chunks[i >> SHIFT][i & MASK];
  }

  set(i: number, v: Value): void {
    const c = i >> SHIFT;
    const old = this.chunks[c][i & MASK];
    if (old === v) return;
    if (!this.ownList) {
      this.chunks = this.chunks.slice();
      this.ownList = true;
    }
    const chunks = this.chunks as (readonly Value[])[];
    if (!this.owns(c)) {
      chunks[c] = chunks[c].slice();
      if (c < 31) this.ownedLow |= 1 << c;
      else (this.ownedHigh ??= new Set()).add(c);
    }
    (chunks[c] as Value[])[i & MASK] = v;
    this.h1 ^= slotHash(i, old, SEED1) ^ slotHash(i, v, SEED1);
    this.h2 ^= slotHash(i, old, SEED2) ^ slotHash(i, v, SEED2);
  }

  private owns(c: number): boolean {
    return c < 31 ? (this.ownedLow & (1 << c)) !== 0 : !!this.ownedHigh?.has(c);
  }

  freeze(): WorldStore {
    return this.ownList ? new WorldStore(this.chunks, this.h1, this.h2) : this.base;
  }
}
