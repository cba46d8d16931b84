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
  empty(sink.reads);
  empty(sink.writes);
  empty(sink.peeks);
  empty(sink.readSlots);
  empty(sink.writeSlots);
  empty(sink.peekSlots);
  // the last step's record keeps its lists: the next transition's steps get new ones
  sink.changes = [];
  sink.remarks = NO_REMARKS;
  empty(s.decisions);
  empty(s.violations);
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
