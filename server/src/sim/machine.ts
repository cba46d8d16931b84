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
import { references, type Expr, type FunctionProgram, type Instr, type Origin, type Value } from './program.js';
import type { Primitive, StepContext } from './primitive.js';
import { PrimitiveError } from './primitive.js';
import type { Layout } from './layout.js';
import { key, type World } from './world.js';
import { constantValue } from './constants.js';
import { fieldAddress, fixedField, loadField, storeField } from './objects.js';
import type { Change } from './describe.js';
import { WorldStore, WorldWriter } from './store.js';
import { finalViolation } from './invariants.js';
import { arrayElement, arrayItems, arrayValue, isArrayValue } from './arrays.js';
import { FIELD_CLASSES, FunctionClasses, classOfKey, covers, emptyClasses, addAll, intersects, primitiveClasses, type ClassSet } from './footprint-classes.js';

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
}

export interface SimState {
  /** world values, in the order of the machine's location table */
  world: WorldStore;
  threads: Thread[];
  finalStarted: boolean;
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
  text?: string;
  changes: Change[];
  remarks: string[];
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
}

/** A model that cannot run (calls through NULL, field of a non-object, ...). */
export class ModelError extends Error {
  /** the scenario call (line, column in the .race file) whose execution failed */
  call?: { line: number; column: number };

  constructor(message: string, readonly fn?: string, readonly file?: string, readonly line?: number) {
    super(message);
  }
}

const MAX_DEPTH = 24;
const OUTCOME_CACHE_STATES = 512;
export const IO_THREAD = 'io';
/** Set RACELENS_CHECK_CLASSES=1 (the tests do) to verify every primitive's stated classes. */
const CHECK_CLASSES = process.env.RACELENS_CHECK_CLASSES === '1';
const MAX_LOCAL_INSTRS = 100_000;

interface Outcome {
  state: SimState;
  event: StepEvent;
  reads: Set<string>;
  writes: Set<string>;
  /** location classes of reads and writes, computed when persistent sets ask */
  classes?: { r: Set<string>; w: Set<string> };
  violation?: { invariant: string; message: string };
}

export class Machine {
  private readonly fns = new Map<string, { fn: FunctionProgram; slots: Map<string, number> }>();
  /**
   * Outcomes of recently asked (state, thread) pairs: the explorer asks for a step's
   * footprint before taking it. Bounded, because outcomes hold their successor states:
   * keeping every one would keep the whole explored graph alive.
   */
  private readonly cache = new Map<SimState, Map<string, Outcome>>();
  private readonly maxSteps: number;
  private readonly keys: string[];
  private readonly index = new Map<string, number>();

  constructor(private readonly opts: MachineOptions) {
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
    let k = this.keyCache.get(s);
    if (k === undefined) {
      k = this.computeKey(s);
      this.keyCache.set(s, k);
    }
    return k;
  }

  private readonly keyCache = new WeakMap<SimState, string>();

  private computeKey(s: SimState): string {
    const h = new StateHash();
    h.num(s.world.h1);
    h.num(s.world.h2);
    for (const t of s.threads) {
      h.mark(2);
      h.text(t.id);
      for (const f of t.frames) {
        h.mark(3);
        h.text(f.fn);
        h.num(f.pc);
        for (const v of f.locals) h.value(v);
      }
      for (const q of t.queue) {
        h.mark(4);
        h.text(q.fn);
        for (const v of q.args) h.value(v);
      }
    }
    h.mark(s.finalStarted ? 5 : 6);
    return h.digest();
  }

  threads(s: SimState): string[] {
    return s.threads.map((t) => t.id);
  }

  enabled(s: SimState, tid: string): boolean {
    const thread = s.threads.find((t) => t.id === tid);
    if (!thread) return false;
    const at = this.pending(thread);
    if (!at || at.instr.op !== 'call') return true;
    const target = this.callTarget(thread, at.instr);
    if (target.kind !== 'prim' || !target.prim.blocks) return true;
    const ctx = this.context(new WorldWriter(s.world), tid, new Set(), new Set(), []);
    const args = at.instr.args.map((a) => this.eval(thread, a));
    return !this.guard(thread, at.instr, () => target.prim.blocks!(ctx.ctx, args));
  }

  footprint(s: SimState, tid: string): { reads: string[]; writes: string[] } {
    const out = this.outcome(s, tid);
    return { reads: [...out.reads], writes: [...out.writes] };
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
   * A singleton persistent set: the first enabled thread whose next step touches no
   * class any other live thread may still conflict with (footprint-classes.ts).
   */
  persistent(s: SimState, enabled: readonly string[]): string[] | undefined {
    const futures = new Map<string, ClassSet>();
    for (const t of s.threads) futures.set(t.id, this.future(t));
    // the last reference of a page that stays in the page cache cannot be dropped
    const removal = [...futures.values()].some((f) => intersects(['pg.mapping'], f.w))
      || [...this.opts.layout.pages.keys()].some((p) => s.world.get(this.index.get(key.pageMapping(p))!) === null);
    const clashes = (tid: string, { r, w }: { r: Set<string>; w: Set<string> }): boolean => s.threads.some((u) => {
      if (u.id === tid) return false;
      const f = futures.get(u.id)!;
      return intersects(w, f.r) || intersects(w, f.w) || intersects(removal ? r : withoutFreed(r), f.w);
    });
    // the instruction's stated classes first (no execution), the step's real footprint after
    for (const tid of enabled) {
      const stated = this.pendingClasses(s.threads.find((t) => t.id === tid)!);
      if (stated && !clashes(tid, stated)) return [tid];
    }
    for (const tid of enabled) {
      if (!clashes(tid, this.dynamicClasses(s, tid))) return [tid];
    }
    return undefined;
  }

  private dynamicClasses(s: SimState, tid: string): { r: Set<string>; w: Set<string> } {
    const out = this.outcome(s, tid);
    out.classes ??= { r: new Set([...out.reads].map(classOfKey)), w: new Set([...out.writes].map(classOfKey)) };
    return out.classes;
  }

  private readonly pendingMemo = new Map<string, ClassSet | null>();

  /**
   * The classes a thread's next step may touch, from the instruction alone (the
   * primitive's stated classes with its arguments), so that choosing a persistent set
   * does not have to execute every candidate. Undefined for calls through pointers.
   */
  private pendingClasses(t: Thread): ClassSet | undefined {
    const frame = t.frames[t.frames.length - 1];
    if (!frame) return undefined;
    const memoKey = `${t.id === IO_THREAD ? 'io' : ''}|${frame.fn}@${frame.pc}`;
    let set = this.pendingMemo.get(memoKey);
    if (set === undefined) {
      set = null;
      const instr = this.program(frame.fn).code[frame.pc];
      if (instr?.op === 'call' && typeof instr.callee === 'string') {
        const r = this.opts.linker.resolve(instr.callee);
        if (r.kind === 'prim') set = primitiveClasses(r.prim, instr.args);
      } else if (instr?.op === 'load' || instr?.op === 'store') {
        const c = FIELD_CLASSES[instr.field] ?? '*';
        set = { r: new Set([c, 'pg.freed']), w: new Set(instr.op === 'store' ? [c] : []) };
      }
      if (set && t.id === IO_THREAD) set = { r: new Set([...set.r, 'io.queue']), w: set.w };
      this.pendingMemo.set(memoKey, set);
    }
    return set ?? undefined;
  }

  private readonly futureMemo = new Map<string, ClassSet>();

  /** A thread's future depends only on which functions its frames and queue run. */
  private future(t: Thread): ClassSet {
    let sig = t.id === IO_THREAD ? 'io' : '';
    for (const f of t.frames) sig += '|' + f.fn;
    for (const q of t.queue) sig += '>' + q.fn;
    const memo = this.futureMemo.get(sig);
    if (memo) return memo;
    const set = emptyClasses();
    for (const f of t.frames) addAll(set, this.classes.of(f.fn));
    for (const q of t.queue) addAll(set, this.classes.of(q.fn));
    if (t.id === IO_THREAD) set.r.add('io.queue');
    this.futureMemo.set(sig, set);
    return set;
  }

  private indirect: string[] | undefined;

  /** Functions reachable through pointers: a_ops tables and function values in any model reached. */
  private indirectTargets(): string[] {
    if (this.indirect) return this.indirect;
    const found = new Set<string>();
    for (const table of this.opts.layout.ops.values()) for (const fn of table.values()) found.add(fn);
    const seen = new Set<string>();
    const queue = [...this.opts.cpus.map((c) => c.fn), ...(this.opts.final ? [this.opts.final.fn] : []), 'bh_io_complete', 'page_io_complete', ...found];
    while (queue.length) {
      const name = queue.pop()!;
      if (seen.has(name)) continue;
      seen.add(name);
      const r = this.opts.linker.resolve(name);
      if (r.kind !== 'func') continue;
      const { calls, values } = references(r.fn);
      for (const c of calls) queue.push(c.name);
      for (const v of values) {
        if (!found.has(v) && this.opts.linker.resolve(v).kind === 'func') {
          found.add(v);
          queue.push(v);
        }
      }
    }
    this.indirect = [...found];
    return this.indirect;
  }

  private readonly classes = new FunctionClasses({
    callee: (name) => {
      const r = this.opts.linker.resolve(name);
      return r.kind === 'prim' ? { prim: r.prim } : r.kind === 'func' ? { fn: r.fn } : undefined;
    },
    indirectTargets: () => this.indirectTargets(),
  });

  // ---- stepping ------------------------------------------------------------------

  /** Steps are computed once per (state, thread): the explorer asks for the footprint first. */
  private outcome(s: SimState, tid: string): Outcome {
    let byThread = this.cache.get(s);
    if (!byThread) {
      if (this.cache.size >= OUTCOME_CACHE_STATES) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(s, (byThread = new Map()));
    }
    let out = byThread.get(tid);
    if (!out) byThread.set(tid, (out = this.execute(s, tid)));
    return out;
  }

  private execute(s: SimState, tid: string): Outcome {
    const index = s.threads.findIndex((t) => t.id === tid);
    const old = s.threads[index];
    const thread: Thread = { ...old, frames: old.frames.map((f) => ({ ...f, locals: [...f.locals] })), queue: [...old.queue], steps: old.steps + 1 };
    const world = new WorldWriter(s.world);
    const state: SimState = { world: s.world, threads: [...s.threads], finalStarted: s.finalStarted };
    state.threads[index] = thread;

    const reads = new Set<string>();
    const writes = new Set<string>();
    const remarks: string[] = [];
    const violations: { invariant: string; message: string }[] = [];
    const at = this.pending(thread)!;
    const frame = thread.frames[thread.frames.length - 1];
    // the completion thread takes its next request from the shared queue
    if (tid === IO_THREAD) reads.add(key.ioQueue);
    const { ctx, changes } = this.context(world, tid, reads, writes, remarks, violations, state, thread);
    const instr = at.instr;
    let op = '';
    this.guard(thread, instr, () => {
      if (instr.op === 'call') {
        const target = this.callTarget(thread, instr);
        if (target.kind !== 'prim') throw new ModelError(`internal: step at a non-primitive call`);
        const args = instr.args.map((a) => this.eval(thread, a));
        const result = this.runPrimitive(target, ctx, args, frame, instr);
        if (CHECK_CLASSES) this.checkClasses(target.name, primitiveClasses(target.prim, instr.args), reads, writes);
        if (instr.dst !== undefined) frame.locals[this.slot(frame.fn, instr.dst)] = result;
        op = `${target.name}(${args.map(show).join(', ')})${instr.dst !== undefined ? ` = ${show(result)}` : ''}`;
      } else if (instr.op === 'load') {
        const obj = this.eval(thread, instr.obj);
        const v = loadField(ctx, obj, instr.field);
        frame.locals[this.slot(frame.fn, instr.dst)] = v;
        op = `load ${show(obj)}->${instr.field} = ${show(v)}`;
      } else if (instr.op === 'store') {
        const obj = this.eval(thread, instr.obj);
        const v = this.eval(thread, instr.e);
        storeField(ctx, obj, instr.field, v);
        op = `store ${show(obj)}->${instr.field} = ${show(v)}`;
      }
    });
    frame.pc++;

    const fnInfo = this.fns.get(frame.fn)?.fn;
    const origin = 'at' in instr ? instr.at : undefined;
    const event: StepEvent = {
      tid, label: thread.label, fn: frame.fn, op,
      ...(fnInfo?.file !== undefined ? { file: fnInfo.file } : {}),
      ...(origin?.line !== undefined ? { line: origin.line } : {}),
      ...(origin?.text !== undefined ? { text: origin.text } : {}),
      changes, remarks,
    };

    // a checked violation ends the path; an unchecked BUG still kills its thread
    let violation = this.firstChecked(violations);
    if (!violation) {
      const bug = violations.some((v) => v.invariant === 'bug-on');
      const local = bug ? 'killed' : this.runLocal(state, thread, ctx, violations);
      violation = this.firstChecked(violations);
      if (local === 'killed') this.endThread(state, thread);
    }
    if (!violation && thread.steps >= this.maxSteps && state.threads.includes(thread)) {
      violation = { invariant: 'deadlock', message: `${tid} took ${thread.steps} steps without finishing (livelock)` };
    }
    this.maybeStartFinal(state, ctx);
    state.world = world.freeze();
    return violation ? { state, event, reads, writes, violation } : { state, event, reads, writes };
  }

  /** Development check: a primitive touched a class its reads/writes lists do not state. */
  private checkClasses(name: string, stated: ClassSet, reads: Set<string>, writes: Set<string>): void {
    for (const k of writes) if (k !== key.ioQueue && !covers(stated, k, true)) throw new ModelError(`primitive ${name} writes ${k} (class ${classOfKey(k)}) outside its stated classes`);
    for (const k of reads) if (k !== key.ioQueue && !covers(stated, k, false)) throw new ModelError(`primitive ${name} reads ${k} (class ${classOfKey(k)}) outside its stated classes`);
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
        const next = thread.queue.shift();
        if (!next) {
          this.endThread(state, thread);
          return 'done';
        }
        thread.label = next.label;
        this.push(thread, next.fn, next.args, -1);
        continue;
      }
      const fn = this.program(frame.fn);
      const instr = fn.code[frame.pc];
      if (!instr) throw new ModelError(`${frame.fn}: ran past the end of its code`, frame.fn, fn.file);
      const outcome = this.guard(thread, instr, () => this.local(thread, frame, instr, ctx, violations));
      if (outcome === 'step') return 'step';
      if (outcome === 'killed') return 'killed';
    }
    const frame = thread.frames[thread.frames.length - 1];
    throw new ModelError(`${thread.id}: ${MAX_LOCAL_INSTRS} instructions without an atomic step (a loop that never touches shared state?)`, frame?.fn);
  }

  /** One local instruction; 'step' when the thread now waits at an atomic step. */
  private local(thread: Thread, frame: Frame, instr: Instr, ctx: StepContext,
    violations: { invariant: string; message: string }[]): 'step' | 'next' | 'killed' {
    switch (instr.op) {
      case 'set':
        frame.locals[this.slot(frame.fn, instr.dst)] = this.eval(thread, instr.e);
        frame.pc++;
        return 'next';
      case 'jmp':
        frame.pc = instr.to;
        return 'next';
      case 'br':
        frame.pc = truthy(this.eval(thread, instr.c)) ? instr.t : instr.f;
        return 'next';
      case 'ret': {
        const v = instr.e ? this.eval(thread, instr.e) : 0;
        thread.frames.pop();
        const caller = thread.frames[thread.frames.length - 1];
        if (caller) {
          if (frame.ret >= 0) caller.locals[frame.ret] = v;
          caller.pc++;
        }
        return 'next';
      }
      case 'check': {
        if (!truthy(this.eval(thread, instr.c))) {
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
      case 'store':
        return 'step';
      case 'call': {
        const target = this.callTarget(thread, instr);
        if (target.kind === 'prim' && !target.prim.pure) return 'step';
        const args = () => instr.args.map((a) => this.eval(thread, a));
        let result: Value = 0;
        if (target.kind === 'func') {
          if (thread.frames.length >= MAX_DEPTH) {
            throw new ModelError(`call depth over ${MAX_DEPTH} at ${target.fn.name} (recursion?)`, frame.fn);
          }
          this.push(thread, target.fn.name, args(), instr.dst !== undefined ? this.slot(frame.fn, instr.dst) : -1);
          return 'next';
        }
        if (target.kind === 'prim') result = this.runPrimitive(target, ctx, args(), frame, instr);
        if (instr.dst !== undefined) frame.locals[this.slot(frame.fn, instr.dst)] = result;
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

  private runPrimitive(target: Extract<Resolved, { kind: 'prim' }>, ctx: StepContext, args: Value[], frame: Frame,
    instr: Extract<Instr, { op: 'call' }>): Value {
    const outs: [number, Value][] = [];
    this.outSink = outs;
    let result: Value;
    try {
      result = target.prim.run(ctx, args);
    } finally {
      this.outSink = undefined;
    }
    for (const [i, v] of outs) {
      const a = instr.args[i];
      if (a?.k !== 'ref') throw new PrimitiveError(`${target.name} writes through argument ${i + 1}, which is not the address of a local`);
      frame.locals[this.slot(frame.fn, a.name)] = v;
    }
    return result;
  }

  // ---- threads ---------------------------------------------------------------------

  private startThread(state: SimState, spec: ThreadSpec, ctx: StepContext | undefined): void {
    const thread: Thread = { id: spec.id, label: spec.label, frames: [], steps: 0, spawned: 0, queue: [] };
    state.threads.push(thread);
    this.push(thread, spec.fn, spec.args, -1);
    const violations: { invariant: string; message: string }[] = [];
    // outside a step only pure local computation runs: nothing is written
    const c = ctx ?? this.context(new WorldWriter(state.world), spec.id, new Set(), new Set(), []).ctx;
    const r = this.runLocal(state, thread, c, violations);
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
    const { fn, slots } = this.compiled(name);
    const locals: Value[] = new Array(slots.size).fill(0);
    fn.params.forEach((p, i) => { locals[slots.get(p)!] = args[i] ?? 0; });
    thread.frames.push({ fn: name, pc: 0, locals, ret });
  }

  /** The instruction the thread will execute as its next step, if it has one. */
  private pending(thread: Thread): { instr: Instr } | undefined {
    const frame = thread.frames[thread.frames.length - 1];
    if (!frame) return undefined;
    return { instr: this.program(frame.fn).code[frame.pc] };
  }

  // ---- functions and names ------------------------------------------------------------

  private program(name: string): FunctionProgram {
    return this.compiled(name).fn;
  }

  private compiled(name: string): { fn: FunctionProgram; slots: Map<string, number> } {
    let entry = this.fns.get(name);
    if (entry) return entry;
    const r = this.opts.linker.resolve(name);
    if (r.kind !== 'func') throw new ModelError(`no model of ${name} to run`, name);
    const slots = new Map<string, number>();
    const add = (n: string) => { if (!slots.has(n)) slots.set(n, slots.size); };
    r.fn.params.forEach(add);
    for (const i of r.fn.code) if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst !== undefined) add(i.dst);
    entry = { fn: r.fn, slots };
    this.fns.set(name, entry);
    return entry;
  }

  private slot(fn: string, local: string): number {
    const s = this.compiled(fn).slots.get(local);
    if (s === undefined) throw new ModelError(`${fn}: unknown local ${local}`, fn);
    return s;
  }

  private callTarget(thread: Thread, instr: Extract<Instr, { op: 'call' }>): Resolved {
    if (typeof instr.callee === 'string') return this.opts.linker.resolve(instr.callee);
    const v = this.eval(thread, instr.callee);
    if (typeof v !== 'string' || !v.startsWith('fn:')) {
      throw new ModelError(`call through ${v === null ? 'a NULL' : 'a non-function'} pointer`);
    }
    return this.opts.linker.resolve(v.slice(3));
  }

  // ---- expressions -------------------------------------------------------------------

  private eval(thread: Thread, e: Expr): Value {
    const frame = thread.frames[thread.frames.length - 1];
    switch (e.k) {
      case 'num': return e.v;
      case 'null': return null;
      case 'fn': return `fn:${e.name}`;
      case 'sym': {
        const c = constantValue(e.name);
        if (c !== undefined) return c;
        const r = this.opts.linker.resolve(e.name);
        return r.kind === 'func' || r.kind === 'prim' ? `fn:${e.name}` : 0;
      }
      case 'local':
      case 'ref': {
        const s = this.compiled(frame.fn).slots.get(e.name);
        return s === undefined ? 0 : frame.locals[s];
      }
      case 'arr':
        return arrayValue(e.items.map((x) => this.eval(thread, x)));
      case 'elem':
        return arrayElement(this.eval(thread, e.a), int(this.eval(thread, e.i)));
      case 'un': {
        const a = this.eval(thread, e.a);
        if (e.op === '!') return truthy(a) ? 0 : 1;
        if (e.op === '-') return -int(a);
        return ~int(a);
      }
      case 'bin': {
        if (e.op === '&&') return truthy(this.eval(thread, e.a)) && truthy(this.eval(thread, e.b)) ? 1 : 0;
        if (e.op === '||') return truthy(this.eval(thread, e.a)) || truthy(this.eval(thread, e.b)) ? 1 : 0;
        const a = this.eval(thread, e.a);
        const b = this.eval(thread, e.b);
        if (e.unsigned) {
          const u = unsignedOp(e.op, int(a), int(b));
          if (u !== undefined) return u;
        }
        switch (e.op) {
          case '==': return same(a, b) ? 1 : 0;
          case '!=': return same(a, b) ? 0 : 1;
          case '+': return int(a) + int(b);
          case '-': return int(a) - int(b);
          case '*': return int(a) * int(b);
          case '/': return int(b) === 0 ? 0 : Math.trunc(int(a) / int(b));
          case '%': return int(b) === 0 ? 0 : int(a) % int(b);
          case '<<': return int(a) << int(b);
          case '>>': return int(a) >> int(b);
          case '&': return int(a) & int(b);
          case '|': return int(a) | int(b);
          case '^': return int(a) ^ int(b);
          case '<': return int(a) < int(b) ? 1 : 0;
          case '<=': return int(a) <= int(b) ? 1 : 0;
          case '>': return int(a) > int(b) ? 1 : 0;
          case '>=': return int(a) >= int(b) ? 1 : 0;
        }
        return 0;
      }
      case 'cond':
        return truthy(this.eval(thread, e.c)) ? this.eval(thread, e.a) : this.eval(thread, e.b);
      case 'field':
        return fixedField(this.opts.layout, this.eval(thread, e.obj), e.field);
      case 'addr':
        return fieldAddress(this.eval(thread, e.obj), e.field);
    }
  }

  // ---- contexts and errors --------------------------------------------------------------

  private context(world: WorldWriter, tid: string, reads: Set<string>, writes: Set<string>, remarks: string[],
    violations: { invariant: string; message: string }[] = [], state?: SimState, thread?: Thread): { ctx: StepContext; changes: Change[] } {
    const changes: Change[] = [];
    const ctx: StepContext = {
      layout: this.opts.layout,
      tid,
      get: (k) => {
        const i = this.index.get(k);
        if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
        reads.add(k);
        return world.get(i);
      },
      set: (k, v) => {
        const i = this.index.get(k);
        if (i === undefined) throw new PrimitiveError(`no state location ${k}`);
        writes.add(k);
        const prev = changes.find((c) => c[0] === k);
        if (prev) prev[2] = v;
        else if (world.get(i) !== v) changes.push([k, world.get(i), v]);
        world.set(i, v);
      },
      spawn: (fn, args, label) => {
        if (!state || !thread) throw new PrimitiveError('spawn outside a step');
        // One completion context: the device completes requests one at a time, in
        // submission order, so completions interleave with the CPUs, not with each other.
        // the queue's order is shared state: submissions from two CPUs do not commute
        writes.add(key.ioQueue);
        const index = state.threads.findIndex((t) => t.id === IO_THREAD);
        if (index < 0) {
          this.startThread(state, { id: IO_THREAD, label, fn, args }, ctx);
        } else {
          const io = state.threads[index];
          const copy: Thread = { ...io, queue: [...io.queue, { id: IO_THREAD, label, fn, args }] };
          state.threads[index] = copy;
        }
      },
      violate: (invariant, message) => { violations.push({ invariant, message }); },
      remark: (text) => { remarks.push(text); },
      out: (i, v) => {
        if (!this.outSink) throw new PrimitiveError('out-parameter written outside a call');
        this.outSink.push([i, v]);
      },
    };
    return { ctx, changes };
  }

  /** Errors inside a model become ModelErrors naming the function and line. */
  private guard<T>(thread: Thread, instr: Instr, f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof ModelError) throw err;
      const frame = thread.frames[thread.frames.length - 1];
      const fn = frame ? this.fns.get(frame.fn)?.fn : undefined;
      const at: Origin | undefined = 'at' in instr ? instr.at : undefined;
      const msg = err instanceof Error ? err.message : String(err);
      // name the scenario call this came from: the bottom frame is the CPU block
      const root = thread.frames[0];
      const rootFn = root ? this.fns.get(root.fn)?.fn : undefined;
      const rootAt = rootFn && root ? (rootFn.code[root.pc] as { at?: Origin } | undefined)?.at : undefined;
      const where = root !== frame ? `${frame?.fn ?? '?'}${at ? ` (${fn?.file ?? ''}:${at.line})` : ''}: ` : '';
      const error = new ModelError(`${where}${msg}`, frame?.fn, fn?.file, at?.line);
      if (rootAt) error.call = { line: rootAt.line, column: rootAt.column ?? 1 };
      throw error;
    }
  }
}

/**
 * States are remembered by a 64-bit hash of everything in them (world, threads,
 * frames, locals, queued work), computed value by value without building a string:
 * two different states colliding in a run of a few million states has a probability
 * below one in a million.
 */
class StateHash {
  private h1 = 0x811c9dc5;
  private h2 = 0x9747b28c;

  private mix(c: number): void {
    this.h1 = Math.imul(this.h1 ^ c, 0x01000193);
    this.h2 = Math.imul(this.h2 ^ c, 0x5bd1e995);
    this.h2 ^= this.h2 >>> 15;
  }

  mark(m: number): void {
    this.mix(0x7f000000 | m);
  }

  num(n: number): void {
    this.mix(n | 0);
    this.mix((n / 4294967296) | 0);
  }

  text(s: string): void {
    for (let i = 0; i < s.length; i++) this.mix(s.charCodeAt(i));
    this.mix(0x7e000000 | s.length);
  }

  value(v: Value): void {
    if (v === null) this.mark(1);
    else if (typeof v === 'number') { this.mark(7); this.num(v); }
    else { this.mark(8); this.text(v); }
  }

  digest(): string {
    return (this.h1 >>> 0).toString(36) + ':' + (this.h2 >>> 0).toString(36);
  }
}

function withoutFreed(r: Set<string>): Set<string> {
  if (!r.has('pg.freed')) return r;
  const out = new Set(r);
  out.delete('pg.freed');
  return out;
}

function truthy(v: Value): boolean {
  return v !== 0 && v !== null;
}

function int(v: Value): number {
  return typeof v === 'number' ? v : v === null ? 0 : 1;
}

function same(a: Value, b: Value): boolean {
  if (a === null || b === null) return (a === null || a === 0) && (b === null || b === 0);
  return a === b;
}

/**
 * The operations whose result depends on signedness, for operands of an unsigned type
 * held in two's-complement form (a negative number stands for 2^64 + v); undefined
 * for the others, which come out the same either way.
 */
function unsignedOp(op: string, a: number, b: number): number | undefined {
  if (a >= 0 && b >= 0) return undefined;
  const ua = a < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(a))) : BigInt(Math.trunc(a));
  const ub = b < 0 ? BigInt.asUintN(64, BigInt(Math.trunc(b))) : BigInt(Math.trunc(b));
  switch (op) {
    case '<': return ua < ub ? 1 : 0;
    case '<=': return ua <= ub ? 1 : 0;
    case '>': return ua > ub ? 1 : 0;
    case '>=': return ua >= ub ? 1 : 0;
    case '/': return ub === 0n ? 0 : Number(BigInt.asIntN(64, ua / ub));
    case '%': return ub === 0n ? 0 : Number(BigInt.asIntN(64, ua % ub));
    case '>>': return ub >= 64n ? 0 : Number(BigInt.asIntN(64, ua >> ub));
    default: return undefined;
  }
}

function show(v: Value): string {
  if (v === null) return 'NULL';
  if (typeof v === 'number') return String(v);
  if (isArrayValue(v)) return `[${arrayItems(v).map(show).join(', ')}]`;
  const i = v.indexOf(':');
  return i < 0 ? v : v.slice(i + 1);
}

