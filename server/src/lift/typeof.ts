/**
 * The integer type of a C expression, read off the syntax tree: declared types of
 * locals and parameters, casts, literal suffixes, and the tables of types.ts. Only
 * signedness decisions use it (is `index < end` an unsigned comparison?), so an
 * expression whose type is not known counts as int, as most such expressions are.
 */
import type { BinaryOp } from '../sim/program.js';
import type { FnCtx } from './context.js';
import { isPassThrough } from './macros.js';
import { parseNumber } from './literals.js';
import type { Node } from './parser.js';
import { field, kids, operator, stripParens } from './syntax.js';
import { commonType, fieldType, intTypeNamed, literalType, macroType, promote, returnType, type IntType } from './types.js';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '&', '|', '^']);
/** The operations whose result depends on the operands' signedness. */
const SIGNED_SENSITIVE: ReadonlySet<string> = new Set(['<', '<=', '>', '>=', '/', '%', '>>']);

export function typeOf(ctx: FnCtx, node: Node, depth = 0): IntType | undefined {
  if (depth > 40) return undefined;
  const n = stripParens(node);
  const d = depth + 1;
  switch (n.type) {
    case 'identifier': {
      const name = ctx.text(n);
      const v = ctx.vars.get(name);
      return v ? v.int : macroType(name);
    }
    case 'number_literal': {
      const p = parseNumber(ctx.text(n));
      return p?.integral ? literalType(ctx.text(n), p.v) : undefined;
    }
    case 'char_literal': return promote({ bits: 8, unsigned: false, rank: 1 });
    case 'cast_expression': {
      const ty = field(n, 'type');
      if (!ty) return undefined;
      const text = ctx.text(ty);
      return text.includes('*') ? undefined : intTypeNamed(text);
    }
    case 'call_expression': {
      const fn = field(n, 'function');
      if (!fn || fn.type !== 'identifier') return undefined;
      const name = ctx.text(fn);
      if (isPassThrough(name)) {
        const args = field(n, 'arguments');
        const first = args ? kids(args)[0] : undefined;
        return first ? typeOf(ctx, first, d) : undefined;
      }
      return returnType(name);
    }
    case 'field_expression': {
      const f = field(n, 'field');
      const obj = field(n, 'argument');
      if (!f) return undefined;
      const name = ctx.text(f);
      const base = obj ? stripParens(obj) : undefined;
      const batch = base?.type === 'identifier' ? ctx.vars.get(ctx.text(base))?.batch : undefined;
      if (batch && name === batch.count) return returnType(batch.countFn);
      return fieldType(name);
    }
    case 'subscript_expression': {
      const a = field(n, 'argument');
      const base = a ? stripParens(a) : undefined;
      return base?.type === 'identifier' ? ctx.vars.get(ctx.text(base))?.elem : undefined;
    }
    case 'binary_expression': {
      const op = operator(n);
      const l = field(n, 'left');
      const r = field(n, 'right');
      if (!l || !r) return undefined;
      if (ARITHMETIC.has(op)) return commonType(typeOf(ctx, l, d), typeOf(ctx, r, d));
      if (op === '<<' || op === '>>') return promote(typeOf(ctx, l, d) ?? INT_TYPE);
      return INT_TYPE; // comparisons and logical operators give int
    }
    case 'unary_expression': {
      const a = field(n, 'argument');
      if (operator(n) === '!' || !a) return INT_TYPE;
      const t = typeOf(ctx, a, d);
      return t ? promote(t) : undefined;
    }
    case 'conditional_expression': {
      const a = field(n, 'consequence') ?? field(n, 'condition');
      const b = field(n, 'alternative');
      return a && b ? commonType(typeOf(ctx, a, d), typeOf(ctx, b, d)) : undefined;
    }
    case 'assignment_expression': {
      const l = field(n, 'left');
      return l ? typeOf(ctx, l, d) : undefined;
    }
    case 'update_expression': {
      const a = field(n, 'argument');
      return a ? typeOf(ctx, a, d) : undefined;
    }
    case 'comma_expression': {
      const r = field(n, 'right');
      return r ? typeOf(ctx, r, d) : undefined;
    }
    case 'sizeof_expression':
    case 'alignof_expression':
      return intTypeNamed('size_t');
    default:
      return undefined;
  }
}

const INT_TYPE: IntType = { bits: 32, unsigned: false, rank: 3 };

/**
 * Whether `l op r` works on unsigned operands in C (after the usual arithmetic
 * conversions; a shift takes the promoted type of its left operand).
 */
export function isUnsignedOp(ctx: FnCtx, op: BinaryOp, l: Node, r: Node): boolean {
  if (!SIGNED_SENSITIVE.has(op)) return false;
  if (op === '>>') return typeOf(ctx, l)?.unsigned === true && promote(typeOf(ctx, l)!).unsigned;
  const a = typeOf(ctx, l);
  const b = typeOf(ctx, r);
  if (!a?.unsigned && !b?.unsigned) return false;
  return commonType(a, b).unsigned;
}
