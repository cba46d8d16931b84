/**
 * Which values of a function only checks read. A read step whose result feeds nothing
 * but BUG_ON/WARN_ON conditions (a `VM_BUG_ON_PAGE(page_ref_count(page) == 0, page)`
 * before the decrement) leaves the state the same whatever value it read: after it,
 * the thread is at the same place with the same live locals, and the value decided
 * only whether a check fired. Such a step may be taken together with the thread's
 * next step (machine.ts `execute`, where the argument is made in full).
 *
 * This is faint-variable analysis (a value is live only when it can reach a use that
 * matters), with two kinds of use left out: the condition of a `check`, which decides
 * only whether the check fires, and the value of a `ret`, which matters only if the
 * caller's destination does (the machine follows that up the frames at run time).
 */
import { successors } from './control-flow.js';
import { forEachLocal, type Expr, type FunctionProgram } from './program.js';

export interface CheckOnly {
  /** per pc: slots whose value at that point may reach a use other than a check or a return */
  real: Set<number>[];
  /** per pc: slots whose value at that point may reach the function's return value */
  returned: Set<number>[];
}

function usesOf(e: Expr | undefined, slots: ReadonlyMap<string, number>, out: Set<number>): void {
  forEachLocal(e, (l) => {
    const s = slots.get(l.name);
    if (s !== undefined) out.add(s);
  });
}

function sameSet(a: Set<number>, b: Set<number>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/** The analysis of `fn`, over the machine's slot numbering. */
export function checkOnly(fn: FunctionProgram, slots: ReadonlyMap<string, number>): CheckOnly {
  const code = fn.code;
  // out-parameters are copied back into the caller when the function returns: a use
  const outs = new Set<number>();
  for (const p of fn.outParams ?? []) {
    const s = slots.get(p);
    if (s !== undefined) outs.add(s);
  }
  const real: Set<number>[] = code.map(() => new Set());
  const returned: Set<number>[] = code.map(() => new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (let pc = code.length - 1; pc >= 0; pc--) {
      const i = code[pc];
      const r = new Set<number>();
      const t = new Set<number>();
      for (const n of successors(code, pc)) {
        for (const v of real[n] ?? []) r.add(v);
        for (const v of returned[n] ?? []) t.add(v);
      }
      switch (i.op) {
        case 'set': {
          const d = slots.get(i.dst);
          const toReal = d !== undefined && r.has(d);
          const toRet = d !== undefined && t.has(d);
          if (d !== undefined) { r.delete(d); t.delete(d); }
          // a value copied into a local matters as much as that local does
          if (toReal) usesOf(i.e, slots, r);
          if (toRet) usesOf(i.e, slots, t);
          break;
        }
        case 'check':
          break;
        case 'ret':
          usesOf(i.e, slots, t);
          for (const s of outs) r.add(s);
          break;
        case 'br':
          usesOf(i.c, slots, r);
          break;
        case 'call':
        case 'load': {
          const d = i.dst !== undefined ? slots.get(i.dst) : undefined;
          if (d !== undefined) { r.delete(d); t.delete(d); }
          if (i.op === 'load') usesOf(i.obj, slots, r);
          else {
            if (typeof i.callee !== 'string') usesOf(i.callee, slots, r);
            for (const a of i.args) usesOf(a, slots, r);
          }
          break;
        }
        case 'store':
          usesOf(i.obj, slots, r);
          usesOf(i.e, slots, r);
          break;
        default:
          break;
      }
      if (!sameSet(r, real[pc]) || !sameSet(t, returned[pc])) {
        real[pc] = r;
        returned[pc] = t;
        changed = true;
      }
    }
  }
  return { real, returned };
}
