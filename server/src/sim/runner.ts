/**
 * Runs a thread's code: its pending atomic step (a primitive call, a load or store of
 * a changing field) and the local computation after it, over compiled functions
 * (compiled-code.ts: each instruction a closure, its expressions compiled by compile.ts). Everything a run needs comes in as arguments: the thread, the step's
 * context (what primitives read and write goes through it) and where violations go;
 * what stays here is what holds for the whole machine (compiled functions, the
 * assumptions met, the out-parameters of the primitive call under way).
 */
import { type Expr, type FunctionProgram, type Instr, type Origin, type Value } from './program.js';
import type { Primitive, StepContext } from './primitive.js';
import { PrimitiveError } from './primitive.js';
import { key } from './world.js';
import { plainAddressKey } from './ops/args.js';
import { fixedField, isThreadPrivate, isThreadPrivateKey, loadField, plainFieldKey, storeField } from './objects.js';
import { ModelError } from './errors.js';
import { accountingWhat, isAccountingField, locatedError, withAt } from './placement.js';
import { StepRecord, type StepKind } from './step-record.js';
import { textHash } from './state-hash.js';
import { CHECK_CLASSES, NO_CHANGES, type StepSink } from './transition-context.js';
import { analysesOf, dstSlot, type SlotAnnotated } from './slots.js';
import { AssumptionLog, isModeledObject, unknownCallMessage, unknownIdentifierMessage, type Assumption } from './assumptions.js';
import { evalAll, type ExprHost } from './compile.js';
import { compileInstr, NEXT, STEP, type RunHost, type Violations } from './compiled-code.js';
import { HostRelay, type SharedCode } from './host-relay.js';
import type { ProgramFacts } from './program-facts.js';
import { classOfKey, covers, type ClassSet } from './footprint-classes.js';
import { stepClasses, unionClasses } from './step-classes.js';
import { calleeField } from './function-classes.js';
import { pendingWithObject, withObjectArg } from './object-steps.js';
import { coverageOf, type FunctionCoverage } from './coverage.js';
import type { CompiledFunction, CompiledInstr, Frame, MachineOptions, Resolved, StepEvent, Thread } from './machine-types.js';
import { kept } from './ref-parts.js';

const MAX_LOCAL_INSTRS = 100_000;

type Call = Extract<Instr, { op: 'call' }>;

export class Runner implements ExprHost, RunHost {
  private readonly fns: Map<string, CompiledFunction>;
  private readonly relay: HostRelay;

  /** `shared`: where machines over the same programs keep their compiled functions (an empty object at first) */
  constructor(private readonly opts: Pick<MachineOptions, 'layout' | 'world' | 'linker'>,
    private readonly index: ReadonlyMap<string, number>, private readonly facts: ProgramFacts, shared: SharedCode = {}) {
    this.fns = (shared.fns ??= new Map());
    this.relay = (shared.relay ??= new HostRelay(opts.linker));
    // compiled code outlives the machine that compiled it: coverage counts this machine's steps only
    for (const c of this.fns.values()) for (const o of c.ops) o.hit = false;
  }

  /**
   * The classes a thread's next step may touch, from the instruction alone (the
   * primitive's stated classes with its arguments), so that choosing a persistent set
   * does not have to execute every candidate. Undefined for calls through pointers.
   */
  pendingClasses(t: Thread): ClassSet | undefined {
    const frame = t.frames[t.frames.length - 1];
    const op = frame?.c.ops[frame.pc];
    if (!op) return undefined;
    if (op.pending === undefined) op.pending = this.statedClasses(frame, op);
    // a buffer primitive's classes are its buffer's alone (object-steps.ts)
    return op.pending && op.target?.kind === 'prim' ? pendingWithObject(op.pending, op.target.prim, frame.c.fn.code[frame.pc], frame) : op.pending ?? undefined;
  }


  /** What the instruction at `frame`'s pc states it touches, worked out once (a method of its own: the closure is made only then). */
  private statedClasses(frame: Frame, op: CompiledInstr): ClassSet | null {
    const fn = frame.c.fn;
    return stepClasses(fn.code[frame.pc], op, (args) => this.facts.argVariants(fn, args));
  }

  /** Whether the thread's pending step is a lock acquire or release (see execute). */
  moverAt(thread: Thread): 'acquire' | 'release' | undefined {
    const frame = thread.frames[thread.frames.length - 1];
    const target = frame?.c.ops[frame.pc]?.target;
    return target?.kind === 'prim' ? target.prim.mover : undefined;
  }

  /** Whether the thread's pending step can run now (asked through a read-only probe, or inside a transition). */
  canStep(thread: Thread, ctx: StepContext): boolean {
    this.relay.runner = this;
    const at = this.pending(thread);
    if (!at || at.op !== 'call') return !!at;
    // the callee and arguments are evaluated here first: their errors are placed too
    try {
      const frame = thread.frames[thread.frames.length - 1];
      const ops = frame.c.ops[frame.pc];
      const target = this.callTarget(thread, at, ops, ctx);
      if (target.kind !== 'prim' || !target.prim.blocks) return true;
      return !target.prim.blocks(ctx, evalAll(ops.args!, thread, ctx, frame.locals));
    } catch (err) {
      throw locatedError(thread, at, err);
    }
  }

  /** One atomic step: the thread's pending primitive call, load or store. */
  stepOnce(thread: Thread, ctx: StepContext, sink: StepSink): StepEvent {
    this.relay.runner = this;
    const instr = this.pending(thread)!;
    const frame = thread.frames[thread.frames.length - 1];
    const ops = frame.c.ops[frame.pc];
    ops.hit = true;
    // the operation's text is for traces only: the record keeps its parts
    let kind: StepKind = 'call';
    let name = '';
    let values: Value[] = [];
    let result: Value | undefined;
    try {
      if (instr.op === 'call') {
        const target = this.callTarget(thread, instr, ops, ctx);
        if (target.kind !== 'prim') throw new ModelError(`internal: step at a non-primitive call`);
        const args = this.primitiveArgs(thread, target.prim, instr, ops, ctx, frame.locals);
        // what the step waited on is part of what it read (a lock's holder, PG_locked)
        if (target.prim.blocks && target.prim.blocks(ctx, args)) throw new ModelError(`internal: ${target.name} stepped while blocked`);
        const r = this.runPrimitive(target, ctx, args, frame, instr);
        // the classes as the futures narrow them (a parameter's constants from its callers): what ran must be inside
        if (CHECK_CLASSES) this.checkClasses(target.name, withObjectArg(unionClasses(target.prim, this.facts.argVariants(frame.c.fn, instr.args)), target.prim, args[target.prim.objectArg ?? -1]), sink.stepReads!, sink.stepWrites!);
        if (instr.dst !== undefined) {
          frame.locals[dstSlot(instr)] = r;
          result = r;
        }
        name = target.name;
        values = args;
      } else if (instr.op === 'load') {
        const obj = ops.obj!(thread, ctx, frame.locals);
        if (isAccountingField(obj, instr.field) && !this.log.seen(instr)) {
          this.log.note({ kind: 'unmodeled-field', function: frame.fn, message: `field '${instr.field}' of ${accountingWhat(obj)} read as 0`, ...withAt(frame.c.fn.file, instr.at) }, instr);
        }
        const v = loadField(ctx, obj, instr.field);
        frame.locals[dstSlot(instr)] = v;
        kind = 'load';
        name = instr.field;
        values = [obj, v];
      } else if (instr.op === 'store') {
        const obj = ops.obj!(thread, ctx, frame.locals);
        const v = ops.e!(thread, ctx, frame.locals);
        storeField(ctx, obj, instr.field, v);
        kind = 'store';
        name = instr.field;
        values = [obj, v];
      }
    } catch (err) {
      throw locatedError(thread, instr, err);
    }
    frame.pc++;
    const fnInfo = frame.c.fn;
    const origin = 'at' in instr ? instr.at : undefined;
    return new StepRecord(thread.id, thread.label, frame.fn, kind, name, values, result, NO_CHANGES, sink.remarks, fnInfo.file, origin?.line, origin?.text, origin?.column);
  }

  /** Development check: a primitive touched a class its reads/writes lists do not state. */
  private checkClasses(name: string, stated: ClassSet, reads: Set<string>, writes: Set<string>): void {
    // a field of a thread's own stack object read while evaluating the step's arguments (wbc->index) is not the primitive's
    for (const k of writes) if (k !== key.ioQueue && !isThreadPrivateKey(k) && !covers(stated, k, true)) throw new ModelError(`primitive ${name} writes ${k} (class ${classOfKey(k)}) outside its stated classes`);
    for (const k of reads) if (k !== key.ioQueue && !isThreadPrivateKey(k) && !covers(stated, k, false)) throw new ModelError(`primitive ${name} reads ${k} (class ${classOfKey(k)}) outside its stated classes`);
  }

  /**
   * Runs local computation until the thread's next step; returns 'killed' when a
   * BUG fired (the thread dies, as the kernel's BUG() kills the task).
   */
  runLocal(thread: Thread, ctx: StepContext, violations: Violations): 'step' | 'done' | 'killed' {
    this.relay.runner = this;
    const frames = thread.frames;
    for (let budget = 0; budget < MAX_LOCAL_INSTRS; budget++) {
      const frame = frames[frames.length - 1];
      if (!frame) {
        // the queue is shared with the thread's copy in the state before: taken from, not changed
        const next = thread.queue[0];
        if (next) thread.queue = thread.queue.slice(1);
        // the machine takes the finished thread out of the state
        if (!next) return 'done';
        thread.label = next.label;
        this.push(thread, next.fn, next.args, -1);
        continue;
      }
      const compiled = frame.c;
      const pc = frame.pc;
      const ops = compiled.ops[pc];
      if (!ops) throw new ModelError(`${frame.fn}: ran past the end of its code`, frame.fn, compiled.fn.file);
      ops.hit = true;
      let outcome: number;
      try {
        outcome = ops.run!(this, thread, frame, ctx, violations);
      } catch (err) {
        throw locatedError(thread, compiled.fn.code[pc], err);
      }
      if (outcome !== NEXT) return outcome === STEP ? 'step' : 'killed';
    }
    const frame = frames[frames.length - 1];
    const spin = new ModelError(`${thread.id}: ${MAX_LOCAL_INSTRS} instructions without an atomic step (a loop that never touches shared state?)`, frame?.fn);
    const instr = frame ? frame.c.fn.code[frame.pc] : undefined;
    throw instr ? locatedError(thread, instr, spin) : spin;
  }

  /**
   * Runs a primitive; what it writes through out-parameters lands in the caller's
   * locals named by the `ref` arguments, once it has returned.
   */
  private outSink: [number, Value][] | undefined;
  private inPrimitive = false;
  /** the call a primitive runs for, while it runs: where its assumptions are */
  private primitiveFrame: Frame | undefined;
  private primitiveInstr: Call | undefined;

  runPrimitive(target: Extract<Resolved, { kind: 'prim' }>, ctx: StepContext, args: Value[], frame: Frame, instr: Call): Value {
    this.inPrimitive = true;
    this.primitiveFrame = frame;
    this.primitiveInstr = instr;
    let result: Value;
    try {
      result = target.prim.run(ctx, args);
    } finally {
      this.inPrimitive = false;
      this.primitiveFrame = undefined;
      this.primitiveInstr = undefined;
    }
    const outs = this.outSink;
    if (!outs) return result;
    this.outSink = undefined;
    for (const [i, v] of outs) {
      const a = instr.args[i];
      const field = a?.k === 'addr' && target.prim.byRef?.includes(i) ? this.byRefKeys.get(i) : undefined;
      if (field !== undefined) { ctx.set(field, v); continue; }
      if (a?.k !== 'ref' && target.prim.outWhenAddress?.includes(i)) continue;
      if (a?.k !== 'ref') throw new PrimitiveError(`${target.name} writes through argument ${i + 1}, which is not the address of a local`);
      frame.locals[(a as SlotAnnotated).slot!] = v;
    }
    return result;
  }

  /** Whether the call hands primitive `prim` a field of a shared object by reference. */
  sharedByRef(thread: Thread, prim: Primitive, ops: CompiledInstr, ctx: StepContext, l: Value[]): boolean {
    return prim.byRef?.some((i) => {
      const obj = ops.argObjs![i];
      return obj !== undefined && !isThreadPrivate(obj(thread, ctx, l));
    }) ?? false;
  }

  /** plain-field locations of the by-reference arguments of the primitive call under way */
  private readonly byRefKeys = new Map<number, string>();

  /**
   * A primitive call's argument values. An argument the primitive takes by reference
   * that is the address of a plain field (`&wbc->fbatch`) passes the field's value, read
   * as plain memory; what the primitive writes back through it lands there (runPrimitive).
   */
  primitiveArgs(thread: Thread, prim: Primitive, instr: Call, ops: CompiledInstr, ctx: StepContext, l: Value[]): Value[] {
    const args = evalAll(ops.args!, thread, ctx, l);
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

  push(thread: Thread, name: string, args: Value[], ret: number): void {
    this.pushFrame(thread, this.compiled(name), args, ret);
  }

  pushFrame(thread: Thread, c: CompiledFunction, args: Value[], ret: number): void {
    const name = c.key;
    const locals: Value[] = new Array(c.slots.size).fill(0);
    const params = c.program.paramSlots;
    // a NULL argument stays NULL (only a missing one is 0): `if (locked)` on a scalar
    // pointer parameter (ptr_given) tells a caller's NULL from its local holding 0
    for (let i = 0; i < params.length; i++) locals[params[i]] = args[i] === undefined ? 0 : args[i];
    thread.frames.push({ fn: name, pc: 0, locals, ret, c, below: undefined, owner: thread });
  }

  /** The instruction the thread will execute as its next step, if it has one. */
  pending(thread: Thread): Instr | undefined {
    const frame = thread.frames[thread.frames.length - 1];
    if (!frame) return undefined;
    return frame.c.fn.code[frame.pc];
  }

  // ---- functions and names ------------------------------------------------------------

  /** The source lines this machine's threads executed, per function (coverage.ts). */
  coverage(): FunctionCoverage[] {
    return coverageOf(this.fns.values());
  }

  program(name: string): FunctionProgram {
    return this.compiled(name).fn;
  }

  private lastCompiled: CompiledFunction | undefined;

  compiled(name: string): CompiledFunction {
    // most lookups ask for the function asked for just before
    if (this.lastCompiled?.key === name) return this.lastCompiled;
    let entry = this.fns.get(name);
    if (entry) return (this.lastCompiled = entry);
    const r = this.opts.linker.resolve(name);
    if (r.kind !== 'func') throw new ModelError(`no model of ${name} to run`, name);
    const program = analysesOf(r.fn);
    entry = { key: name, keyHash: textHash(name), fn: r.fn, slots: program.slots, program, ops: [] };
    // registered before its code is compiled: nothing in it runs yet
    const compiled = entry;
    entry.ops = r.fn.code.map((i) => compileInstr(i, compiled, this.relay, this.facts));
    this.fns.set(name, entry);
    return entry;
  }

  /** The compiled expressions of the thread's pending instruction. */
  pendingOps(thread: Thread): CompiledInstr {
    const frame = thread.frames[thread.frames.length - 1];
    return frame.c.ops[frame.pc];
  }

  /** What the thread's pending call (`instr`) runs. */
  callTarget(thread: Thread, instr: Call, ops: CompiledInstr, ctx: StepContext | undefined): Resolved {
    const callee = instr.callee;
    if (typeof callee === 'string') return ops.target!;
    const v = ops.callee!(thread, ctx, thread.frames[thread.frames.length - 1].locals);
    if (typeof v !== 'string' || !v.startsWith('fn:')) {
      throw new ModelError(`call through ${v === null ? 'a NULL' : 'a non-function'} pointer`);
    }
    const name = calleeName(v);
    if (CHECK_CLASSES) {
      const fn = thread.frames[thread.frames.length - 1].c.fn;
      if (!this.facts.calleeTargets(fn, callee).includes(name)) {
        const field = calleeField(fn, callee);
        throw new ModelError(`call through ${field !== undefined ? `->${field}` : 'a pointer'} reaches ${name}, which the futures of persistent sets do not know`);
      }
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
      return this.fixed(obj, e.field);
    } catch (err) {
      const k = err instanceof PrimitiveError ? plainFieldKey(obj, e.field) : undefined;
      if (k === undefined) throw err;
      return this.unchangingField(frame, e, obj, k);
    }
  }

  /** Immutable fields read so far, per object: the layout does not change while the machine runs. */
  private readonly fixedFields = new Map<string, Map<string, Value>>();

  private fixed(obj: Value, field: string): Value {
    if (typeof obj !== 'string') return fixedField(this.opts.layout, obj, field);
    let byField = this.fixedFields.get(obj);
    if (!byField) this.fixedFields.set(obj, (byField = new Map()));
    let v = byField.get(field);
    // an unknown field throws, and is asked again (its error is placed where it is met)
    if (v === undefined && !byField.has(field)) byField.set(field, (v = fixedField(this.opts.layout, obj, field)));
    return v!;
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
  unknownCall(thread: Thread, frame: Frame, instr: Call, ops: CompiledInstr, name: string, ctx: StepContext): void {
    const used = instr.dst !== undefined;
    let objects = false;
    if (!used) {
      this.quietSymbols = true;
      try {
        // an argument the model cannot even evaluate counts as one it might have changed
        objects = ops.args!.some((a) => { try { return isModeledObject(a(thread, ctx, frame.locals)); } catch { return true; } });
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
    const frame = this.primitiveFrame;
    if (!frame) return;
    const fn = this.program(frame.fn);
    this.log.note({ kind, function: frame.fn, message, ...withAt(fn.file, (this.primitiveInstr as { at?: Origin }).at) });
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

  /** A primitive writes through an out-parameter of the call under way. */
  writeOut(i: number, v: Value): void {
    if (!this.inPrimitive) throw new PrimitiveError('out-parameter written outside a call');
    (this.outSink ??= []).push([i, v]);
  }
}

/** "fn:NAME" → NAME, once per value (ref-parts.ts kept): the name keeps its hash for the linker's lookup that follows. */
const calleeNames = new Map<string, string>();

function calleeName(v: string): string {
  return kept(calleeNames, v, (fn) => fn.slice(3));
}
