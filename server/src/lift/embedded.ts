/**
 * Structures inside a modeled stack structure (sim/stack-kinds.ts): `iter->iomap.type`
 * and `dio->submit.iter` name one field at a fixed place of the outer object, so they
 * are that object's field "iomap.type", as its row lists it. And a row the kernel
 * kmalloc()s (`allocated`: struct iomap_dio) is the CPU's object of its type when the
 * allocation is stored into a pointer to it.
 */
import { PER_TYPE_STRUCTS, STACK_KINDS } from '../sim/stack-kinds.js';
import type { Expr } from '../sim/program.js';
import type { FnCtx } from './context.js';
import type { Node } from './parser.js';
import { field, operator, stripParens } from './syntax.js';

/** The row a local or parameter names (a structure on the stack, or a pointer to one). */
function rowOf(ctx: FnCtx, node: Node): string | undefined {
  const n = stripParens(node);
  if (n.type !== 'identifier') return undefined;
  const name = ctx.text(n);
  if (!ctx.locals.has(name)) return undefined;
  const v = ctx.vars.get(name);
  const tag = v?.stack ?? v?.tag;
  return tag !== undefined && Object.hasOwn(STACK_KINDS, tag) ? tag : undefined;
}

/**
 * `B->e.f` (or `B.e.f`) where B's row lists the field "e.f": the outer object's node and
 * the dotted field; else undefined.
 */
export function embeddedMember(ctx: FnCtx, node: Node): { objNode: Node; field: string } | undefined {
  const n = stripParens(node);
  if (n.type !== 'field_expression' || operator(n) !== '.') return undefined;
  const inner = field(n, 'argument');
  const f = field(n, 'field');
  const i = inner ? stripParens(inner) : undefined;
  if (!i || !f || i.type !== 'field_expression') return undefined;
  const outer = field(i, 'argument');
  const e = field(i, 'field');
  const row = outer ? rowOf(ctx, outer) : undefined;
  if (!outer || !e || row === undefined) return undefined;
  const fields = STACK_KINDS[row]!.fields;
  const dotted = `${ctx.text(e)}.${ctx.text(f)}`;
  return fields !== 'plain' && fields.includes(dotted) ? { objNode: outer, field: dotted } : undefined;
}

const ALLOCATORS: ReadonlySet<string> = new Set(['kmalloc', 'kzalloc', 'kmem_cache_alloc', 'kmem_cache_zalloc']);

/**
 * `p = kmalloc(...)` where p points to an `allocated` row: the CPU's object of that type
 * (`stack_struct(n)`), else undefined.
 */
export function allocatedObject(ctx: FnCtx, name: string, rhs: Node): Expr | undefined {
  const r = stripParens(rhs);
  const callee = r.type === 'call_expression' ? field(r, 'function') : undefined;
  if (!callee || !ALLOCATORS.has(ctx.text(callee))) return undefined;
  const v = ctx.vars.get(name);
  const tag = v?.pointer ? v.tag : undefined;
  if (tag === undefined || !Object.hasOwn(STACK_KINDS, tag) || !STACK_KINDS[tag]!.allocated) return undefined;
  return { k: 'num', v: PER_TYPE_STRUCTS.indexOf(tag) };
}
