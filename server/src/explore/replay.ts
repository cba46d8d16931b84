/**
 * Re-run a schedule from the initial state. Schedules come from users and files, so
 * a bad one is reported as an error result, never thrown.
 */
import { classify } from './classify.js';
import { cycleLivelock } from './livelock.js';
import { parseSchedule } from './schedule.js';
import type { TransitionSystem, Violation } from './system.js';
import type { TraceStep } from './types.js';

export interface ReplayResult<E> {
  /** False when the schedule could not be followed; `error` says why. */
  ok: boolean;
  /** The steps taken, up to the point of failure if any. */
  trace: TraceStep<E>[];
  /**
   * The violation the run ended in: a violating last step, a deadlock, or `finish`.
   * Absent when the schedule stops while threads can still run (a partial run).
   */
  violation?: Violation;
  error?: string;
  /** the schedule took the run to its end (no live thread, a deadlock or a violation) */
  finished?: boolean;
}

export function replay<S, E>(sys: TransitionSystem<S, E>, schedule: string): ReplayResult<E> {
  if (typeof schedule !== 'string') {
    return { ok: false, trace: [], error: `malformed schedule: expected a string of space-separated thread ids, got ${typeof schedule}` };
  }
  const tids = parseSchedule(schedule);
  const trace: TraceStep<E>[] = [];
  const fail = (error: string): ReplayResult<E> => ({ ok: false, trace, error });
  let state = sys.initial();
  // each state's key and how many threads could run there, for a livelock at the end
  const keys: string[] = [];
  const enabledCounts: number[] = [];

  for (let i = 0; i < tids.length; i++) {
    const tid = tids[i]!;
    const where = `schedule entry ${i + 1} of ${tids.length} (${tid})`;
    const kind = classify(sys, state);
    if (kind.kind === 'final') return fail(`${where}: no thread is live any more; the run already finished`);
    if (kind.kind === 'deadlock') return fail(`${where}: the run is already deadlocked (${kind.violation.message})`);
    if (!kind.threads.includes(tid)) {
      return fail(`${where}: thread ${tid} is not live here (live: ${kind.threads.join(' ')})`);
    }
    if (!kind.enabled.includes(tid)) {
      return fail(`${where}: thread ${tid} is blocked here (enabled: ${kind.enabled.join(' ')})`);
    }
    keys.push(sys.key(state));
    enabledCounts.push(kind.enabled.length);
    const r = sys.step(state, tid);
    trace.push({ index: i, tid, event: r.event });
    if (r.violation) {
      if (i < tids.length - 1) {
        return { ...fail(`${where}: this step violates ${r.violation.invariant}, which ends the run, but the schedule goes on`), violation: r.violation };
      }
      return { ok: true, trace, violation: r.violation, finished: true };
    }
    state = r.state;
  }

  const kind = classify(sys, state);
  if (kind.kind === 'running') {
    // the search ends a path that closes a one-thread cycle as a livelock: so does a replay of it
    const from = keys.lastIndexOf(sys.key(state));
    const livelock = from >= 0 ? cycleLivelock(enabledCounts.slice(from), tids.slice(from), 0) : undefined;
    if (livelock) return { ok: true, trace, violation: livelock, finished: true };
  }
  const finished = kind.kind !== 'running';
  return finished && kind.violation ? { ok: true, trace, violation: kind.violation, finished } : { ok: true, trace, finished };
}
