/** Visiting every expression of an instruction (sub-expressions included). */
import type { Expr, Instr } from './program.js';

export function forEachExpr(i: Instr, visit: (e: Expr) => void): void {
  const walk = (e: Expr | undefined): void => {
    if (!e) return;
    visit(e);
    switch (e.k) {
      case 'un': walk(e.a); break;
      case 'bin': walk(e.a); walk(e.b); break;
      case 'cond': walk(e.c); walk(e.a); walk(e.b); break;
      case 'field': case 'addr': walk(e.obj); break;
      case 'arr': e.items.forEach(walk); break;
      case 'elem': walk(e.a); walk(e.i); break;
      default: break;
    }
  };
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
