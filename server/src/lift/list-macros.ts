/**
 * include/linux/list.h's entry macros, compiled as their definitions are written: the
 * type and member arguments only steer the compiler, so a call keeps the pointer
 * arguments (list_first_entry(head, type, member) is a call of list_first_entry(head),
 * which the simulator's list primitives answer: sim/ops/waitlist.ts), and the safe
 * iteration macros become the loops they expand to. Only lists whose entries the
 * simulator keeps (the page wait queues, by their `entry` member) can be walked.
 */
import type { Expr } from '../sim/program.js';
import type { FnCtx } from './context.js';
import { Label } from './emitter.js';
import { bin, local, lowerExpr } from './expr.js';
import type { Node } from './parser.js';
import { field, kids } from './syntax.js';

/** Entry macros kept as calls: which arguments are values (the others name a type or a member). */
const ENTRY_MACROS: Readonly<Record<string, readonly number[]>> = {
  container_of: [0],
  list_entry: [0],
  list_first_entry: [0],
  list_next_entry: [0],
};

export function entryMacroArgs(name: string): readonly number[] | undefined {
  return Object.hasOwn(ENTRY_MACROS, name) ? ENTRY_MACROS[name] : undefined;
}

/** list_entry_is_head(pos, head, member): `&pos->member == head`, as list.h defines it. */
export function lowerEntryIsHead(ctx: FnCtx, args: Node[]): Expr | undefined {
  if (args.length !== 3 || args[2].type !== 'identifier') return undefined;
  return bin('==', { k: 'addr', obj: lowerExpr(ctx, args[0], true), field: ctx.text(args[2]) }, lowerExpr(ctx, args[1], true));
}

/** The safe iteration macros this file compiles as loops; the others run their body once (stmt.ts). */
export function isListLoop(name: string): boolean {
  return name === 'list_for_each_entry_safe' || name === 'list_for_each_entry_safe_from';
}

/**
 * `list_for_each_entry_safe(pos, n, head, member) body` and its `_from` form (which
 * starts at pos as it is):
 *   for ([pos = list_first_entry(head),] n = list_next_entry(pos);
 *        !list_entry_is_head(pos, head, member); pos = n, n = list_next_entry(n)) body
 */
export function lowerListLoop(ctx: FnCtx, name: string, call: Node, body: Node, lowerBody: (brk: Label, cont: Label) => void): boolean {
  const list = field(call, 'arguments');
  const args = list ? kids(list) : [];
  if (args.length !== 4 || args[0].type !== 'identifier' || args[1].type !== 'identifier' || args[3].type !== 'identifier') return false;
  const pos = ctx.text(args[0]);
  const n = ctx.text(args[1]);
  if (!ctx.locals.has(pos) || !ctx.locals.has(n)) return false;
  const member = ctx.text(args[3]);
  const at = ctx.at(call);
  const head = (): Expr => lowerExpr(ctx, args[2], true);
  const next = (of: string): void => ctx.em.emit({ op: 'call', callee: 'list_next_entry', args: [local(of)], dst: n, at });
  if (name === 'list_for_each_entry_safe') ctx.em.emit({ op: 'call', callee: 'list_first_entry', args: [head()], dst: pos, at });
  next(pos);
  const top = new Label();
  const enter = new Label();
  const step = new Label();
  const end = new Label();
  ctx.em.place(top);
  ctx.em.br(bin('==', { k: 'addr', obj: local(pos), field: member }, head()), end, enter);
  ctx.em.place(enter);
  void body;
  lowerBody(end, step);
  ctx.em.place(step);
  ctx.em.emit({ op: 'set', dst: pos, e: local(n), at });
  next(n);
  ctx.em.jmp(top);
  ctx.em.place(end);
  return true;
}
