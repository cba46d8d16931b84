/**
 * States are remembered by a 64-bit hash of everything in them (world, threads,
 * frames, live locals, queued work), computed value by value without building a
 * string. Strings the states hold (object references, function names) are hashed once.
 */
import type { Value } from './program.js';

/** Hashes of the strings states hold (object references, function names), computed once. */
const textHashes = new Map<string, number>();

/** The hash `StateHash.text` mixes in for a string. */
export function textHash(s: string): number {
  let h = textHashes.get(s);
  if (h === undefined) {
    h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
    h = (h ^ s.length) | 0;
    if (textHashes.size < 100_000) textHashes.set(s, h);
  }
  return h;
}

/** Two different states colliding in a run of a few million states has a probability below one in a million. */
export class StateHash {
  private h1 = 0x811c9dc5;
  private h2 = 0x9747b28c;

  /** Starts again, as a new hasher: one hasher serves every key (state-key.ts). */
  reset(): this {
    this.h1 = 0x811c9dc5;
    this.h2 = 0x9747b28c;
    return this;
  }

  private mix(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 15;
  }

  mark(m: number): void {
    this.mix(0x7f000000 | m);
  }

  num(n: number): void {
    this.mix(n | 0);
    this.mix((n / 4294967296) | 0);
  }

  /** A number known to be a 32-bit integer (a pc, a slot, another hash): one word, not two. */
  int(n: number): void {
    this.mix(n);
  }

  text(s: string): void {
    this.mix(textHash(s));
  }

  /** A string already hashed by textHash (a function's name, kept with its compiled form). */
  hashed(h: number): void {
    this.mix(h);
  }

  value(v: Value): void {
    if (v === null) this.mark(1);
    else if (typeof v === 'number') { this.mark(7); this.num(v); }
    else { this.mark(8); this.text(v); }
  }

  pair(): [number, number] {
    return [this.h1, this.h2];
  }
}

