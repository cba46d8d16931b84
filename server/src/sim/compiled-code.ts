/**
 * Statements compiled into closures, once per function and set of programs (the code
 * machines over the same programs share, host-relay.ts): each instruction becomes a
 * function that runs it as local computation, its expressions compiled (compile.ts),
 * its locals and destination read and written by slot, its call's target resolved and
 * what decides whether that call is local computation or a step of its own decided
 * when it first runs. A thread's local computation (runner.ts runLocal) calls these one
 * after another; nothing walks the IR or switches on an instruction's kind at run time.
 *
 * Each closure computes exactly what the instruction did when it was interpreted, in the
 * same order (its assumptions, errors and out-parameters included): only the decisions
 * that depend on the programs alone moved to the first run of the instruction.
 */
import type { Expr, Instr, Value } from './program.js';
import type { Primitive, StepContext } from './primitive.js';
import { isPlainWordBit } from './constants.js';
import { isPlainField } from './plain-fields.js';
import { isLocalAccess, loadField, storeField } from './objects.js';
import { ModelError } from './errors.js';
import { dstSlot, type SlotAnnotated } from './slots.js';
import { truthy } from './values.js';
import { compileExpr, evalAll, type Eval, type ExprHost } from './compile.js';
import type { ProgramFacts } from './program-facts.js';
import type { CompiledFunction, CompiledInstr, Frame, Resolved, Thread } from './machine-types.js';

/** What a compiled instruction did: went on to the next (NEXT), stopped at a step of its own (STEP), or a BUG killed the thread. */
export const NEXT = 0;
export const STEP = 1;
export const KILLED = 2;

export type Violations = { invariant: string; message: string }[];

/** An instruction run as local computation by the thread whose top frame is `f`. */
export type LocalRun = (r: RunHost, t: Thread, f: Frame, ctx: StepContext, v: Violations) => number;

type Call = Extract<Instr, { op: 'call' }>;
type Prim = Extract<Resolved, { kind: 'prim' }>;

export const MAX_DEPTH = 32;

/** What compiled statements ask of the runner of the machine running them (runner.ts). */
export interface RunHost {
  callTarget(thread: Thread, instr: Call, ops: CompiledInstr, ctx: StepContext | undefined): Resolved;
  primitiveArgs(thread: Thread, prim: Primitive, instr: Call, ops: CompiledInstr, ctx: StepContext, l: Value[]): Value[];
  runPrimitive(target: Prim, ctx: StepContext, args: Value[], frame: Frame, instr: Call): Value;
  sharedByRef(thread: Thread, prim: Primitive, ops: CompiledInstr, ctx: StepContext, l: Value[]): boolean;
  unknownCall(thread: Thread, frame: Frame, instr: Call, ops: CompiledInstr, name: string, ctx: StepContext): void;
  push(thread: Thread, name: string, args: Value[], ret: number): void;
  /** a call of a function already compiled (`compiled`): its frame on the thread's stack */
  pushFrame(thread: Thread, c: CompiledFunction, args: Value[], ret: number): void;
  compiled(name: string): CompiledFunction;
}

/** The compiled form of one instruction: its expressions, and how it runs as local computation. */
export function compileInstr(i: Instr, c: CompiledFunction, host: ExprHost, facts: ProgramFacts): CompiledInstr {
  const x = (e: Expr): Eval => compileExpr(e, host);
  // every field is there from the start, in one order: every instruction has one shape,
  // so that reading `run`, `hit` or `pending` off any of them is a monomorphic access
  const ops: CompiledInstr = {
    hit: false, run: undefined, e: undefined, c: undefined, obj: undefined, callee: undefined, target: undefined,
    args: undefined, argObjs: undefined, pending: undefined, checkRead: undefined,
  };
  switch (i.op) {
    case 'set': {
      const e = (ops.e = x(i.e));
      const d = dstSlot(i);
      ops.run = (_r, t, f, ctx) => {
        f.locals[d] = e(t, ctx, f.locals);
        f.pc++;
        return NEXT;
      };
      break;
    }
    case 'jmp': {
      const to = i.to;
      ops.run = (_r, _t, f) => {
        f.pc = to;
        return NEXT;
      };
      break;
    }
    case 'br': {
      const cond = (ops.c = x(i.c));
      const { t: yes, f: no } = i;
      ops.run = (_r, t, f, ctx) => {
        f.pc = truthy(cond(t, ctx, f.locals)) ? yes : no;
        return NEXT;
      };
      break;
    }
    case 'check': {
      ops.c = x(i.c);
      ops.run = checkRun(i, ops.c);
      break;
    }
    case 'ret': {
      if (i.e) ops.e = x(i.e);
      ops.run = retRun(ops.e, c);
      break;
    }
    case 'load':
    case 'store': {
      ops.obj = x(i.obj);
      if (i.op === 'store') ops.e = x(i.e);
      ops.run = accessRun(i, ops);
      break;
    }
    case 'call': {
      if (typeof i.callee === 'string') ops.target = host.resolve(i.callee);
      else ops.callee = x(i.callee);
      ops.args = i.args.map(x);
      ops.argObjs = i.args.map((a) => (a.k === 'addr' ? x(a.obj) : undefined));
      ops.run = callRun(i, ops, facts);
      break;
    }
    default:
      break;
  }
  return ops;
}

function checkRun(i: Extract<Instr, { op: 'check' }>, cond: Eval): LocalRun {
  return (_r, t, f, ctx, violations) => {
    if (!truthy(cond(t, ctx, f.locals))) {
      f.pc++;
      return NEXT;
    }
    const where = `${f.fn}${i.at ? `:${i.at.line}` : ''}`;
    if (i.kind === 'warn') {
      ctx.remark(`WARN_ON fired in ${where}${i.at?.text ? `: ${i.at.text}` : ''}`);
      f.pc++;
      return NEXT;
    }
    violations.push({ invariant: 'bug-on', message: `${i.at?.text ?? 'BUG()'} fired in ${where}` });
    return KILLED;
  };
}

function retRun(e: Eval | undefined, c: CompiledFunction): LocalRun {
  const outs = outParamSlots(c);
  return (_r, t, f, ctx) => {
    const v = e ? e(t, ctx, f.locals) : 0;
    const frames = t.frames;
    frames.pop();
    const depth = frames.length - 1;
    if (depth < 0) return NEXT;
    // frames are copied on write: the caller's now, as the return writes into it, unless this thread made it
    const was = frames[depth];
    let caller = was;
    if (was.owner === t) was.below = undefined;
    else caller = frames[depth] = { fn: was.fn, pc: was.pc, locals: was.locals.slice(), ret: was.ret, c: was.c, below: undefined, owner: t };
    if (outs) copyOutParams(outs, f, caller);
    if (f.ret >= 0) caller.locals[f.ret] = v;
    caller.pc++;
    return NEXT;
  };
}

/** A function's scalar out-parameters (`*error = x`): per parameter index, the callee's slot. */
function outParamSlots(c: CompiledFunction): [number, number][] | undefined {
  const { fn, slots } = c;
  if (!fn.outParams?.length) return undefined;
  const out: [number, number][] = [];
  fn.params.forEach((p, i) => {
    const from = slots.get(p);
    if (fn.outParams!.includes(p) && from !== undefined) out.push([i, from]);
  });
  return out;
}

/** The out-parameters back into the locals whose addresses the caller passed (`&error`). */
function copyOutParams(outs: [number, number][], callee: Frame, caller: Frame): void {
  const call = caller.c.fn.code[caller.pc];
  if (call?.op !== 'call') return;
  for (const [i, from] of outs) {
    const a = call.args[i];
    if (a?.k !== 'ref') continue;
    const to = (a as SlotAnnotated).slot;
    if (to !== undefined && to >= 0) caller.locals[to] = callee.locals[from];
  }
}

function accessRun(i: Extract<Instr, { op: 'load' | 'store' }>, ops: CompiledInstr): LocalRun {
  const obj = ops.obj!;
  const field = i.field;
  const store = i.op === 'store';
  const e = ops.e;
  const d = store ? -1 : dstSlot(i);
  return (_r, t, f, ctx) => {
    // a field of the thread's own stack object (a writeback_control) is local computation
    const o = obj(t, ctx, f.locals);
    if (!isLocalAccess(o, field, t.id, store, ctx)) return STEP;
    if (!store) f.locals[d] = loadField(ctx, o, field);
    else storeField(ctx, o, field, e!(t, ctx, f.locals));
    f.pc++;
    return NEXT;
  };
}

/**
 * A call: to a function (a new frame), a primitive that is local computation here, an
 * unknown function (an assumption) or a known no-op; or a step of its own. A call by
 * name is specialised to its target when it first runs; a call through a pointer keeps
 * one specialisation per target it reached.
 */
function callRun(i: Call, ops: CompiledInstr, facts: ProgramFacts): LocalRun {
  const dst = i.dst !== undefined ? dstSlot(i) : -1;
  if (typeof i.callee === 'string') {
    const target = ops.target!;
    // decided when first run: the facts it asks are computed when first asked
    return (r, t, f, ctx, v) => (ops.run = callTo(target, i, ops, dst, facts))(r, t, f, ctx, v);
  }
  // by the target's kind, then its name: no key string is made per call
  const byTarget = new Map<string, Map<string, LocalRun>>();
  return (r, t, f, ctx, v) => {
    const target = r.callTarget(t, i, ops, ctx);
    let byName = byTarget.get(target.kind);
    if (!byName) byTarget.set(target.kind, (byName = new Map()));
    const name = target.kind === 'func' ? target.fn.name : target.name;
    let run = byName.get(name);
    if (!run) byName.set(name, (run = callTo(target, i, ops, dst, facts)));
    return run(r, t, f, ctx, v);
  };
}

function callTo(target: Resolved, i: Call, ops: CompiledInstr, dst: number, facts: ProgramFacts): LocalRun {
  switch (target.kind) {
    case 'prim': return primitiveCall(target, i, ops, dst, facts);
    case 'func': {
      const name = target.fn.name;
      const args = ops.args!;
      // the callee's compiled form, found when first called: compiled code is shared with the functions it calls (runner.ts compiled)
      let callee: CompiledFunction | undefined;
      return (r, t, f, ctx) => {
        if (t.frames.length >= MAX_DEPTH) throw new ModelError(`call depth over ${MAX_DEPTH} at ${name} (recursion?)`, f.fn);
        const values = evalAll(args, t, ctx, f.locals);
        r.pushFrame(t, (callee ??= r.compiled(name)), values, dst);
        return NEXT;
      };
    }
    case 'unknown': {
      const name = target.name;
      return (r, t, f, ctx) => {
        r.unknownCall(t, f, i, ops, name, ctx);
        if (dst >= 0) f.locals[dst] = 0;
        f.pc++;
        return NEXT;
      };
    }
    default:
      return (_r, _t, f) => {
        if (dst >= 0) f.locals[dst] = 0;
        f.pc++;
        return NEXT;
      };
  }
}

/**
 * A primitive is local computation where it touches nothing that changes: pure, pure
 * for these arguments, a bit test of a word nothing writes, a lookup of fields nothing
 * writes, or (decided at the state) a list operation under a held lock; a counter
 * update nothing reads does nothing at all. Handed a shared structure's field by
 * reference it is a step (one of the thread's own stack objects, &wbc->fbatch, is not).
 */
function primitiveCall(target: Prim, i: Call, ops: CompiledInstr, dst: number, facts: ProgramFacts): LocalRun {
  const prim = target.prim;
  if (unreadCounterUpdate(prim, i, facts)) {
    return (_r, _t, f) => {
      f.pc++;
      return NEXT;
    };
  }
  const fixed = !!(prim.pure || prim.pureFor?.(i.args) || unwrittenWordTest(prim, i, facts) || unwrittenFields(prim, facts));
  const when = prim.localWhen;
  if (!fixed && when === undefined) return () => STEP;
  const byRef = prim.byRef !== undefined;
  return (r, t, f, ctx) => {
    // the arguments `when` was asked with are the ones the primitive runs with: asking only peeks
    let args: Value[] | undefined;
    if (!fixed && !when!(ctx, (args = r.primitiveArgs(t, prim, i, ops, ctx, f.locals)))) return STEP;
    if (byRef && r.sharedByRef(t, prim, ops, ctx, f.locals)) return STEP;
    const v = r.runPrimitive(target, ctx, args ?? r.primitiveArgs(t, prim, i, ops, ctx, f.locals), f, i);
    if (dst >= 0) f.locals[dst] = v;
    f.pc++;
    return NEXT;
  };
}

/**
 * test_bit(AS_EIO, &mapping->flags) on a plain field's word that no code the run can
 * reach writes (no store to the field, no writing primitive handed its address): it
 * keeps its initial value, so reading it is local computation, as an unchanging plain
 * field read in an expression is.
 */
function unwrittenWordTest(prim: Primitive, i: Call, facts: ProgramFacts): boolean {
  if (!prim.readsPlainWord) return false;
  const [bit, word] = i.args;
  if (bit?.k !== 'sym' || !isPlainWordBit(bit.name) || word?.k !== 'addr') return false;
  return !facts.writtenWords().has(word.field);
}

/** page_buffers() where no code the run can reach moves buffers between pages (pureUnlessWritten). */
function unwrittenFields(prim: Primitive, facts: ProgramFacts): boolean {
  const fields = prim.pureUnlessWritten;
  if (!fields) return false;
  const written = facts.writtenFields();
  return !fields.some((f) => written.has(f));
}

/** atomic_inc(&wb->writeback_inodes) where no code the run can reach reads writeback_inodes: nothing to do. */
function unreadCounterUpdate(prim: Primitive, i: Call, facts: ProgramFacts): boolean {
  if (prim.blindUpdate === undefined) return false;
  const a = i.args[prim.blindUpdate];
  // i_size is read by the i_size_read primitive, by name
  return a?.k === 'addr' && isPlainField(a.field) && a.field !== '_refcount' && a.field !== 'i_size' && !facts.readFields().has(a.field);
}
