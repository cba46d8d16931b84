/**
 * What a transition did to its thread and the others, as Machine.execute asks before it
 * lets the memo keep the transition (transition-memo.ts): a BUG that killed the thread,
 * and whether the thread lived on or ended with the other threads as they were. And the
 * lists execute collects a transition in, reused from one transition to the next: their
 * room is made once, and what the search keeps (a footprint, a memo entry's decisions)
 * is copied out at its size.
 */
import type { Thread } from './machine-types.js';
import { NO_REMARKS, type StepSink } from './transition-context.js';
import type { Decision } from './transition-memo.js';

export interface Scratch {
  readonly sink: StepSink;
  readonly decisions: Decision[];
  readonly violations: { invariant: string; message: string }[];
}

/** `s` emptied for the next transition. */
export function clearScratch(s: Scratch): Scratch {
  const { sink } = s;
  sink.reads.length = 0;
  sink.writes.length = 0;
  sink.peeks.length = 0;
  sink.readSlots.length = 0;
  sink.writeSlots.length = 0;
  sink.peekSlots.length = 0;
  // the last step's record keeps its lists: the next transition's steps get new ones
  sink.changes = [];
  sink.remarks = NO_REMARKS;
  s.decisions.length = 0;
  s.violations.length = 0;
  return s;
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
