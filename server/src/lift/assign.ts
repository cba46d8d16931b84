/**
 * Assignments and ++/--. A local is a `set`; a field is a `store` (compound forms
 * and ++/-- read the field first, so a read-modify-write of a mutable field is two
 * atomic steps, as it is on real hardware).
 */
import { allocatedObject, embeddedMember } from './embedded.js';
import type { BinaryOp, Expr } from '../sim/program.js';
import { isMutableField } from '../sim/fields.js';
import type { FnCtx } from './context.js';
import { arrayFieldOf, batchOf, bin, local, lowerExpr, num, structOf, ZERO } from './expr.js';
import { isUnsignedOp } from './typeof.js';
import type { Node } from './parser.js';
import { field, operator, stripParens } from './syntax.js';
import { ownTable } from '../sim/own-table.js';
import { ARRAY_FIELD_STRUCTS } from '../sim/stack-kinds.js';
import { pteWordRead } from './pte-word.js';

const COMPOUND: Readonly<Record<string, BinaryOp>> = ownTable({
  '+=': '+', '-=': '-', '*=': '*', '/=': '/', '%=': '%',
  '<<=': '<<', '>>=': '>>', '&=': '&', '^=': '^', '|=': '|',
});

export function lowerAssign(ctx: FnCtx, node: Node, want: boolean): Expr {
  const l = field(node, 'left');
  const r = field(node, 'right');
  if (!l || !r) {
    ctx.unparsed(node);
    return ZERO;
  }
  return assignTo(ctx, node, l, operator(node), r, want);
}

/**
 * `lhs op= rhs` for op in '=', '+=', ... (`at` is the node the instructions are
 * attributed to: the assignment, or the WRITE_ONCE call). The value is the new value.
 */
export function assignTo(ctx: FnCtx, at: Node, lhsNode: Node, op: string, rhsNode: Node, want: boolean): Expr {
  const bop = op === '=' ? undefined : COMPOUND[op];
  if (op !== '=' && !bop) {
    ctx.note(at, `assignment operator '${op}' not supported (skipped)`);
    return lowerExpr(ctx, rhsNode, want);
  }
  const lhs = stripParens(lhsNode);
  if (lhs.type === 'identifier') {
    const name = ctx.text(lhs);
    const allocated = !bop && ctx.locals.has(name) ? allocatedObject(ctx, name, rhsNode) : undefined;
    if (allocated) {
      ctx.em.emit({ op: 'call', callee: 'stack_struct', args: [allocated], dst: name, at: ctx.at(at) });
      return local(name);
    }
    const e = lowerExpr(ctx, rhsNode, true);
    if (!ctx.locals.has(name)) {
      ctx.note(at, `assignment to non-local '${name}' not modeled`);
      return e;
    }
    if (ctx.vars.get(name)?.stack === 'int_cell') return storeCell(ctx, at, local(name), bop, e);
    // `pages += n` on an array of pointers passed in: the array from element n on (arrays.ts)
    if (bop === '+' && ctx.vars.get(name)?.outArray) {
      ctx.em.emit({ op: 'call', callee: 'array_advance', args: [local(name), e], dst: name, at: ctx.at(at) });
      ctx.outParams.add(name);
      return local(name);
    }
    ctx.em.emit({ op: 'set', dst: name, e: bop ? bin(bop, local(name), e, isUnsignedOp(ctx, bop, lhs, rhsNode)) : e, at: ctx.at(at) });
    return local(name);
  }
  if (lhs.type === 'field_expression') {
    const embedded = embeddedMember(ctx, lhs);
    const objNode = embedded?.objNode ?? field(lhs, 'argument');
    const f = field(lhs, 'field');
    if (!objNode || !f) {
      ctx.unparsed(lhs);
      return ZERO;
    }
    const batch = batchOf(ctx, objNode);
    if (batch) {
      ctx.note(at, `write to member '${ctx.text(f)}' of batch '${batch.name}' not modeled (skipped)`);
      return lowerExpr(ctx, rhsNode, want);
    }
    const obj = lowerExpr(ctx, objNode, true);
    const name = embedded?.field ?? ctx.text(f);
    const struct = structOf(ctx, objNode);
    const e = (!bop ? pteWordRead(ctx, lhs, rhsNode, at) : undefined) ?? lowerExpr(ctx, rhsNode, true);
    if (!bop) {
      ctx.em.emit({ op: 'store', obj, field: name, e, at: ctx.at(at), ...struct });
      return e;
    }
    // The right side is evaluated before the read: the read-to-write window is as
    // narrow as compiled code makes it.
    const old = readForUpdate(ctx, at, obj, name, want, struct);
    const v = bin(bop, old, e);
    ctx.em.emit({ op: 'store', obj, field: name, e: v, at: ctx.at(at), ...struct });
    return v;
  }
  if (lhs.type === 'pointer_expression' && operator(lhs) === '*') {
    // `*error = 0` through a scalar out-parameter (`int *error`): the parameter holds the
    // caller's value (`*p` reads as p), so the write is to it, and the machine copies it
    // back into the caller's local when the function returns (value-result)
    const p = field(lhs, 'argument');
    const name = p && stripParens(p).type === 'identifier' ? ctx.text(stripParens(p)) : undefined;
    const v = name !== undefined ? ctx.vars.get(name) : undefined;
    if (name !== undefined && v?.param && v.pointer && v.elem !== undefined && !v.batch && ctx.locals.has(name)) {
      const e = lowerExpr(ctx, rhsNode, true);
      ctx.em.emit({ op: 'set', dst: name, e: bop ? bin(bop, local(name), e, isUnsignedOp(ctx, bop, lhs, rhsNode)) : e, at: ctx.at(at) });
      ctx.outParams.add(name);
      return local(name);
    }
    // `*fpin = file` through a pointer parameter to a caller's pointer (`struct file **fpin`
    // of lock_folio_maybe_drop_mmap(), handed `&fpin`): value-result as for a scalar, the
    // parameter holds the caller's pointer and is copied back into its local on return
    if (name !== undefined && v?.param && v.pointerToPointer && !v.batch && !v.array && !bop && ctx.locals.has(name)) {
      const e = lowerExpr(ctx, rhsNode, true);
      ctx.em.emit({ op: 'set', dst: name, e, at: ctx.at(at) });
      ctx.outParams.add(name);
      return local(name);
    }
    // `*cleaned += n` through a local pointer to an int that the caller keeps in its stack
    // cell (`int *cleaned = arg` of an rmap_one callback): the store goes to the cell
    if (name !== undefined && v && !v.param && v.pointer && v.elem !== undefined && !v.batch && ctx.locals.has(name)) {
      return storeCell(ctx, at, local(name), bop, lowerExpr(ctx, rhsNode, true));
    }
    ctx.note(at, `write through pointer '${ctx.text(lhs).slice(0, 40)}' not modeled (skipped)`);
  } else if (lhs.type === 'subscript_expression' && isArrayFieldTarget(ctx, lhs)) {
    const { addr, i } = arrayFieldElement(ctx, lhs)!;
    const idx = ctx.temp();
    ctx.em.emit({ op: 'set', dst: idx, e: i, at: ctx.at(at) });
    let e = lowerExpr(ctx, rhsNode, true);
    if (bop) {
      const old = ctx.temp();
      ctx.em.emit({ op: 'call', callee: 'field_array_get', args: [addr, local(idx)], dst: old, at: ctx.at(at) });
      e = bin(bop, local(old), e, isUnsignedOp(ctx, bop, lhs, rhsNode));
    }
    const v = ctx.temp();
    ctx.em.emit({ op: 'set', dst: v, e, at: ctx.at(at) });
    ctx.em.emit({ op: 'call', callee: 'field_array_set', args: [addr, local(idx), local(v)], at: ctx.at(at) });
    return local(v);
  } else if (lhs.type === 'subscript_expression' && !bop && elementTarget(ctx, lhs) !== undefined) {
    // `pages[i] = page` into an array of pointers passed in: the array value with element
    // i replaced, copied back to the caller (value-result)
    const name = elementTarget(ctx, lhs)!;
    const i = lowerExpr(ctx, field(lhs, 'index')!, true);
    const v = lowerExpr(ctx, rhsNode, true);
    ctx.em.emit({ op: 'call', callee: 'array_set', args: [local(name), i, v], dst: name, at: ctx.at(at) });
    ctx.outParams.add(name);
    return v;
  } else if (lhs.type === 'subscript_expression') {
    ctx.note(at, `array element write '${ctx.text(lhs).slice(0, 40)}' not modeled (skipped)`);
  } else {
    ctx.note(at, `assignment to '${ctx.text(lhs).slice(0, 40)}' not modeled (skipped)`);
  }
  return lowerExpr(ctx, rhsNode, want);
}

/** The array `a[i] = v` stores into: an array of pointers passed in (outArray). */
function elementTarget(ctx: FnCtx, lhs: Node): string | undefined {
  const a = field(lhs, 'argument');
  const n = a ? stripParens(a) : undefined;
  if (n?.type !== 'identifier' || !field(lhs, 'index') || !ctx.locals.has(ctx.text(n))) return undefined;
  return ctx.vars.get(ctx.text(n))!.outArray ? ctx.text(n) : undefined;
}

function isArrayFieldTarget(ctx: FnCtx, lhs: Node): boolean {
  const a = field(lhs, 'argument');
  const n = a ? stripParens(a) : undefined;
  const o = n?.type === 'field_expression' ? field(n, 'argument') : undefined;
  const s = o && stripParens(o).type === 'identifier' ? ctx.vars.get(ctx.text(stripParens(o)))?.tag : undefined;
  return !!s && ARRAY_FIELD_STRUCTS.has(s);
}

/** `stat->nr_activate[i]` as a write target: the field's address and the index. */
function arrayFieldElement(ctx: FnCtx, lhs: Node): { addr: Expr; i: Expr } | undefined {
  const a = field(lhs, 'argument');
  const i = field(lhs, 'index');
  const addr = a && i ? arrayFieldOf(ctx, a) : undefined;
  return addr && i ? { addr, i: lowerExpr(ctx, i, true) } : undefined;
}

/** `x op= e` on a stack cell (sim/stack-kinds.ts int_cell): its `val`, read first for a compound. */
function storeCell(ctx: FnCtx, at: Node, cell: Expr, bop: BinaryOp | undefined, e: Expr): Expr {
  let v = e;
  if (bop) {
    const old = ctx.temp();
    ctx.em.emit({ op: 'load', dst: old, obj: cell, field: 'val', at: ctx.at(at) });
    v = bin(bop, local(old), e);
  }
  ctx.em.emit({ op: 'store', obj: cell, field: 'val', e: v, at: ctx.at(at) });
  return v;
}

/**
 * The current value of obj->f before it is rewritten: a `load` for a mutable field.
 * For an immutable one a `field` Expr would be re-read after the store, so when the
 * old value is needed later (`stable`) it is copied to a temporary.
 */
function readForUpdate(ctx: FnCtx, at: Node, obj: Expr, f: string, stable: boolean, struct: { struct?: string } = {}): Expr {
  if (isMutableField(f)) {
    const dst = ctx.temp();
    ctx.em.emit({ op: 'load', dst, obj, field: f, at: ctx.at(at), ...struct });
    return local(dst);
  }
  const e: Expr = { k: 'field', obj, field: f, ...struct };
  if (!stable) return e;
  const dst = ctx.temp();
  ctx.em.emit({ op: 'set', dst, e, at: ctx.at(at) });
  return local(dst);
}

/** `x++`, `--x`, `p->f++`: the value is the old value (postfix) or the new (prefix). */
export function lowerUpdate(ctx: FnCtx, node: Node, want: boolean): Expr {
  const argNode = field(node, 'argument');
  const op = operator(node);
  if (!argNode || (op !== '++' && op !== '--')) {
    ctx.unparsed(node);
    return ZERO;
  }
  const prefix = node.child(0)?.type === op;
  const d: BinaryOp = op === '++' ? '+' : '-';
  const arg = stripParens(argNode);
  const at = ctx.at(node);
  if (arg.type === 'identifier' && ctx.locals.has(ctx.text(arg))) {
    const name = ctx.text(arg);
    let old: Expr | undefined;
    if (want && !prefix) {
      const t = ctx.temp();
      ctx.em.emit({ op: 'set', dst: t, e: local(name), at });
      old = local(t);
    }
    ctx.em.emit({ op: 'set', dst: name, e: bin(d, local(name), num(1)), at });
    if (!want) return ZERO;
    return old ?? local(name);
  }
  if (arg.type === 'field_expression') {
    const embedded = embeddedMember(ctx, arg);
    const objNode = embedded?.objNode ?? field(arg, 'argument');
    const f = field(arg, 'field');
    if (objNode && f) {
      const obj = lowerExpr(ctx, objNode, true);
      const name = embedded?.field ?? ctx.text(f);
      const struct = structOf(ctx, objNode);
      const old = readForUpdate(ctx, node, obj, name, want, struct);
      const v = bin(d, old, num(1));
      ctx.em.emit({ op: 'store', obj, field: name, e: v, at, ...struct });
      return prefix ? v : old;
    }
  }
  ctx.note(node, `${op} on '${ctx.text(arg).slice(0, 40)}' not modeled (operand used)`);
  return lowerExpr(ctx, arg, want);
}
