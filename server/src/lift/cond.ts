/** Conditions of if/while/for/do and `?:`: lowered straight to branches. */
import { isMutableField } from '../sim/fields.js';
import { passThroughArg } from './calls.js';
import type { FnCtx } from './context.js';
import type { Label } from './emitter.js';
import { local, lowerExpr, ZERO } from './expr.js';
import type { Node } from './parser.js';
import { field, operator, stripParens } from './syntax.js';

/**
 * Lowers a condition straight to a branch: `!`, `&&`, `||` become jumps (short
 * circuit), pass-through macros and casts are looked through. A condition that needs
 * no instructions becomes a single `br`.
 */
export function lowerCond(ctx: FnCtx, node: Node, t: Label, f: Label): void {
  const done = ctx.nested(node, false, () => {
    condAny(ctx, stripParens(node), t, f);
    return true;
  });
  if (!done) ctx.em.br(ZERO, t, f);
}

function condAny(ctx: FnCtx, n: Node, t: Label, f: Label): void {
  if (n.type === 'unary_expression' && operator(n) === '!') {
    const a = field(n, 'argument');
    if (a) return lowerCond(ctx, a, f, t);
  }
  if (n.type === 'cast_expression') {
    const v = field(n, 'value');
    if (v) return lowerCond(ctx, v, t, f);
  }
  if (n.type === 'call_expression') {
    const a = passThroughArg(ctx, n);
    if (a) return lowerCond(ctx, a, t, f);
  }
  if (n.type === 'binary_expression' && mayEmit(ctx, n)) {
    const op = operator(n);
    const l = field(n, 'left');
    const r = field(n, 'right');
    if (l && r && (op === '&&' || op === '||')) {
      const mid = ctx.newLabel();
      if (op === '&&') lowerCond(ctx, l, mid, f);
      else lowerCond(ctx, l, t, mid);
      ctx.em.place(mid);
      return lowerCond(ctx, r, t, f);
    }
  }
  // `if (locked)` on a scalar pointer parameter: the caller's address (an out-parameter's
  // value stands for it, lift/assign.ts) or NULL; `*locked` is its value, the test is not
  const v = n.type === 'identifier' && ctx.locals.has(ctx.text(n)) ? ctx.vars.get(ctx.text(n)) : undefined;
  if (v?.param && v.pointer && v.elem !== undefined && !v.batch && !v.array) {
    const given = ctx.temp();
    ctx.em.emit({ op: 'call', callee: 'ptr_given', args: [local(ctx.text(n))], dst: given, at: ctx.at(n) });
    return ctx.em.br(local(given), t, f);
  }
  ctx.em.br(lowerExpr(ctx, n, true), t, f);
}

/**
 * Whether lowering `node` might emit instructions. Used only to choose between two
 * correct shapes for conditions, so erring towards true is harmless.
 */
function mayEmit(ctx: FnCtx, node: Node): boolean {
  const stack = [node];
  for (let seen = 0; stack.length > 0; seen++) {
    if (seen > 5000) return true;
    const n = stack.pop()!;
    switch (n.type) {
      case 'call_expression':
      case 'assignment_expression':
      case 'update_expression':
      case 'ERROR':
        return true;
      case 'field_expression': {
        const f = field(n, 'field');
        if (f && isMutableField(ctx.text(f))) return true;
        break;
      }
      default:
        break;
    }
    for (const k of n.namedChildren) stack.push(k);
  }
  return false;
}
