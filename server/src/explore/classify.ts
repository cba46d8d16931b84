/**
 * What a state is, from the explorer's point of view. The search, the shortest-trace
 * search and replay must agree exactly on where paths end and why, so they all ask here.
 */
import type { TransitionSystem, Violation } from './system.js';

/** Invariant id of the violation reported when live threads exist but none can run. */
export const DEADLOCK = 'deadlock';

export type StateKind =
  /** No live thread: `finish` has been asked and its answer is here. */
  | { kind: 'final'; violation?: Violation }
  /** Live threads, none enabled. */
  | { kind: 'deadlock'; violation: Violation }
  | { kind: 'running'; threads: readonly string[]; enabled: readonly string[] };

export function deadlockViolation(blocked: readonly string[]): Violation {
  return {
    invariant: DEADLOCK,
    message: `deadlock: every live thread is blocked (${blocked.join(', ')})`,
  };
}

/**
 * Where paths end, given how many threads live and how many can run: no live thread is
 * the final state (`finish` asked), none enabled a deadlock of `blocked()`; else undefined.
 */
function ending<S, E>(sys: TransitionSystem<S, E>, s: S, live: number, enabled: number, blocked: () => readonly string[]): Exclude<StateKind, { kind: 'running' }> | undefined {
  if (live === 0) {
    const violation = sys.finish(s);
    return violation ? { kind: 'final', violation } : { kind: 'final' };
  }
  return enabled === 0 ? { kind: 'deadlock', violation: deadlockViolation(blocked()) } : undefined;
}

export function classify<S, E>(sys: TransitionSystem<S, E>, s: S): StateKind {
  const threads = sys.threads(s);
  const enabled: string[] = [];
  for (const t of threads) if (sys.enabled(s, t)) enabled.push(t);
  return ending(sys, s, threads.length, enabled.length, () => threads) ?? { kind: 'running', threads, enabled };
}

/**
 * `classify` for the search's hot path: the enabled threads of a running state are
 * written into `enabled` (emptied first, a list the caller reuses) and undefined is
 * returned; a state where paths end gets its kind, as `classify` says it.
 */
export function classifyInto<S, E>(sys: TransitionSystem<S, E>, s: S, enabled: string[]): Exclude<StateKind, { kind: 'running' }> | undefined {
  const threads = sys.threads(s);
  let n = 0;
  for (const t of threads) if (sys.enabled(s, t)) enabled[n++] = t;
  // the list is cut only when its length changes: setting an array's length is not free
  if (enabled.length !== n) enabled.length = n;
  // most states run on: no list of the blocked threads is made for them
  return n > 0 ? undefined : ending(sys, s, threads.length, n, () => threads);
}

/** A system that answers by thread place as well (TransitionSystem's optional six). */
export type PlacedSystem<S, E> = TransitionSystem<S, E> & Required<Pick<TransitionSystem<S, E>,
  'threadCount' | 'threadId' | 'enabledAt' | 'footprintAt' | 'stepAt' | 'persistentAt'>>;

/** The system when it answers by place, else undefined. */
export function placed<S, E>(sys: TransitionSystem<S, E>): PlacedSystem<S, E> | undefined {
  return sys.threadCount && sys.threadId && sys.enabledAt && sys.footprintAt && sys.stepAt && sys.persistentAt
    ? (sys as PlacedSystem<S, E>)
    : undefined;
}

/** `classifyInto` asked by place: the enabled threads' places go into `places` beside their ids. */
export function classifyPlaces<S, E>(sys: PlacedSystem<S, E>, s: S, enabled: string[], places: number[]): Exclude<StateKind, { kind: 'running' }> | undefined {
  const count = sys.threadCount(s);
  let n = 0;
  for (let i = 0; i < count; i++) {
    if (!sys.enabledAt(s, i)) continue;
    enabled[n] = sys.threadId(s, i);
    places[n++] = i;
  }
  if (enabled.length !== n) enabled.length = n;
  if (places.length !== n) places.length = n;
  return n > 0 ? undefined : ending(sys, s, count, n, () => Array.from({ length: count }, (_, i) => sys.threadId(s, i)));
}
