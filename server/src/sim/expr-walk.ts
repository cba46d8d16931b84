/** The one walk over expressions: an expression's sub-expressions, an instruction's expressions. */
import type { Expr, Instr } from './program.js';

/** Visits `e` and every sub-expression of it, parents first. */
export function walkExpr(e: Expr | undefined, visit: (e: Expr) => void): void {
  if (!e) return;
  visit(e);
  switch (e.k) {
    case 'un': walkExpr(e.a, visit); break;
    case 'bin': walkExpr(e.a, visit); walkExpr(e.b, visit); break;
    case 'cond': walkExpr(e.c, visit); walkExpr(e.a, visit); walkExpr(e.b, visit); break;
    case 'field': case 'addr': walkExpr(e.obj, visit); break;
    case 'arr': for (const x of e.items) walkExpr(x, visit); break;
    case 'elem': walkExpr(e.a, visit); walkExpr(e.i, visit); break;
    default: break;
  }
}

export function forEachExpr(i: Instr, visit: (e: Expr) => void): void {
  const walk = (e: Expr | undefined): void => walkExpr(e, visit);
  switch (i.op) {
    case 'set': walk(i.e); break;
    case 'call': if (typeof i.callee !== 'string') walk(i.callee); i.args.forEach(walk); break;
    case 'load': walk(i.obj); break;
    case 'store': walk(i.obj); walk(i.e); break;
    case 'br': walk(i.c); break;
    case 'ret': walk(i.e); break;
    case 'check': walk(i.c); break;
    default: break;
  }
}
