/**
 * `vmf->orig_pte = *vmf->pte;` (6.1's handle_pte_fault): a pte_t read through a PTE
 * pointer. Elsewhere `*p` reads as p (pointers to modeled objects are the objects), and
 * the PTE primitives read the word behind a pointer argument when they run; but a field
 * that holds a pte_t value keeps it for later comparison (pte_same(*vmf->pte,
 * vmf->orig_pte) under the PTE lock), so the read must happen here: it is lowered as
 * ptep_get(p), READ_ONCE(*ptep), which is what later releases write.
 */
import type { Expr } from '../sim/program.js';
import type { FnCtx } from './context.js';
import { local, lowerExpr } from './expr.js';
import type { Node } from './parser.js';
import { field, operator, stripParens } from './syntax.js';

/** Fields of type pte_t (struct vm_fault). */
const PTE_VALUE_FIELDS: ReadonlySet<string> = new Set(['orig_pte']);

/** The read of the PTE word when `lhs = rhs` stores `*ptep` into a pte_t field; undefined otherwise. */
export function pteWordRead(ctx: FnCtx, lhs: Node, rhs: Node, at: Node): Expr | undefined {
  if (lhs.type !== 'field_expression') return undefined;
  const f = field(lhs, 'field');
  if (!f || !PTE_VALUE_FIELDS.has(ctx.text(f))) return undefined;
  const r = stripParens(rhs);
  if (r.type !== 'pointer_expression' || operator(r) !== '*') return undefined;
  const ptr = field(r, 'argument');
  if (!ptr) return undefined;
  const dst = ctx.temp();
  ctx.em.emit({ op: 'call', callee: 'ptep_get', args: [lowerExpr(ctx, ptr, true)], dst, at: ctx.at(at) });
  return local(dst);
}
