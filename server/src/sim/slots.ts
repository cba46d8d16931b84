import { forEachLocal, type Expr, type FunctionProgram, type Instr } from './program.js';
import { ModelError } from './errors.js';
import type { ProgramAnalyses } from './machine-types.js';

/**
 * Locals are read by slot, not by name: every local expression and destination of a
 * function is annotated once with its slot (a hidden property, so programs still
 * compare and print as before).
 */
export interface SlotAnnotated { slot?: number; dstSlot?: number }

function annotate(o: object, prop: 'slot' | 'dstSlot', slot: number): void {
  const had = (o as SlotAnnotated)[prop];
  if (had === slot) return;
  if (had !== undefined) throw new ModelError(`internal: one expression in two functions with different locals`);
  Object.defineProperty(o, prop, { value: slot, enumerable: false, writable: false });
}

function annotateExpr(e: Expr, slots: Map<string, number>): void {
  forEachLocal(e, (l) => annotate(l, 'slot', slots.get(l.name) ?? -1));
}

export function annotateSlots(fn: FunctionProgram, slots: Map<string, number>): void {
  for (const i of fn.code) {
    if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst !== undefined) annotate(i, 'dstSlot', slots.get(i.dst)!);
    switch (i.op) {
      case 'set': annotateExpr(i.e, slots); break;
      case 'store': annotateExpr(i.obj, slots); annotateExpr(i.e, slots); break;
      case 'load': annotateExpr(i.obj, slots); break;
      case 'call':
        if (typeof i.callee !== 'string') annotateExpr(i.callee, slots);
        i.args.forEach((a) => annotateExpr(a, slots));
        break;
      case 'br': case 'check': annotateExpr(i.c, slots); break;
      case 'ret': if (i.e) annotateExpr(i.e, slots); break;
      default: break;
    }
  }
}

export function dstSlot(i: Instr): number {
  return (i as SlotAnnotated).dstSlot!;
}

const analyses = new WeakMap<FunctionProgram, ProgramAnalyses>();

/** A program's locals in slots (its expressions annotated with them), once per program. */
export function analysesOf(fn: FunctionProgram): ProgramAnalyses {
  let a = analyses.get(fn);
  if (a) return a;
  const slots = new Map<string, number>();
  const add = (n: string) => { if (!slots.has(n)) slots.set(n, slots.size); };
  fn.params.forEach(add);
  for (const i of fn.code) if ((i.op === 'set' || i.op === 'load' || i.op === 'call') && i.dst !== undefined) add(i.dst);
  annotateSlots(fn, slots);
  analyses.set(fn, (a = { slots, paramSlots: fn.params.map((p) => slots.get(p)!) }));
  return a;
}
