/**
 * Depth-first search over interleavings with optional partial-order reduction.
 *
 * Sleep sets (Godefroid): a thread is asleep at a state when an equivalent
 * interleaving that takes its step from here is already covered elsewhere; asleep
 * threads are not scheduled, and a sleeping thread wakes up as soon as a step
 * dependent on it is taken.
 *
 * Combining that with a visited set is the classic pitfall: a state first reached
 * with sleep set Z left the threads in Z unexplored. Reaching it again with Z' may be
 * pruned only if Z ⊆ Z' (everything this visit needs was covered). Otherwise the
 * threads in Z \ Z' are explored now, with Z' as the sleep set, and the stored set
 * shrinks to Z ∩ Z'.
 *
 * Without a visited set ('none', 'sleep-sets') the same rule is applied to the states
 * on the current path only, so a cycle in the state graph cannot make a path infinite.
 *
 * The search is iterative: kernel scenarios can make paths deep enough to exhaust the
 * JS call stack.
 */
import { classify } from './classify.js';
import { CHECK_EVERY, Deadline } from './deadline.js';
import { dependent } from './dependence.js';
import { formatSchedule } from './schedule.js';
import { shortestCounterexample } from './shortest.js';
import type { Footprint, TransitionSystem, Violation } from './system.js';
import {
  DEFAULT_SHORTEST_MAX_STATES,
  DEFAULT_SHORTEST_TIME_LIMIT_MS,
  DEFAULT_STATS_CAP,
  MEASURED_BYTES_PER_SHORTEST_STATE,
  MEASURED_BYTES_PER_STATE,
  type BudgetHit,
  type Counterexample,
  type ExploreOptions,
  type ExploreResult,
  type TraceStep,
} from './types.js';

/**
 * The stored sleep set of every state first entered with nothing asleep ('full' only,
 * where entries are never dropped): a revisit prunes against it and, since nothing is
 * missing from an empty set, never changes it.
 */
const NOTHING_ASLEEP: Set<string> = new Set();

interface Frame<S> {
  readonly state: S;
  /** Key under which this visit is cached (includes preemption context when bounded). */
  readonly cacheKey: string;
  /** The state key, for the cycle check of persistent sets. */
  readonly key: string;
  /** The stored sleep set of the cache entry this frame owns, if it owns one. */
  readonly stored: Set<string> | undefined;
  readonly enabled: readonly string[];
  /** Footprints of enabled threads; only filled when sleep sets are on. */
  /** Footprint of an enabled thread's next step, computed when first needed. */
  readonly fp: (tid: string) => Footprint;
  readonly todo: readonly string[];
  next: number;
  /** Current sleep set: the entry set plus siblings already explored. */
  readonly sleep: Set<string>;
  /** The thread whose step led here, for counting preemptions. */
  readonly last: string | undefined;
  readonly preemptions: number;
}

class Search<S, E> {
  private readonly full: boolean;
  private readonly useSleep: boolean;
  private readonly bound: number | undefined;
  private readonly statsCap: number;
  /** Visited states the byte budget allows ('full' mode), worked out when first needed. */
  private memoryCap: number | undefined;
  private readonly deadline: Deadline;

  /** 'full': every state ever explored. Otherwise: states on the current path. */
  private readonly cache = new Map<string, Set<string>>();
  /**
   * Every state key reached, unless `cache` is that set: with a visited set ('full')
   * and no preemption bound, every key reached gets its entry there before `enter`
   * returns, under the key itself, so one hash table fewer is filled at every state.
   */
  private readonly seen = new Set<string>();
  private readonly keysInCache: boolean;
  private readonly stack: Frame<S>[] = [];
  /** Keys of the states on the current path. */
  private readonly onStack = new Set<string>();
  persistentUsed = 0;
  /** path[i] is the step from stack[i] to stack[i + 1]. */
  private readonly path: TraceStep<E>[] = [];

  executions = 0;
  transitions = 0;
  violations = 0;
  sleepBlocked = 0;
  preemptionCuts = 0;
  statesCapped = false;
  budgetHit: BudgetHit | undefined;
  first: { violation: Violation; trace: TraceStep<E>[] } | undefined;
  private stopped = false;

  constructor(private readonly sys: TransitionSystem<S, E>, private readonly opts: ExploreOptions) {
    const reduction = opts.reduction ?? 'full';
    this.full = reduction === 'full';
    this.bound = opts.preemptionBound;
    this.useSleep = reduction !== 'none' && this.bound === undefined;
    this.keysInCache = this.full && this.bound === undefined;
    this.statsCap = opts.maxStates ?? (this.full ? Infinity : DEFAULT_STATS_CAP);
    this.deadline = new Deadline(opts.timeLimitMs, opts.shouldCancel, opts.maxHeapBytes);
    this.progressEveryMs = opts.progressEveryMs ?? 100;
  }

  private readonly progressEveryMs: number;
  private lastProgress = 0;

  /** Tells the caller how far the search has got, when enough time has passed. */
  private progress(): void {
    if (!this.opts.onProgress) return;
    const elapsedMs = this.deadline.elapsedMs();
    if (elapsedMs - this.lastProgress < this.progressEveryMs) return;
    this.lastProgress = elapsedMs;
    this.opts.onProgress({ executions: this.executions, states: this.states, elapsedMs });
  }

  get states(): number {
    return this.keysInCache ? this.cache.size : this.seen.size;
  }

  elapsedMs(): number {
    return this.deadline.elapsedMs();
  }

  run(): void {
    this.enter(this.sys.initial(), new Set(), undefined, 0);
    let ticks = 0;
    while (this.stack.length > 0 && !this.stopped) {
      if (++ticks % CHECK_EVERY === 0) {
        const why = this.deadline.check();
        if (why) return this.stop(why);
        this.progress();
      }
      const top = this.stack[this.stack.length - 1]!;
      if (top.next >= top.todo.length) {
        this.pop();
        continue;
      }
      // Checked before a step rather than after a leaf, so a search that ends exactly
      // at the budget is reported complete.
      if (this.opts.maxExecutions !== undefined && this.executions >= this.opts.maxExecutions) {
        return this.stop('executions');
      }
      this.advance(top, top.todo[top.next++]!);
    }
  }

  private stop(why: BudgetHit): void {
    this.budgetHit = why;
    this.stopped = true;
  }

  private advance(top: Frame<S>, tid: string): void {
    const preemptions =
      top.last !== undefined && tid !== top.last && top.enabled.includes(top.last)
        ? top.preemptions + 1
        : top.preemptions;
    if (this.bound !== undefined && preemptions > this.bound) {
      this.preemptionCuts++;
      return;
    }
    const childSleep = new Set<string>();
    if (this.useSleep) {
      const fp = top.fp(tid);
      for (const t of top.sleep) if (!dependent(top.fp(t), fp)) childSleep.add(t);
      top.sleep.add(tid);
    }
    const r = this.sys.step(top.state, tid);
    this.transitions++;
    const step: TraceStep<E> = { index: this.path.length, tid, event: r.event };
    if (r.violation) {
      this.leaf(r.violation, step);
      return;
    }
    this.path.push(step);
    if (!this.enter(r.state, childSleep, tid, preemptions)) this.path.pop();
  }

  private pop(): void {
    const f = this.stack.pop()!;
    this.sys.release?.(f.state);
    this.onStack.delete(f.key);
    if (!this.full && f.stored !== undefined && this.cache.get(f.cacheKey) === f.stored) {
      this.cache.delete(f.cacheKey);
    }
    if (this.stack.length > 0) this.path.pop();
  }

  /** A path ends here; `last` is a violating step that was not pushed on the path. */
  private leaf(violation: Violation | undefined, last?: TraceStep<E>): void {
    this.executions++;
    if (!violation) return;
    this.violations++;
    // Copied only once: most leaves are not the first violation.
    this.first ??= { violation, trace: last ? [...this.path, last] : [...this.path] };
    if (this.opts.stopAtFirstViolation) this.stopped = true;
  }

  /** Records a newly reached key; false when the 'full' budget forbids exploring it. */
  private see(key: string): boolean {
    if (this.keysInCache ? this.cache.has(key) : this.seen.has(key)) return true;
    if (this.full && this.states >= (this.memoryCap ??= memoryStateCap(this.opts))) {
      this.stop('memory');
      return false;
    }
    if (this.states >= this.statsCap) {
      if (this.full) {
        this.stop('states');
        return false;
      }
      this.statesCapped = true;
      return true;
    }
    // otherwise enter puts the key in the cache
    if (!this.keysInCache) this.seen.add(key);
    return true;
  }

  /**
   * The system's persistent set at `state`, unless its step would return to a state
   * on the current path: then every enabled thread (the cycle proviso, so that no
   * thread is postponed forever around a cycle).
   */
  private persistentSet(state: S, key: string, enabled: readonly string[]): Set<string> | undefined {
    if (!this.useSleep || !this.sys.persistent || enabled.length < 2) return undefined;
    const chosen = this.sys.persistent(state, enabled);
    if (!chosen || chosen.length === 0 || chosen.length >= enabled.length) return undefined;
    for (const t of chosen) {
      const r = this.sys.step(state, t);
      if (r.violation) continue;
      const next = this.sys.key(r.state);
      if (next === key || this.onStack.has(next)) return undefined;
    }
    this.persistentUsed++;
    return new Set(chosen);
  }

  /** Arrive at `state` with sleep set `sleep`; true when a frame was pushed. */
  private enter(state: S, sleep: ReadonlySet<string>, last: string | undefined, preemptions: number): boolean {
    const key = this.sys.key(state);
    if (!this.see(key)) return false;
    // Under a preemption bound, what remains explorable depends on how we got here.
    const cacheKey = this.bound === undefined ? key : `${key}\u0000${last ?? ''}\u0000${preemptions}`;

    const stored = this.cache.get(cacheKey);
    let revisit: Set<string> | undefined;
    if (stored) {
      const missing = [...stored].filter((t) => !sleep.has(t));
      if (missing.length === 0) {
        this.leaf(undefined);
        return false;
      }
      for (const t of missing) stored.delete(t);
      revisit = new Set(missing);
    }

    const kind = classify(this.sys, state);
    if (kind.kind !== 'running') {
      // Ends here whatever the sleep set, so a later visit is always pruned.
      if (this.full && !stored) this.cache.set(cacheKey, NOTHING_ASLEEP);
      this.leaf(kind.violation);
      return false;
    }

    const fps = new Map<string, Footprint>();
    const fp = (t: string): Footprint => {
      let f = fps.get(t);
      if (!f) fps.set(t, (f = this.sys.footprint(state, t)));
      return f;
    };
    const frameSleep = new Set<string>();
    if (this.useSleep) {
      for (const t of kind.enabled) {
        // A sleeping thread that is no longer enabled cannot be scheduled anyway.
        if (sleep.has(t)) frameSleep.add(t);
      }
    }
    const chosen = this.persistentSet(state, key, kind.enabled);
    const todo = kind.enabled.filter((t) => (revisit ? revisit.has(t) : !frameSleep.has(t)) && (!chosen || chosen.has(t)));

    let owned: Set<string> | undefined;
    if (!stored && (this.full || todo.length > 0)) {
      // kept as long as the search runs ('full'): most states are entered with nothing asleep
      owned = this.full && frameSleep.size === 0 ? NOTHING_ASLEEP : new Set(frameSleep);
      this.cache.set(cacheKey, owned);
    }
    if (todo.length === 0) {
      this.sleepBlocked++;
      return false;
    }
    this.onStack.add(key);
    this.stack.push({
      state,
      key,
      cacheKey,
      stored: owned,
      enabled: kind.enabled,
      fp,
      todo,
      next: 0,
      sleep: frameSleep,
      last,
      preemptions,
    });
    return true;
  }
}

/** How many visited states fit in the byte budget, after the shortest-trace search's share. */
function memoryStateCap(opts: ExploreOptions): number {
  if (opts.maxMemoryBytes === undefined) return Infinity;
  const perState = opts.bytesPerState ?? MEASURED_BYTES_PER_STATE;
  const shortest = (opts.shortest ?? true)
    ? (opts.shortestMaxStates ?? DEFAULT_SHORTEST_MAX_STATES) * (opts.bytesPerShortestState ?? MEASURED_BYTES_PER_SHORTEST_STATE)
    : 0;
  return Math.max(0, Math.floor((opts.maxMemoryBytes - shortest) / perState));
}

export function explore<S, E>(sys: TransitionSystem<S, E>, options: ExploreOptions = {}): ExploreResult<E> {
  const search = new Search(sys, options);
  search.run();

  let firstViolation: Counterexample<E> | undefined;
  if (search.first) {
    let { violation, trace } = search.first;
    let shortest = false;
    if (options.shortest ?? true) {
      // Unless told otherwise, the shortest search stays within the caller's time limit.
      const remaining = options.timeLimitMs === undefined ? Infinity : options.timeLimitMs - search.elapsedMs();
      const shortestTimeLimitMs = options.shortestTimeLimitMs ?? Math.max(0, Math.min(DEFAULT_SHORTEST_TIME_LIMIT_MS, remaining));
      const found = shortestCounterexample(sys, violation.invariant, { ...options, shortestTimeLimitMs });
      if (found && found.trace.length <= trace.length) {
        ({ violation, trace } = found);
        shortest = true;
      }
    }
    firstViolation = { violation, trace, schedule: formatSchedule(trace.map((s) => s.tid)) };
    if (shortest) firstViolation.shortest = true;
  }

  const result: ExploreResult<E> = {
    verdict: search.violations > 0 ? 'violated' : search.budgetHit ? 'incomplete' : 'holds',
    executions: search.executions,
    states: search.states,
    transitions: search.transitions,
    violations: search.violations,
    ms: search.elapsedMs(),
  };
  if (search.budgetHit) result.budgetHit = search.budgetHit;
  if (firstViolation) result.firstViolation = firstViolation;
  if (search.statesCapped) result.statesCapped = true;
  if (search.sleepBlocked > 0) result.sleepBlocked = search.sleepBlocked;
  if (search.preemptionCuts > 0) result.preemptionCuts = search.preemptionCuts;
  if (search.persistentUsed > 0) result.persistentSets = search.persistentUsed;
  return result;
}
