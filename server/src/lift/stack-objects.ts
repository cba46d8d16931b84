/**
 * Structures a kernel function builds on its own stack with a designated initializer,
 * whose identity the simulator models: `struct vm_fault vmf = { .vma = vma, .address =
 * address & PAGE_MASK, ... }` in __handle_mm_fault(). Such a local becomes the modeled
 * object that the initializer's key fields name (a primitive call, which knows the
 * object from them), and each other designated field is a store into it; the fields the
 * object fixes by its identity (vm-fault.ts vmfField) are not stored, since they follow
 * from the key. Which structures, which primitive and which fields are data, here.
 */
import type { Expr } from '../sim/program.js';
import type { FnCtx } from './context.js';
import { lowerExpr, local } from './expr.js';
import type { Node } from './parser.js';
import { field, kids } from './syntax.js';

interface StackObject {
  /** the primitive that names the object from the key fields' values */
  make: string;
  /** the designated fields passed to it, in order; the first that the initializer has of each alternative */
  key: readonly (readonly string[])[];
  /** fields the object's identity fixes: not stored */
  fixed: ReadonlySet<string>;
}

const STACK_OBJECTS: Readonly<Record<string, StackObject>> = {
  vm_fault: {
    make: 'vm_fault_on_stack',
    key: [['vma'], ['real_address', 'address']],
    fixed: new Set(['vma', 'address', 'real_address', 'pgoff', 'gfp_mask']),
  },
};

/** The structure tag of a declaration's type (`struct vm_fault` → "vm_fault"), if it is one. */
function structTag(ctx: FnCtx, type: Node | undefined): string | undefined {
  if (!type || type.type !== 'struct_specifier') return undefined;
  const name = field(type, 'name');
  return name ? ctx.text(name) : undefined;
}

/**
 * Lowers `struct T v = { .f = e, ... }` for a T of the table; false when the
 * declaration is not one (the caller lowers it as any other).
 */
export function lowerStackObject(ctx: FnCtx, name: string, type: Node | undefined, init: Node | undefined, at: Node): boolean {
  const tag = structTag(ctx, type);
  const spec = tag !== undefined ? STACK_OBJECTS[tag] : undefined;
  if (!spec || !init || init.type !== 'initializer_list') return false;
  const fields = new Map<string, Node>();
  for (const k of kids(init)) {
    if (k.type !== 'initializer_pair') continue;
    const designator = field(k, 'designator') ?? kids(k).find((x) => x.type === 'field_designator');
    const value = field(k, 'value');
    const fname = designator?.type === 'field_designator' ? ctx.text(designator).replace(/^\./, '').trim() : undefined;
    if (fname && value) fields.set(fname, value);
  }
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
