/**
 * A state's key for the visited set, and each thread's share of it (state-hash.ts):
 * the world's hash, kept up to date slot by slot (store.ts), and per thread its frames'
 * functions, pcs and live locals and its queue. A key is asked for at every state, so
 * the two hashers are made once and reset: a hasher per key was a good part of what the
 * search allocated.
 */
import { liveness } from './liveness.js';
import { StateHash } from './state-hash.js';
import type { SimState, Thread } from './machine-types.js';

const stateHasher = new StateHash();
const threadHasher = new StateHash();

export function stateKey(s: SimState): string {
  return keyOf(s.world.h1, s.world.h2, s.threads, -1, undefined, s.finalStarted);
}

/**
 * The key of the state with world hashes `h1`, `h2`, threads `threads` except that the
 * one at place `at` (-1: none) is `moved` (undefined: gone), and `finalStarted`: the
 * key of a state not yet made, told from the state before and a transition.
 */
export function keyOf(h1: number, h2: number, threads: readonly Thread[], at: number, moved: Thread | undefined, finalStarted: boolean): string {
  const h = stateHasher.reset();
  h.int(h1);
  h.int(h2);
  for (let i = 0; i < threads.length; i++) {
    const t = i === at ? moved : threads[i];
    if (t === undefined) continue;
    // a share not yet cached is worked out by the other hasher, which leaves this one as it is
    const th = t.place.hash ?? threadHash(t);
    h.mark(2);
    h.int(th[0]);
    h.int(th[1]);
  }
  h.mark(finalStarted ? 5 : 6);
  return h.digest();
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
  return (place.hash = h.pair());
}
