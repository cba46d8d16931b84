/**
 * Runs programs of atomic steps over the simulated page cache: a thread per CPU
 * (and per I/O completion), each a stack of frames of `FunctionProgram`s. A step is
 * one primitive call or one load/store of a changing field; after it the thread
 * runs its local computation (assignments, branches, calls into other models, checks)
 * up to its next step, so the state between steps is exactly what other CPUs see.
 *
 * The machine has the shape the explorer asks for (initial, key, threads, enabled,
 * footprint, step, finish) without importing it.
 */
import { refId, refKind, type Expr, type FunctionProgram, type Instr, type Origin, type Value } from './program.js';
import type { Primitive, StepContext } from './primitive.js';
import { PrimitiveError } from './primitive.js';
import type { Layout } from './layout.js';
import { key, type World } from './world.js';
import { isPlainWordBit } from './constants.js';
import { BACKING_KINDS, backingField } from './backing-dev.js';
import { isPlainField } from './plain-fields.js';
import { fixedField, isThreadPrivate, isThreadPrivateKey, loadField, plainFieldKey, storeField } from './objects.js';
import type { Change } from './describe.js';
import { WorldStore, WorldWriter } from './store.js';
import { finalViolation } from './invariants.js';
import { liveness, type Liveness } from './liveness.js';
import { checkOnly, type CheckOnly } from './check-only.js';
import { ModelError } from './errors.js';
import { StateHash } from './state-hash.js';
import { StepRecord, type StepKind } from './step-record.js';
import { CHECK_CLASSES, NO_REMARKS, newSink, TransitionContext, type StepSink } from './transition-context.js';
import { annotateSlots, dstSlot, type SlotAnnotated } from './slots.js';
import { truthy } from './values.js';
import { AssumptionLog, assumptionAt, isModeledObject, unknownCallMessage, unknownIdentifierMessage, type Assumption } from './assumptions.js';
import { ProgramFacts } from './program-facts.js';
import { persistentSet } from '../explore/persistent.js';
import { compileExpr, evalAll, type Eval, type ExprHost } from './compile.js';

import { plainAddressKey } from './ops/args.js';
import { calleeField, fieldClass, classMasks, classOfKey, conflicts, covers, emptyClasses, addAll, footprintMasks, intersects, primitiveClasses, type ClassSet, type StepMasks } from './footprint-classes.js';

export type Resolved =
  | { kind: 'prim'; name: string; prim: Primitive }
  | { kind: 'func'; fn: FunctionProgram }
  | { kind: 'noop'; name: string }
  | { kind: 'unknown'; name: string };

/** Name resolution for calls: models, primitives, known no-ops (built by the catalog). */
export interface Linker {
  resolve(name: string): Resolved;
}

export interface Frame {
  fn: string;
  pc: number;
  locals: Value[];
  /** caller's local slot that receives the return value, -1 for none */
  ret: number;
  /** the compiled form of `fn` (not part of the state: the same for every frame of it) */
  readonly c: CompiledFunction;
}

export interface Thread {
  id: string;
  /** what the thread is, for trace headers: "user", "writeback", "io P.0" */
  label: string;
  frames: Frame[];
  steps: number;
  spawned: number;
  /** asynchronous work waiting for this thread (the I/O completion thread runs requests in order) */
  queue: ThreadSpec[];
  /** cached: the thread's share of the state hash, and the classes its future may touch */
  hash?: [number, number];
  future?: ClassSet;
}

export interface SimState {
  /** world values, in the order of the machine's location table */
  world: WorldStore;
  threads: Thread[];
  finalStarted: boolean;
  /**
   * Steps already computed from this state, per thread: the explorer asks for a
   * step's footprint before taking it. Dropped when the explorer releases the state,
   * so that successor chains do not keep the explored graph alive.
   */
  outcomes?: Map<string, Outcome>;
  /** the state's key, once asked for */
  key?: string;
}

export interface StepEvent {
  tid: string;
  label: string;
  /** the kernel function whose code took the step */
  fn: string;
  /** the primitive or field access, with arguments and result */
  op: string;
  file?: string;
  line?: number;
  /** 1-based, where the lifter knows it */
  column?: number;
  text?: string;
  changes: Change[];
  remarks: string[];
  /**
   * Steps of the same CPU taken in the same transition (a lock acquire with the step
   * after it, a release with the step before it): shown as rows of their own.
   */
  fused?: StepEvent[];
}

export interface ThreadSpec {
  id: string;
  label: string;
  fn: string;
  args: Value[];
}

export interface MachineOptions {
  layout: Layout;
  world: World;
  linker: Linker;
  cpus: ThreadSpec[];
  /** run after every other thread has finished */
  final?: ThreadSpec;
  /** invariant ids that count; others are ignored (a BUG still ends its thread) */
  checks: ReadonlySet<string>;
  /** steps one thread may take before it is declared stuck */
  maxThreadSteps?: number;
  /**
   * Take lock acquires and releases together with their neighbouring step, and steps
   * no other thread can see together with the step before (the reductions of
   * `execute`). Default true; false makes every step a transition of its own, for
   * comparing against the naive search.
   */
  fuseSteps?: boolean;
  /**
   * Take a read whose result only checks use together with the thread's next step
   * (readsForChecks). Default true; false only to measure what it saves.
   */
  fuseCheckReads?: boolean;
  /**
   * Let a thread about to wait stay outside stubborn sets (Machine.stubborn). Default
   * false: sound, and it explores fewer states (5% fewer for the whole 6.1 tree's
   * writeback-stale-wake and mmap-dirty-lost), but it cost more time than it saved
   * when measured (2026-11-28), so it is there to be measured and tested, not on.
   */
  stuckWaiters?: boolean;
}

export { ModelError } from './errors.js';

const MAX_DEPTH = 24;
export const IO_THREAD = 'io';
const MAX_LOCAL_INSTRS = 100_000;
/** steps one transition may take (a thread spinning on what only it touches must come back) */
const MAX_FUSED = 64;
/** steps of one thread simulated to see whether it is about to wait (Machine.waitingClasses) */
const MAX_WAIT_LOOKAHEAD = 1;
const PG_MAPPING = new Set(['pg.mapping']);

export interface Outcome {
  state: SimState;
  event: StepEvent;
  /** locations read and written, each once (a step touches a handful) */
  reads: string[];
  writes: string[];
  footprint?: { reads: string[]; writes: string[] };
  /** the classes of its reads and writes as masks, computed when persistent sets ask */
  masks?: StepMasks;
  violation?: { invariant: string; message: string };
}

export interface CompiledFunction {
  /** the name it was asked for by */
  key: string;
  fn: FunctionProgram;
  slots: Map<string, number>;
  /** which values only checks read, computed when first asked */
  checkOnly?: CheckOnly;
  /** per pc: the instruction's expressions, compiled */
  ops: CompiledInstr[];
  /** which locals each pc can still read, computed when first asked */
  live?: Liveness;
}

/** An instruction's expressions as closures (compile.ts); which are there depends on its op. */
export interface CompiledInstr {
  /** set, store, ret: the value */
  e?: Eval;
  /** br, check: the condition */
  c?: Eval;
  /** load, store: the object */
  obj?: Eval;
  /** call through a pointer: the callee */
  callee?: Eval;
  /** call by name: what it runs */
  target?: Resolved;
  /** the stated classes of the step here, when first asked (null: none can be stated) */
  pending?: ClassSet | null;
  /**
   * whether the step here only reads and its result matters only to checks ('dead'),
   * or also to the return value ('returned'); null: neither (see readsForChecks)
   */
  checkRead?: 'dead' | 'returned' | null;
  /** call: the arguments, and of each `&obj->field` argument the object */
  args?: Eval[];
  argObjs?: (Eval | undefined)[];
}

/**
 * A thread changed by a step, as a new object: the old one stays with the state it
 * belongs to. Field by field, so that what is cached on a thread (hash, future) stays
 * behind with it.
 */
function copyThread(t: Thread, changed: Partial<Pick<Thread, 'frames' | 'steps' | 'queue'>>): Thread {
  return { id: t.id, label: t.label, frames: changed.frames ?? t.frames, steps: changed.steps ?? t.steps, spawned: t.spawned, queue: changed.queue ?? t.queue };
}

interface FutureNode {
  future?: ClassSet;
  kids?: Map<string, Map<number, FutureNode>>;
}

function child(node: FutureNode, fn: string, pc: number): FutureNode {
  const kids = (node.kids ??= new Map());
  let byPc = kids.get(fn);
  if (!byPc) kids.set(fn, (byPc = new Map()));
  let next = byPc.get(pc);
  if (!next) byPc.set(pc, (next = {}));
  return next;
}

export class Machine implements ExprHost {
  private readonly fns = new Map<string, CompiledFunction>();
  private readonly maxSteps: number;
  private readonly keys: string[];
  private readonly index = new Map<string, number>();

  /** what the reachable code does, computed once per machine (program-facts.ts) */
  private readonly facts: ProgramFacts;

  constructor(private readonly opts: MachineOptions) {
    this.facts = new ProgramFacts(opts.linker, opts.layout, [...opts.cpus, ...(opts.final ? [opts.final] : [])]);
    this.maxSteps = opts.maxThreadSteps ?? 400;
    this.keys = Object.keys(opts.world);
    this.keys.forEach((k, i) => this.index.set(k, i));
  }

  // ---- the explorer's interface -------------------------------------------------

  initial(): SimState {
    const state: SimState = { world: WorldStore.of(this.keys.map((k) => this.opts.world[k])), threads: [], finalStarted: false };
    for (const spec of this.opts.cpus) this.startThread(state, spec, undefined);
    this.maybeStartFinal(state, undefined);
    return state;
  }

  key(s: SimState): string {
    return (s.key ??= this.computeKey(s));
  }

  private computeKey(s: SimState): string {
    const h = new StateHash();
    h.num(s.world.h1);
    h.num(s.world.h2);
    for (const t of s.threads) {
      const th = this.threadHash(t);
      h.mark(2);
      h.num(th[0]);
      h.num(th[1]);
    }
    h.mark(s.finalStarted ? 5 : 6);
    return h.digest();
  }

  /** Threads that did not step are shared by successor states, and so are their hashes. */
  private threadHash(t: Thread): [number, number] {
    if (t.hash) return t.hash;
    const h = new StateHash();
    h.text(t.id);
    const top = t.frames.length - 1;
    for (let i = 0; i <= top; i++) {
      const f = t.frames[i];
      h.mark(3);
      h.text(f.fn);
      h.num(f.pc);
      // only the locals the rest of the function can still read
      const live = (f.c.live ??= liveness(f.c.fn, f.c.slots));
      for (const slot of i === top ? live.atTop[f.pc] : live.atReturn[f.pc]) {
        h.num(slot);
        h.value(f.locals[slot]);
      }
    }
    for (const q of t.queue) {
      h.mark(4);
      h.text(q.fn);
      for (const v of q.args) h.value(v);
    }
    return (t.hash = h.pair());
  }

  threads(s: SimState): string[] {
    return s.threads.map((t) => t.id);
  }

  enabled(s: SimState, tid: string): boolean {
    const thread = s.threads.find((t) => t.id === tid);
    return !!thread && this.canStep(thread, this.probe(s.world, tid));
  }

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
          return this.probeWorld!.get(i);
        },
        set: fail, spawn: fail, violate: fail, out: fail, remark: () => {},
      };
    }
    return this.probeContext;
  }

  footprint(s: SimState, tid: string): { reads: string[]; writes: string[] } {
    const out = this.outcome(s, tid);
    return (out.footprint ??= { reads: out.reads, writes: out.writes });
  }

  step(s: SimState, tid: string): { state: SimState; event: StepEvent; violation?: { invariant: string; message: string } } {
    const out = this.outcome(s, tid);
    return out.violation ? { state: out.state, event: out.event, violation: out.violation } : { state: out.state, event: out.event };
  }

  finish(s: SimState): { invariant: string; message: string } | undefined {
    const v = finalViolation(this.opts.layout, (k) => s.world.get(this.index.get(k)!));
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
    const removal = this.removal(threads, s.world);
    const chosen = persistentSet<StepMasks>({
      count: threads.length,
      enabled: enabled.map((tid) => threads.findIndex((t) => t.id === tid)),
      futures: threads.map((t) => classMasks(this.future(t))),
      // a read for checks is taken together with the step after it: its own classes do not say what the transition touches
      stated: (i) => {
        const stated = this.readsForChecks(threads[i]) ? undefined : this.pendingClasses(threads[i]);
        return stated && classMasks(stated);
      },
      taken: (i) => this.dynamicMasks(s, threads[i].id),
      pending: (x) => classMasks(this.pendingClasses(threads[x]) ?? this.future(threads[x])),
      waiting: (i) => this.waitingClasses(s, threads[i].id),
      conflict: (step, future) => conflicts(step, future, removal),
    });
    return chosen?.map((i) => threads[i].id);
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
      if (out.state.threads.length !== state.threads.length) return undefined;
      state = out.state;
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
  private removal(threads: readonly Thread[], world: { get(i: number): Value }): boolean {
    if (this.facts.mayRemove) for (const t of threads) if (intersects(PG_MAPPING, this.future(t).w)) return true;
    for (const i of this.mappingSlots) if (world.get(i) === null) return true;
    return false;
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
  private invisible(state: SimState, world: WorldWriter, thread: Thread): boolean {
    const stated = this.pendingClasses(thread);
    if (!stated) return false;
    const step = classMasks(stated);
    const removal = this.removal(state.threads, world);
    for (const u of state.threads) {
      if (u !== thread && conflicts(step, classMasks(this.future(u)), removal)) return false;
    }
    return true;
  }

  private dynamicMasks(s: SimState, tid: string): StepMasks {
    const out = this.outcome(s, tid);
    return (out.masks ??= footprintMasks(out.reads, out.writes));
  }

  /**
   * The classes a thread's next step may touch, from the instruction alone (the
   * primitive's stated classes with its arguments), so that choosing a persistent set
   * does not have to execute every candidate. Undefined for calls through pointers.
   */
  private pendingClasses(t: Thread): ClassSet | undefined {
    const frame = t.frames[t.frames.length - 1];
    const op = frame?.c.ops[frame.pc];
    if (!op) return undefined;
    if (op.pending === undefined) op.pending = stepClasses(frame.c.fn.code[frame.pc], op);
    return op.pending ?? undefined;
  }


  /** A thread's future depends only on which functions its frames and queue run. */
  /** Threads that did not step are shared by successor states, and so are their futures. */
  private future(t: Thread): ClassSet {
    return (t.future ??= this.computeFuture(t));
  }

  /**
   * Futures are shared by every thread at the same place: a trie keyed by each frame's
   * function and resume point, then by the functions queued after them.
   */
  private readonly futureTrie: FutureNode = {};

  private computeFuture(t: Thread): ClassSet {
    let node = this.futureTrie;
    const top = t.frames.length - 1;
    for (let i = 0; i <= top; i++) {
      const f = t.frames[i];
      node = child(node, f.fn, i === top ? f.pc : f.pc + 1);
    }
    for (const q of t.queue) node = child(node, q.fn, -1);
    if (node.future) return node.future;
    const set = emptyClasses();
    t.frames.forEach((f, i) => addAll(set, this.facts.classes.from(f.fn, i === top ? f.pc : f.pc + 1)));
    for (const q of t.queue) addAll(set, this.facts.classes.of(q.fn));
    return (node.future = set);
  }

  // ---- stepping ------------------------------------------------------------------

  /** Steps are computed once per (state, thread): the explorer asks for the footprint first. */
  private outcome(s: SimState, tid: string): Outcome {
    const byThread = (s.outcomes ??= new Map());
    let out = byThread.get(tid);
    if (!out) byThread.set(tid, (out = this.execute(s, tid)));
    return out;
  }

  /** The explorer is done with this state: forget its steps (and the states they lead to). */
  release(s: SimState): void {
    s.outcomes = undefined;
  }

  private execute(s: SimState, tid: string): Outcome {
    const index = s.threads.findIndex((t) => t.id === tid);
    const old = s.threads[index];
    // Frames are copied on write: the top one now, a caller when a return writes into it.
    const frames = old.frames.slice();
    const top = frames.length - 1;
    if (top >= 0) {
      const f = frames[top];
      frames[top] = { fn: f.fn, pc: f.pc, locals: f.locals.slice(), ret: f.ret, c: f.c };
    }
    const thread = copyThread(old, { frames, steps: old.steps + 1 });
    const world = new WorldWriter(s.world);
    const state: SimState = { world: s.world, threads: [...s.threads], finalStarted: s.finalStarted };
    state.threads[index] = thread;

    const sink = newSink();
    const violations: { invariant: string; message: string }[] = [];
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
    const parts: StepEvent[] = [];
    let violation: { invariant: string; message: string } | undefined;
    let phase = 'committed' as 'acquired' | 'committed';
    // whether every step so far was a read for checks (readsForChecks)
    let reading = true;
    for (;;) {
      const mover = this.moverAt(thread);
      if (reading && !this.readsForChecks(thread)) reading = false;
      sink.changes = [];
      sink.remarks = NO_REMARKS;
      sink.stepReads?.clear();
      sink.stepWrites?.clear();
      parts.push(this.stepOnce(thread, ctx, sink));
      phase = mover === 'acquire' && (parts.length === 1 || phase === 'acquired') ? 'acquired' : 'committed';
      // a checked violation ends the path; an unchecked BUG still kills its thread
      violation = this.firstChecked(violations);
      if (violation) break;
      const bug = violations.some((v) => v.invariant === 'bug-on');
      const local = bug ? 'killed' : this.runLocal(state, thread, ctx, violations);
      // what the local computation after the step remarked (an unknown call, a WARN_ON) shows with the step
      const last = parts[parts.length - 1];
      if (sink.remarks !== last.remarks) last.remarks = sink.remarks;
      violation = this.firstChecked(violations);
      if (local === 'killed') this.endThread(state, thread);
      if (violation || local !== 'step') break;
      if (this.opts.fuseSteps === false) break;
      const next = this.moverAt(thread);
      // the transition so far wrote nothing (a primitive stated as a reader that wrote
      // after all does not count): see readsForChecks for why the step after may join
      if (reading && sink.writes.length > 0) reading = false;
      const fuse = (reading && parts.length < MAX_FUSED && this.canStep(thread, ctx))
        || next === 'release'
        || (phase === 'acquired' && this.canStep(thread, ctx))
        || (parts.length < MAX_FUSED && this.invisible(state, world, thread) && this.canStep(thread, ctx));
      if (!fuse) break;
    }
    if (!violation && thread.steps >= this.maxSteps && state.threads.includes(thread)) {
      violation = { invariant: 'deadlock', message: `${tid} took ${thread.steps} steps without finishing (livelock)` };
    }
    this.maybeStartFinal(state, ctx);
    // asked about mid-transition, the thread's future was that of an earlier pc
    thread.future = undefined;
    state.world = world.freeze();
    const event = parts[0];
    if (parts.length > 1) event.fused = parts.slice(1);
    const { reads, writes } = this.netFootprint(s.world, state.world, sink);
    return violation ? { state, event, reads, writes, violation } : { state, event, reads, writes };
  }

  /**
   * A transition's footprint, with a location it wrote but left as it found it (a
   * test_and_set_bit that found the bit set, a lock taken and released in one
   * transition) counted as read, not written. Sound for the explorer's dependence,
   * which judges two transitions at the state they both start from: there such a
   * transition is the identity on that location and depends on its value, which is
   * what a read is. If another thread's step changes the location first, that step
   * writes what this one reads, so the two are dependent all the same; and a thread
   * that could change it later is in the futures a persistent set is checked against.
   */
  private netFootprint(before: WorldStore, after: WorldStore, sink: StepSink): { reads: string[]; writes: string[] } {
    const { reads, writes } = sink;
    let same: string[] | undefined;
    for (const k of writes) {
      const i = this.index.get(k);
      if (i !== undefined && before.get(i) === after.get(i)) (same ??= []).push(k);
    }
    if (!same) return { reads, writes };
    const net = writes.filter((k) => !same!.includes(k));
    const all = reads.slice();
    for (const k of same) if (!all.includes(k)) all.push(k);
    return { reads: all, writes: net };
  }

  /**
   * Whether the thread's pending step only reads, cannot block, and its result matters
   * to nothing but checks (check-only.ts): in the local computation after it the value
   * reaches BUG_ON/WARN_ON conditions, locals that die, or a return value whose
   * destination in the caller is such a value too. `execute` then takes it together
   * with the thread's next step, when that can run.
   *
   * Why that is sound. Let R be such a step of thread t and W the step after it.
   * (1) R changes no shared location, and after R's local computation t is at the same
   * place with the same live locals whatever value R read (the state key leaves dead
   * locals out, and they are never read again), unless a check fired. So the state
   * after R is the state before it with t moved on, and R reads what the state it
   * starts from holds. (2) Any run of the step-per-step system that takes R at state C,
   * then steps u1..uk of other threads, then W, is matched by a run that takes
   * u1..uk first (they were enabled with t before R: R wrote nothing they read, and a
   * thread's enabledness depends on the world, not on t's place) and then R;W, which
   * ends in the same state (W sees the same world and the same live locals). (3) The
   * checks R feeds can fire in the step-per-step system only at some state C where t
   * is about to take R; the fused system visits the same states with t before R, and
   * takes R (with W if it can run, alone otherwise) from each, reading the value C
   * holds. So the reachable states (t before R for t between R and W), the deadlocks
   * (R;W runs iff W can), the final states and every check's firing are the same; the
   * explorer's dependence sees R's read in the fused transition's footprint, so a write
   * to what R read is never treated as commuting with it. A step that can block (a
   * wait) is left out: postponing it to the state where W runs would lose the runs
   * where what it waited for changes back in between. Only steps at the start of a
   * transition join forward (Lipton's acquires and the backward fusion of invisible
   * steps already moved steps before them), and only while nothing so far wrote.
   */
  private readsForChecks(thread: Thread): boolean {
    if (this.opts.fuseCheckReads === false || this.opts.fuseSteps === false) return false;
    const frame = thread.frames[thread.frames.length - 1];
    const op = frame?.c.ops[frame.pc];
    if (!op) return false;
    if (op.checkRead === undefined) op.checkRead = this.checkReadAt(thread, frame.c.fn.code[frame.pc]);
    const kind = op.checkRead;
    if (!kind) return false;
    if (kind === 'dead') return true;
    // the value is returned: it matters as much as the caller's destination does
    for (let i = thread.frames.length - 1; i > 0; i--) {
      const into = thread.frames[i].ret;
      if (into < 0) return true;
      const caller = thread.frames[i - 1];
      const info = this.checkOnlyOf(caller.c);
      if (info.real[caller.pc + 1]?.has(into) ?? true) return false;
      if (!info.returned[caller.pc + 1]?.has(into)) return true;
    }
    // the bottom frame's return value goes nowhere
    return true;
  }

  private checkOnlyOf(c: CompiledFunction): CheckOnly {
    return (c.checkOnly ??= checkOnly(c.fn, c.slots));
  }

  /** The static part of readsForChecks, per function and pc. */
  private checkReadAt(thread: Thread, instr: Instr | undefined): 'dead' | 'returned' | null {
    if (instr?.op === 'call') {
      if (typeof instr.callee !== 'string') return null;
      const r = this.opts.linker.resolve(instr.callee);
      if (r.kind !== 'prim') return null;
      const p = r.prim;
      // a reader: no stated writes, no spawned I/O, no wait, no out-parameters, no lock
      if (p.pure || p.blocks || p.mover || p.spawns || p.byRef?.length || !p.reads || (p.writes?.length ?? 0) > 0) return null;
      if (instr.args.some((a) => a.k === 'ref')) return null;
    } else if (instr?.op !== 'load') {
      return null;
    }
    if (instr.dst === undefined) return 'dead';
    const frame = thread.frames[thread.frames.length - 1];
    const info = this.checkOnlyOf(frame.c);
    const slot = dstSlot(instr);
    const after = frame.pc + 1;
    if (info.real[after]?.has(slot) ?? true) return null;
    return info.returned[after]?.has(slot) ? 'returned' : 'dead';
  }

  /** Whether the thread's pending step is a lock acquire or release (see execute). */
  private moverAt(thread: Thread): 'acquire' | 'release' | undefined {
    const frame = thread.frames[thread.frames.length - 1];
    const target = frame?.c.ops[frame.pc]?.target;
    return target?.kind === 'prim' ? target.prim.mover : undefined;
  }

  /**
   * The locations the thread's pending step reads to find that it must wait, when it
   * must (undefined when it can run). A blocking test is a function of what it reads.
   */
  private blockReads(state: SimState, thread: Thread): string[] | undefined {
    const at = this.pending(thread);
    if (!at || at.op !== 'call') return undefined;
    const probe = this.probe(state.world, thread.id);
    const read: string[] = [];
    this.probeReads = read;
    try {
      return this.canStep(thread, probe) ? undefined : read;
    } finally {
      this.probeReads = undefined;
    }
  }

  /** Whether the thread's pending step can run now (asked through a read-only probe, or inside a transition). */
  private canStep(thread: Thread, ctx: StepContext): boolean {
    const at = this.pending(thread);
    if (!at || at.op !== 'call') return !!at;
    // the callee and arguments are evaluated here first: their errors are placed too
    try {
      const ops = this.pendingOps(thread);
      const target = this.callTarget(thread, at, ops, ctx);
      if (target.kind !== 'prim' || !target.prim.blocks) return true;
      return !target.prim.blocks(ctx, evalAll(ops.args!, thread, ctx));
    } catch (err) {
      throw this.located(thread, at, err);
    }
  }

  /** One atomic step: the thread's pending primitive call, load or store. */
  private stepOnce(thread: Thread, ctx: StepContext, sink: StepSink): StepEvent {
    const instr = this.pending(thread)!;
    const frame = thread.frames[thread.frames.length - 1];
    const ops = frame.c.ops[frame.pc];
    // the operation's text is for traces only: the record keeps its parts
    let kind: StepKind = 'call';
    let name = '';
    let values: Value[] = [];
    let result: Value | undefined;
    try {
      if (instr.op === 'call') {
        const target = this.callTarget(thread, instr, ops, ctx);
        if (target.kind !== 'prim') throw new ModelError(`internal: step at a non-primitive call`);
        const args = this.primitiveArgs(thread, target.prim, instr, ops, ctx);
        // what the step waited on is part of what it read (a lock's holder, PG_locked)
        if (target.prim.blocks && target.prim.blocks(ctx, args)) throw new ModelError(`internal: ${target.name} stepped while blocked`);
        const r = this.runPrimitive(target, ctx, args, frame, instr);
        if (CHECK_CLASSES) this.checkClasses(target.name, primitiveClasses(target.prim, instr.args), sink.stepReads!, sink.stepWrites!);
        if (instr.dst !== undefined) {
          frame.locals[dstSlot(instr)] = r;
          result = r;
        }
        name = target.name;
        values = args;
      } else if (instr.op === 'load') {
        const obj = ops.obj!(thread, ctx);
        if (isAccountingField(obj, instr.field) && !this.log.seen(instr)) {
          this.log.note({ kind: 'unmodeled-field', function: frame.fn, message: `field '${instr.field}' of ${accountingWhat(obj)} read as 0`, ...withAt(frame.c.fn.file, instr.at) }, instr);
        }
        const v = loadField(ctx, obj, instr.field);
        frame.locals[dstSlot(instr)] = v;
        kind = 'load';
        name = instr.field;
        values = [obj, v];
      } else if (instr.op === 'store') {
        const obj = ops.obj!(thread, ctx);
        const v = ops.e!(thread, ctx);
        storeField(ctx, obj, instr.field, v);
        kind = 'store';
        name = instr.field;
        values = [obj, v];
      }
    } catch (err) {
      throw this.located(thread, instr, err);
    }
    frame.pc++;
    const fnInfo = frame.c.fn;
    const origin = 'at' in instr ? instr.at : undefined;
    return new StepRecord(thread.id, thread.label, frame.fn, kind, name, values, result, sink.changes, sink.remarks, fnInfo.file, origin?.line, origin?.text, origin?.column);
  }

  /** Development check: a primitive touched a class its reads/writes lists do not state. */
  private checkClasses(name: string, stated: ClassSet, reads: Set<string>, writes: Set<string>): void {
    // a field of a thread's own stack object read while evaluating the step's arguments (wbc->index) is not the primitive's
    for (const k of writes) if (k !== key.ioQueue && !isThreadPrivateKey(k) && !covers(stated, k, true)) throw new ModelError(`primitive ${name} writes ${k} (class ${classOfKey(k)}) outside its stated classes`);
    for (const k of reads) if (k !== key.ioQueue && !isThreadPrivateKey(k) && !covers(stated, k, false)) throw new ModelError(`primitive ${name} reads ${k} (class ${classOfKey(k)}) outside its stated classes`);
  }

  private firstChecked(vs: { invariant: string; message: string }[]): { invariant: string; message: string } | undefined {
    return vs.find((v) => this.opts.checks.has(v.invariant));
  }

  /**
   * Runs local computation until the thread's next step; returns 'killed' when a
   * BUG fired (the thread dies, as the kernel's BUG() kills the task).
   */
  private runLocal(state: SimState, thread: Thread, ctx: StepContext, violations: { invariant: string; message: string }[]): 'step' | 'done' | 'killed' {
    for (let budget = 0; budget < MAX_LOCAL_INSTRS; budget++) {
      const frame = thread.frames[thread.frames.length - 1];
      if (!frame) {
        // the queue is shared with the thread's copy in the state before: taken from, not changed
        const next = thread.queue[0];
        if (next) thread.queue = thread.queue.slice(1);
        if (!next) {
          this.endThread(state, thread);
          return 'done';
        }
        thread.label = next.label;
        this.push(thread, next.fn, next.args, -1);
        continue;
      }
      const compiled = frame.c;
      const fn = compiled.fn;
      const instr = fn.code[frame.pc];
      if (!instr) throw new ModelError(`${frame.fn}: ran past the end of its code`, frame.fn, fn.file);
      let outcome: 'step' | 'next' | 'killed';
      try {
        outcome = this.local(thread, frame, instr, compiled.ops[frame.pc], ctx, violations);
      } catch (err) {
        throw this.located(thread, instr, err);
      }
      if (outcome === 'step') return 'step';
      if (outcome === 'killed') return 'killed';
    }
    const frame = thread.frames[thread.frames.length - 1];
    const spin = new ModelError(`${thread.id}: ${MAX_LOCAL_INSTRS} instructions without an atomic step (a loop that never touches shared state?)`, frame?.fn);
    const instr = frame ? frame.c.fn.code[frame.pc] : undefined;
    throw instr ? this.located(thread, instr, spin) : spin;
  }

  /** One local instruction; 'step' when the thread now waits at an atomic step. */
  private local(thread: Thread, frame: Frame, instr: Instr, ops: CompiledInstr, ctx: StepContext,
    violations: { invariant: string; message: string }[]): 'step' | 'next' | 'killed' {
    switch (instr.op) {
      case 'set':
        frame.locals[dstSlot(instr)] = ops.e!(thread, ctx);
        frame.pc++;
        return 'next';
      case 'jmp':
        frame.pc = instr.to;
        return 'next';
      case 'br':
        frame.pc = truthy(ops.c!(thread, ctx)) ? instr.t : instr.f;
        return 'next';
      case 'ret': {
        const v = ops.e ? ops.e(thread, ctx) : 0;
        thread.frames.pop();
        const depth = thread.frames.length - 1;
        let caller: Frame | undefined;
        if (depth >= 0) {
          const c = thread.frames[depth];
          caller = thread.frames[depth] = { fn: c.fn, pc: c.pc, locals: c.locals.slice(), ret: c.ret, c: c.c };
        }
        if (caller) {
          this.copyOutParams(frame, caller);
          if (frame.ret >= 0) caller.locals[frame.ret] = v;
          caller.pc++;
        }
        return 'next';
      }
      case 'check': {
        if (!truthy(ops.c!(thread, ctx))) {
          frame.pc++;
          return 'next';
        }
        const where = `${frame.fn}${instr.at ? `:${instr.at.line}` : ''}`;
        if (instr.kind === 'warn') {
          ctx.remark(`WARN_ON fired in ${where}${instr.at?.text ? `: ${instr.at.text}` : ''}`);
          frame.pc++;
          return 'next';
        }
        violations.push({ invariant: 'bug-on', message: `${instr.at?.text ?? 'BUG()'} fired in ${where}` });
        return 'killed';
      }
      case 'load':
      case 'store': {
        // a field of the thread's own stack object (a writeback_control) is local computation
        const obj = ops.obj!(thread, ctx);
        if (!isThreadPrivate(obj)) return 'step';
        if (instr.op === 'load') frame.locals[dstSlot(instr)] = loadField(ctx, obj, instr.field);
        else storeField(ctx, obj, instr.field, ops.e!(thread, ctx));
        frame.pc++;
        return 'next';
      }
      case 'call': {
        const target = this.callTarget(thread, instr, ops, ctx);
        // a pure helper handed a shared structure's field by reference touches memory: a step
        // (one of the thread's own stack objects, &wbc->fbatch, is local computation)
        if (target.kind === 'prim' && this.unreadCounterUpdate(target.prim, instr)) {
          frame.pc++;
          return 'next';
        }
        if (target.kind === 'prim' && (!(target.prim.pure || target.prim.pureFor?.(instr.args) || this.unwrittenWordTest(target.prim, instr))
          || this.sharedByRef(thread, target.prim, ops, ctx))) return 'step';
        let result: Value = 0;
        if (target.kind === 'unknown') this.unknownCall(thread, frame, instr, ops, target.name, ctx);
        if (target.kind === 'func') {
          if (thread.frames.length >= MAX_DEPTH) {
            throw new ModelError(`call depth over ${MAX_DEPTH} at ${target.fn.name} (recursion?)`, frame.fn);
          }
          this.push(thread, target.fn.name, evalAll(ops.args!, thread, ctx), instr.dst !== undefined ? dstSlot(instr) : -1);
          return 'next';
        }
        if (target.kind === 'prim') result = this.runPrimitive(target, ctx, this.primitiveArgs(thread, target.prim, instr, ops, ctx), frame, instr);
        if (instr.dst !== undefined) frame.locals[dstSlot(instr)] = result;
        frame.pc++;
        return 'next';
      }
    }
  }

  /**
   * Runs a primitive; what it writes through out-parameters lands in the caller's
   * locals named by the `ref` arguments, once it has returned.
   */
  private outSink: [number, Value][] | undefined;
  private inPrimitive = false;
  /** the call a primitive runs for, while it runs: where its assumptions are */
  private primitiveAt: { frame: Frame; instr: Instr } | undefined;

  private runPrimitive(target: Extract<Resolved, { kind: 'prim' }>, ctx: StepContext, args: Value[], frame: Frame,
    instr: Extract<Instr, { op: 'call' }>): Value {
    this.inPrimitive = true;
    this.primitiveAt = { frame, instr };
    let result: Value;
    try {
      result = target.prim.run(ctx, args);
    } finally {
      this.inPrimitive = false;
      this.primitiveAt = undefined;
    }
    const outs = this.outSink;
    if (!outs) return result;
    this.outSink = undefined;
    for (const [i, v] of outs) {
      const a = instr.args[i];
      const field = a?.k === 'addr' && target.prim.byRef?.includes(i) ? this.byRefKeys.get(i) : undefined;
      if (field !== undefined) { ctx.set(field, v); continue; }
      if (a?.k !== 'ref') throw new PrimitiveError(`${target.name} writes through argument ${i + 1}, which is not the address of a local`);
      frame.locals[(a as SlotAnnotated).slot!] = v;
    }
    return result;
  }

  /** Whether the call hands primitive `prim` a field of a shared object by reference. */
  /**
   * test_bit(AS_EIO, &mapping->flags) on a plain field's word that no code the run can
   * reach writes (no store to the field, no writing primitive handed its address): it
   * keeps its initial value, so reading it is local computation, as an unchanging plain
   * field read in an expression is.
   */
  private unwrittenWordTest(prim: Primitive, instr: Extract<Instr, { op: 'call' }>): boolean {
    if (!prim.readsPlainWord) return false;
    const [bit, word] = instr.args;
    if (bit?.k !== 'sym' || !isPlainWordBit(bit.name) || word?.k !== 'addr') return false;
    return !this.facts.writtenWords().has(word.field);
  }

  /** atomic_inc(&wb->writeback_inodes) where no code the run can reach reads writeback_inodes: nothing to do. */
  private unreadCounterUpdate(prim: Primitive, instr: Extract<Instr, { op: 'call' }>): boolean {
    if (prim.blindUpdate === undefined) return false;
    const a = instr.args[prim.blindUpdate];
    // i_size is read by the i_size_read primitive, by name
    return a?.k === 'addr' && isPlainField(a.field) && a.field !== '_refcount' && a.field !== 'i_size' && !this.facts.readFields().has(a.field);
  }

  private sharedByRef(thread: Thread, prim: Primitive, ops: CompiledInstr, ctx: StepContext): boolean {
    return prim.byRef?.some((i) => {
      const obj = ops.argObjs![i];
      return obj !== undefined && !isThreadPrivate(obj(thread, ctx));
    }) ?? false;
  }

  /**
   * A returning function's scalar out-parameters (`*error = x`) back into the locals
   * whose addresses its caller passed (`&error`).
   */
  private copyOutParams(callee: Frame, caller: Frame): void {
    const { fn, slots } = callee.c;
    if (!fn.outParams?.length) return;
    const call = caller.c.fn.code[caller.pc];
    if (call?.op !== 'call') return;
    fn.params.forEach((p, i) => {
      const a = call.args[i];
      if (a?.k !== 'ref' || !fn.outParams!.includes(p)) return;
      const from = slots.get(p);
      const to = (a as SlotAnnotated).slot;
      if (from !== undefined && to !== undefined && to >= 0) caller.locals[to] = callee.locals[from];
    });
  }

  /** plain-field locations of the by-reference arguments of the primitive call under way */
  private readonly byRefKeys = new Map<number, string>();

  /**
   * A primitive call's argument values. An argument the primitive takes by reference
   * that is the address of a plain field (`&wbc->fbatch`) passes the field's value, read
   * as plain memory; what the primitive writes back through it lands there (runPrimitive).
   */
  private primitiveArgs(thread: Thread, prim: Primitive, instr: Extract<Instr, { op: 'call' }>, ops: CompiledInstr, ctx: StepContext): Value[] {
    const args = evalAll(ops.args!, thread, ctx);
    if (prim.byRef === undefined) return args;
    this.byRefKeys.clear();
    for (const i of prim.byRef) {
      const k = instr.args[i]?.k === 'addr' ? plainAddressKey(args[i]) : undefined;
      if (k === undefined) continue;
      this.byRefKeys.set(i, k);
      args[i] = ctx.get(k);
    }
    return args;
  }

  // ---- threads ---------------------------------------------------------------------

  private startThread(state: SimState, spec: ThreadSpec, ctx: StepContext | undefined): void {
    const thread: Thread = { id: spec.id, label: spec.label, frames: [], steps: 0, spawned: 0, queue: [] };
    // threads stay in id order: the order of the list is an accident of who started
    // when, and states that differ only in it are the same state
    const at = state.threads.findIndex((t) => t.id > spec.id);
    if (at < 0) state.threads.push(thread);
    else state.threads.splice(at, 0, thread);
    this.push(thread, spec.fn, spec.args, -1);
    const violations: { invariant: string; message: string }[] = [];
    // outside a step only local computation runs: it writes nothing but the thread's own
    // stack objects (a writeback_control's fields), which the state keeps
    const writer = ctx ? undefined : new WorldWriter(state.world);
    const c = ctx ?? this.context(writer!, spec.id, newSink());
    const r = this.runLocal(state, thread, c, violations);
    if (writer) state.world = writer.freeze();
    if (r === 'killed') this.endThread(state, thread);
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

  private push(thread: Thread, name: string, args: Value[], ret: number): void {
    const c = this.compiled(name);
    const { fn, slots } = c;
    const locals: Value[] = new Array(slots.size).fill(0);
    fn.params.forEach((p, i) => { locals[slots.get(p)!] = args[i] ?? 0; });
    thread.frames.push({ fn: name, pc: 0, locals, ret, c });
  }

  /** The instruction the thread will execute as its next step, if it has one. */
  private pending(thread: Thread): Instr | undefined {
    const frame = thread.frames[thread.frames.length - 1];
    if (!frame) return undefined;
    return frame.c.fn.code[frame.pc];
  }

  // ---- functions and names ------------------------------------------------------------

  private program(name: string): FunctionProgram {
    return this.compiled(name).fn;
  }

  private lastCompiled: CompiledFunction | undefined;

  private compiled(name: string): CompiledFunction {
    // most lookups ask for the function asked for just before
    if (this.lastCompiled?.key === name) return this.lastCompiled;
    let entry = this.fns.get(name);
    if (entry) return (this.lastCompiled = entry);
    const r = this.opts.linker.resolve(name);
    if (r.kind !== 'func') throw new ModelError(`no model of ${name} to run`, name);
    const slots = new Map<string, number>();
    const add = (n: string) => { if (!slots.has(n)) slots.set(n, slots.size); };
    r.fn.params.forEach(add);
    for (const i of r.fn.code) if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst !== undefined) add(i.dst);
    annotateSlots(r.fn, slots);
    entry = { key: name, fn: r.fn, slots, ops: [] };
    // registered before its code is compiled: nothing in it runs yet
    entry.ops = r.fn.code.map((i) => this.compileInstr(i));
    this.fns.set(name, entry);
    return entry;
  }

  private compileInstr(i: Instr): CompiledInstr {
    const x = (e: Expr): Eval => compileExpr(e, this);
    switch (i.op) {
      case 'set': return { e: x(i.e) };
      case 'br': case 'check': return { c: x(i.c) };
      case 'ret': return i.e ? { e: x(i.e) } : {};
      case 'load': return { obj: x(i.obj) };
      case 'store': return { obj: x(i.obj), e: x(i.e) };
      case 'call': return {
        ...(typeof i.callee === 'string' ? { target: this.opts.linker.resolve(i.callee) } : { callee: x(i.callee) }),
        args: i.args.map(x), argObjs: i.args.map((a) => (a.k === 'addr' ? x(a.obj) : undefined)),
      };
      default: return {};
    }
  }

  /** The compiled expressions of the thread's pending instruction. */
  private pendingOps(thread: Thread): CompiledInstr {
    const frame = thread.frames[thread.frames.length - 1];
    return frame.c.ops[frame.pc];
  }

  /** What the thread's pending call (`instr`) runs. */
  private callTarget(thread: Thread, instr: Extract<Instr, { op: 'call' }>, ops: CompiledInstr, ctx: StepContext | undefined): Resolved {
    const callee = instr.callee;
    if (typeof callee === 'string') return ops.target!;
    const v = ops.callee!(thread, ctx);
    if (typeof v !== 'string' || !v.startsWith('fn:')) {
      throw new ModelError(`call through ${v === null ? 'a NULL' : 'a non-function'} pointer`);
    }
    const name = v.slice(3);
    const field = CHECK_CLASSES ? calleeField(thread.frames[thread.frames.length - 1].c.fn, callee) : undefined;
    if (field !== undefined && !this.facts.indirectTargets(field).includes(name)) {
      throw new ModelError(`call through ->${field} reaches ${name}, which the futures of persistent sets do not know`);
    }
    return this.opts.linker.resolve(name);
  }

  // ---- what compiled expressions ask (compile.ts) --------------------------------------

  resolve(name: string): Resolved {
    return this.opts.linker.resolve(name);
  }

  unknownSymbol(t: Thread, e: Extract<Expr, { k: 'sym' }>): void {
    if (!this.quietSymbols && !this.log.seen(e)) this.unknownIdentifier(t.frames[t.frames.length - 1], e);
  }

  fieldValue(t: Thread, ctx: StepContext | undefined, e: Extract<Expr, { k: 'field' }>, obj: Value): Value {
    // an object on the caller's own stack (a writeback_control): no other CPU sees
    // its fields, so reading one is local computation, of its current value
    if (isThreadPrivate(obj)) {
      const k = plainFieldKey(obj, e.field);
      if (k !== undefined && this.index.has(k)) return ctx ? ctx.get(k) : this.opts.world[k] ?? 0;
    }
    const frame = t.frames[t.frames.length - 1];
    // a structure kept only for accounting (bdi, wb, superblock): the fields backing-dev.ts
    // knows (sb->s_bdi, bdi->capabilities) are data, the others read 0, and the run says so
    if (isAccountingField(obj, e.field) && !this.quietSymbols && !this.log.seen(e)) this.opaqueField(frame, e, obj);
    try {
      return fixedField(this.opts.layout, obj, e.field);
    } catch (err) {
      const k = err instanceof PrimitiveError ? plainFieldKey(obj, e.field) : undefined;
      if (k === undefined) throw err;
      return this.unchangingField(frame, e, obj, k);
    }
  }

  // ---- assumptions ---------------------------------------------------------------------

  private readonly log = new AssumptionLog();
  /** while the arguments of an unknown call are evaluated: that call is the assumption */
  private quietSymbols = false;

  /** Every assumption the runs so far rested on (unknown calls and identifiers met). */
  assumptions(): Assumption[] {
    return this.log.list();
  }

  /**
   * An unknown call runs as a no-op returning 0. That is an assumption when its result
   * is used or when it is handed modeled objects (it might have changed them); the
   * step before it shows it in traces.
   */
  private unknownCall(thread: Thread, frame: Frame, instr: Extract<Instr, { op: 'call' }>, ops: CompiledInstr, name: string, ctx: StepContext): void {
    const used = instr.dst !== undefined;
    let objects = false;
    if (!used) {
      this.quietSymbols = true;
      try {
        // an argument the model cannot even evaluate counts as one it might have changed
        objects = ops.args!.some((a) => { try { return isModeledObject(a(thread, ctx)); } catch { return true; } });
      } finally {
        this.quietSymbols = false;
      }
    }
    if (!used && !objects) return;
    ctx.remark(used ? `unknown call ${name}() taken as 0` : `unknown call ${name}() taken as a no-op`);
    if (this.log.seen(instr)) return;
    const fn = this.program(frame.fn);
    this.log.note({ kind: 'unknown-call', function: frame.fn, message: unknownCallMessage(name, used), ...withAt(fn.file, instr.at) }, instr);
  }

  /** A primitive went on with an assumption (TransitionContext.assume). */
  assume(kind: string, message: string): void {
    const at = this.primitiveAt;
    if (!at) return;
    const fn = this.program(at.frame.fn);
    this.log.note({ kind, function: at.frame.fn, message, ...withAt(fn.file, (at.instr as { at?: Origin }).at) });
  }

  /**
   * A plain field read in an expression (not as a step of its own): sound only while
   * nothing the run can reach writes it, when it keeps its initial value all along.
   */
  private unchangingField(frame: Frame, e: Extract<Expr, { k: 'field' }>, obj: Value, k: string): Value {
    if (this.facts.writtenFields().has(e.field)) {
      throw new ModelError(`${e.field} of ${String(obj)} is written by code this run reaches, but read here as a field that never changes (the lifter reads only the fields of sim/fields.ts as steps)`);
    }
    const v = this.opts.world[k] ?? 0;
    if (!this.quietSymbols && !this.log.seen(e)) {
      this.noteAt(frame, e, 'unmodeled-field', `field '${e.field}' of ${String(obj).replace(':', ' ')} is not modeled and nothing the run reaches writes it: read as ${String(v)}`);
    }
    return v;
  }

  private opaqueField(frame: Frame, e: Extract<Expr, { k: 'field' }>, obj: Value): void {
    const what = accountingWhat(obj);
    this.noteAt(frame, e, 'unmodeled-field', `field '${e.field}' of ${what} read as 0`);
  }

  private unknownIdentifier(frame: Frame, e: Extract<Expr, { k: 'sym' }>): void {
    this.noteAt(frame, e, 'unknown-identifier', unknownIdentifierMessage(e.name));
  }

  /** An assumption about expression `e`, placed at it (or at its statement). */
  private noteAt(frame: Frame, e: Extract<Expr, { k: 'sym' | 'field' }>, kind: string, message: string): void {
    const fn = this.program(frame.fn);
    const at = e.at ?? (fn.code[frame.pc] as { at?: Origin } | undefined)?.at;
    this.log.note({ kind, function: frame.fn, message, ...withAt(fn.file, at) }, e);
  }

  // ---- contexts and errors --------------------------------------------------------------

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

  /** A primitive writes through an out-parameter of the call under way. */
  writeOut(i: number, v: Value): void {
    if (!this.inPrimitive) throw new PrimitiveError('out-parameter written outside a call');
    (this.outSink ??= []).push([i, v]);
  }

  private located(thread: Thread, instr: Instr, err: unknown): ModelError {
    // already placed by a deeper frame
    if (err instanceof ModelError && err.call) return err;
    const frame = thread.frames[thread.frames.length - 1];
    const fn = frame ? this.fns.get(frame.fn)?.fn : undefined;
    // a jump has no origin of its own: the statement before it (a loop's body) stands for it
    let at: Origin | undefined = 'at' in instr ? instr.at : undefined;
    for (let pc = frame ? frame.pc : -1; !at && fn && pc >= 0; pc--) {
      const i = fn.code[pc];
      if (i && 'at' in i) at = i.at;
    }
    // a loop with no statement before it: the first placed one after, or the function's line
    for (let pc = frame ? frame.pc : 0; !at && fn && pc < fn.code.length; pc++) {
      const i = fn.code[pc];
      if (i && 'at' in i) at = i.at;
    }
    if (!at && fn?.line !== undefined) at = { line: fn.line };
    const msg = err instanceof Error ? err.message : String(err);
    // name the scenario call this came from: the bottom frame is the CPU block
    const root = thread.frames[0];
    const rootFn = root ? this.fns.get(root.fn)?.fn : undefined;
    const rootAt = rootFn && root ? (rootFn.code[root.pc] as { at?: Origin } | undefined)?.at : undefined;
    // the C file, line and column of the instruction, when it has them
    const place = at ? `${fn?.file ?? '?'}:${at.line}${at.column ? `:${at.column}` : ''}` : fn?.file;
    const where = root !== frame ? `${frame?.fn ?? '?'}${place ? ` (${place})` : ''}: ` : '';
    const error = new ModelError(`${where}${msg}`, frame?.fn, fn?.file, at?.line);
    if (rootAt) error.call = { line: rootAt.line, column: rootAt.column ?? 1 };
    return error;
  }
}

/** The classes of the step an instruction takes, from the instruction alone (see Machine.pendingClasses). */
function stepClasses(instr: Instr | undefined, op: CompiledInstr): ClassSet | null {
  if (instr?.op === 'call' && op.target) {
    const r = op.target;
    // a mover's transition goes on into the steps after it (see execute)
    if (r.kind === 'prim' && !r.prim.mover) return primitiveClasses(r.prim, instr.args);
  } else if (instr?.op === 'load' || instr?.op === 'store') {
    const c = fieldClass(instr.field);
    return { r: new Set([c, 'pg.freed']), w: new Set(instr.op === 'store' ? [c] : []) };
  }
  return null;
}

function withAt(file: string | undefined, at: Origin | undefined): { at?: Assumption['at'] } {
  const a = assumptionAt(file, at);
  return a ? { at: a } : {};
}


/** A field of the backing device's structures that backing-dev.ts does not know: accounting, read as 0. */
function isAccountingField(obj: Value, field: string): boolean {
  const kind = refKind(obj);
  return kind !== undefined && BACKING_KINDS.has(kind) && backingField(kind, refId(obj) ?? '', field) === undefined;
}

function accountingWhat(obj: Value): string {
  switch (refKind(obj)) {
    case 'sb': return 'the superblock';
    case 'bdi': return 'the backing device (backing_dev_info)';
    case 'wb': return 'the writeback domain (bdi_writeback)';
    default: return `a structure the simulator does not model (${refId(obj)})`;
  }
}
