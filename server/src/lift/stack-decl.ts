/**
 * A local structure the simulator models on the stack (sim/stack-kinds.ts): how its
 * declaration is lowered follows from its row, here and nowhere else.
 *  - per-type: the local holds the CPU's object of that type, `stack_struct(n)`; an
 *    initializer stores its designated fields and zeroes the others, as C does; without
 *    one, the fields keep what they hold (the kernel fills such a structure with an init
 *    call, tlb_gather_mmu()). A scalar local whose address escapes is one too (int_cell).
 *  - per-variable: the local is the symbol of the variable's object, resolved per thread;
 *    its fields start at 0 (an initializer is noted, not kept).
 *  - from-initializer: the object the initializer's key fields name (a primitive call),
 *    then a store of each other designated field but those its identity fixes.
 *  - harness: a declaration whose initializer sets the row's `declared` field is the
 *    thread's own object of that mode (pageout()'s wbc of reclaim); any other is not one.
 */
import type { Expr } from '../sim/program.js';
import { PER_TYPE_STRUCTS, STACK_KINDS, stackFields, stackStructOf, type StackKind } from '../sim/stack-kinds.js';
import { stackSymbol } from '../sim/wait-objects.js';
import type { FnCtx } from './context.js';
import { lowerExpr, local, ZERO } from './expr.js';
import type { Node } from './parser.js';
import { field, kids } from './syntax.js';

/**
 * Lowers the declaration `d` (of the declaration `node`) of local `name` when it is one
 * of the table's structures, or a scalar whose address escapes; false when it is not
 * (the caller lowers it as any other local).
 */
export function lowerStackDeclaration(ctx: FnCtx, node: Node, d: Node, name: string, pointerOrArray: boolean,
  type: Node | undefined, init: Node | undefined): boolean {
  if (pointerOrArray) return false;
  const struct = type ? stackStructOf(ctx.text(type)) : undefined;
  const row = struct !== undefined ? STACK_KINDS[struct] : undefined;
  if (row?.identity.by === 'per-type' && /^\s*(?:const\s+)?struct\s+\w+\s*$/.test(ctx.text(type!))) {
    ctx.vars.set(name, { ...ctx.vars.get(name)!, stack: struct });
    declarePerType(ctx, d, name, struct!, init);
    return true;
  }
  if (ctx.cells.has(name)) {
    ctx.vars.set(name, { ...ctx.vars.get(name)!, stack: 'int_cell' });
    declarePerType(ctx, d, name, 'int_cell', undefined, new Map([['val', init ? lowerExpr(ctx, init, true) : ZERO]]));
    return true;
  }
  if (!row) return false;
  switch (row.identity.by) {
    case 'per-variable':
      if (init) ctx.note(d, `initializer of '${name}' not modeled (its fields start at 0)`);
      ctx.em.emit({ op: 'set', dst: name, e: { k: 'sym', name: stackSymbol(struct!, name) }, at: ctx.at(init ? d : node) });
      return true;
    case 'harness': {
      const decl = row.identity.declared;
      if (!decl || init?.type !== 'initializer_list' || !designated(ctx, init).some(([f, v]) => f === decl.field && ctx.text(v).trim() === String(decl.value))) return false;
      ctx.note(d, `'${name}' is the thread's writeback_control for reclaim (${decl.symbol}: sync_mode WB_SYNC_NONE, nr_to_write SWAP_CLUSTER_MAX, the whole file, for_reclaim); its other initializers are not kept`);
      ctx.em.emit({ op: 'set', dst: name, e: { k: 'sym', name: decl.symbol }, at: ctx.at(d) });
      return true;
    }
    case 'from-initializer':
      return init?.type === 'initializer_list' && fromInitializer(ctx, struct!, row, name, init, d);
    default:
      return false;
  }
}

/** The designated fields of a brace initializer, `.f = e`, in order. */
function designated(ctx: FnCtx, init: Node): [string, Node][] {
  const out: [string, Node][] = [];
  for (const k of kids(init)) {
    if (k.type !== 'initializer_pair') continue;
    const designator = field(k, 'designator') ?? kids(k).find((x) => x.type === 'field_designator');
    const value = field(k, 'value');
    const fname = designator?.type === 'field_designator' ? ctx.text(designator).replace(/^\./, '').trim() : undefined;
    if (fname && value) out.push([fname, value]);
  }
  return out;
}

/** `struct vm_fault vmf = { .vma = vma, .address = ..., ... }`: the object its key fields name, then the other fields. */
function fromInitializer(ctx: FnCtx, tag: string, row: StackKind, name: string, init: Node, at: Node): boolean {
  if (row.identity.by !== 'from-initializer') return false;
  const spec = row.identity;
  const fields = new Map(designated(ctx, init));
  const args: Expr[] = [];
  for (const alternatives of spec.key) {
    const got = alternatives.map((f) => fields.get(f)).find((n) => n !== undefined);
    if (!got) {
      ctx.note(at, `struct ${tag} '${name}': its initializer names none of ${alternatives.join('/')}, which the model needs to know the object (local = 0)`);
      return false;
    }
    args.push(lowerExpr(ctx, got, true));
  }
  ctx.em.emit({ op: 'call', callee: spec.make, args, dst: name, at: ctx.at(at) });
  for (const [fname, value] of fields) {
    if (spec.fixed.has(fname)) continue;
    ctx.em.emit({ op: 'store', obj: local(name), field: fname, e: lowerExpr(ctx, value, true), at: ctx.at(value) });
  }
  return true;
}

/**
 * A per-type structure: the local holds `stack_struct(n)`; the fields an initializer (or
 * a declaring macro, `given`) sets are stored and the others zeroed; with neither, left.
 */
export function declarePerType(ctx: FnCtx, at: Node, name: string, type: string, init: Node | undefined,
  given: ReadonlyMap<string, Expr> = new Map()): void {
  ctx.em.emit({ op: 'call', callee: 'stack_struct', args: [{ k: 'num', v: PER_TYPE_STRUCTS.indexOf(type) }], dst: name, at: ctx.at(at) });
  const fields = new Map(given);
  if (init?.type === 'initializer_list') {
    for (const k of kids(init)) {
      const designator = k.type === 'initializer_pair' ? k.childrenForFieldName('designator') : [];
      const value = k.type === 'initializer_pair' ? field(k, 'value') : undefined;
      const f = designator.length === 1 && designator[0]!.type === 'field_designator' ? kids(designator[0]!)[0] : undefined;
      if (!f || !value) {
        if (!isZeroInitializer(ctx, init)) ctx.note(k, `initializer of '${name}' not a designated field (skipped)`);
        continue;
      }
      fields.set(ctx.text(f), lowerExpr(ctx, value, true));
    }
  } else if (init) {
    ctx.note(init, `initializer of struct ${type} '${name}' not a brace list (fields left as they are)`);
  }
  if (!init && given.size === 0) return;
  const modeled = stackFields(type);
  for (const f of modeled) {
    ctx.em.emit({ op: 'store', obj: { k: 'local', name }, field: f, e: fields.get(f) ?? ZERO, at: ctx.at(at) });
  }
  for (const f of fields.keys()) {
    if (!modeled.includes(f)) ctx.note(at, `field '${f}' of struct ${type} is not modeled (sim/stack-kinds.ts): its initializer is skipped`);
  }
}

/** `= {}`, `= { 0 }` and `= { NULL }`: exactly the 0 a local starts with. */
export function isZeroInitializer(ctx: FnCtx, list: Node): boolean {
  const items = kids(list);
  return items.length === 0 || (items.length === 1 && /^\s*(0|NULL)\s*$/.test(ctx.text(items[0])));
}
