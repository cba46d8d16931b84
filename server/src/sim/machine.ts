/**
 * Runs programs of atomic steps over the simulated page cache: a thread per CPU
 * (and per I/O completion), each a stack of frames of `FunctionProgram`s. A step is
 * one primitive call or one load/store of a changing field; after it the thread
 * runs its local computation (assignments, branches, calls into other models, checks)
 * up to its next step, so the state between steps is exactly what other CPUs see.
 *
 * The machine has the shape the explorer asks for (initial, key, threads, enabled,
 * footprint, step, finish, persistent) without importing the search. It is the façade
 * over modules with one job each: runner.ts runs a thread's code (compiled once per
 * function by compile.ts), program-facts.ts knows what the reachable code does as a
 * whole, check-reads.ts which reads only feed checks, and explore/persistent.ts picks
 * persistent sets from the one question answered here: may this step conflict with
 * what that thread can still do. Here: states, transitions (with the step fusions that
 * make them), their footprints, and the threads' futures.
 */
import type { Value } from './program.js';
import type { StepContext } from './primitive.js';
import { PrimitiveError } from './primitive.js';
import { key } from './world.js';
import { WorldStore, WorldWriter } from './store.js';
import { finalViolation } from './invariants.js';
import { stateKey, threadHash } from './state-key.js';
import { NO_REMARKS, newSink, TransitionContext, type StepSink } from './transition-context.js';
import type { Assumption } from './assumptions.js';
import type { FunctionCoverage } from './coverage.js';
import { ProgramFacts, sharedFacts } from './program-facts.js';
import { Runner } from './runner.js';
import { readsForChecks } from './check-reads.js';
import { StateQuestion } from './state-question.js';
import { classMasks, classOfKey, conflicts, footprintMasks, intersects, type ClassSet, type StepMasks } from './footprint-classes.js';
import { threadFuture } from './futures.js';
import { IO_THREAD, type MachineOptions, type Outcome, type SimState, type StepEvent, type Thread, type ThreadSpec } from './machine-types.js';
import { copyThread, newOutcome, newPlace, newState, newThread } from './thread-copy.js';
import { ioEffect, memoEntry, stateAfter, TransitionMemo, type Decision, type MemoEntry } from './transition-memo.js';
import { clearScratch, hasBug, keepChanges, newScratch, threadFate, type Scratch } from './transition-fate.js';
import { keepCanStep, keptCanStep } from './can-step-memo.js';
import { netFootprint } from './net-footprint.js';
import { newConflictNumbering } from './class-masks.js';

export type { CompiledFunction, CompiledInstr, Frame, Linker, MachineOptions, Outcome, Resolved, SimState, StepEvent, Thread, ThreadSpec } from './machine-types.js';
export { ModelError } from './errors.js';

export { IO_THREAD } from './machine-types.js';
/** steps one transition may take (a thread spinning on what only it touches must come back) */
const MAX_FUSED = 64;
/** steps of one thread simulated to see whether it is about to wait (Machine.waitingClasses) */
const MAX_WAIT_LOOKAHEAD = 1;
const PG_MAPPING = new Set(['pg.mapping']);
const REMOVES = Symbol('removes');

export class Machine {
  private readonly maxSteps: number;
  private readonly keys: string[];
  private readonly index = new Map<string, number>();

  /** what the reachable code does, computed once per set of programs (program-facts.ts) */
  readonly facts: ProgramFacts;

  constructor(private readonly opts: MachineOptions) {
    const shared = sharedFacts(opts.factsKey, () => new ProgramFacts(opts.linker, opts.layout, [...opts.cpus, ...(opts.final ? [opts.final] : [])]));
    this.facts = shared.facts;
    this.futureTrie = shared.futures;
    this.maxSteps = opts.maxThreadSteps ?? 400;
    this.keys = Object.keys(opts.world);
    this.keys.forEach((k, i) => this.index.set(k, i));
    this.run = new Runner(opts, this.index, this.facts, shared.code);
    // the conflict answers kept with masks are numbered per machine (class-masks.ts conflicts)
    newConflictNumbering();
  }

  /** runs threads' code (runner.ts) */
  private readonly run: Runner;

  // ---- the explorer's interface -------------------------------------------------

  initial(): SimState {
    const state = newState(WorldStore.of(this.keys.map((k) => this.opts.world[k])), [], false);
    for (const spec of this.opts.cpus) this.startThread(state, spec, undefined);
    this.maybeStartFinal(state, undefined);
    return state;
  }

  key(s: SimState): string {
    return (s.key ??= stateKey(s));
  }

  /** Kept with the state, and shared by a successor whose threads are the same ones (transition-memo.ts stateAfter). */
  threads(s: SimState): readonly string[] {
    if (s.ids) return s.ids;
    const threads = s.threads;
    const ids: string[] = new Array(threads.length);
    for (let i = 0; i < threads.length; i++) ids[i] = threads[i].id;
    return (s.ids = ids);
  }

  enabled(s: SimState, tid: string): boolean {
    const threads = s.threads;
    let index = 0;
    while (index < threads.length && threads[index].id !== tid) index++;
    return index < threads.length && this.enabledIndex(s, index);
  }

  /** Whether the thread at place `index` can step. */
  protected enabledIndex(s: SimState, index: number): boolean {
    const thread = s.threads[index];
    const tid = thread.id;
    const kept = keptCanStep(thread.place, s.world);
    if (kept !== undefined) return kept;
    const slots = this.probeScratch;
    if (slots.length > 0) slots.length = 0;
    this.probeSlots = slots;
    try {
      const result = this.run.canStep(thread, this.probe(s.world, tid));
      keepCanStep(thread.place, slots, s.world, result);
      return result;
    } finally {
      this.probeSlots = undefined;
    }
  }

  /** the slots a probe of `enabledIndex` read, a list reused */
  private readonly probeScratch: number[] = [];

  /** while enabled asks: the slots the probe reads */
  private probeSlots: number[] | undefined;

  private probeWorld: WorldStore | undefined;
  private probeTid = '';
  private probeContext: StepContext | undefined;
  /** while blockReads asks: where the probe records what it reads */
  private probeReads: string[] | undefined;

  /** A read-only context for asking whether a step blocks: one object, reused. */
  private probe(world: WorldStore, tid: string): StepContext {
    this.probeWorld = world;
    this.probeTid = tid;
    if (!this.probeContext) {
      const fail = (): never => { throw new PrimitiveError('a blocking test may only read'); };
      const self = this;
      this.probeContext = {
        layout: this.opts.layout,
        get tid() { return self.probeTid; },
        get: (k) => {
          const i = this.index.get(k);
          if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
          this.probeReads?.push(k);
          this.probeSlots?.push(i);
          return this.probeWorld!.get(i);
        },
        set: fail, spawn: fail, violate: fail, out: fail, remark: () => {},
      };
    }
    return this.probeContext;
  }

  footprint(s: SimState, tid: string): { reads: string[]; writes: string[] } {
    // the outcome is its own footprint (its reads and writes), kept as long as the state asked about
    return this.outcome(s, tid);
  }

  step(s: SimState, tid: string): { state: SimState; event: StepEvent; violation?: { invariant: string; message: string } } {
    const out = this.outcome(s, tid);
    stateAfter(out);
    // the outcome is the step's result (state, event, violation): no object made per step
    return out as Outcome & { state: SimState };
  }

  finish(s: SimState): { invariant: string; message: string } | undefined {
    const v = finalViolation(this.opts.layout, (k) => { const i = this.index.get(k); return i === undefined ? undefined as unknown as Value : s.world.get(i); }, this.opts.checks);
    return v && this.opts.checks.has(v.invariant) ? v : undefined;
  }

  /**
   * A persistent set: the first enabled thread whose next step touches no class any
   * other live thread may still conflict with (footprint-classes.ts), judged first by
   * the instruction's stated classes, then by what the step really touches; failing
   * that, the smallest stubborn set of threads.
   */
  persistent(s: SimState, enabled: readonly string[]): string[] | undefined {
    const threads = s.threads;
    return this.question.at(s, enabled, this.removal(threads, s.world)).choose()?.map((i) => threads[i].id);
  }

  /** the persistent-set question, pointed at one state at a time (state-question.ts) */
  protected readonly question = new StateQuestion({
    stated: (t) => this.statedMasks(t),
    taken: (s, i) => this.dynamicMasks(s, i),
    pending: (t) => classMasks(this.run.pendingClasses(t) ?? this.future(t)),
    waiting: (s, i) => this.waitingClasses(s, s.threads[i].id),
    waits: () => this.opts.fuseSteps !== false && this.opts.stuckWaiters === true,
    future: (t) => this.futureMasks(t),
  });

  /** Threads that did not step are shared by successor states, and so are the classes their next step states. */
  private statedMasks(t: Thread): StepMasks | undefined {
    const place = t.place;
    if (place.stated !== undefined) return place.stated ?? undefined;
    // a read for checks is taken together with the step after it: its own classes do not say what the transition touches
    const stated = this.readsForChecks(t) ? undefined : this.run.pendingClasses(t);
    return (place.stated = stated ? classMasks(stated) : null) ?? undefined;
  }

  /**
   * When the thread, taking steps on its own from here, writes nothing and then blocks
   * within a few steps: what those steps and the wait read, as the classes of a step
   * that reads them and writes nothing.
   */
  private waitingClasses(s: SimState, tid: string): StepMasks | undefined {
    if (this.opts.fuseSteps === false || this.opts.stuckWaiters !== true) return undefined;
    const read = new Set<string>();
    let state = s;
    for (let i = 0; i < MAX_WAIT_LOOKAHEAD; i++) {
      const out = this.outcome(state, tid);
      if (out.violation || out.writes.length > 0) return undefined;
      for (const k of out.reads) read.add(classOfKey(k));
      // the step ended the thread, or started another one: not a wait
      const next = stateAfter(out);
      if (next.threads.length !== state.threads.length) return undefined;
      state = next;
      const thread = state.threads.find((t) => t.id === tid);
      if (!thread) return undefined;
      // what the wait's test reads: only a write there can let the thread go on
      const waits = this.blockReads(state, thread);
      if (!waits) continue;
      for (const k of waits) read.add(classOfKey(k));
      return classMasks({ r: read, w: new Set() });
    }
    return undefined;
  }

  /**
   * Whether a page may lose its place in the page cache from here on: until then, the
   * last reference of a page cannot be dropped and "is it freed" reads commute.
   */
  protected removal(threads: readonly Thread[], world: { get(i: number): Value }): boolean {
    if (this.facts.mayRemove) for (let i = 0; i < threads.length; i++) if (this.removes(threads[i])) return true;
    return this.mappingGone(world);
  }

  private get mappingSlots(): number[] {
    return (this.mappingSlotList ??= [...this.opts.layout.pages.keys()].map((p) => this.index.get(key.pageMapping(p))!));
  }

  private mappingSlotList: number[] | undefined;

  /**
   * Whether the thread's pending step touches nothing any other thread may still touch
   * (judged from the instruction's stated classes): such a step commutes with all the
   * others will ever do, so it joins the transition before it instead of being a point
   * where other CPUs are scheduled.
   */
  private invisible(state: SimState, world: WorldWriter, thread: Thread, decisions: Decision[]): boolean {
    const stated = this.run.pendingClasses(thread);
    if (!stated) {
      decisions.push({ step: undefined, selfRemoval: false, result: false });
      return false;
    }
    const step = classMasks(stated);
    // removal(state.threads, world), in the part that depends on this thread and the world and the part that does not
    const selfRemoval = (this.facts.mayRemove && this.removes(thread)) || this.mappingGone(world);
    const result = this.commutes(step, state.threads, thread, selfRemoval);
    decisions.push({ step, selfRemoval, result });
    return result;
  }

  /** Whether a step of `self` touching `step` conflicts with no future of the other threads. */
  private commutes(step: StepMasks, threads: readonly Thread[], self: Thread, selfRemoval: boolean): boolean {
    // whether a page may leave the page cache matters only to a step that asks whether a page is freed
    let removal = selfRemoval;
    if (!removal && step.freed && this.facts.mayRemove) {
      for (let i = 0; i < threads.length && !removal; i++) if (threads[i] !== self && this.removes(threads[i])) removal = true;
    }
    for (let i = 0; i < threads.length; i++) {
      const u = threads[i];
      if (u !== self && conflicts(step, this.futureMasks(u), removal)) return false;
    }
    return true;
  }

  /** Whether the thread's future may take a page out of the page cache (kept with the future, which places share). */
  private removes(t: Thread): boolean {
    const place = t.place;
    if (place.removes !== undefined) return place.removes;
    const f = this.future(t) as ClassSet & { [REMOVES]?: boolean };
    return (place.removes = f[REMOVES] ??= intersects(PG_MAPPING, f.w));
  }

  private mappingGone(world: { get(i: number): Value }): boolean {
    const slots = this.mappingSlots;
    for (let k = 0; k < slots.length; k++) if (world.get(slots[k]) === null) return true;
    return false;
  }

  /**
   * The transition of `tid` from here as the memo remembers it (transition-memo.ts): a
   * thread with the same key took it from a state whose slots it depended on held the
   * same values, and the decisions of its step fusion have the same answers here.
   */
  private remembered(s: SimState, index: number): Outcome | undefined {
    const self = s.threads[index];
    const e = this.memo.find(this.memoList(self), s.world, this.decide, s, self);
    // the thread's end must not leave none (the final block would start), unless it started I/O
    if (!e || (!e.thread && s.threads.length === 1 && e.io?.before !== false)) return undefined;
    // the step count is no part of where a thread is: it only counts the thread's transitions, and ends a livelock
    if (e.thread && e.thread.steps !== self.steps + 1 && self.steps + 1 >= this.maxSteps) return undefined;
    // the state after (and the thread after, with its own count) is built only if the explorer takes the step: most are asked for their footprint alone
    return newOutcome(undefined, e.event, e.reads, e.writes, undefined, e, s, index, self.steps + 1);
  }

  private readonly decide = (d: Decision, s: SimState, self: Thread): boolean => this.commutes(d.step!, s.threads, self, d.selfRemoval);

  /** The memo's transitions of threads where `t` is: same hash (live locals only) and label. */
  private memoList(t: Thread): MemoEntry[] {
    const place = t.place;
    if (place.memo) return place.memo;
    const h = threadHash(t);
    return (place.memo = this.memo.list(`${h[0]},${h[1]},${t.label}`));
  }

  private readonly memo = new TransitionMemo();

  private dynamicMasks(s: SimState, index: number): StepMasks {
    const out = this.outcomeAt(s, index);
    if (out.masks) return out.masks;
    const e = out.entry;
    return (out.masks = e ? (e.masks ??= footprintMasks(e.reads, e.writes)) : footprintMasks(out.reads, out.writes));
  }

  /** Threads that did not step are shared by successor states, and so are their futures (futures.ts). */
  private future(t: Thread): ClassSet {
    return (t.place.future ??= threadFuture(this.futureTrie, this.facts.classes, t));
  }

  /** The masks of a thread's future, kept with the thread (the future's own cache is a symbol-keyed property). */
  private futureMasks(t: Thread): StepMasks {
    return (t.place.futureMasks ??= classMasks(this.future(t)));
  }

  /** the futures of threads by where they are, shared with every machine over these programs (futures.ts) */
  private readonly futureTrie: object;

  // ---- stepping ------------------------------------------------------------------

  /** Steps are computed once per (state, thread): the explorer asks for the footprint first. */
  private outcome(s: SimState, tid: string): Outcome {
    const threads = s.threads;
    let index = 0;
    while (threads[index].id !== tid) index++;
    return this.outcomeAt(s, index);
  }

  protected outcomeAt(s: SimState, index: number): Outcome {
    // as long as the threads, not the growth capacity an empty array takes on its first store
    const byThread = (s.outcomes ??= new Array<Outcome | undefined>(s.threads.length));
    return (byThread[index] ??= this.remembered(s, index) ?? this.execute(s, index));
  }

  /** The explorer is done with this state: forget its steps (and the states they lead to). */
  release(s: SimState): void {
    s.outcomes = undefined;
  }

  private execute(s: SimState, index: number): Outcome {
    const old = s.threads[index];
    const tid = old.id;
    // Frames are copied on write: the top one now, a caller when a return writes into it.
    const frames = old.frames.slice();
    const top = frames.length - 1;
    const thread = newThread(tid, old.label, frames, old.steps + 1, old.spawned, old.queue);
    if (top >= 0) {
      const f = frames[top];
      frames[top] = { fn: f.fn, pc: f.pc, locals: f.locals.slice(), ret: f.ret, c: f.c, below: undefined, owner: thread };
    }
    // one scratch of these serves transition after transition (one does not start another): what outlives it is copied out
    const scratch = this.scratch ?? newScratch();
    this.scratch = undefined;
    const { sink, decisions, violations, steps: records } = scratch;
    const world = new WorldWriter(s.world, scratch.dirty);
    const state = newState(s.world, s.threads.slice(), s.finalStarted);
    state.threads[index] = thread;
    // The completion thread takes its next request from the head of the queue while
    // submitters append at its tail: the two commute (the request runs next either way,
    // in a new completion thread or the one that is finishing), so taking one is not a
    // read that conflicts with submitting. Two submissions do conflict: their order is
    // the order of completion.
    const ctx = this.context(world, tid, sink, violations, state);

    // Lipton's reduction: a lock acquire commutes with every later step of the other
    // CPUs and a release with every earlier one, so acquires run together with the
    // step after them and releases together with the step before: one transition
    // covers "lock; touch; unlock" and the states in between are never explored.
    // The first step is the transition's event, the others its fused steps.
    let violation: { invariant: string; message: string } | undefined;
    let phase = 'committed' as 'acquired' | 'committed';
    // whether every step so far was a read for checks (readsForChecks)
    let reading = true;
    for (;;) {
      const mover = this.run.moverAt(thread);
      if (reading && !this.readsForChecks(thread)) reading = false;
      // the step before is done: its record keeps a copy of what it and the local computation after it changed
      if (records.length > 0) keepChanges(records[records.length - 1], sink);
      sink.remarks = NO_REMARKS;
      sink.stepReads?.clear();
      sink.stepWrites?.clear();
      const last = this.run.stepOnce(thread, ctx, sink);
      records.push(last);
      phase = mover === 'acquire' && (records.length === 1 || phase === 'acquired') ? 'acquired' : 'committed';
      // a checked violation ends the path; an unchecked BUG still kills its thread
      violation = this.firstChecked(violations);
      if (violation) break;
      const local = hasBug(violations) ? 'killed' : this.run.runLocal(thread, ctx, violations);
      if (local === 'done') this.endThread(state, thread);
      // what the local computation after the step remarked (an unknown call, a WARN_ON) shows with the step
      if (sink.remarks !== last.remarks) last.remarks = sink.remarks;
      violation = this.firstChecked(violations);
      if (local === 'killed') this.endThread(state, thread);
      if (violation || local !== 'step') break;
      if (this.opts.fuseSteps === false) break;
      const next = this.run.moverAt(thread);
      // the transition so far wrote nothing (a primitive stated as a reader that wrote
      // after all does not count): see readsForChecks for why the step after may join
      if (reading && sink.writeCount > 0) reading = false;
      const steps = records.length;
      const fuse = (reading && steps < MAX_FUSED && this.run.canStep(thread, ctx))
        || next === 'release'
        || (phase === 'acquired' && this.run.canStep(thread, ctx))
        || (steps < MAX_FUSED && this.invisible(state, world, thread, decisions) && this.run.canStep(thread, ctx));
      if (!fuse) break;
    }
    if (!violation && thread.steps >= this.maxSteps && state.threads.includes(thread)) {
      violation = { invariant: 'deadlock', message: `${tid} took ${thread.steps} steps without finishing (livelock)` };
    }
    this.maybeStartFinal(state, ctx);
    // the final block's first local computation (a change to its stack object) shows with the last step, as it runs in its transition
    keepChanges(records[records.length - 1], sink);
    const event = records[0];
    if (records.length > 1) event.fused = records.slice(1);
    // asked about mid-transition, the thread's future was that of an earlier pc
    thread.place = newPlace();
    state.world = world.freeze();
    const { reads, writes } = netFootprint(s.world, state.world, sink);
    const entry = violation ? undefined : this.remember(s, state, old, thread, sink, decisions, event, reads, writes);
    this.scratch = clearScratch(scratch);
    return newOutcome(state, event, reads, writes, violation, entry);
  }

  /** transition after transition, execute's sink, decisions and violations, emptied */
  private scratch: Scratch | undefined;

  /**
   * The memo's entry of a transition from `s` to `state` of thread `old` (now `thread`),
   * kept in the memo, when it may stand for itself elsewhere: the others are as they
   * were (no other thread ended or begun, the final block not started; I/O started only
   * as the memo can replay it), the thread lives on or ended.
   */
  private remember(s: SimState, state: SimState, old: Thread, thread: Thread, sink: StepSink, decisions: readonly Decision[],
    event: StepEvent, reads: string[], writes: string[]): MemoEntry | undefined {
    const io = old.id === IO_THREAD ? undefined : ioEffect(s.threads, state.threads);
    if (state.finalStarted !== s.finalStarted || io === null) return undefined;
    const fate = io ? threadFate(s.threads.filter((t) => t.id !== IO_THREAD), state.threads.filter((t) => t.id !== IO_THREAD), old, thread)
      : threadFate(s.threads, state.threads, old, thread);
    if (fate === undefined) return undefined;
    const entry = memoEntry(this.mappingSlots, s.world, state.world, sink, decisions.slice(), fate ? thread : undefined, event, reads, writes, io);
    if (entry) this.memo.add(this.memoList(old), entry);
    return entry;
  }

  /**
   * The locations the thread's pending step reads to find that it must wait, when it
   * must (undefined when it can run). A blocking test is a function of what it reads.
   */
  private blockReads(state: SimState, thread: Thread): string[] | undefined {
    const at = this.run.pending(thread);
    if (!at || at.op !== 'call') return undefined;
    const probe = this.probe(state.world, thread.id);
    const read: string[] = [];
    this.probeReads = read;
    try {
      return this.run.canStep(thread, probe) ? undefined : read;
    } finally {
      this.probeReads = undefined;
    }
  }

  private firstChecked(vs: { invariant: string; message: string }[]): { invariant: string; message: string } | undefined {
    const checks = this.opts.checks;
    for (let i = 0; i < vs.length; i++) if (checks.has(vs[i].invariant)) return vs[i];
    return undefined;
  }

  // ---- threads ---------------------------------------------------------------------

  private startThread(state: SimState, spec: ThreadSpec, ctx: StepContext | undefined): void {
    const thread = newThread(spec.id, spec.label, [], 0, 0, []);
    // threads stay in id order: the order of the list is an accident of who started
    // when, and states that differ only in it are the same state
    const at = state.threads.findIndex((t) => t.id > spec.id);
    if (at < 0) state.threads.push(thread);
    else state.threads.splice(at, 0, thread);
    this.run.push(thread, spec.fn, spec.args, -1);
    const violations: { invariant: string; message: string }[] = [];
    // outside a step only local computation runs: it writes nothing but the thread's own
    // stack objects (a writeback_control's fields), which the state keeps
    const writer = ctx ? undefined : new WorldWriter(state.world);
    const c = ctx ?? this.context(writer!, spec.id, newSink());
    const r = this.run.runLocal(thread, c, violations);
    if (writer) state.world = writer.freeze();
    if (r !== 'step') this.endThread(state, thread);
  }

  private endThread(state: SimState, thread: Thread): void {
    state.threads = state.threads.filter((t) => t !== thread);
  }

  private maybeStartFinal(state: SimState, ctx: StepContext | undefined): void {
    if (state.threads.length === 0 && !state.finalStarted && this.opts.final) {
      state.finalStarted = true;
      this.startThread(state, this.opts.final, ctx);
    }
  }

  // ---- contexts and errors --------------------------------------------------------------

  /**
   * Whether the thread's pending step only reads and its result matters only to checks
   * (check-reads.ts), when that reduction is on.
   */
  private readsForChecks(thread: Thread): boolean {
    return this.opts.fuseCheckReads !== false && this.opts.fuseSteps !== false && readsForChecks(thread);
  }

  coverage(): FunctionCoverage[] { return this.run.coverage(); } // the source lines run so far (coverage.ts)

  /** Every assumption the runs so far rested on (unknown calls and identifiers met). */
  assumptions(): Assumption[] {
    return this.run.assumptions();
  }

  /** A primitive went on with an assumption (TransitionContext.assume). */
  assume(kind: string, message: string): void {
    this.run.assume(kind, message);
  }

  /** A primitive writes through an out-parameter of the call under way. */
  writeOut(i: number, v: Value): void {
    this.run.writeOut(i, v);
  }

  private context(world: WorldWriter, tid: string, sink: StepSink,
    violations: { invariant: string; message: string }[] = [], state?: SimState): StepContext {
    return new TransitionContext(this, this.opts.layout, this.index, tid, world, sink, violations, state);
  }

  /** A primitive starts I/O: its completion joins the completion thread's queue. */
  spawnCompletion(state: SimState | undefined, ctx: StepContext, fn: string, args: Value[], label: string): void {
    if (!state) throw new PrimitiveError('spawn outside a step');
    // One completion context: the device completes requests one at a time, in
    // submission order, so completions interleave with the CPUs, not with each other.
    const index = state.threads.findIndex((t) => t.id === IO_THREAD);
    if (index < 0) {
      this.startThread(state, { id: IO_THREAD, label, fn, args }, ctx);
    } else {
      const io = state.threads[index];
      state.threads[index] = copyThread(io, { queue: [...io.queue, { id: IO_THREAD, label, fn, args }] });
    }
  }
}
