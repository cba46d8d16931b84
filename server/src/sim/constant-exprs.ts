/**
 * Expressions whose value is the same on every thread and in every run: numbers, named
 * constants, and arithmetic over them (`1 << PG_locked`, the mask folio_unlock() hands
 * folio_xor_flags_has_waiters()). A parameter that every caller passes one of holds one
 * of them (param-constants.ts), and a primitive handed one may touch less
 * (footprint-classes.ts refine).
 */
import type { Expr, Value } from './program.js';
import { constantValue } from './constants.js';
import { binaryValue } from './compile.js';
import { int, truthy } from './values.js';
import { bitOfValue, flagOfConstant, type WordKind } from './flag-bits.js';

/** Whether `e` is built of numbers and named constants only (no local, field or call). */
export function isConstantExpr(e: Expr): boolean {
  switch (e.k) {
    case 'num': case 'sym': return true;
    case 'un': return isConstantExpr(e.a);
    case 'bin': return isConstantExpr(e.a) && isConstantExpr(e.b);
    default: return false;
  }
}

/**
 * The value of a constant expression as the compiled code computes it (compile.ts: a
 * name that is no constant reads as 0); undefined when it is not a constant expression
 * or a name stands for an object rather than a number or a flag bit.
 */
export function constantExprValue(e: Expr): Value | undefined {
  switch (e.k) {
    case 'num': return e.v;
    case 'sym': {
      const v = constantValue(e.name);
      if (v === undefined) return 0;
      return typeof v === 'number' || bitOfValue(v) !== undefined ? v : undefined;
    }
    case 'un': {
      const a = constantExprValue(e.a);
      if (a === undefined) return undefined;
      return e.op === '!' ? (truthy(a) ? 0 : 1) : e.op === '-' ? -int(a) : ~int(a);
    }
    case 'bin': {
      const a = constantExprValue(e.a);
      const b = constantExprValue(e.b);
      return a === undefined || b === undefined ? undefined : binaryValue(e, a, b);
    }
    default: return undefined;
  }
}

/**
 * The bits of a flag word a constant mask sets, and the word its named bits belong to
 * (`1 << PG_locked`: a page's; a bare number: either word). Undefined: not a constant
 * mask, or one naming bits of both words.
 */
export function maskBits(e: Expr | undefined): { bits: number[]; word?: WordKind } | undefined {
  if (!e || !isConstantExpr(e)) return undefined;
  const v = constantExprValue(e);
  if (typeof v !== 'number') return undefined;
  const words = new Set<WordKind>();
  const visit = (x: Expr): void => {
    if (x.k === 'sym') { const f = flagOfConstant(x.name); if (f) words.add(f.word); }
    else if (x.k === 'un') visit(x.a);
    else if (x.k === 'bin') { visit(x.a); visit(x.b); }
  };
  visit(e);
  if (words.size > 1) return undefined;
  const bits: number[] = [];
  for (let nr = 0; nr < 32; nr++) if (v & (1 << nr)) bits.push(nr);
  return { bits, ...(words.size === 1 ? { word: [...words][0] } : {}) };
}
