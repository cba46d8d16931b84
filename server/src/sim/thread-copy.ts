/**
 * Threads copied for a successor state. A thread is shared by every state it did not
 * step in, and carries what depends on where it is alone (its hash, future, memo list,
 * stated classes, whether it can step) in its place: a copy for another step count
 * shares the place, a thread that moved gets a new one.
 *
 * Threads and states are made here only, every field present from the start (the
 * caches as undefined): objects of one shape keep the engine's property accesses
 * monomorphic, where fields added later would give each combination its own shape.
 */
import type { Frame, Outcome, SimState, StepEvent, Thread, ThreadPlace, ThreadSpec } from './machine-types.js';
import type { MemoEntry } from './transition-memo.js';
import type { WorldStore } from './store.js';

/** A thread with nothing cached on it yet. */
export function newThread(id: string, label: string, frames: Frame[], steps: number, spawned: number, queue: ThreadSpec[]): Thread {
  return { id, label, frames, steps, spawned, queue, place: newPlace() };
}

/** Nothing known yet about where a thread is. */
export function newPlace(): ThreadPlace {
  return { hash: undefined, future: undefined, futureMasks: undefined, removes: undefined, memo: undefined, stated: undefined, canStep: undefined };
}

/** A state with nothing cached on it yet (its key, its threads' outcomes). */
export function newState(world: WorldStore, threads: Thread[], finalStarted: boolean, ids?: readonly string[]): SimState {
  return { world, threads, finalStarted, outcomes: undefined, key: undefined, ids };
}

/**
 * A transition's outcome: executed (`state` set), or remembered (`before`, `at`,
 * `steps` and `entry` set, the state after built when first asked for).
 */
export function newOutcome(state: SimState | undefined, event: StepEvent, reads: string[], writes: string[],
  violation: Outcome['violation'], entry: MemoEntry | undefined, before?: SimState, at?: number, steps?: number): Outcome {
  return { state, before, at, steps, event, reads, writes, masks: undefined, violation, entry, key: undefined };
}

/** A thread as `t` but with another step count: what is cached on it does not depend on the count, and is shared. */
export function withSteps(t: Thread, steps: number): Thread {
  return { id: t.id, label: t.label, frames: t.frames, steps, spawned: t.spawned, queue: t.queue, place: t.place };
}

/**
 * A thread changed by a step, as a new object: the old one stays with the state it
 * belongs to. Field by field, so that what is cached on a thread (hash, future) stays
 * behind with it.
 */
export function copyThread(t: Thread, changed: Partial<Pick<Thread, 'frames' | 'steps' | 'queue'>>): Thread {
  return newThread(t.id, t.label, changed.frames ?? t.frames, changed.steps ?? t.steps, t.spawned, changed.queue ?? t.queue);
}
