/**
 * What a transition did to its thread and the others, as Machine.execute asks before it
 * lets the memo keep the transition (transition-memo.ts): a BUG that killed the thread,
 * and whether the thread lived on or ended with the other threads as they were. And the
 * lists execute collects a transition in, reused from one transition to the next: their
 * room is made once, and what the search keeps (a footprint, a memo entry's decisions)
 * is copied out at its size.
 */
import type { StepEvent, Thread } from './machine-types.js';
import { newSink, NO_CHANGES, NO_REMARKS, type StepSink } from './transition-context.js';
import type { Decision } from './transition-memo.js';

export interface Scratch {
  readonly sink: StepSink;
  readonly decisions: Decision[];
  readonly violations: { invariant: string; message: string }[];
  /** the transition's step records, the first its event */
  readonly steps: StepEvent[];
  /** the world slots its writer changed (store.ts WorldWriter: each writer lists them from the start) */
  readonly dirty: number[];
}

export function newScratch(): Scratch {
  return { sink: newSink(), decisions: [], violations: [], steps: [], dirty: [] };
}

/**
 * The step `e` is over: it keeps what it and the local computation after it changed, at
 * its size (a list the sink grew has room for more), and the sink's list is the next step's.
 */
export function keepChanges(e: StepEvent, sink: StepSink): void {
  const n = sink.changeCount;
  e.changes = n === 0 ? NO_CHANGES : sink.changes.slice(0, n);
  sink.changeCount = 0;
}

/** `s` emptied for the next transition. */
export function clearScratch(s: Scratch): Scratch {
  const { sink } = s;
  // the sink's lists keep their room (StepSink); what was in them was copied out
  sink.readCount = 0;
  sink.writeCount = 0;
  sink.peekCount = 0;
  sink.changeCount = 0;
  // the steps' records keep their remarks lists: the next transition's steps get new ones
  sink.remarks = NO_REMARKS;
  empty(s.decisions);
  empty(s.violations);
  empty(s.steps);
  return s;
}

/** Setting an array's length is a call into the engine: made only when there is something to drop. */
function empty(list: unknown[]): void {
  if (list.length > 0) list.length = 0;
}

/** Whether an unchecked BUG fired (it kills its thread). */
export function hasBug(vs: readonly { invariant: string }[]): boolean {
  for (let i = 0; i < vs.length; i++) if (vs[i].invariant === 'bug-on') return true;
  return false;
}

/**
 * What a transition of `old` (now `thread`) did to the threads `before`, by `after`:
 * true when it lives on and the others are as they were, false when it ended and they
 * are, undefined when other threads changed (one begun or ended).
 */
export function threadFate(before: readonly Thread[], after: readonly Thread[], old: Thread, thread: Thread): boolean | undefined {
  const at = before.indexOf(old);
  if (after.length === before.length) {
    for (let i = 0; i < after.length; i++) if (after[i] !== (i === at ? thread : before[i])) return undefined;
    return true;
  }
  if (after.length !== before.length - 1) return undefined;
  for (let i = 0; i < after.length; i++) if (after[i] !== before[i < at ? i : i + 1]) return undefined;
  return false;
}
