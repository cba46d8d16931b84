/** Declarators: function names, parameter names, and local declarations. */
import type { FnCtx } from './context.js';
import { lowerExpr, ZERO } from './expr.js';
import type { Node } from './parser.js';
import { field, kids, sourceOf } from './syntax.js';

export interface Declared {
  name: string;
  /** A function prototype (`int f(void)`), not an object or a function pointer. */
  isFunction: boolean;
  isArray: boolean;
}

/** The name a declarator declares: through pointers, arrays, parentheses, attributes. */
export function declared(src: string, node: Node | undefined): Declared | undefined {
  let n = node;
  let isFunction = false;
  let isArray = false;
  for (let i = 0; n && i < 100; i++) {
    switch (n.type) {
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        return { name: sourceOf(src, n), isFunction, isArray };
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

/** Parameter names in order; unnamed parameters get `$argN` so positions still line up. */
export function parameterNames(src: string, fnDecl: Node): string[] {
  const list = field(fnDecl, 'parameters');
  if (!list) return [];
  const names: string[] = [];
  for (const p of kids(list)) {
    if (p.type === 'identifier') {
      names.push(sourceOf(src, p)); // K&R style
    } else if (p.type === 'parameter_declaration') {
      const d = field(p, 'declarator');
      const got = declared(src, d);
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
    let e = ZERO;
    if (init?.type === 'initializer_list') {
      // `= {}` and `= { 0 }` are exactly the 0 a local starts with here.
      if (!isZeroInitializer(ctx, init)) ctx.note(d, `initializer list for '${got.name}' not modeled (local = 0)`);
    } else if (init) {
      e = lowerExpr(ctx, init, true);
    }
    ctx.em.emit({ op: 'set', dst: got.name, e, at: ctx.at(init ? d : node) });
  }
}

function isZeroInitializer(ctx: FnCtx, list: Node): boolean {
  const items = kids(list);
  return items.length === 0 || (items.length === 1 && /^\s*0\s*$/.test(ctx.text(items[0])));
}
