/**
 * The classes of a thread's pending step told from its instruction alone, without
 * running it: what the persistent-set choice asks of a thread before it executes.
 */
import type { Expr, Instr } from './program.js';
import type { Primitive } from './primitive.js';
import { fieldClasses, primitiveClasses, type ClassSet } from './footprint-classes.js';
import type { CompiledInstr } from './machine-types.js';

/** A primitive's classes over the argument lists a call can have. */
export function unionClasses(prim: Primitive, lists: readonly (readonly Expr[])[]): ClassSet {
  if (lists.length === 1) return primitiveClasses(prim, lists[0]);
  const out: ClassSet = { r: new Set(), w: new Set() };
  for (const args of lists) {
    const cs = primitiveClasses(prim, args);
    for (const c of cs.r) out.r.add(c);
    for (const c of cs.w) out.w.add(c);
  }
  return out;
}

/** The classes of the step an instruction takes, from the instruction alone (see Machine.pendingClasses). */
export function stepClasses(instr: Instr | undefined, op: CompiledInstr, variants: (args: readonly Expr[]) => readonly (readonly Expr[])[]): ClassSet | null {
  if (instr?.op === 'call' && op.target) {
    const r = op.target;
    // a mover's transition goes on into the steps after it (see execute)
    if (r.kind !== 'prim' || r.prim.mover) return null;
    // a parameter among the arguments holds one of the constants its callers pass (param-constants.ts)
    return unionClasses(r.prim, variants(instr.args));
  } else if (instr?.op === 'load' || instr?.op === 'store') {
    const cs = fieldClasses(instr.field, instr.struct);
    return { r: new Set([...cs, 'pg.freed']), w: new Set(instr.op === 'store' ? cs : []) };
  }
  return null;
}
