/** Declarators: function names, parameter names, and local declarations. */
import type { FnCtx, VarInfo } from './context.js';
import type { Expr } from '../sim/program.js';
import { batchTypeNamed, intTypeNamed } from './types.js';
import { lowerExpr, ZERO } from './expr.js';
import type { Node } from './parser.js';
import { field, kids, sourceOf } from './syntax.js';
import { waitStructOf } from '../sim/wait-objects.js';
import { isZeroInitializer, lowerStackDeclaration } from './stack-decl.js';

export interface Declared {
  name: string;
  /** A function prototype (`int f(void)`), not an object or a function pointer. */
  isFunction: boolean;
  isArray: boolean;
  isPointer: boolean;
  /** how many `*` (and parameter `[]`) stand before the name: 2 for `struct page **pages` */
  depth: number;
}

/** The name a declarator declares: through pointers, arrays, parentheses, attributes. */
export function declared(src: string, node: Node | undefined): Declared | undefined {
  let n = node;
  let isFunction = false;
  let isArray = false;
  let isPointer = false;
  let depth = 0;
  for (let i = 0; n && i < 100; i++) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: sourceOf(src, n), isFunction, isArray, isPointer, depth };
      case 'function_declarator': {
        const inner = field(n, 'declarator');
        // `(*fp)(int)` is a pointer to a function: an object, not a prototype.
        isFunction = inner?.type !== 'parenthesized_declarator';
        n = inner;
        break;
      }
      case 'array_declarator':
        isArray = true;
        depth++;
        n = field(n, 'declarator');
        break;
      case 'pointer_declarator':
        isPointer = true;
        depth++;
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
    ...(got.depth > 1 ? { pointerToPointer: true } : {}),
    array: got.isArray,
    // `struct page **pages`, `struct page *pages[]`: the caller's array of pointers, which the callee may fill
    ...(param && got.depth >= 2 && !scalar ? { outArray: true } : {}),
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
    const info = varInfo(type ? ctx.text(type) : '', got, false);
    const before = ctx.vars.get(got.name);
    if (before && before.tag !== info.tag) ctx.retyped.add(got.name);
    ctx.vars.set(got.name, info);
    // a structure the simulator models on the stack, one path for every kind (lift/stack-decl.ts)
    if (lowerStackDeclaration(ctx, node, d, got.name, got.isPointer || got.isArray, type ?? undefined, init)) continue;
    let e: Expr = ZERO;
    if (ctx.isLocalArray(got.name)) {
      // A local array or batch is a value of its elements: none yet, or the initializer's.
      const items = init?.type === 'initializer_list' && !isZeroInitializer(ctx, init)
        ? kids(init).map((k) => (k.type === 'initializer_pair' || k.type === 'initializer_list' ? undefined : k)) : [];
      if (items.some((k) => k === undefined)) ctx.note(d, `designated or nested initializer for '${got.name}' not modeled (empty array)`);
      e = { k: 'arr', items: items.every((k) => k) ? items.map((k) => lowerExpr(ctx, k!, true)) : [] };
      if (init && init.type !== 'initializer_list') ctx.note(d, `initializer of array '${got.name}' not understood (empty array)`);
    } else if (init?.type === 'initializer_list') {
      // `= {}` and `= { 0 }` are exactly the 0 a local starts with here.
      if (!isZeroInitializer(ctx, init)) ctx.note(d, `initializer list for '${got.name}' not modeled (local = 0)`);
    } else if (init) {
      e = lowerExpr(ctx, init, true);
    }
    ctx.em.emit({ op: 'set', dst: got.name, e, at: ctx.at(init ? d : node) });
  }
}
