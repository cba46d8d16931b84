/**
 * Values the code can hold, as far as they are fixed for a whole run: which way a branch
 * goes when its condition can take only true values (or only false ones), so that the
 * futures (function-classes.ts) leave out what is behind the other arm. A fault on a
 * shared mapping never takes do_set_pte()'s anonymous copy-on-write arm
 * (`write && !(vma->vm_flags & VM_SHARED)`): every modeled mapping's vm_flags are fixed
 * by the setup and no code live under these answers writes them (program-facts.ts
 * verifiedKnown proves it); a helper whose every reachable `return` gives a constant of
 * the modeled system (no huge pages, no poisoned page) decides its callers' branches.
 *
 * What an expression can be is a finite set of values, or not known (undefined), worked
 * out without regard to where in its function an instruction is (flow-insensitive): a
 * local holds what any of its definitions gives (and 0, what a frame starts with, when
 * some path reads it before any sets it), a
 * parameter what any call by name passes (param-constants.ts: not known when the
 * function can be entered otherwise), a call's result what the callee's reachable
 * `return`s give or a primitive's constant, a fixed field (`vma->vm_flags`) what it is
 * for every object the setup gives its kind, and a plain field of the thread's own
 * stack object (`vmf->flags`) 0 or what any store to that field name gives. Anything
 * else (a changing field, a pointer call, a local handed out by address, too many
 * values) is not known, and a branch on it keeps both arms: sound by construction,
 * over-approximating every run's values.
 */
import type { Expr, FunctionProgram, Instr, Value } from './program.js';
import type { Primitive } from './primitive.js';
import { constantValue } from './constants.js';
import { refKind } from './program.js';
import { binaryValue } from './compile.js';
import { int, truthy } from './values.js';
import { successors } from './control-flow.js';
import { forEachExpr } from './expr-walk.js';
import { isThreadPrivate } from './objects.js';
import { parseStackSymbol } from './wait-objects.js';
import { LIST_HEAD_SYM } from './lru-lists.js';

/** The values an expression can take, or undefined when that is not known. */
export type Known = readonly Value[] | undefined;

/** More values than this are not followed: not known. */
const MAX_VALUES = 16;

/** A field of the objects of a kind, as fixedFieldsUsed() names it: "vma.vm_flags". */
export function fixedKey(kind: string, field: string): string {
  return `${kind}.${field}`;
}

/** Any object of a kind, when which one does not matter to what is read of it ("vmf:*"). */
export function anyOf(kind: string): string {
  return `${kind}:*`;
}

function isAny(v: Value): boolean {
  return typeof v === 'string' && v.endsWith(':*');
}

export interface KnownHost {
  /** what a call by name runs: a primitive, a lifted function, or nothing (a no-op, an unknown call: its result is 0) */
  callee(name: string): { prim: Primitive } | { fn: FunctionProgram } | 'nothing';
  /** every call of `fn` when all are calls by name in the reachable code (param-constants.ts), else undefined */
  sitesOf(fn: FunctionProgram): readonly { caller: FunctionProgram; args: readonly Expr[] }[] | undefined;
  /** whether a call may set the caller's local handed to it as `&local` at argument `arg` */
  writesThrough(callee: string | Expr, arg: number): boolean;
  /**
   * the value the setup gives fixed field `field` of object `obj` (a reference), undefined
   * when it has none; whether the code writes it is checked by the caller of KnownValues
   */
  fixedField(obj: string, field: string): Known;
  /** the objects of a kind the run has, for a field read of "kind:*"; undefined when they cannot be listed */
  objectsOf(kind: string): readonly string[] | undefined;
  /** whether `kind` is a thread's own stack object whose plain fields only loads and stores of the code reach (a struct vm_fault) */
  ownedByCode(kind: string): boolean;
  /** whether `obj` in `fn` may point to a stack object of a kind ownedByCode (owned-objects.ts) */
  mayHoldOwned(fn: FunctionProgram, obj: Expr): boolean;
  /**
   * every reachable store to a field of this name, with its function, and every
   * `&obj->field` (without `e`: what is written through it is not seen); `tag`: the
   * struct of the access, when the lifter knew it (program.ts StructTag)
   */
  storesTo(field: string): readonly { fn: FunctionProgram; obj: Expr; e?: Expr; tag?: string }[];
  /** the kind of every object of a struct tag in a run, when there is one ("vm_fault": "vmf") */
  kindOfTag?(tag: string): string | undefined;
}

/** Adds `vs` into `out`; false when there are too many values (or vs is not known). */
function addAll(out: Value[], vs: Known): boolean {
  if (vs === undefined) return false;
  for (const v of vs) if (!out.includes(v)) out.push(v);
  return out.length <= MAX_VALUES;
}

export class KnownValues {
  private readonly locals = new Map<string, Known>();
  private readonly results = new Map<FunctionProgram, Known>();
  private readonly fields = new Map<string, Known>();
  private readonly liveMemo = new Map<FunctionProgram, ReadonlySet<number>>();
  private readonly names = new Map<FunctionProgram, number>();
  /** the answers being worked out, innermost last (fixpoints, and the live code of a function) */
  private readonly frames: Frame[] = [];
  /** the fixpoints under way, per memo: their frames */
  private readonly pending = new Map<Map<unknown, unknown>, Map<unknown, Frame>>();
  /** answers that rest on the guess of a fixpoint under way: per memo, the frame of the answer (its `on` says whose guess) */
  private readonly tainted = new Map<Map<unknown, unknown>, Map<unknown, Frame>>();
  /** how to forget each answer given that rests on a guess, newest last */
  private readonly undo: (() => void)[] = [];

  /** the fixed fields (fixedKey) whose setup values some answer rests on: one set with the coarser answers' */
  private readonly usedFixed: Set<string>;

  /**
   * @param excluded fixed fields not taken as fixed: the live code writes them
   * (program-facts.ts checks the ones an answer rested on, and starts again without them)
   */
  constructor(private readonly host: KnownHost, private readonly excluded: ReadonlySet<string> = new Set(),
    private readonly coarse?: KnownValues) {
    this.usedFixed = coarse ? coarse.usedFixed : new Set<string>();
  }

  /**
   * Answers whose locals take only the definitions in the live code of `coarse` (answers
   * over the same run whose locals take every definition): those answers over-approximate
   * every run's values, so their live code holds every instruction a run executes.
   */
  static refined(host: KnownHost, excluded: ReadonlySet<string> = new Set()): KnownValues {
    return new KnownValues(host, excluded, new KnownValues(host, excluded));
  }

  /** The fixed fields (fixedKey: "vma.vm_flags") whose setup values some answer so far rests on (the coarser answers' included): a live view. */
  fixedFieldsUsed(): ReadonlySet<string> {
    return this.usedFixed;
  }

  /** A fixed field as the setup gives it, unless it is excluded. */
  private fixed(obj: string, field: string): Known {
    const k = fixedKey(refKind(obj) ?? '', field);
    if (this.excluded.has(k)) return undefined;
    const v = this.host.fixedField(obj, field);
    if (v !== undefined) this.usedFixed.add(k);
    return v;
  }

  /** Which way the branch at `pc` of `fn` always goes (true: to `t`), or undefined. */
  branch(fn: FunctionProgram, pc: number): boolean | undefined {
    const i = fn.code[pc];
    if (i?.op !== 'br') return undefined;
    return decided(this.expr(fn, i.c));
  }

  /** The values `e` in `fn` can take. */
  expr(fn: FunctionProgram, e: Expr): Known {
    switch (e.k) {
      case 'num': return [e.v];
      case 'null': return [null];
      case 'fn': return [`fn:${e.name}`];
      case 'sym': return this.symbol(e.name);
      case 'local': case 'ref': return this.local(fn, e.name);
      case 'un': {
        const a = this.expr(fn, e.a);
        if (a === undefined) return undefined;
        if (e.op === '!') return dedupe(a.map((v) => (truthy(v) ? 0 : 1)));
        if (a.some(isAny)) return undefined;
        return dedupe(a.map((v) => (e.op === '-' ? -int(v) : ~int(v))));
      }
      case 'bin': return this.binary(fn, e);
      case 'cond': {
        const c = this.expr(fn, e.c);
        if (c !== undefined && c.length > 0 && c.every(truthy)) return this.expr(fn, e.a);
        if (c !== undefined && c.length > 0 && c.every((v) => !truthy(v))) return this.expr(fn, e.b);
        const out: Value[] = [];
        return addAll(out, this.expr(fn, e.a)) && addAll(out, this.expr(fn, e.b)) ? out : undefined;
      }
      case 'field': {
        const objs = this.objects(fn, e.obj, e.tag);
        if (objs === undefined) return undefined;
        const out: Value[] = [];
        for (const o of objs) if (!addAll(out, this.fieldOf(o, e.field))) return undefined;
        return out;
      }
      default: return undefined;
    }
  }

  /**
   * The objects `obj` of a field access can be: its values, or when those are not known
   * and the access's struct is one whose objects are all of one kind (a struct
   * vm_fault), any of that kind.
   */
  private objects(fn: FunctionProgram, obj: Expr, tag: string | undefined): Known {
    const objs = this.expr(fn, obj);
    if (objs !== undefined || tag === undefined) return objs;
    const kind = this.host.kindOfTag?.(tag);
    return kind === undefined ? undefined : [anyOf(kind)];
  }

  /** A named constant as the compiled code reads it (compile.ts), when it is the same on every thread. */
  private symbol(name: string): Known {
    // a struct on the running thread's stack (wait-objects.ts): which thread's does not matter to its kind
    const stack = parseStackSymbol(name);
    if (stack) return [anyOf(stack[0])];
    if (name === 'current') return [anyOf('task')];
    const c = constantValue(name);
    if (c === undefined) {
      // a LIST_HEAD() local is the running thread's own list head
      if (name.startsWith(LIST_HEAD_SYM)) return undefined;
      // as compile.ts reads a name: a function or a primitive is that function as a value, anything
      // else that is no constant 0 (a global the model does not keep: numa_demotion_enabled)
      const r = this.host.callee(name);
      return r === 'nothing' ? [0] : [`fn:${name}`];
    }
    // a writeback_control constant is each thread's own object (compile.ts wbcOf)
    if (isThreadPrivate(c)) return undefined;
    return [c];
  }

  private binary(fn: FunctionProgram, e: Extract<Expr, { k: 'bin' }>): Known {
    const a = this.expr(fn, e.a);
    if (e.op === '&&' || e.op === '||') {
      // the right side only where the left does not decide
      if (a !== undefined && a.length > 0) {
        if (e.op === '&&' && a.every((v) => !truthy(v))) return [0];
        if (e.op === '||' && a.every(truthy)) return [1];
      }
      const b = this.expr(fn, e.b);
      if (b !== undefined && b.length > 0) {
        if (e.op === '&&' && b.every((v) => !truthy(v))) return [0];
        if (e.op === '||' && b.every(truthy)) return [1];
      }
      if (a === undefined || b === undefined) return undefined;
      const out: Value[] = [];
      for (const x of a) for (const y of b) {
        const v = e.op === '&&' ? (truthy(x) && truthy(y) ? 1 : 0) : (truthy(x) || truthy(y) ? 1 : 0);
        if (!out.includes(v)) out.push(v);
      }
      return out;
    }
    const b = this.expr(fn, e.b);
    if (a === undefined || b === undefined) return undefined;
    // two objects of a kind, either of which may be any: their comparison is not known
    if (a.some(isAny) || b.some(isAny)) return undefined;
    const out: Value[] = [];
    for (const x of a) for (const y of b) {
      const v = binaryValue(e, x, y);
      if (!out.includes(v) && out.push(v) > MAX_VALUES) return undefined;
    }
    return out;
  }

  /** What `obj->field` reads for one value of obj. */
  private fieldOf(obj: Value, field: string): Known {
    if (typeof obj !== 'string') return undefined;
    if (!isAny(obj)) return this.fixed(obj, field);
    const kind = obj.slice(0, -2);
    const k = `${kind}\u0000${field}`;
    if (this.fields.has(k)) return this.fields.get(k);
    const objects = this.host.objectsOf(kind);
    let found: Known;
    if (objects !== undefined && objects.length > 0) {
      const out: Value[] = [];
      found = objects.every((o) => addAll(out, this.fixed(o, field))) ? out : undefined;
    }
    // the setup's values alone: no guess of a fixpoint under way goes into it
    this.fields.set(k, found);
    return found;
  }

  /** The values a plain field of a thread's own stack object can hold: 0 (never written) or what a store to a field of that name puts there. */
  private ownedField(field: string): Known {
    return this.fixpoint(this.fields, `\u0000owned\u0000${field}`, () => {
      const out: Value[] = [0];
      // a store whose object is surely of another kind does not reach this one
      return this.host.storesTo(field).every((s) => !this.mayBeOwned(s.fn, s.obj, s.tag) || (s.e !== undefined && addAll(out, this.expr(s.fn, s.e)))) ? out : undefined;
    });
  }

  private mayBeOwned(fn: FunctionProgram, obj: Expr, tag?: string): boolean {
    // a field of another struct (`page->flags`) is no field of a thread's own stack object
    if (tag !== undefined && !this.host.ownedByCode(this.host.kindOfTag?.(tag) ?? '')) return false;
    // a field of a vm_fault: one of the thread's own, whatever the pointer
    if (tag !== undefined) return true;
    if (!this.host.mayHoldOwned(fn, obj)) return false;
    const objs = this.expr(fn, obj);
    return objs === undefined || objs.some((o) => typeof o === 'string' && this.host.ownedByCode(refKind(o) ?? ''));
  }

  /** The values local (or parameter) `name` of `fn` can hold anywhere in the function. */
  local(fn: FunctionProgram, name: string): Known {
    return this.fixpoint(this.locals, `${this.fnId(fn)}\u0000${name}`, () => this.computeLocal(fn, name));
  }

  private fnId(fn: FunctionProgram): number {
    let id = this.names.get(fn);
    if (id === undefined) this.names.set(fn, (id = this.names.size));
    return id;
  }

  private computeLocal(fn: FunctionProgram, name: string): Known {
    const out: Value[] = [];
    const index = fn.params.indexOf(name);
    if (index >= 0) {
      const sites = this.host.sitesOf(fn);
      if (!sites) return undefined;
      for (const { caller, args } of sites) {
        const a = args[index];
        // an argument left out is 0 (runner.ts push)
        if (!addAll(out, a === undefined ? [0] : this.expr(caller, a))) return undefined;
      }
    } else if (readBeforeSet(fn, name)) {
      // what a frame's locals start as
      out.push(0);
    }
    // only what the run can execute defines it: `fpin = get_file(...)` behind a branch it never takes does not
    // (the coarser answers' live code: asking this one's would go round the very answer under way)
    for (const pc of touching(fn, this.coarse ? this.coarse.live(fn) : undefined).get(name) ?? []) {
      const i = fn.code[pc];
      if (i.op === 'call' && !this.writtenThrough(i, name, out)) return undefined;
      if ((i.op !== 'set' && i.op !== 'load' && i.op !== 'call') || i.dst !== name) continue;
      if (!addAll(out, this.defined(fn, i))) return undefined;
    }
    return out;
  }

  /**
   * Adds to `out` what a call handed `&name` may leave in the local: a lifted function
   * called by name that writes through that parameter (value-result, program.ts
   * outParams: 6.12's `sanitize_fault_flags(vma, &flags)`) leaves a value its parameter
   * holds at its return, one of those the parameter can hold anywhere in it (which
   * start from what `&name` passes in). False when that is not known: a call through a
   * pointer, a primitive writing through it.
   */
  private writtenThrough(i: Extract<Instr, { op: 'call' }>, name: string, out: Value[]): boolean {
    for (let k = 0; k < i.args.length; k++) {
      const a = i.args[k];
      if (a.k !== 'ref' || a.name !== name || !this.host.writesThrough(i.callee, k)) continue;
      if (typeof i.callee !== 'string') return false;
      const target = this.host.callee(i.callee);
      if (target === 'nothing' || !('fn' in target) || target.fn.params[k] === undefined) return false;
      if (!addAll(out, this.local(target.fn, target.fn.params[k]))) return false;
    }
    return true;
  }

  /** The values an instruction that sets a local gives it. */
  private defined(fn: FunctionProgram, i: Extract<Instr, { op: 'set' | 'load' | 'call' }>): Known {
    if (i.op === 'set') return this.expr(fn, i.e);
    if (i.op === 'load') {
      const objs = this.objects(fn, i.obj, i.tag);
      if (objs === undefined || objs.length === 0) return undefined;
      // only plain fields of stack objects no primitive writes: other memory may change at any step
      if (!objs.every((o) => typeof o === 'string' && this.host.ownedByCode(refKind(o) ?? ''))) return undefined;
      return this.ownedField(i.field);
    }
    if (typeof i.callee !== 'string') return undefined;
    const target = this.host.callee(i.callee);
    // a no-op or an unknown call sets its result to 0 (runner.ts)
    if (target === 'nothing') return [0];
    if ('prim' in target) {
      const c = target.prim.constant?.(i.args);
      if (c !== undefined) return [c];
      return target.prim.resultKind !== undefined ? [anyOf(target.prim.resultKind)] : undefined;
    }
    return this.result(target.fn);
  }

  /** The values a function can return: those of the `return`s its control flow reaches. */
  result(fn: FunctionProgram): Known {
    return this.fixpoint(this.results, fn, () => {
      const out: Value[] = [];
      for (const pc of this.live(fn)) {
        const i = fn.code[pc];
        if (i.op !== 'ret') continue;
        if (!i.e || !addAll(out, this.expr(fn, i.e))) return undefined;
      }
      return out;
    });
  }

  /** The instructions of `fn` its control flow reaches, branches that always go one way followed that way only. */
  live(fn: FunctionProgram): ReadonlySet<number> {
    const done = this.liveMemo.get(fn);
    if (done) {
      this.touch(this.liveMemo, fn);
      return done;
    }
    const frame = this.enter();
    const seen = new Set<number>([0]);
    try {
      const work = [0];
      while (work.length) {
        const pc = work.pop()!;
        if (pc >= fn.code.length) continue;
        for (const n of successors(fn.code, pc, (p) => this.branch(fn, p))) if (!seen.has(n)) { seen.add(n); work.push(n); }
      }
    } finally {
      this.leave(frame);
    }
    this.liveMemo.set(fn, seen);
    this.mark(frame, this.liveMemo, fn);
    return seen;
  }

  /**
   * A frame for an answer about to be worked out. Answers are memoized; while a fixpoint
   * is under way, one that read its guess (directly, or through another answer that
   * did) holds only as long as the guess does, and is forgotten with it. Every other
   * answer is final wherever it was worked out: it rests on nothing but final answers
   * and the host, so working it out again would give it again.
   */
  private enter(): Frame {
    const frame: Frame = { depth: this.frames.length, guessed: false, done: false };
    this.frames.push(frame);
    return frame;
  }

  /** The frame's answer is worked out: what it rests on of outer guesses, its caller does too. */
  private leave(frame: Frame): void {
    this.frames.pop();
    frame.done = true;
    if (frame.on) this.restsOn(frame.on);
    if (this.frames.length === 0) this.undo.length = 0;
  }

  /**
   * The answer in progress (the innermost frame) read the guess of `guess`, a fixpoint
   * under way: that fixpoint takes another round if it grows, and the answer is
   * forgotten with the round. Of several such guesses the outermost is kept: the undo
   * list forgets the answer with any inner round too, since it was given after it began.
   */
  private restsOn(guess: Frame): void {
    guess.guessed = true;
    const top = this.frames[this.frames.length - 1];
    if (top && guess.depth < top.depth && (!top.on || guess.depth < top.on.depth)) top.on = guess;
  }

  /** Records the answer of `frame`, just stored at `k` of `map`, as resting on a guess if it does. */
  private mark<K>(frame: Frame, map: Map<K, unknown>, k: K): void {
    if (!frame.on) return;
    let t = this.tainted.get(map as Map<unknown, unknown>) as Map<K, Frame> | undefined;
    if (!t) this.tainted.set(map as Map<unknown, unknown>, (t = new Map()));
    t.set(k, frame);
    const marks = t;
    this.undo.push(() => {
      map.delete(k);
      marks.delete(k);
    });
  }

  /** A memoized answer is read: if it rests on a guess still under way, so does the answer in progress. */
  private touch<K>(map: Map<K, unknown>, k: K): void {
    const t = this.tainted.get(map as Map<unknown, unknown>) as Map<K, Frame> | undefined;
    const frame = t?.get(k);
    if (!frame) return;
    // a guess whose fixpoint has ended held (else the answer would be forgotten): what that answer rested on counts instead
    let on: Frame | undefined = frame.on;
    while (on?.done) on = on.on;
    if (on) this.restsOn(on);
    else t!.delete(k);
  }

  /**
   * The least set of values closed under `compute`, which may ask for this very answer
   * (a local set from itself, `flags |= FAULT_FLAG_USER`; a recursive function's result;
   * a field stored from what was loaded from it, `vmf->flags &= ~...`): from nothing,
   * each round answers such a question with the set so far, and a round that adds no
   * value ends it. Whatever a round that did add one worked out on the way is forgotten,
   * since it rested on a guess too small; what the last round worked out rests on the
   * final set, which holds every value a run can produce.
   */
  private fixpoint<K>(map: Map<K, Known>, k: K, compute: () => Known): Known {
    let pending = this.pending.get(map) as Map<K, Frame> | undefined;
    if (!pending) this.pending.set(map as Map<unknown, unknown>, (pending = new Map()));
    if (map.has(k)) {
      // a question about an answer under way: it gets the guess so far, and the answer another round
      const under = pending.get(k);
      if (under) this.restsOn(under);
      else this.touch(map, k);
      return map.get(k);
    }
    const frame = this.enter();
    pending.set(k, frame);
    let answer: Known;
    try {
      map.set(k, []);
      let current: Value[] = [];
      for (;;) {
        const mark = this.undo.length;
        frame.guessed = false;
        const next = compute();
        const grown = next === undefined ? undefined : [...current];
        if (grown === undefined || !addAll(grown, next)) {
          answer = this.settle(map, k, mark, undefined);
          break;
        }
        // nothing asked for the guess, or it held: the answer is exact
        if (!frame.guessed || grown.length === current.length) {
          map.set(k, grown);
          answer = grown;
          break;
        }
        this.forget(mark);
        current = grown;
        map.set(k, current);
      }
    } finally {
      pending.delete(k);
      this.leave(frame);
    }
    this.mark(frame, map, k);
    return answer;
  }

  /** Not known after all: what rested on a guess goes, and the answer is said. */
  private settle<K>(map: Map<K, Known>, k: K, mark: number, v: Known): Known {
    this.forget(mark);
    map.set(k, v);
    return v;
  }

  private forget(mark: number): void {
    while (this.undo.length > mark) this.undo.pop()!();
  }
}

/** An answer being worked out (or worked out: `done`). */
interface Frame {
  /** how many frames were under way when it started */
  depth: number;
  /** a fixpoint's: this round read its own guess */
  guessed: boolean;
  /** the outermost frame under way (then) whose guess the answer read, directly or through another answer */
  on?: Frame;
  done: boolean;
}

/** Which way a condition with these values goes every time, or undefined. */
function decided(vs: Known): boolean | undefined {
  if (vs === undefined || vs.length === 0) return undefined;
  const t = vs.map(truthy);
  if (t.every((x) => x)) return true;
  if (t.every((x) => !x)) return false;
  return undefined;
}

/** per live set (or program, for all of its code): touching()'s answer */
const touchingMemo = new WeakMap<object, Map<string, number[]>>();

/**
 * Per local, the instructions among `live` (default: all of `fn`'s) that may set it:
 * those that define it and calls handed `&local`, in the order `live` lists them. A
 * local's answer looks at these alone: every other instruction leaves it as it is.
 */
function touching(fn: FunctionProgram, live: ReadonlySet<number> | undefined): Map<string, number[]> {
  const key = live ?? fn;
  let byName = touchingMemo.get(key);
  if (byName) return byName;
  byName = new Map();
  const add = (name: string, pc: number): void => {
    const list = byName!.get(name);
    if (!list) byName!.set(name, [pc]);
    else if (list[list.length - 1] !== pc) list.push(pc);
  };
  for (const pc of live ?? fn.code.keys()) {
    const i = fn.code[pc];
    if (!i) continue;
    if (i.op === 'call') for (const a of i.args) if (a.k === 'ref') add(a.name, pc);
    if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst !== undefined) add(i.dst, pc);
  }
  touchingMemo.set(key, byName);
  return byName;
}

/** per program, per local: readBeforeSet's answer (both passes of a run, and every run over the program, ask it) */
const readFirst = new WeakMap<FunctionProgram, Map<string, boolean>>();

/** Whether some path from the entry reads local `name` before any instruction sets it. */
function readBeforeSet(fn: FunctionProgram, name: string): boolean {
  let byName = readFirst.get(fn);
  if (!byName) readFirst.set(fn, (byName = new Map()));
  let v = byName.get(name);
  if (v === undefined) byName.set(name, (v = walkReadBeforeSet(fn, name)));
  return v;
}

function walkReadBeforeSet(fn: FunctionProgram, name: string): boolean {
  const seen = new Set<number>([0]);
  const work = [0];
  while (work.length) {
    const pc = work.pop()!;
    const i = fn.code[pc];
    if (!i) continue;
    let reads = false;
    forEachExpr(i, (e) => { if ((e.k === 'local' || e.k === 'ref') && e.name === name) reads = true; });
    if (reads) return true;
    if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst === name) continue;
    for (const n of successors(fn.code, pc)) if (!seen.has(n)) { seen.add(n); work.push(n); }
  }
  return false;
}

function dedupe(vs: Value[]): Value[] {
  return [...new Set(vs)];
}
