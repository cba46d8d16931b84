/** Options and results of `explore`. */
import type { Violation } from './system.js';

/**
 * 'none': naive depth-first enumeration of every interleaving.
 * 'sleep-sets': Godefroid sleep sets, no state caching.
 * 'full': sleep sets plus a visited-state set keyed by `sys.key`.
 */
export type Reduction = 'none' | 'sleep-sets' | 'full';

export type BudgetHit = 'executions' | 'states' | 'time' | 'cancelled' | 'memory';

export interface ExploreOptions {
  /** Default 'full'. */
  reduction?: Reduction;
  /** Stop once this many executions (see ExploreResult) have been counted. */
  maxExecutions?: number;
  /**
   * In 'full' mode a hard budget on the visited set (the search stops). In the other
   * modes the search keeps no states, so this only caps the statistics set: past it
   * no new keys are recorded, `statesCapped` is set and `states` is a lower bound.
   * Default for that cap: DEFAULT_STATS_CAP.
   */
  maxStates?: number;
  timeLimitMs?: number;
  /** Polled every few hundred steps; true stops the search with budgetHit 'cancelled'. */
  shouldCancel?: () => boolean;
  /**
   * Stop with budgetHit 'memory' once the JS heap holds this many bytes: a search that
   * outgrows its budget ends incomplete instead of hitting the process's heap limit.
   */
  maxHeapBytes?: number;
  /** Called with the counts so far while the search runs, about every progressEveryMs. */
  onProgress?: (p: ExploreProgress) => void;
  /** Default 100 ms. */
  progressEveryMs?: number;
  /** Default false: explore everything and count violating paths. */
  stopAtFirstViolation?: boolean;
  /**
   * Ignore schedules with more than this many preemptions (switching away from a
   * thread that is still enabled). Sleep sets are unsound under a preemption bound,
   * so setting this turns them off (state caching stays in 'full' mode).
   */
  preemptionBound?: number;
  /** Replace the first counterexample by a shortest one found breadth-first. Default true. */
  shortest?: boolean;
  /** Budget of the shortest-counterexample search. Default 200_000 states. */
  shortestMaxStates?: number;
  /** Default 10_000 ms, or what is left of timeLimitMs if that is less. */
  shortestTimeLimitMs?: number;
  /**
   * A byte budget on what the search keeps: each visited state ('full' mode) is
   * counted at `bytesPerState` (measured, see MEASURED_BYTES_PER_STATE), and the
   * breadth-first search for a shortest trace is set aside first
   * (shortestMaxStates × bytesPerShortestState). The search stops with budgetHit
   * 'memory' when the visited states would pass it. Counting, not asking the heap,
   * keeps the verdict independent of when the garbage collector runs.
   */
  maxMemoryBytes?: number;
  bytesPerState?: number;
  bytesPerShortestState?: number;
}

export interface ExploreProgress {
  executions: number;
  states: number;
  elapsedMs: number;
}

/** One step of a trace; `index` is its 0-based position in the schedule. */
export interface TraceStep<E> { index: number; tid: string; event: E }

export interface Counterexample<E> {
  violation: Violation;
  trace: TraceStep<E>[];
  /** The thread ids of `trace`, in the format of schedule.ts; feed it to `replay`. */
  schedule: string;
  /** True when this trace came from the breadth-first search, i.e. is a shortest one. */
  shortest?: boolean;
}

/**
 * executions: leaves of the search tree. A path is a leaf when it reached a final state
 *   (no live threads), a deadlock, or a violating step; or when it was cut because it
 *   reached a state already explored ('full' mode) or a state already on the current
 *   path (a cycle, any mode). Paths ending only because every enabled thread was in
 *   the sleep set are not executions (they are counted in `sleepBlocked`).
 * states: distinct `sys.key` values reached (the target state of a violating step is
 *   not reached: the path ends at the step).
 * transitions: steps executed, violating ones included.
 * violations: leaves that ended in a violation.
 */
export interface ExploreResult<E> {
  verdict: 'holds' | 'violated' | 'incomplete';
  executions: number;
  states: number;
  transitions: number;
  violations: number;
  ms: number;
  budgetHit?: BudgetHit;
  firstViolation?: Counterexample<E>;
  /** Set when the statistics set stopped growing ('none'/'sleep-sets' with maxStates). */
  statesCapped?: boolean;
  /** Paths abandoned because every enabled thread was asleep. */
  sleepBlocked?: number;
  /** States where a persistent set smaller than the enabled set was explored. */
  persistentSets?: number;
  /** Choices skipped because they exceeded preemptionBound. */
  preemptionCuts?: number;
}

export const DEFAULT_STATS_CAP = 1_000_000;
export const DEFAULT_SHORTEST_MAX_STATES = 200_000;
/**
 * Bytes the full search keeps per visited state (its key in the visited set, its
 * cache entry and sleep set, the share of the stack), and bytes the breadth-first
 * shortest-trace search keeps per state (the queued state itself, its trace event,
 * its key). Measured by `npm run bench:memory` (test/bench/memory.ts) on the 8-CPU
 * writeback scenario, 2026-11-28: 280 bytes of live heap per visited state, about 380
 * bytes of RSS per state once the collector's headroom is counted (544 MB at 1.24 M
 * states); 585 bytes of live heap per state of the shortest-trace search then, about 970
 * since the engine's transition reuse (2026-12-06, the same bench). The budget counts the
 * RSS figure and the shortest search's current figure, rounded up.
 */
export const MEASURED_BYTES_PER_STATE = 400;
export const MEASURED_BYTES_PER_SHORTEST_STATE = 1000;
export const DEFAULT_SHORTEST_TIME_LIMIT_MS = 10_000;
