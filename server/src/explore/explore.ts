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
 *
 * Sets of threads (sleep sets, the stored sleep set of every visited state, persistent
 * sets) are bits of a number: each thread id gets a bit when first seen. A visited state
 * then costs a number in the cache, not a set.
 */
import { classify, classifyInto, classifyPlaces, placed, type PlacedSystem } from './classify.js';
import { CHECK_EVERY, Deadline } from './deadline.js';
import { dependent } from './dependence.js';
import { cycleLivelock } from './livelock.js';
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
import { VisitedSet } from './visited.js';

/** thread ids a search can tell apart in its bit sets */
const MAX_THREAD_IDS = 31;

/**
 * A state on the current path. Frames are kept by depth and reused: a search allocates
 * none (and none of their lists) per state once its path has been that deep.
 */
interface Frame<S> {
  state: S | undefined;
  /** Key under which this visit is cached (includes preemption context when bounded). */
  cacheKey: string;
  /** The state key, for the cycle check of persistent sets. */
  key: string;
  /** Whether this frame made the cache entry of its key (dropped with it when not 'full'). */
  owns: boolean;
  /** where the key's mark of the current path is (VisitedSet.add), -1 when not known */
  mark: number;
  /** the enabled threads, in the system's order, and the bit of each (and its place in the state, when the system answers by place) */
  readonly enabled: string[];
  readonly enabledBits: number[];
  readonly places: number[];
  /** the place of each enabled thread, by its bit */
  readonly placeOf: number[];
  /** Footprints of enabled threads' next steps by thread bit, computed when first needed. */
  readonly fps: (Footprint | undefined)[];
  /** places in `enabled` (bits) still to take, lowest first */
  todo: number;
  /** Current sleep set (bits): the entry set plus siblings already explored. */
  sleep: number;
  /** The thread whose step led here, for counting preemptions. */
  last: string | undefined;
  preemptions: number;
}

function newFrame<S>(): Frame<S> {
  return { state: undefined, cacheKey: '', key: '', owns: false, mark: -1, enabled: [], enabledBits: [], places: [], placeOf: [], fps: [], todo: 0, sleep: 0, last: undefined, preemptions: 0 };
}

/** The keys of the current path when the search keeps no visited set. */
class PathKeys {
  private readonly keys = new Set<string>();
  add(key: string): number {
    this.keys.add(key);
    return -1;
  }
  delete(key: string): void {
    this.keys.delete(key);
  }
  has(key: string): boolean {
    return this.keys.has(key);
  }
}

class Search<S, E> {
  private readonly full: boolean;
  private readonly useSleep: boolean;
  private readonly bound: number | undefined;
  private readonly statsCap: number;
  /** Visited states the byte budget allows ('full' mode), worked out when first needed. */
  private memoryCap: number | undefined;
  private readonly deadline: Deadline;

  /** 'full': every state ever explored, with its stored sleep set (bits). Otherwise: states on the current path. */
  private readonly cache: VisitedSet | Map<string, number>;
  /** thread ids by bit, and bits by id */
  private readonly tids: string[] = [];
  private readonly bits = new Map<string, number>();
  /**
   * Every state key reached, unless `cache` is that set: with a visited set ('full')
   * and no preemption bound, every key reached gets its entry there before `enter`
   * returns, under the key itself, so one hash table fewer is filled at every state.
   */
  private readonly seen = new Set<string>();
  private readonly keysInCache: boolean;
  /** the current path's frames are the first `depth`; the rest wait to be reused */
  private readonly stack: Frame<S>[] = [];
  private depth = 0;
  /** Keys of the states on the current path (marks in the visited set when it holds every key reached). */
  private readonly onStack: { add(key: string): number; delete(key: string, hint?: number): void; has(key: string): boolean };
  persistentUsed = 0;
  /** The steps from stack[i] to stack[i + 1]: their threads and events (TraceSteps are made only for a trace). */
  private readonly pathTids: string[] = [];
  private readonly pathEvents: E[] = [];

  executions = 0;
  transitions = 0;
  violations = 0;
  sleepBlocked = 0;
  preemptionCuts = 0;
  statesCapped = false;
  budgetHit: BudgetHit | undefined;
  first: { violation: Violation; trace: TraceStep<E>[] } | undefined;
  private stopped = false;

  /** the system, when it answers by thread place (TransitionSystem's optional six) */
  private readonly placed: PlacedSystem<S, E> | undefined;

  constructor(private readonly sys: TransitionSystem<S, E>, private readonly opts: ExploreOptions) {
    this.placed = placed(sys);
    const reduction = opts.reduction ?? 'full';
    this.full = reduction === 'full';
    this.bound = opts.preemptionBound;
    this.useSleep = reduction !== 'none' && this.bound === undefined;
    this.keysInCache = this.full && this.bound === undefined;
    // the full search never forgets a state: a table of numbers; otherwise states leave the path
    this.cache = this.full ? new VisitedSet() : new Map();
    this.onStack = this.keysInCache ? (this.cache as VisitedSet) : new PathKeys();
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
    const initial = this.sys.initial();
    this.enter(this.sys.key(initial), initial, undefined, -1, 0, undefined, 0);
    let ticks = 0;
    while (this.depth > 0 && !this.stopped) {
      if (++ticks % CHECK_EVERY === 0) {
        const why = this.deadline.check();
        if (why) return this.stop(why);
        this.progress();
      }
      const top = this.stack[this.depth - 1]!;
      if (top.todo === 0) {
        this.pop();
        continue;
      }
      // Checked before a step rather than after a leaf, so a search that ends exactly
      // at the budget is reported complete.
      if (this.opts.maxExecutions !== undefined && this.executions >= this.opts.maxExecutions) {
        return this.stop('executions');
      }
      const at = 31 - Math.clz32(top.todo & -top.todo);
      top.todo &= top.todo - 1;
      this.advance(top, at);
    }
  }

  private stop(why: BudgetHit): void {
    this.budgetHit = why;
    this.stopped = true;
  }

  /** Takes the step of the enabled thread at place `at` of the top frame. */
  private advance(top: Frame<S>, at: number): void {
    const tid = top.enabled[at]!;
    let preemptions = 0;
    if (this.bound !== undefined) {
      preemptions = top.last !== undefined && tid !== top.last && top.enabled.includes(top.last) ? top.preemptions + 1 : top.preemptions;
      if (preemptions > this.bound) {
        this.preemptionCuts++;
        return;
      }
    }
    let childSleep = 0;
    if (this.useSleep) {
      const bit = top.enabledBits[at]!;
      if (top.sleep !== 0) {
        const fp = this.fp(top, bit);
        for (let rest = top.sleep; rest !== 0; rest &= rest - 1) {
          const b = 31 - Math.clz32(rest & -rest);
          if (!dependent(this.fp(top, b), fp)) childSleep |= 1 << b;
        }
      }
      top.sleep |= 1 << bit;
    }
    this.transitions++;
    // the key of the state after first, when the system tells it: a step into a state the
    // visited set prunes then makes no state (enter makes it when it is explored)
    const next = this.placed?.successorKey?.(top.state!, top.places[at]!);
    let state: S | undefined;
    let event: E | undefined;
    if (next === undefined) {
      const r = this.placed ? this.placed.stepAt(top.state!, top.places[at]!) : this.sys.step(top.state!, tid);
      if (r.violation) {
        this.leaf(r.violation, tid, r.event);
        return;
      }
      state = r.state;
      event = r.event;
    }
    this.pathTids.push(tid);
    // an event not yet known is filled in when enter makes the state (made)
    this.pathEvents.push(event as E);
    if (!this.enter(next ?? this.sys.key(state!), state, top, at, childSleep, tid, preemptions)) {
      this.pathTids.pop();
      this.pathEvents.pop();
    }
  }

  /** The state the step of place `at` of frame `from` leads to (a step that fires no violation), its event put on the path. */
  private made(from: Frame<S>, at: number): S {
    const r = this.placed!.stepAt(from.state!, from.places[at]!);
    this.pathEvents[this.pathEvents.length - 1] = r.event;
    return r.state;
  }

  private pop(): void {
    const f = this.stack[--this.depth]!;
    this.sys.release?.(f.state!);
    this.onStack.delete(f.key, f.mark);
    if (!this.full && f.owns && this.cache instanceof Map) this.cache.delete(f.cacheKey);
    // what the frame held goes with it, not when the frame is next used
    f.state = undefined;
    for (const b of f.enabledBits) f.fps[b] = undefined;
    if (this.depth > 0) {
      this.pathTids.pop();
      this.pathEvents.pop();
    }
  }

  /** The current path as a trace, with `extra` steps after it. */
  private trace(extra: readonly TraceStep<E>[] = []): TraceStep<E>[] {
    const out: TraceStep<E>[] = this.pathTids.map((tid, index) => ({ index, tid, event: this.pathEvents[index]! }));
    for (const s of extra) out.push(s);
    return out;
  }

  /** A path ends here; a violating step that was not pushed on the path (`tid`, `event`) ends it when given. */
  private leaf(violation: Violation | undefined, tid?: string, event?: E): void {
    this.executions++;
    if (!violation) return;
    this.violations++;
    // Copied only once: most leaves are not the first violation.
    this.first ??= { violation, trace: this.trace(tid !== undefined ? [{ index: this.pathTids.length, tid, event: event! }] : []) };
    if (this.opts.stopAtFirstViolation) this.stopped = true;
  }

  /** Records a newly reached key; false when the 'full' budget forbids exploring it. */
  private see(key: string): boolean {
    // with keys in the cache, enter has found none for this one
    if (!this.keysInCache && this.seen.has(key)) return true;
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
  private persistentSet(state: S, key: string, f: Frame<S>): number | undefined {
    const { enabled } = f;
    if (!this.useSleep || enabled.length < 2) return undefined;
    if (this.placed) return this.persistentPlaces(this.placed, state, key, f);
    if (!this.sys.persistent) return undefined;
    const chosen = this.sys.persistent(state, enabled);
    if (!chosen || chosen.length === 0 || chosen.length >= enabled.length) return undefined;
    for (const t of chosen) {
      const r = this.sys.step(state, t);
      if (r.violation) continue;
      const next = this.sys.key(r.state);
      if (next === key || this.onStack.has(next)) return undefined;
    }
    this.persistentUsed++;
    let set = 0;
    for (const t of chosen) set |= 1 << this.bit(t);
    return set;
  }

  /** `persistentSet` asked by place. */
  private persistentPlaces(sys: PlacedSystem<S, E>, state: S, key: string, f: Frame<S>): number | undefined {
    const { places } = f;
    const chosen = sys.persistentAt(state, places);
    if (!chosen || chosen.length === 0 || chosen.length >= places.length) return undefined;
    for (const p of chosen) {
      let next = sys.successorKey?.(state, p);
      if (next === undefined) {
        const r = sys.stepAt(state, p);
        if (r.violation) continue;
        next = sys.key(r.state);
      }
      if (next === key || this.onStack.has(next)) return undefined;
    }
    this.persistentUsed++;
    let set = 0;
    for (const p of chosen) {
      const j = places.indexOf(p);
      set |= 1 << (j >= 0 ? f.enabledBits[j]! : this.bit(sys.threadId(state, p)));
    }
    return set;
  }

  /** the id last seen at each place of the enabled list, and its bit */
  private readonly idAt: string[] = [];
  private readonly bitAt: number[] = [];

  /** The bit of thread `tid` in this search's sets. */
  private bit(tid: string): number {
    let b = this.bits.get(tid);
    if (b === undefined) {
      b = this.tids.length;
      if (b >= MAX_THREAD_IDS) throw new Error(`more than ${MAX_THREAD_IDS} thread ids in one search (${tid})`);
      this.bits.set(tid, b);
      this.tids.push(tid);
    }
    return b;
  }

  /** The footprint of the next step of the thread with bit `b` at the frame's state. */
  private fp(f: Frame<S>, b: number): Footprint {
    return (f.fps[b] ??= this.placed ? this.placed.footprintAt(f.state!, f.placeOf[b]!) : this.sys.footprint(f.state!, this.tids[b]));
  }

  /** The livelock closed by the step just taken back to the state `key` of the current path, if it is one. */
  private livelockTo(key: string): Violation | undefined {
    let from = this.depth - 1;
    while (from >= 0 && this.stack[from]!.key !== key) from--;
    if (from < 0) return undefined;
    const enabledCounts = this.stack.slice(from, this.depth).map((f) => f.enabled.length);
    return cycleLivelock(enabledCounts, this.pathTids.slice(from), 0);
  }

  /**
   * Runs the only enabled thread from `state` for as long as it stays the only one: a
   * state met twice on the way is a livelock, ended as a violation with the way there.
   * The sleep set kept the search from taking these steps because an equivalent
   * interleaving takes them, but along a cycle no interleaving reaches an end.
   */
  private followAlone(state: S, key: string, tid: string, place: number): void {
    if (this.aloneEnds.has(key)) return;
    // a thread that cannot come back to where it is closes no cycle
    if (this.placed?.mayReturnAt?.(state, place) === false) return;
    const keys = new Set<string>([key]);
    const steps: TraceStep<E>[] = [];
    const enabledCounts: number[] = [1];
    const sys = this.placed;
    let at = state;
    for (;;) {
      if (steps.length % CHECK_EVERY === CHECK_EVERY - 1 && this.deadline.check()) return;
      const r = sys ? sys.stepAt(at, place) : this.sys.step(at, tid);
      steps.push({ index: this.pathTids.length + steps.length, tid, event: r.event });
      if (r.violation) break;
      const next = this.sys.key(r.state);
      if (this.aloneEnds.has(next)) break;
      if (keys.has(next)) {
        const violation = cycleLivelock(enabledCounts, steps.map((x) => x.tid), 0);
        if (violation) this.leafAfter(violation, steps);
        return;
      }
      keys.add(next);
      // still the only thread that can run, and the same one (by place when the system answers so)
      if (sys) {
        if (classifyPlaces(sys, r.state, this.aloneIds, this.alonePlaces) || this.aloneIds.length !== 1 || this.aloneIds[0] !== tid) break;
        place = this.alonePlaces[0]!;
      } else {
        const kind = classify(this.sys, r.state);
        if (kind.kind !== 'running' || kind.enabled.length !== 1 || kind.enabled[0] !== tid) break;
      }
      enabledCounts.push(1);
      at = r.state;
    }
    // the way from each of these states ends: not followed again
    for (const k of keys) this.aloneEnds.add(k);
  }

  /** followAlone's lists of the enabled threads at a state and their places, reused */
  private readonly aloneIds: string[] = [];
  private readonly alonePlaces: number[] = [];

  /** States from which the only enabled thread, run alone, was seen to reach an end or another thread. */
  private readonly aloneEnds = new Set<string>();

  /** A path that goes on past the current one by `steps` and ends in `violation` there. */
  private leafAfter(violation: Violation, steps: readonly TraceStep<E>[]): void {
    this.executions++;
    this.violations++;
    this.first ??= { violation, trace: this.trace(steps) };
    if (this.opts.stopAtFirstViolation) this.stopped = true;
  }

  /**
   * Arrive at the state with key `key` with sleep set `sleep`: `state`, or when that is
   * undefined the one the step of place `at` of frame `from` leads to, made only if the
   * state is not pruned. True when a frame was pushed.
   */
  private enter(key: string, state: S | undefined, from: Frame<S> | undefined, at: number, sleep: number, last: string | undefined, preemptions: number): boolean {
    // Under a preemption bound, what remains explorable depends on how we got here.
    const cacheKey = this.bound === undefined ? key : `${key}\u0000${last ?? ''}\u0000${preemptions}`;
    const stored = this.cache.get(cacheKey);
    // back at a state of the current path: a cycle, a livelock if one thread alone could run along it
    if ((stored !== undefined || this.bound !== undefined) && this.depth > 0 && this.onStack.has(key)) {
      const livelock = this.livelockTo(key);
      if (livelock) {
        // the trace has the step's event
        if (state === undefined) this.made(from!, at);
        this.leaf(livelock);
        return false;
      }
    }
    // when the cache is the set of keys seen, an entry there is the key seen: one lookup, not two
    if (!(this.keysInCache && stored !== undefined) && !this.see(key)) return false;
    // the threads stored as asleep that are awake now, when this state was entered before
    let revisit: number | undefined;
    if (stored !== undefined) {
      revisit = stored & ~sleep;
      if (revisit === 0) {
        this.leaf(undefined);
        return false;
      }
      this.cache.set(cacheKey, stored & sleep);
    }
    state ??= this.made(from!, at);

    // the next frame is filled in place; it only counts as pushed when the depth grows
    const f = this.stack[this.depth] ?? (this.stack[this.depth] = newFrame<S>());
    const enabled = f.enabled;
    const ending = this.placed ? classifyPlaces(this.placed, state, enabled, f.places) : classifyInto(this.sys, state, enabled);
    if (ending) {
      // Ends here whatever the sleep set, so a later visit is always pruned.
      if (this.full && stored === undefined) this.cache.set(cacheKey, 0);
      this.leaf(ending.violation);
      return false;
    }

    // A sleeping thread that is no longer enabled cannot be scheduled anyway.
    const bits = f.enabledBits;
    if (bits.length !== enabled.length) bits.length = enabled.length;
    let enabledBits = 0;
    for (let j = 0; j < enabled.length; j++) {
      // the thread at a place is mostly the one seen there last time: its bit without a look-up
      const t = enabled[j]!;
      let b: number;
      if (this.idAt[j] === t) b = this.bitAt[j]!;
      else {
        b = this.bit(t);
        this.idAt[j] = t;
        this.bitAt[j] = b;
      }
      bits[j] = b;
      enabledBits |= 1 << b;
      if (this.placed) f.placeOf[b] = f.places[j]!;
    }
    const frameSleep = this.useSleep ? sleep & enabledBits : 0;
    // the threads to take from here, in the order they are enabled: those the revisit woke
    // (or those awake), within the persistent set when there is one; when every enabled
    // thread sleeps none is taken whatever the set, so it is not chosen (a tenth of the
    // states of the larger races end so, and choosing executes every enabled thread's step)
    const awake = (revisit !== undefined ? revisit : ~frameSleep) & enabledBits;
    const chosen = awake === 0 ? undefined : this.persistentSet(state, key, f);
    const take = awake & (chosen === undefined ? -1 : chosen);
    let todo = 0;
    for (let j = 0; j < enabled.length; j++) if (take & (1 << bits[j]!)) todo |= 1 << j;

    const owns = stored === undefined && (this.full || todo !== 0);
    if (owns) this.cache.set(cacheKey, frameSleep);
    if (todo === 0) {
      this.sleepBlocked++;
      // the one thread that could run is asleep: a cycle it runs alone from here would never be walked
      if (enabled.length === 1) this.followAlone(state, key, enabled[0]!, f.places[0]!);
      return false;
    }
    f.mark = this.onStack.add(key);
    f.state = state;
    f.key = key;
    f.cacheKey = cacheKey;
    f.owns = owns;
    f.todo = todo;
    f.sleep = frameSleep;
    f.last = last;
    f.preemptions = preemptions;
    this.depth++;
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
