/**
 * Transitions remembered by where the thread is and what they read, across the whole
 * search. A transition is a function of the thread's own state (its frames' functions
 * and pcs, the locals they can still read, its queue, its step count and label), of the
 * world slots it reads, writes or peeks (a write's old value is in its trace), of
 * whether a page may leave the page cache, and of the answers to "does this step
 * commute with the other threads' futures" that decided where it stopped (step
 * fusion). When all of these are as they were at a transition already executed, it
 * reads the same values, takes the same steps and writes the same values: its outcome
 * is the old one applied to this state, and the thread's code is not run again.
 *
 * The persistent and sleep sets ask for the next transition of every enabled thread at
 * every state, and a thread meets the same place with the same values over and over
 * in the interleavings of the others: most of those transitions are found here.
 *
 * Only transitions that change nothing but their own thread and the world are kept
 * (no I/O started, no other thread ended or begun, the final block not started, no
 * violation). Two threads with the same hash hold the same live locals (state-hash.ts
 * leaves out the dead ones, as the visited set does): the thread after is the one the
 * first execution made, whose dead locals nothing reads.
 */
import type { StepMasks } from './footprint-classes.js';
import type { Value } from './program.js';
import type { WorldStore } from './store.js';
import type { SimState, StepEvent, Thread } from './machine-types.js';

/** A "does this step commute with the other threads' futures" asked inside the transition, and its answer. */
export interface Decision { step: StepMasks | undefined; selfRemoval: boolean; result: boolean }

export interface MemoEntry {
  /** the world slots the transition depended on, and their values before it */
  readonly slots: readonly number[];
  readonly values: readonly Value[];
  readonly decisions: readonly Decision[];
  /** the thread after the transition; undefined when the transition ended it */
  readonly thread: Thread | undefined;
  /** the slots it changed, their values after, and what that does to the world's hash (store.ts hashDelta) */
  readonly written: readonly number[];
  readonly wrote: readonly Value[];
  readonly d1: number;
  readonly d2: number;
  readonly event: StepEvent;
  readonly reads: string[];
  readonly writes: string[];
  footprint?: { reads: string[]; writes: string[] };
  masks?: StepMasks;
}

/** entries kept before the memo starts again (each holds a thread, an event and a few arrays) */
const MAX_ENTRIES = 60_000;

export class TransitionMemo {
  private readonly byThread = new Map<string, MemoEntry[]>();
  private size = 0;

  /** A transition of a thread with key `threadKey` whose slots hold the same values in `world` and whose decisions `decide` answers alike. */
  find(threadKey: string, world: WorldStore, decide: (d: Decision, state: SimState, self: Thread) => boolean, state: SimState, self: Thread): MemoEntry | undefined {
    const list = this.byThread.get(threadKey);
    if (!list) return undefined;
    next: for (let e = list.length - 1; e >= 0; e--) {
      const entry = list[e];
      const { slots, values } = entry;
      for (let k = 0; k < slots.length; k++) if (world.get(slots[k]) !== values[k]) continue next;
      for (const d of entry.decisions) if (d.step && decide(d, state, self) !== d.result) continue next;
      return entry;
    }
    return undefined;
  }

  add(threadKey: string, entry: MemoEntry): void {
    if (this.size >= MAX_ENTRIES) {
      this.byThread.clear();
      this.size = 0;
    }
    const list = this.byThread.get(threadKey);
    if (list) list.push(entry);
    else this.byThread.set(threadKey, [entry]);
    this.size++;
  }
}
