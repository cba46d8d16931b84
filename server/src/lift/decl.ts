/** Declarators: function names, parameter names, and local declarations. */
import type { FnCtx, VarInfo } from './context.js';
import type { Expr } from '../sim/program.js';
import { batchTypeNamed, intTypeNamed } from './types.js';
import { lowerExpr, ZERO } from './expr.js';
import type { Node } from './parser.js';
import { field, kids, sourceOf } from './syntax.js';
import { stackSymbol, waitStructOf } from '../sim/wait-objects.js';
import { STACK_STRUCTS, stackStructOfType } from '../sim/stack-structs.js';
import { lowerStackObject } from './stack-objects.js';

export interface Declared {
  name: string;
  /** A function prototype (`int f(void)`), not an object or a function pointer. */
  isFunction: boolean;
  isArray: boolean;
  isPointer: boolean;
  /** `struct page **pages`: a pointer to pointers (its elements are pointers, not objects) */
  isPointerToPointer?: boolean;
}

/** The name a declarator declares: through pointers, arrays, parentheses, attributes. */
export function declared(src: string, node: Node | undefined): Declared | undefined {
  let n = node;
  let isFunction = false;
  let isArray = false;
  let isPointer = false;
  let pointers = 0;
  for (let i = 0; n && i < 100; i++) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: sourceOf(src, n), isFunction, isArray, isPointer, ...(pointers > 1 ? { isPointerToPointer: true } : {}) };
      case 'function_declarator': {
        const inner = field(n, 'declarator');
        // `(*fp)(int)` is a pointer to a function: an object, not a prototype.
        isFunction = inner?.type !== 'parenthesized_declarator';
        n = inner;
        break;
      }
      case 'array_declarator':
        isArray = true;
        n = field(n, 'declarator');
        break;
      case 'pointer_declarator':
        isPointer = true;
        pointers++;
        n = field(n, 'declarator') ?? kids(n).find((k) => k.type !== 'attribute_declaration');
        break;
      case 'init_declarator':
      case 'attributed_declarator':
        n = field(n, 'declarator') ?? kids(n).find((k) => k.type !== 'attribute_declaration');
        break;
      case 'parenthesized_declarator':
        n = kids(n).find((k) => k.type !== 'ms_call_modifier');
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}

/** The function_declarator of a function definition's declarator. */
export function functionDeclarator(node: Node | undefined): Node | undefined {
  let n = node;
  for (let i = 0; n && i < 100; i++) {
    if (n.type === 'function_declarator') {
      const inner = field(n, 'declarator');
      // `int (*f(void))(int)`: f returns a function pointer; f's own declarator is inside.
      if (inner?.type === 'parenthesized_declarator') {
        const deeper = functionDeclarator(kids(inner)[0]);
        if (deeper) return deeper;
      }
      return n;
    }
    n = n.type === 'parenthesized_declarator' ? kids(n)[0] : field(n, 'declarator');
  }
  return undefined;
}

/** What a declaration with this type specifier and declarator says about the name. */
export function varInfo(typeText: string, got: Declared, param: boolean): VarInfo {
  const scalar = intTypeNamed(typeText);
  const batch = batchTypeNamed(typeText);
  const struct = waitStructOf(typeText);
  return {
    ...(struct ? { struct } : {}),
    ...(!got.isPointer && !got.isArray && scalar ? { int: scalar } : {}),
    ...(got.isPointer !== got.isArray && scalar ? { elem: scalar } : {}),
    ...(batch && !got.isArray ? { batch } : {}),
    ...(/\bstruct\s+(\w+)/.exec(typeText) ? { tag: /\bstruct\s+(\w+)/.exec(typeText)![1] } : {}),
    pointer: got.isPointer,
    ...(got.isPointerToPointer ? { pointerToPointer: true } : {}),
    array: got.isArray,
    param,
  };
}

/**
 * Parameter names in order; unnamed parameters get `$argN` so positions still line up.
 * `vars`, when given, receives what each parameter's declaration says.
 */
export function parameterNames(src: string, fnDecl: Node, vars?: Map<string, VarInfo>): string[] {
  const list = field(fnDecl, 'parameters');
  if (!list) return [];
  const names: string[] = [];
  for (const p of kids(list)) {
    if (p.type === 'identifier') {
      names.push(sourceOf(src, p)); // K&R style
    } else if (p.type === 'parameter_declaration') {
      const d = field(p, 'declarator');
      const got = declared(src, d);
      const type = field(p, 'type');
      if (got && vars && type) vars.set(got.name, varInfo(sourceOf(src, type), got, true));
      if (got) names.push(got.name);
      else if (!d && /^\s*void\s*$/.test(sourceOf(src, p))) continue; // f(void)
      else names.push(`$arg${names.length}`);
    }
  }
  return names;
}

/**
 * A declaration inside a body. Each declared object becomes a local; its initializer
 * is a `set`, and an uninitialized local is set to 0 so every read has a defined
 * value. Brace initializers (`struct writeback_control wbc = { ... }`) cannot be
 * represented: noted, local = 0.
 */
export function lowerDeclaration(ctx: FnCtx, node: Node): void {
  const isStatic = kids(node).some((k) => k.type === 'storage_class_specifier' && ctx.text(k) === 'static');
  const isExtern = kids(node).some((k) => k.type === 'storage_class_specifier' && ctx.text(k) === 'extern');
  for (const d of node.childrenForFieldName('declarator')) {
    const got = declared(ctx.src, d);
    if (!got) {
      ctx.unparsed(d);
      continue;
    }
    if (got.isFunction || isExtern) continue;
    if (isStatic) ctx.note(d, `static local '${got.name}' treated as automatic`);
    const init = d.type === 'init_declarator' ? field(d, 'value') : undefined;
    // In C the name is in scope from its declarator on, including its initializer.
    ctx.locals.add(got.name);
    const type = field(node, 'type');
    ctx.vars.set(got.name, varInfo(type ? ctx.text(type) : '', got, false));
    const stack = !got.isPointer && !got.isArray && type ? stackStructOfType(ctx.text(type)) : undefined;
    if (stack) {
      ctx.vars.set(got.name, { ...ctx.vars.get(got.name)!, stack });
      declareStackStruct(ctx, d, got.name, stack, init);
      continue;
    }
    if (ctx.cells.has(got.name) && !got.isPointer && !got.isArray) {
      ctx.vars.set(got.name, { ...ctx.vars.get(got.name)!, stack: 'int_cell' });
      declareStackStruct(ctx, d, got.name, 'int_cell', undefined, new Map([['val', init ? lowerExpr(ctx, init, true) : ZERO]]));
      continue;
    }
    let e: Expr = ZERO;
    if (ctx.isLocalArray(got.name)) {
      // A local array or batch is a value of its elements: none yet, or the initializer's.
      const items = init?.type === 'initializer_list' && !isZeroInitializer(ctx, init)
        ? kids(init).map((k) => (k.type === 'initializer_pair' || k.type === 'initializer_list' ? undefined : k)) : [];
      if (items.some((k) => k === undefined)) ctx.note(d, `designated or nested initializer for '${got.name}' not modeled (empty array)`);
      e = { k: 'arr', items: items.every((k) => k) ? items.map((k) => lowerExpr(ctx, k!, true)) : [] };
      if (init && init.type !== 'initializer_list') ctx.note(d, `initializer of array '${got.name}' not understood (empty array)`);
    } else if (ctx.vars.get(got.name)?.struct && !got.isPointer && !got.isArray) {
      // a wait-queue struct on the stack: an object of the running thread (sim/wait-objects.ts)
      if (init) ctx.note(d, `initializer of '${got.name}' not modeled (its fields start at 0)`);
      e = { k: 'sym', name: stackSymbol(ctx.vars.get(got.name)!.struct!, got.name) };
    } else if (init?.type === 'initializer_list' && reclaimWbc(ctx, type, got, init)) {
      // pageout()'s on-stack wbc: the thread's own writeback_control of reclaim (sim/objects.ts WBC_FIELDS.reclaim)
      e = { k: 'sym', name: 'WBC_RECLAIM' };
      ctx.note(d, `'${got.name}' is the thread's writeback_control for reclaim (WBC_RECLAIM: sync_mode WB_SYNC_NONE, nr_to_write SWAP_CLUSTER_MAX, the whole file, for_reclaim); its other initializers are not kept`);
    } else if (init?.type === 'initializer_list' && lowerStackObject(ctx, got.name, type ?? undefined, init, d)) {
      continue;
    } else if (init?.type === 'initializer_list') {
      // `= {}` and `= { 0 }` are exactly the 0 a local starts with here.
      if (!isZeroInitializer(ctx, init)) ctx.note(d, `initializer list for '${got.name}' not modeled (local = 0)`);
    } else if (init) {
      e = lowerExpr(ctx, init, true);
    }
    ctx.em.emit({ op: 'set', dst: got.name, e, at: ctx.at(init ? d : node) });
  }
}

/** `struct writeback_control wbc = { ..., .for_reclaim = 1, ... }` (pageout()): a wbc of reclaim by value. */
function reclaimWbc(ctx: FnCtx, type: Node | undefined, got: Declared, init: Node): boolean {
  if (!type || got.isPointer || got.isArray || !/\bstruct\s+writeback_control\b/.test(ctx.text(type))) return false;
  return kids(init).some((k) => k.type === 'initializer_pair' && /^\s*\.for_reclaim\s*=\s*1\s*$/.test(ctx.text(k)));
}

/**
 * A local structure of the stack kinds (sim/stack-structs.ts): the local holds the
 * CPU's stack object of that type, `stack_struct(n)`; an initializer stores its
 * designated fields and zeroes the others, as C does; without one, the fields keep what
 * they hold (the kernel fills such a structure with an init call, tlb_gather_mmu()).
 */
export function declareStackStruct(ctx: FnCtx, at: Node, name: string, type: string, init: Node | undefined,
  given: ReadonlyMap<string, Expr> = new Map()): void {
  ctx.em.emit({ op: 'call', callee: 'stack_struct', args: [{ k: 'num', v: Object.keys(STACK_STRUCTS).indexOf(type) }], dst: name, at: ctx.at(at) });
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
  for (const f of STACK_STRUCTS[type]!) {
    ctx.em.emit({ op: 'store', obj: { k: 'local', name }, field: f, e: fields.get(f) ?? ZERO, at: ctx.at(at) });
  }
  for (const f of fields.keys()) {
    if (!STACK_STRUCTS[type]!.includes(f)) ctx.note(at, `field '${f}' of struct ${type} is not modeled (sim/stack-structs.ts): its initializer is skipped`);
  }
}

function isZeroInitializer(ctx: FnCtx, list: Node): boolean {
  const items = kids(list);
  return items.length === 0 || (items.length === 1 && /^\s*0\s*$/.test(ctx.text(items[0])));
}
