/**
 * What each function may touch, from its code: per function (itself and everything its
 * calls reach) and per instruction (what the rest of the function may still reach from
 * there), as the footprint classes of footprint-classes.ts; and which function a call
 * through a pointer takes its target from. The futures of persistent sets and step
 * fusion are unions of these.
 */
import type { Expr, FunctionProgram, Value } from './program.js';
import type { Primitive } from './primitive.js';
import { addAll, boundObject, emptyClasses, fieldClasses, primitiveClasses, type ClassSet } from './footprint-classes.js';
import { branchTargets, successors } from './control-flow.js';
import { isConstantExpr } from './constant-exprs.js';
import { unassignedParam } from './param-constants.js';

const EMPTY: ClassSet = { r: new Set(), w: new Set() };

/** Constants bound to a function's parameters, by parameter index (FunctionClasses.bind). */
type Binding = readonly (Expr | undefined)[];

const NO_BINDING: Binding = [];

/** A constant expression as a key, without its source positions. */
function exprKey(e: Expr): string {
  return JSON.stringify(e, (k, v) => (k === 'at' ? undefined : v));
}

/** The name calls through parameter `index` of function `fn` go by, as if it were a field. */
export function paramField(fn: string, index: number): string {
  return `${fn}#${index}`;
}

/**
 * A function-pointer field as the call-target analysis keys it: "rmap_walk_control::done"
 * when the struct of the access is known (program.ts StructTag), the bare "done" when not.
 */
export function fieldKey(field: string, tag?: string): string {
  return tag ? `${tag}::${field}` : field;
}

/** The field and, when known, the struct tag of a fieldKey. */
export function splitFieldKey(key: string): { field: string; tag?: string } {
  const i = key.indexOf('::');
  return i < 0 ? { field: key } : { field: key.slice(i + 2), tag: key.slice(0, i) };
}

/** Whether an access to key `a` and one to key `b` may be the same field: the same name, and the same struct or one not known. */
export function sameFieldMay(a: string, b: string): boolean {
  if (a === b) return true;
  const x = splitFieldKey(a);
  const y = splitFieldKey(b);
  return x.field === y.field && (x.tag === undefined || y.tag === undefined || x.tag === y.tag);
}

/**
 * The field a call through a pointer takes its function from (as fieldKey): `x->FIELD(...)`, or a
 * local that the function sets in one place only, from `x->FIELD` (the lifter loads a
 * modeled field such as `bh->b_end_io` into a temporary before the call), or a
 * parameter the function never sets (`(*writepage)(page, wbc, data)`), named by
 * paramField. Undefined when that cannot be told (a local set twice or through
 * `&local`): any function used as a value may be called.
 */
export function calleeField(fn: FunctionProgram, callee: Expr): string | undefined {
  if (callee.k === 'field') return fieldKey(callee.field, callee.tag);
  if (callee.k !== 'local') return undefined;
  const param = fn.params.indexOf(callee.name);
  if (param >= 0) {
    // a parameter the function never sets: what its callers pass there (paramField)
    for (const i of fn.code) {
      if ((i.op === 'load' || i.op === 'set' || i.op === 'call') && i.dst === callee.name) return undefined;
      if (i.op === 'call' && i.args.some((a) => a.k === 'ref' && a.name === callee.name)) return undefined;
    }
    return paramField(fn.name, param);
  }
  let field: string | undefined;
  let defs = 0;
  for (const i of fn.code) {
    if ((i.op !== 'load' && i.op !== 'set' && i.op !== 'call') || i.dst !== callee.name) continue;
    if (++defs > 1) return undefined;
    if (i.op === 'load') field = fieldKey(i.field, i.tag);
    else if (i.op === 'set' && i.e.k === 'field') field = fieldKey(i.e.field, i.e.tag);
    else return undefined;
  }
  // out-parameters of a call (&local) could set it too
  for (const i of fn.code) if (i.op === 'call' && i.args.some((a) => a.k === 'ref' && a.name === callee.name)) return undefined;
  return field;
}

export interface ClassResolver {
  /** a call by name: a primitive, a function, or nothing the simulator sees */
  callee(name: string): { prim: Primitive } | { fn: FunctionProgram } | undefined;
  /** functions that a call through a pointer (through `x->field`, when given) may reach */
  indirectTargets(field?: string): readonly string[];
  /** the argument lists a call in `fn` can have, its parameters replaced by the constants they can hold (param-constants.ts) */
  /** functions a call through `callee` in `fn` may reach (program-facts.ts calleeTargets); without it, those of its field */
  calleeTargets?(fn: FunctionProgram, callee: Expr): readonly string[];
  argVariants?(fn: FunctionProgram, args: readonly Expr[]): readonly (readonly Expr[])[];
  /** whether a local of `fn` holds only the thread's own stack objects (param-constants.ts PrivateLocals) */
  privateLocal?(fn: FunctionProgram, local: string): boolean;
  /** whether no page of the run is a compound page's tail (then page_folio(page) is the page: Primitive.folioOfArg) */
  noTailPages?(): boolean;
  /** which way the branch at `pc` always goes in this run (true: to its `t`), when its condition's values are known (known-values.ts) */
  branchTaken?(fn: FunctionProgram, pc: number): boolean | undefined;
}

/**
 * A class set as two growable bit arrays (reads, writes) over one FunctionClasses'
 * own numbering of classes: the call-graph and control-flow closures below are unions
 * repeated thousands of times over a whole tree's helpers, cheap as word ORs and dear
 * as string-set inserts.
 */
interface Bits { r: number[]; w: number[] }

function orWords(into: number[], from: readonly number[]): boolean {
  while (into.length < from.length) into.push(0);
  let grew = false;
  for (let i = 0; i < from.length; i++) {
    const had = into[i];
    const next = had | from[i];
    if (next !== had) {
      into[i] = next;
      grew = true;
    }
  }
  return grew;
}

function orBits(into: Bits, from: Bits): boolean {
  const r = orWords(into.r, from.r);
  const w = orWords(into.w, from.w);
  return r || w;
}

const noBits = (): Bits => ({ r: [], w: [] });

/**
 * Classes each function may touch, itself or through anything it calls: the union of
 * the own accesses of every function its calls reach (recursion is fine). Computed
 * once per function, for all functions reached from it at once, over the strongly
 * connected components of the call graph in reverse topological order: every
 * function of a component gets the same set, each component's set is made once.
 */
export class FunctionClasses {
  private readonly memo = new Map<string, Bits>();
  private readonly shown = new Map<string, ClassSet>();
  private readonly classIds = new Map<string, number>();
  private readonly classNames: string[] = [];

  constructor(private readonly resolver: ClassResolver) {}

  private id(c: string): number {
    let i = this.classIds.get(c);
    if (i === undefined) {
      i = this.classNames.length;
      this.classIds.set(c, i);
      this.classNames.push(c);
    }
    return i;
  }

  private toBits(set: ClassSet): Bits {
    const words = (classes: Set<string>): number[] => {
      const out: number[] = [];
      for (const c of classes) {
        const i = this.id(c);
        while (out.length <= i >>> 5) out.push(0);
        out[i >>> 5] |= 1 << (i & 31);
      }
      return out;
    };
    return { r: words(set.r), w: words(set.w) };
  }

  private toSet(bits: Bits): ClassSet {
    const out = emptyClasses();
    const fill = (words: readonly number[], into: Set<string>): void => {
      for (let k = 0; k < words.length; k++) {
        const v = words[k];
        if (v === 0) continue;
        for (let b = 0; b < 32; b++) if (v & (1 << b)) into.add(this.classNames[k * 32 + b]);
      }
    };
    fill(bits.r, out.r);
    fill(bits.w, out.w);
    return out;
  }

  /** The classes of a function, or of a node (`node`: the function with constants bound to its parameters). */
  of(name: string): ClassSet {
    let set = this.shown.get(name);
    if (!set) {
      const bits = this.ofBits(name);
      if (!bits) return emptyClasses();
      this.shown.set(name, (set = this.toSet(bits)));
    }
    return set;
  }

  /**
   * Context: the constants a call binds to a function's parameters. `folio_wake_bit(folio,
   * bit_nr)` hands bit_nr to a primitive; called from folio_wake(folio, PG_writeback)
   * it wakes PG_writeback's waiters only, while the constants its callers pass, all
   * together (param-constants.ts), take PG_locked's too: a completion ending writeback
   * would conflict with every page locker. A node is a function with such a binding
   * (a context); its classes are worked out under it, and so are those of its calls,
   * which pass the constants on. Only parameters the function never assigns and hands
   * to a primitive (or to such a parameter of a callee) are bound: they hold that
   * constant for the whole frame.
   */
  private readonly nodes = new Map<string, { name: string; ctx: Binding }>();

  private node(name: string, ctx: Binding): string {
    if (ctx.length === 0) return name;
    const key = ctx.map((e, k) => (e === undefined ? '' : `${k}=${exprKey(e)}`)).filter((x) => x).join(',');
    const id = `${name}\u0001${key}`;
    if (!this.nodes.has(id)) this.nodes.set(id, { name, ctx });
    return id;
  }

  private nodeOf(id: string): { name: string; ctx: Binding } {
    return this.nodes.get(id) ?? { name: id, ctx: NO_BINDING };
  }

  private readonly sensitiveMemo = new Map<FunctionProgram, ReadonlySet<number>>();

  /** The parameters of `fn` a binding keeps: never assigned, handed to a primitive or to a kept parameter of a callee by name. */
  private sensitive(fn: FunctionProgram): ReadonlySet<number> {
    const done = this.sensitiveMemo.get(fn);
    if (done) return done;
    // a cycle: nothing kept meanwhile (binding fewer parameters only loses precision)
    this.sensitiveMemo.set(fn, new Set());
    const out = new Set<number>();
    fn.params.forEach((p, k) => {
      if (!unassignedParam(fn, p)) return;
      for (const i of fn.code) {
        if (i.op !== 'call' || typeof i.callee !== 'string') continue;
        const t = this.resolver.callee(i.callee);
        if (!t) continue;
        i.args.forEach((a, j) => {
          if (a.k === 'local' && a.name === p && ('prim' in t || this.sensitive(t.fn).has(j))) out.add(k);
        });
      }
    });
    this.sensitiveMemo.set(fn, out);
    return out;
  }

  /** The binding a call with `args` in `caller` (under `ctx`) gives `callee`: its kept parameters that get a constant. */
  private bind(callee: FunctionProgram, args: readonly Expr[], caller: FunctionProgram, ctx: Binding): Binding {
    const keep = this.sensitive(callee);
    if (keep.size === 0) return NO_BINDING;
    const out: (Expr | undefined)[] = [];
    for (const j of keep) {
      const a = args[j];
      if (!a) continue;
      let e: Expr | undefined;
      if (a.k === 'local') {
        const i = caller.params.indexOf(a.name);
        if (i >= 0) e = ctx[i];
        // a local holding a bound parameter's object (`folio_unlock(page_folio(page))`): that object
        const alias = this.objectAliases(caller).get(a.name);
        const o = alias === undefined ? undefined : ctx[caller.params.indexOf(alias)];
        if (o?.k === 'sym' && o.name.startsWith('@')) e = o;
      } else if (isConstantExpr(a)) {
        e = a;
      }
      if (e !== undefined) out[j] = e;
    }
    return out.length === 0 ? NO_BINDING : out;
  }

  /**
   * The node a frame of `callee` runs as, called by the instruction at `pc` of `caller`
   * (running as node `callerNode`): the binding that call gives it. A frame not started
   * by that call (a thread's root) binds nothing.
   */
  callNode(caller: FunctionProgram, callerNode: string, pc: number, callee: string): string {
    const instr = caller.code[pc];
    if (instr?.op !== 'call') return callee;
    const target = this.resolver.callee(callee);
    if (!target || !('fn' in target)) return callee;
    if (typeof instr.callee === 'string') {
      const named = this.resolver.callee(instr.callee);
      if (!named || !('fn' in named) || named.fn !== target.fn) return callee;
    }
    return this.node(callee, this.bind(target.fn, instr.args, caller, this.nodeOf(callerNode).ctx));
  }

  /**
   * A frame's node with the objects its parameters hold bound as well: a parameter the
   * function never assigns holds the same object for the whole frame, so the classes a
   * primitive states for that object (Primitive.objectArg) are that object's alone in
   * the frame's future, and in the futures of the calls that hand it on (bind). Only
   * kept parameters (sensitive) and objects whose classes a primitive can qualify
   * (footprint-classes.ts boundObject) are bound: `values` are the parameters' values.
   */
  withObjects(id: string, values: readonly Value[]): string {
    const { name, ctx } = this.nodeOf(id);
    const target = this.resolver.callee(name);
    if (!target || !('fn' in target)) return id;
    let out: (Expr | undefined)[] | undefined;
    for (const j of this.sensitive(target.fn)) {
      const v = values[j];
      if (ctx[j] !== undefined || typeof v !== 'string') continue;
      const e: Expr = { k: 'sym', name: `@${v}` };
      if (boundObject(e)) (out ??= [...ctx])[j] = e;
    }
    return out ? this.node(name, out) : id;
  }

  private readonly substituted = new WeakMap<readonly Expr[], Map<Binding, readonly Expr[]>>();

  /** A primitive call's arguments with the bound parameters replaced by their constants (the same array each time). */
  private substitute(fn: FunctionProgram, args: readonly Expr[], ctx: Binding): readonly Expr[] {
    if (ctx.length === 0) return args;
    let byCtx = this.substituted.get(args);
    if (!byCtx) this.substituted.set(args, (byCtx = new Map()));
    let out = byCtx.get(ctx);
    if (!out) {
      let changed = false;
      const aliases = this.objectAliases(fn);
      const bound = (name: string): Expr | undefined => {
        const i = fn.params.indexOf(name);
        if (i >= 0) return ctx[i];
        // a local holding a bound parameter's object stands for that object only
        const alias = aliases.get(name);
        const o = alias === undefined ? undefined : ctx[fn.params.indexOf(alias)];
        return o?.k === 'sym' && o.name.startsWith('@') ? o : undefined;
      };
      const next = args.map((a) => {
        // a bit operation's word `&page->flags` of a bound page is that page's word (footprint-classes.ts boundObject)
        if (a.k === 'addr' && a.obj.k === 'local') {
          const o = bound(a.obj.name);
          if (o?.k !== 'sym' || !o.name.startsWith('@')) return a;
          changed = true;
          return { ...a, obj: o };
        }
        const e = a.k === 'local' ? bound(a.name) : undefined;
        if (e === undefined) return a;
        changed = true;
        return e;
      });
      byCtx.set(ctx, (out = changed ? next : args));
    }
    return out;
  }

  private readonly aliasMemo = new Map<FunctionProgram, ReadonlyMap<string, string>>();

  /**
   * Locals that hold a parameter's object for as long as they hold anything: set in one
   * place only, by a pure primitive whose result is its argument's object
   * (Primitive.resultObjectArg: `folio_flags(folio, 0)`; `page_folio(page)` where no page
   * is a tail), from a parameter the function
   * never assigns, and never handed out by address. A read before that one definition
   * sees 0, which is no object: binding it changes nothing.
   */
  private objectAliases(fn: FunctionProgram): ReadonlyMap<string, string> {
    let out = this.aliasMemo.get(fn);
    if (out) return out;
    const defs = new Map<string, number>();
    const refs = new Set<string>();
    const found = new Map<string, string>();
    for (const i of fn.code) {
      if ((i.op === 'load' || i.op === 'set' || i.op === 'call') && i.dst !== undefined) defs.set(i.dst, (defs.get(i.dst) ?? 0) + 1);
      if (i.op === 'call') for (const a of i.args) if (a.k === 'ref') refs.add(a.name);
      if (i.op !== 'call' || typeof i.callee !== 'string' || i.dst === undefined) continue;
      const t = this.resolver.callee(i.callee);
      const k = t && 'prim' in t && t.prim.pure ? t.prim.resultObjectArg ?? (this.resolver.noTailPages?.() ? t.prim.folioOfArg : undefined) : undefined;
      const a = k === undefined ? undefined : i.args[k];
      if (a?.k === 'local' && fn.params.includes(a.name) && unassignedParam(fn, a.name)) found.set(i.dst, a.name);
    }
    out = new Map([...found].filter(([l]) => defs.get(l) === 1 && !refs.has(l) && !fn.params.includes(l)));
    this.aliasMemo.set(fn, out);
    return out;
  }

  /** Undefined for a name that is no function (a primitive, nothing known). */
  private ofBits(name: string): Bits | undefined {
    const done = this.memo.get(name);
    if (done) return done;
    // Tarjan's algorithm, iteratively (call chains of a whole tree are deep)
    const own = new Map<string, { bits: Bits; calls: string[] }>();
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const info = (n: string): { bits: Bits; calls: string[] } | undefined => {
      let d = own.get(n);
      if (!d) {
        const { name: fnName, ctx } = this.nodeOf(n);
        const target = this.resolver.callee(fnName);
        if (!target || !('fn' in target)) return undefined;
        own.set(n, (d = this.direct(target.fn, undefined, ctx)));
      }
      return d;
    };
    if (!info(name)) return undefined;
    const work: { n: string; next: number }[] = [];
    const enter = (n: string): void => {
      index.set(n, index.size);
      low.set(n, index.size - 1);
      stack.push(n);
      onStack.add(n);
      work.push({ n, next: 0 });
    };
    enter(name);
    while (work.length) {
      const top = work[work.length - 1];
      const calls = own.get(top.n)!.calls;
      if (top.next < calls.length) {
        const c = calls[top.next++];
        if (this.memo.has(c)) continue;
        if (!index.has(c)) {
          if (info(c)) enter(c);
        } else if (onStack.has(c)) {
          low.set(top.n, Math.min(low.get(top.n)!, index.get(c)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].n;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.n)!));
      }
      if (low.get(top.n) !== index.get(top.n)) continue;
      // top.n roots a component: its members are on the stack down to it
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        onStack.delete(m);
        members.push(m);
      } while (m !== top.n);
      const bits = noBits();
      for (const x of members) orBits(bits, own.get(x)!.bits);
      // callees outside the component are done (reverse topological order)
      for (const x of members) {
        for (const c of own.get(x)!.calls) {
          const done = this.memo.get(c);
          if (done) orBits(bits, done);
        }
      }
      for (const x of members) this.memo.set(x, bits);
    }
    return this.memo.get(name);
  }

  private readonly fromMemo = new Map<string, { bits: Bits[]; shown: ClassSet[] }>();

  /**
   * Classes the rest of a function may touch from instruction `pc` on: only what is
   * reachable in its control flow, so a thread past its last page-cache access stops
   * conflicting with everything.
   */
  from(name: string, pc: number): ClassSet {
    let table = this.fromMemo.get(name);
    if (!table) {
      const { name: fnName, ctx } = this.nodeOf(name);
      const target = this.resolver.callee(fnName);
      table = { bits: target && 'fn' in target ? this.reachable(target.fn, ctx) : [], shown: [] };
      this.fromMemo.set(name, table);
    }
    const bits = table.bits[pc];
    if (!bits) return EMPTY;
    return (table.shown[pc] ??= this.toSet(bits));
  }

  private reachable(fn: FunctionProgram, ctx: Binding): Bits[] {
    const own = fn.code.map((i) => {
      const { bits, calls } = this.direct(fn, i, ctx);
      for (const c of calls) {
        const callee = this.ofBits(c);
        if (callee) orBits(bits, callee);
      }
      return bits;
    });
    const succ = this.successors(fn);
    const sets = fn.code.map(() => noBits());
    let grew = true;
    while (grew) {
      grew = false;
      for (let pc = fn.code.length - 1; pc >= 0; pc--) {
        const set = sets[pc];
        if (orBits(set, own[pc])) grew = true;
        for (const n of succ(pc)) if (n < sets.length && orBits(set, sets[n])) grew = true;
      }
    }
    return sets;
  }

  private succMemo = new Map<FunctionProgram, (pc: number) => number[]>();

  /**
   * The control flow's successors of each instruction, where a branch on the result of a
   * primitive that is constant for its arguments (a static key that is off,
   * sim/static-keys.ts) has only the side the run takes: code behind a branch the
   * system never takes (put_page()'s ZONE_DEVICE path) does not widen the future.
   */
  private successors(fn: FunctionProgram): (pc: number) => number[] {
    let succ = this.succMemo.get(fn);
    if (succ) return succ;
    const targeted = branchTargets(fn.code);
    const constantBranch = (pc: number): boolean | undefined => {
      const known = this.resolver.branchTaken?.(fn, pc);
      if (known !== undefined) return known;
      const i = fn.code[pc];
      const prev = fn.code[pc - 1];
      if (i?.op !== 'br' || i.c.k !== 'local' || targeted.has(pc) || prev?.op !== 'call' || prev.dst !== i.c.name || typeof prev.callee !== 'string') return undefined;
      const target = this.resolver.callee(prev.callee);
      const v = target && 'prim' in target ? target.prim.constant?.(prev.args) : undefined;
      return v === undefined ? undefined : v !== 0 && v !== null;
    };
    succ = (pc: number): number[] => successors(fn.code, pc, constantBranch);
    this.succMemo.set(fn, succ);
    return succ;
  }

  /** The instructions of a function its control flow can reach (every one, but those behind a constant branch). */
  private live(fn: FunctionProgram): FunctionProgram['code'] {
    const succ = this.successors(fn);
    const seen = new Set<number>([0]);
    const work = [0];
    while (work.length) {
      const pc = work.pop()!;
      if (pc >= fn.code.length) continue;
      for (const n of succ(pc)) if (!seen.has(n)) { seen.add(n); work.push(n); }
    }
    return seen.size >= fn.code.length ? fn.code : fn.code.filter((_, pc) => seen.has(pc));
  }

  /** A function's own accesses (or one instruction's), and the functions it may call. */
  private direct(fn: FunctionProgram, only: FunctionProgram['code'][number] | undefined, ctx: Binding): { bits: Bits; calls: string[] } {
    const own = emptyClasses();
    const calls: string[] = [];
    for (const i of only ? [only] : this.live(fn)) {
      if (i.op === 'load' || i.op === 'store') {
        // the thread's own stack object: no other thread touches it
        if (i.obj.k === 'local' && this.resolver.privateLocal?.(fn, i.obj.name)) continue;
        for (const c of fieldClasses(i.field, i.struct)) {
          (i.op === 'load' ? own.r : own.w).add(c);
          if (i.op === 'store') own.r.add(c);
        }
      } else if (i.op === 'call') {
        if (typeof i.callee !== 'string') {
          for (const t of this.resolver.calleeTargets?.(fn, i.callee) ?? this.resolver.indirectTargets(calleeField(fn, i.callee))) {
            const r = this.resolver.callee(t);
            calls.push(r && 'fn' in r ? this.node(t, this.bind(r.fn, i.args, fn, ctx)) : t);
          }
          continue;
        }
        const target = this.resolver.callee(i.callee);
        if (!target) continue;
        if ('fn' in target) {
          calls.push(this.node(target.fn.name, this.bind(target.fn, i.args, fn, ctx)));
        } else {
          const args = this.substitute(fn, i.args, ctx);
          for (const variant of this.resolver.argVariants?.(fn, args) ?? [args]) addAll(own, primitiveClasses(target.prim, variant));
          for (const spawned of target.prim.spawns ?? []) calls.push(spawned);
        }
      }
    }
    return { bits: this.toBits(own), calls };
  }
}
