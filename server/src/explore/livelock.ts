/**
 * A livelock the search can see: the state graph has a cycle along which exactly one
 * thread can run at every state. That thread's steps bring it back where it was and no
 * other thread can ever step in, so it never finishes: the run hangs as surely as in a
 * deadlock, only spinning. A cycle along which another thread is enabled is no such
 * thing (the other thread may run and break it), and neither is a cycle the reduction
 * closed by postponing threads (the explorer's cycle proviso explores them).
 *
 * Without this, a thread looping forever alone revisits a state the search has seen
 * and the path ends as if it had finished: a vacuous `holds`.
 */
import { DEADLOCK } from './classify.js';
import type { Violation } from './system.js';

export function livelockViolation(tid: string, cycleSteps: number): Violation {
  return {
    invariant: DEADLOCK,
    message: `livelock: ${tid} is back in a state it was in ${cycleSteps} step${cycleSteps === 1 ? '' : 's'} ago, and no other thread could run in between (it never finishes)`,
  };
}

/**
 * The livelock closed by arriving again at the state at `from` of a path, given how
 * many threads were enabled at each state of the path and which thread took each step
 * (`tids[i]` leads from state i to state i + 1; the last leads back to state `from`).
 */
export function cycleLivelock(enabledCounts: readonly number[], tids: readonly string[], from: number): Violation | undefined {
  for (let i = from; i < enabledCounts.length; i++) if (enabledCounts[i] !== 1) return undefined;
  const tid = tids[from];
  if (tid === undefined) return undefined;
  return livelockViolation(tid, tids.length - from);
}
