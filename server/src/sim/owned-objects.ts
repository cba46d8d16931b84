/**
 * Where a thread's own stack object (a struct vm_fault, from vm_fault_on_stack()) can be:
 * the locals and parameters that may hold a pointer to one, from the calls that make
 * them through assignments, arguments (by name or through a pointer) and return values.
 * A write to `x->flags` where `x` holds none of them does not write a vm_fault's flags,
 * whatever `x` is otherwise (known-values.ts needs no value for `page` to tell that
 * `&page->flags` in PageHead() is not `&vmf->flags`).
 *
 * When such a pointer escapes where this cannot follow it (stored into memory, returned
 * through a pointer call's result, written through a primitive's out-argument), every
 * object expression may hold one: `escaped`.
 */
import type { Expr, FunctionProgram } from './program.js';
import type { Primitive } from './primitive.js';

export interface OwnedHost {
  /** the reachable functions' programs */
  reachable(): readonly FunctionProgram[];
  /** what a call by name runs */
  callee(name: string): { prim: Primitive } | { fn: FunctionProgram } | 'nothing';
  /** the functions a call through `callee` in `fn` may reach */
  targets(fn: FunctionProgram, callee: Expr): readonly FunctionProgram[];
}

export class OwnedHolders {
  private holders: Map<FunctionProgram, Set<string>> | undefined;
  private escaped = false;

  constructor(private readonly host: OwnedHost, private readonly kind: string) {}

  /** Whether the value of `e` in `fn` may be a pointer to one of the objects. */
  mayHold(fn: FunctionProgram, e: Expr): boolean {
    const held = this.compute();
    if (this.escaped) return true;
    return holds(e, held.get(fn));
  }

  private compute(): Map<FunctionProgram, Set<string>> {
    if (this.holders) return this.holders;
    const held = new Map<FunctionProgram, Set<string>>();
    // functions whose return value may be one
    const returning = new Set<FunctionProgram>();
    const add = (fn: FunctionProgram, local: string): boolean => {
      let s = held.get(fn);
      if (!s) held.set(fn, (s = new Set()));
      if (s.has(local)) return false;
      s.add(local);
      return true;
    };
    const fns = this.host.reachable();
    for (let changed = true; changed && !this.escaped;) {
      changed = false;
      for (const fn of fns) {
        const mine = held.get(fn);
        for (const i of fn.code) {
          if (i.op === 'set') {
            if (holds(i.e, mine) && add(fn, i.dst)) changed = true;
          } else if (i.op === 'store') {
            if (holds(i.e, mine)) this.escaped = true;
          } else if (i.op === 'ret') {
            if (i.e && holds(i.e, mine) && !returning.has(fn)) { returning.add(fn); changed = true; }
          } else if (i.op === 'call') {
            const passed = i.args.map((a) => holds(a, mine));
            let result = false;
            const into = (callee: FunctionProgram): void => {
              passed.forEach((p, k) => { if (p && callee.params[k] !== undefined && add(callee, callee.params[k])) changed = true; });
              if (returning.has(callee)) result = true;
            };
            if (typeof i.callee !== 'string') {
              for (const t of this.host.targets(fn, i.callee)) into(t);
            } else {
              const c = this.host.callee(i.callee);
              if (c !== 'nothing' && 'fn' in c) into(c.fn);
              else if (c !== 'nothing') {
                if (c.prim.resultKind === this.kind) result = true;
                // a primitive handed one may give it back (as its result, through an out-argument into a local,
                // to a completion it starts); one outside the model stops the run instead
                if (passed.some((p) => p) && c.prim.outOfModel !== true) {
                  result = true;
                  if (c.prim.spawns?.length) this.escaped = true;
                  for (const a of i.args) if (a.k === 'ref' && add(fn, a.name)) changed = true;
                }
              }
            }
            if (result && i.dst !== undefined && add(fn, i.dst)) changed = true;
          }
        }
      }
    }
    return (this.holders = held);
  }
}

/**
 * Whether an expression's value may be one of the held pointers: a local that may hold
 * one, or an expression computed from one (`cond`, arithmetic); a field read from an
 * object is not (nothing stored one into memory, or the pointers have escaped).
 */
function holds(e: Expr, mine: ReadonlySet<string> | undefined): boolean {
  if (!mine || mine.size === 0) return false;
  switch (e.k) {
    case 'local': case 'ref': return mine.has(e.name);
    case 'un': return holds(e.a, mine);
    case 'bin': return holds(e.a, mine) || holds(e.b, mine);
    case 'cond': return holds(e.a, mine) || holds(e.b, mine);
    case 'elem': return holds(e.a, mine);
    case 'arr': return e.items.some((x) => holds(x, mine));
    default: return false;
  }
}
