/**
 * The contract between the explorer and whatever it explores. The explorer knows
 * nothing about kernels: a system is a set of threads whose next steps are
 * deterministic functions of the whole state.
 *
 * Partial-order reduction trusts footprints. For it to be sound, a step's effect,
 * its event and any violation it fires must depend only on the locations it reads
 * (plus its own thread's private state), and a step that can change whether another
 * thread is enabled must write a location that thread's next step reads or writes.
 */

/** Named shared locations the next step of a thread touches. */
export interface Footprint { reads: readonly string[]; writes: readonly string[] }

export interface Violation { invariant: string; message: string }

export interface StepResult<S, E> {
  /** The new state; the old one must not be mutated (the explorer backtracks to it). */
  state: S;
  /** What happened, opaque to the explorer; it ends up in traces. */
  event: E;
  /** Set when this step fired an invariant (e.g. BUG_ON): the path ends here. */
  violation?: Violation;
}

export interface TransitionSystem<S, E> {
  initial(): S;
  /** Canonical key of the whole state, for the visited set. */
  key(s: S): string;
  /** Live (unfinished) thread ids in canonical order. Ids must not contain whitespace. */
  threads(s: S): readonly string[];
  /** Can tid take its next step now (false = blocked). */
  enabled(s: S, tid: string): boolean;
  /** Locations tid's next step reads/writes (only asked when enabled). */
  footprint(s: S, tid: string): Footprint;
  step(s: S, tid: string): StepResult<S, E>;
  /** Called when no thread is live: the final check. A violation here ends the path as violated. */
  finish(s: S): Violation | undefined;
  /**
   * Optional: a subset of the enabled threads that is a persistent set at `s` (every
   * step the other threads can ever take from `s` is independent of the steps of this
   * set), or undefined. The explorer then explores only these threads from `s`,
   * unless that would close a cycle on the current path.
   */
  persistent?(s: S, enabled: readonly string[]): readonly string[] | undefined;
  /**
   * Optional, for speed, all six or none: the same questions about a thread by its place
   * in `threads(s)` (0 first), so that the search looks no thread up by id and makes no
   * list of ids at every state. `persistentAt` takes and returns places.
   */
  threadCount?(s: S): number;
  threadId?(s: S, i: number): string;
  enabledAt?(s: S, i: number): boolean;
  footprintAt?(s: S, i: number): Footprint;
  stepAt?(s: S, i: number): StepResult<S, E>;
  persistentAt?(s: S, enabled: readonly number[]): readonly number[] | undefined;
  /**
   * Optional, with the six: the key of the state `stepAt(s, i)` leads to, or undefined
   * when that step fires a violation. The explorer asks it before taking a step, and
   * makes the state (stepAt) only when the visited set does not prune it: a system
   * that can tell the key without making the state saves that for every step into a
   * state already explored.
   */
  successorKey?(s: S, i: number): string | undefined;
  /**
   * Optional, with the six: false when the thread at place `i` can never be back where it
   * is at `s` after steps of its own, whatever the others do (its code from here cannot
   * loop): no cycle of states runs it alone, and the search does not run it alone from a
   * state where it is the only one that can run to look for a livelock.
   */
  mayReturnAt?(s: S, i: number): boolean;
  /**
   * Optional: what was cached for `s` may go (the explorer has finished with it, or
   * keeps it long and wants it small); stepping it later computes that again.
   */
  release?(s: S): void;
}
