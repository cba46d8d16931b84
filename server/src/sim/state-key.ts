/**
 * A state's key for the visited set, and each thread's share of it (state-hash.ts):
 * the world's hash, kept up to date slot by slot (store.ts), and per thread its frames'
 * functions, pcs and live locals and its queue. A key is asked for at every state, so
 * the thread hasher is made once and reset: a hasher per key was a good part of what
 * the search allocated.
 */
import { liveness } from './liveness.js';
import { StateHash } from './state-hash.js';
import type { SimState, Thread } from './machine-types.js';

const threadHasher = new StateHash();

export function stateKey(s: SimState): string {
  return keyOf(s.world.h1, s.world.h2, s.threads, -1, undefined, s.finalStarted);
}

/**
 * The key of the state with world hashes `h1`, `h2`, threads `threads` except that the
 * one at place `at` (-1: none) is `moved` (undefined: gone), and `finalStarted`: the
 * key of a state not yet made, told from the state before and a transition.
 *
 * The world's hash and the threads' shares are combined by XOR, as the world's hash is
 * made of its slots' (store.ts): each share is a well-mixed 64 bits that starts with the
 * thread's id (threads are kept in id order, so a state has one set of them), and a
 * key costs two XORs a thread, not a hasher's round of mixing.
 */
export function keyOf(h1: number, h2: number, threads: readonly Thread[], at: number, moved: Thread | undefined, finalStarted: boolean): string {
  let a = h1;
  let b = h2;
  for (let i = 0; i < threads.length; i++) {
    const t = i === at ? moved : threads[i];
    if (t === undefined) continue;
    const th = t.place.hash ?? threadHash(t);
    a ^= th[0];
    b ^= th[1];
  }
  if (finalStarted) {
    a ^= FINAL_STARTED_1;
    b ^= FINAL_STARTED_2;
  }
  return String.fromCharCode(a & 0xffff, a >>> 16, b & 0xffff, b >>> 16);
}

/** what a started final block adds to a key (random words) */
const FINAL_STARTED_1 = 0x5be0cd19;
const FINAL_STARTED_2 = 0x1f83d9ab;

/** murmur3's finaliser: every bit of the result depends on every bit of `h` (a hasher's word does not: FNV's low bits see only the low bits of what it mixed) */
function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Threads that did not step are shared by successor states, and so are their hashes. */
export function threadHash(t: Thread): [number, number] {
  const place = t.place;
  if (place.hash) return place.hash;
  const h = threadHasher.reset();
  h.text(t.id);
  const frames = t.frames;
  const top = frames.length - 1;
  for (let i = 0; i <= top; i++) {
    const f = frames[i];
    h.mark(3);
    // f.c.key is f.fn: frames are pushed under the name they were compiled for
    h.hashed(f.c.keyHash);
    h.int(f.pc);
    // only the locals the rest of the function can still read
    const live = (f.c.program.live ??= liveness(f.c.fn, f.c.slots));
    const slots = i === top ? live.atTop[f.pc] : live.atReturn[f.pc];
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k];
      h.int(slot);
      h.value(f.locals[slot]);
    }
  }
  for (const q of t.queue) {
    h.mark(4);
    h.text(q.fn);
    for (const v of q.args) h.value(v);
  }
  const [h1, h2] = h.pair();
  // combined by XOR into keys (keyOf): each word mixed in full
  return (place.hash = [avalanche(h1), avalanche(h2)]);
}
