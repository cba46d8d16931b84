/**
 * Transitions remembered by where the thread is and what they read, across the whole
 * search. A transition is a function of the thread's own state (its frames' functions
 * and pcs, the locals they can still read, its queue and label), of the world slots it
 * reads, writes or peeks (a write's old value is in its trace), of whether a page may
 * leave the page cache, and of the answers to "does this step commute with the other
 * threads' futures" that decided where it stopped (step fusion). When all of these are
 * as they were at a transition already executed, it reads the same values, takes the
 * same steps and writes the same values: its outcome is the old one applied to this
 * state, and the thread's code is not run again. The thread's step count is no part of
 * it: the count only grows by one per transition and ends a livelock (Machine.remembered
 * gives the thread after its own count, and runs a transition that reaches the limit).
 *
 * The persistent and sleep sets ask for the next transition of every enabled thread at
 * every state, and a thread meets the same place with the same values over and over
 * in the interleavings of the others: most of those transitions are found here.
 *
 * Only transitions that change nothing but their own thread, the world and the I/O
 * completion thread are kept (no other thread ended or begun, the final block not
 * started, no violation). I/O a transition submits is kept as what it does to the
 * completion thread: the thread it started when there was none (made by the first
 * execution from what the transition read, so the same), or the requests it appended
 * to the queue of the one there was; whether there was one is then part of the match. Two threads with the same hash hold the same live locals (state-hash.ts
 * leaves out the dead ones, as the visited set does): the thread after is the one the
 * first execution made, whose dead locals nothing reads.
 */
import type { StepMasks } from './footprint-classes.js';
import type { Value } from './program.js';
import type { WorldStore } from './store.js';
import { listed, type StepSink } from './transition-context.js';
import { IO_THREAD, type Outcome, type SimState, type StepEvent, type Thread, type ThreadSpec } from './machine-types.js';
import { copyThread, newState, withSteps } from './thread-copy.js';
import { keyOf } from './state-key.js';

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
  masks?: StepMasks;
  /** the last world whose slots were found to hold `values` (a world is never changed in place) */
  seen: WorldStore | undefined;
  /**
   * The last state after that was built from this entry: its world from world `from`,
   * and the thread after with its step count. Successor states share both when they
   * can: the thread's count along its own path is mostly the same whatever the other
   * threads did, and a world often comes back under other threads' local steps.
   */
  from: WorldStore | undefined;
  to: WorldStore | undefined;
  counted: Thread | undefined;
  /** what it did to the I/O completion thread, when it submitted I/O */
  readonly io?: IoEffect;
}

/**
 * I/O submitted by a transition of another thread: with no completion thread before, the
 * one it started; with one, the requests it appended to its queue.
 */
export type IoEffect = { readonly before: false; readonly thread: Thread } | { readonly before: true; readonly queued: readonly ThreadSpec[] };

/**
 * What a transition from threads `before` to `after` did to the completion thread:
 * undefined when nothing, null when something the memo cannot replay.
 */
export function ioEffect(before: readonly Thread[], after: readonly Thread[]): IoEffect | null | undefined {
  const was = ioThread(before);
  const now = ioThread(after);
  if (was === now) return undefined;
  if (!now) return null;
  if (!was) return { before: false, thread: now };
  if (now.frames !== was.frames || now.steps !== was.steps || now.spawned !== was.spawned || now.label !== was.label) return null;
  if (now.queue.length < was.queue.length || was.queue.some((q, i) => now.queue[i] !== q)) return null;
  return { before: true, queued: now.queue.slice(was.queue.length) };
}

function ioThread(threads: readonly Thread[]): Thread | undefined {
  for (let i = 0; i < threads.length; i++) if (threads[i].id === IO_THREAD) return threads[i];
  return undefined;
}

/**
 * Entries kept before the memo starts again. Each holds a thread, an event and a few
 * arrays: about 4.3 KB of live heap on the 8-CPU writeback race (581 entries, 2.5 MB,
 * after 600,000 states), so at most about 45 MB outside the search's byte budget. The
 * seed races keep at most 1,752 (wcp-integrity 6.1), so the bound costs them nothing.
 */
const MAX_ENTRIES = 10_000;

export class TransitionMemo {
  private readonly byThread = new Map<string, MemoEntry[]>();
  private size = 0;

  /** The list of transitions of threads with key `threadKey` (a thread keeps it: it is emptied, never replaced). */
  list(threadKey: string): MemoEntry[] {
    let list = this.byThread.get(threadKey);
    if (!list) this.byThread.set(threadKey, (list = []));
    return list;
  }

  /** A transition of `list` whose slots hold the same values in `world` and whose decisions `decide` answers alike. */
  find(list: MemoEntry[], world: WorldStore, decide: (d: Decision, state: SimState, self: Thread) => boolean, state: SimState, self: Thread): MemoEntry | undefined {
    const last = list.length - 1;
    // whether there is a completion thread, asked once and only of an entry that submitted I/O
    let io: boolean | undefined;
    next: for (let e = last; e >= 0; e--) {
      const entry = list[e];
      const { slots, values } = entry;
      if (entry.io && entry.io.before !== (io ??= hasIoThread(state.threads))) continue;
      if (entry.seen !== world) {
        for (let k = 0; k < slots.length; k++) if (world.get(slots[k]) !== values[k]) continue next;
        entry.seen = world;
      }
      const decisions = entry.decisions;
      for (let k = 0; k < decisions.length; k++) {
        const d = decisions[k];
        if (d.step && decide(d, state, self) !== d.result) continue next;
      }
      // the entry found last is tried first next time: the same thread is asked again at the states after
      if (e !== last) {
        list[e] = list[last];
        list[last] = entry;
      }
      return entry;
    }
    return undefined;
  }

  add(list: MemoEntry[], entry: MemoEntry): void {
    if (this.size >= MAX_ENTRIES) {
      // threads keep their lists: empty them where they are
      for (const l of this.byThread.values()) l.length = 0;
      this.size = 0;
    }
    list.push(entry);
    this.size++;
  }
}

function hasIoThread(threads: readonly Thread[]): boolean {
  for (let i = 0; i < threads.length; i++) if (threads[i].id === IO_THREAD) return true;
  return false;
}

/**
 * The memo's entry of a transition from world `before` to `after` whose locations `sink`
 * collected (with their slots); undefined when it touched a location outside the world's
 * table. What it did besides: its step-fusion decisions, the thread after (undefined
 * when it ended), its event and footprint, and the I/O it submitted.
 */
export function memoEntry(mappingSlots: readonly number[], before: WorldStore, after: WorldStore, sink: StepSink,
  decisions: readonly Decision[], thread: Thread | undefined, event: StepEvent, reads: string[], writes: string[], io: IoEffect | undefined): MemoEntry | undefined {
  // collected in a list reused from entry to entry (its room kept), and kept at its size: a list grown by pushes has room for more
  let n = addSlots(slotScratch, 0, sink.readSlots, sink.readCount);
  n = addSlots(slotScratch, n, sink.writeSlots, sink.writeCount);
  n = addSlots(slotScratch, n, sink.peekSlots, sink.peekCount);
  if (n < 0) return undefined;
  // whether a page may leave the page cache decided the step fusion's answers
  n = addSlots(slotScratch, n, mappingSlots, mappingSlots.length);
  const slots = slotScratch.slice(0, n);
  const values: Value[] = new Array(slots.length);
  for (let k = 0; k < slots.length; k++) values[k] = before.get(slots[k]);
  const ws = sink.writeSlots;
  let changed = 0;
  for (let k = 0; k < sink.writeCount; k++) if (after.get(ws[k]) !== before.get(ws[k])) changed++;
  const written: number[] = new Array(changed);
  const wrote: Value[] = new Array(changed);
  for (let k = 0, n = 0; n < changed; k++) {
    const i = ws[k];
    const v = after.get(i);
    if (v === before.get(i)) continue;
    written[n] = i;
    wrote[n++] = v;
  }
  // the world's hash is a function of its values: the two differ by what the written slots changed (store.ts hashDelta)
  const d1 = before.h1 ^ after.h1;
  const d2 = before.h2 ^ after.h2;
  // every field present from the start, as thread-copy.ts makes threads: one shape of entry
  return {
    slots, values, written, wrote, d1, d2, decisions, thread, event,
    reads, writes, masks: undefined, seen: undefined, from: undefined, to: undefined, counted: undefined, io,
  };
}

const slotScratch: number[] = [];

/**
 * The first `count` of `from` added to the first `n` of `slots` (each once): how many
 * `slots` lists then, or -1 when one is outside the world's table (or `n` was -1).
 */
function addSlots(slots: number[], n: number, from: readonly number[], count: number): number {
  if (n < 0) return n;
  for (let k = 0; k < count; k++) {
    const i = from[k];
    if (i < 0) return -1;
    if (!listed(slots, n, i)) slots[n++] = i;
  }
  return n;
}

/** The state an outcome leads to, built from its memo entry when first asked for. */
export function stateAfter(out: Outcome): SimState {
  if (out.state) return out.state;
  const s = out.before!;
  const e = out.entry!;
  const threads = s.threads.slice();
  if (e.thread) threads[out.at!] = out.steps === undefined || out.steps === e.thread.steps ? e.thread : counted(e, out.steps);
  else threads.splice(out.at!, 1);
  if (e.io) withIo(threads, e.io);
  out.before = undefined;
  // the same threads, one of them moved on: the same ids
  const ids = e.thread && !e.io ? s.ids : undefined;
  const state = newState(e.written.length > 0 ? worldAfter(e, s.world) : s.world, threads, s.finalStarted, ids);
  if (out.key !== undefined) state.key = out.key;
  return (out.state = state);
}

/**
 * The key of the state a remembered outcome leads to, told without making that state:
 * the world's hashes change by the entry's, the moved thread's share by its place's
 * (a copy for another step count shares it). Undefined when the outcome was executed
 * (its state is made) or its transition submitted I/O (the completion thread changes
 * too: the state is made to know it).
 */
export function keyAfter(out: Outcome): string | undefined {
  if (out.key !== undefined) return out.key;
  const s = out.before;
  const e = out.entry;
  if (!s || !e || e.io) return undefined;
  // as stateAfter makes it: the world before when nothing was written
  const moved = e.written.length > 0;
  return (out.key = keyOf(moved ? s.world.h1 ^ e.d1 : s.world.h1, moved ? s.world.h2 ^ e.d2 : s.world.h2, s.threads, out.at!, e.thread, s.finalStarted));
}

/** The entry's thread with step count `steps`, the last one made when it has that count. */
function counted(e: MemoEntry, steps: number): Thread {
  const last = e.counted;
  if (last !== undefined && last.steps === steps) return last;
  return (e.counted = withSteps(e.thread!, steps));
}

/** The entry's writes applied to `world`, the last world made when it is the same world. */
function worldAfter(e: MemoEntry, world: WorldStore): WorldStore {
  if (e.from === world) return e.to!;
  const to = world.with(e.written, e.wrote, e.d1, e.d2);
  e.from = world;
  e.to = to;
  return to;
}

/** The I/O a remembered transition submitted, done again to `threads` (kept in id order, as Machine.startThread keeps them). */
function withIo(threads: Thread[], io: IoEffect): void {
  if (io.before) {
    const i = threads.findIndex((t) => t.id === IO_THREAD);
    threads[i] = copyThread(threads[i], { queue: [...threads[i].queue, ...io.queued] });
    return;
  }
  const at = threads.findIndex((t) => t.id > IO_THREAD);
  if (at < 0) threads.push(io.thread);
  else threads.splice(at, 0, io.thread);
}
