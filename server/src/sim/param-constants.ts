/**
 * The constants a parameter can hold: `test_and_set_ti_thread_flag(ti, flag)` sets bit
 * `flag`, which is whatever its callers pass (TIF_NOTIFY_RESUME from set_notify_resume).
 * A primitive handed such a parameter has classes only as narrow as its argument; with
 * the parameter unknown, a flag-word operation may touch every bit of every page and
 * buffer, and the future of a thread that can reach it (a write fault, through fput and
 * task_work_add) conflicts with everything. When every call of the function is a direct
 * call in the reachable code passing a constant (or a parameter of its own caller that is
 * known in turn), the parameter holds one of those constants and nothing else.
 *
 * Not known (undefined): a function that can be called other than by name from code we
 * see (a thread's root, a completion a primitive spawns, a function used as a value,
 * which a call through a pointer may reach), a parameter the function assigns or hands
 * out by reference, an argument that is not a constant.
 */
import type { Expr, FunctionProgram } from './program.js';
import { isConstantExpr } from './constant-exprs.js';

type CallSite = { caller: FunctionProgram; args: readonly Expr[] };

/** Arguments of more combinations than this are not spelled out: the call's own classes stand. */
const MAX_VARIANTS = 16;

export class ParamConstants {
  private sites: Map<FunctionProgram, CallSite[]> | undefined;
  private readonly memo = new Map<string, readonly Expr[] | null>();

  /**
   * @param listFunctions every function the scenario can reach, by the names it is reached by
   * @param resolve what a name calls (several names may call one program: an alias, a page/folio rename)
   * @param listEntered names of functions entered other than by a call instruction of the
   * reachable code (roots, spawned completions; and those used as values when `pointerTargets` is not given)
   * @param pointerTargets the names a call through a pointer may reach, a superset of those it
   * does: its arguments are then call sites of each (a `->fault(vmf)` hands filemap_fault its vmf)
   */
  constructor(private readonly listFunctions: () => ReadonlyMap<string, FunctionProgram>,
    private readonly resolve: (name: string) => FunctionProgram | undefined,
    private readonly listEntered: () => Iterable<string>,
    private readonly pointerTargets?: (fn: FunctionProgram, callee: Expr) => readonly string[]) {}

  private fns: ReadonlyMap<string, FunctionProgram> | undefined;
  private ent: ReadonlySet<FunctionProgram> | undefined;
  private functions(): ReadonlyMap<string, FunctionProgram> { return (this.fns ??= this.listFunctions()); }

  /** The programs entered other than by a call by name, whatever name they go by. */
  private entered(): ReadonlySet<FunctionProgram> {
    if (!this.ent) {
      const set = new Set<FunctionProgram>();
      for (const name of this.listEntered()) {
        const f = this.resolve(name);
        if (f) set.add(f);
      }
      this.ent = set;
    }
    return this.ent;
  }

  /** Every call by name in the reachable code, by the program it calls. */
  private callSites(): Map<FunctionProgram, CallSite[]> {
    if (this.sites) return this.sites;
    const sites = new Map<FunctionProgram, CallSite[]>();
    const seen = new Set<FunctionProgram>();
    for (const fn of this.functions().values()) {
      if (seen.has(fn)) continue;
      seen.add(fn);
      for (const i of fn.code) {
        if (i.op !== 'call') continue;
        const names = typeof i.callee === 'string' ? [i.callee] : this.pointerTargets?.(fn, i.callee) ?? [];
        for (const name of names) {
          const target = this.resolve(name);
          if (!target) continue;
          let list = sites.get(target);
          if (!list) sites.set(target, (list = []));
          list.push({ caller: fn, args: i.args });
        }
      }
    }
    return (this.sites = sites);
  }

  /** Every call of `fn`, when those by name in the reachable code are all there are; else undefined. */
  sitesOf(fn: FunctionProgram): readonly CallSite[] | undefined {
    if (this.entered().has(fn)) return undefined;
    const sites = this.callSites().get(fn);
    return sites && sites.length > 0 ? sites : undefined;
  }

  /** The constants parameter `index` of `fn` can hold (constant expressions: constant-exprs.ts), or undefined. */
  values(fn: FunctionProgram, index: number): readonly Expr[] | undefined {
    const k = `${fn.name}#${index}`;
    if (this.memo.has(k)) return this.memo.get(k) ?? undefined;
    // a cycle of parameters handed on: not known while it is being worked out
    this.memo.set(k, null);
    const found = this.compute(fn, index);
    this.memo.set(k, found ?? null);
    return found;
  }

  private compute(fn: FunctionProgram, index: number): Expr[] | undefined {
    const name = fn.params[index];
    if (name === undefined || !unassignedParam(fn, name)) return undefined;
    const sites = this.sitesOf(fn);
    if (!sites) return undefined;
    const out: Expr[] = [];
    const add = (e: Expr): void => {
      if (!out.some((x) => sameConstant(x, e))) out.push(e);
    };
    for (const { caller, args } of sites) {
      const a = args[index];
      if (!a) return undefined;
      // a number, a named constant, or arithmetic over them (`1 << PG_locked`)
      if (isConstantExpr(a)) {
        add(a);
        continue;
      }
      const j = a.k === 'local' ? caller.params.indexOf(a.name) : -1;
      if (j < 0) return undefined;
      const up = this.values(caller, j);
      if (!up) return undefined;
      for (const e of up) add(e);
    }
    return out;
  }

  /**
   * The argument lists a call in `fn` can have once its parameters are replaced by the
   * constants they can hold: `[args]` itself when none is known (or too many lists).
   */
  variants(fn: FunctionProgram, args: readonly Expr[]): readonly (readonly Expr[])[] {
    let v = this.variantMemo.get(args);
    if (!v) this.variantMemo.set(args, (v = this.computeVariants(fn, args)));
    return v;
  }

  /** per call's argument list: its variants, the same arrays each time (primitiveClasses keeps its answers by array) */
  private readonly variantMemo = new WeakMap<readonly Expr[], readonly (readonly Expr[])[]>();

  private computeVariants(fn: FunctionProgram, args: readonly Expr[]): readonly (readonly Expr[])[] {
    let lists: Expr[][] = [[]];
    let changed = false;
    for (const a of args) {
      const j = a.k === 'local' ? fn.params.indexOf(a.name) : -1;
      const values = j >= 0 ? this.values(fn, j) : undefined;
      if (!values) {
        for (const l of lists) l.push(a);
        continue;
      }
      changed = true;
      const next: Expr[][] = [];
      for (const l of lists) for (const v of values) next.push([...l, v]);
      if (next.length > MAX_VARIANTS) return [args];
      lists = next;
    }
    return changed ? lists : [args];
  }
}

/**
 * Whether a local of `fn` can only hold one of the calling thread's own stack objects
 * (a struct vm_fault from vm_fault_of(), a writeback_control constant) or NULL: then
 * `local->field` is the thread's own memory (objects.ts isThreadPrivate), which no other
 * thread touches, and a future leaves it out. Without this, `vmf->flags = ...` in the
 * fault path counts as a store to any page's flag word.
 */
export class PrivateLocals {
  private readonly memo = new Map<string, boolean>();

  constructor(private readonly params: ParamConstants, private readonly privateResult: (callee: string) => boolean,
    private readonly privateConstant: (name: string) => boolean,
    private readonly writesThrough: (callee: string, arg: number) => boolean = () => true) {}

  holdsPrivate(fn: FunctionProgram, local: string): boolean {
    const k = `${fn.name}\u0000${local}`;
    const known = this.memo.get(k);
    if (known !== undefined) return known;
    // a cycle (a local set from itself, parameters handed round): not known to be private
    this.memo.set(k, false);
    const v = this.compute(fn, local);
    this.memo.set(k, v);
    return v;
  }

  private expr(fn: FunctionProgram, e: Expr): boolean {
    // `&vmf` of a struct on the stack reads as the local's value (the object)
    if (e.k === 'local' || e.k === 'ref') return this.holdsPrivate(fn, e.name);
    if (e.k === 'null' || (e.k === 'num' && e.v === 0)) return true;
    return e.k === 'sym' && this.privateConstant(e.name);
  }

  /**
   * Whether a call may set the caller's local it is handed `&local` of at argument `k`:
   * a call through a pointer may; a call by name as `writesThrough` says (a lifted
   * function through a parameter it writes through, outParams; a primitive through an
   * argument it takes by reference, byRef).
   */
  private mayWriteThrough(callee: string | Expr, k: number): boolean {
    return typeof callee !== 'string' || this.writesThrough(callee, k);
  }

  private compute(fn: FunctionProgram, local: string): boolean {
    let defined = false;
    for (const i of fn.code) {
      if (i.op === 'call' && i.args.some((a, k) => a.k === 'ref' && a.name === local && this.mayWriteThrough(i.callee, k))) return false;
      if ((i.op !== 'set' && i.op !== 'load' && i.op !== 'call') || i.dst !== local) continue;
      defined = true;
      if (i.op === 'load') return false;
      if (i.op === 'set' && !this.expr(fn, i.e)) return false;
      if (i.op === 'call' && (typeof i.callee !== 'string' || !this.privateResult(i.callee))) return false;
    }
    const index = fn.params.indexOf(local);
    if (index < 0) return defined;
    const sites = this.params.sitesOf(fn);
    if (!sites) return false;
    for (const { caller, args } of sites) {
      const a = args[index];
      if (!a || !this.expr(caller, a)) return false;
    }
    return true;
  }
}

function sameConstant(a: Expr, b: Expr): boolean {
  if (a.k === 'sym' && b.k === 'sym') return a.name === b.name;
  if (a.k === 'num' && b.k === 'num') return a.v === b.v;
  if (a.k === 'un' && b.k === 'un') return a.op === b.op && sameConstant(a.a, b.a);
  if (a.k === 'bin' && b.k === 'bin') return a.op === b.op && a.unsigned === b.unsigned && sameConstant(a.a, b.a) && sameConstant(a.b, b.b);
  return false;
}

/** Whether the function never sets the parameter (no assignment, no load or call into it, no `&param`). */
export function unassignedParam(fn: FunctionProgram, name: string): boolean {
  for (const i of fn.code) {
    if ((i.op === 'load' || i.op === 'set' || i.op === 'call') && i.dst === name) return false;
    if (i.op === 'call' && i.args.some((a) => a.k === 'ref' && a.name === name)) return false;
  }
  return true;
}
