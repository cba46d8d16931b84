/**
 * Expression lowering. Each C expression becomes a pure `Expr`; whatever it does
 * besides computing a value (calls, loads of mutable fields, assignments) is emitted
 * as instructions first, in C's left-to-right evaluation order, with results held in
 * temporaries `$t0`, `$t1`, ...
 *
 * `want` says whether the value is used. When it is not, calls get no destination,
 * post-increments no temporary, and reads of mutable fields are dropped.
 */
import { embeddedMember } from './embedded.js';
import type { BinaryOp, Expr } from '../sim/program.js';
import { isMutableField } from '../sim/fields.js';
import { ARRAY_FIELD_STRUCTS } from '../sim/stack-kinds.js';
import { primitives } from '../sim/ops/index.js';
import { lowerAssign, lowerUpdate } from './assign.js';
import { lowerCall } from './calls.js';
import type { FnCtx } from './context.js';
import { Label } from './emitter.js';
import { parseChar, parseNumber } from './literals.js';
import type { Node } from './parser.js';
import { field, kids, operator, stripParens } from './syntax.js';
import { isUnsignedOp } from './typeof.js';
import type { BatchType } from './types.js';

export const ZERO: Expr = { k: 'num', v: 0 };

export function num(v: number): Expr {
  return { k: 'num', v };
}

export function local(name: string): Expr {
  return { k: 'local', name };
}

export function bin(op: BinaryOp, a: Expr, b: Expr, unsigned = false): Expr {
  return unsigned ? { k: 'bin', op, a, b, unsigned: true } : { k: 'bin', op, a, b };
}

const BINARY_OPS: ReadonlySet<string> = new Set<BinaryOp>([
  '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '==', '!=', '<', '<=', '>', '>=', '&&', '||',
]);

export function isBinaryOp(op: string): op is BinaryOp {
  return BINARY_OPS.has(op);
}

export function lowerExpr(ctx: FnCtx, node: Node, want = true): Expr {
  return ctx.nested(node, ZERO, () => lowerAny(ctx, node, want));
}

function lowerAny(ctx: FnCtx, node: Node, want: boolean): Expr {
  switch (node.type) {
    case 'parenthesized_expression': return parens(ctx, node, want);
    case 'identifier': return identifier(ctx, node);
    case 'null': return { k: 'null' };
    case 'true': return num(1);
    case 'false': return num(0);
    case 'number_literal': return numberLiteral(ctx, node);
    case 'char_literal': return charLiteral(ctx, node);
    case 'string_literal':
    case 'concatenated_string': return stringLiteral(ctx, node, want);
    case 'field_expression': return readField(ctx, node, want);
    case 'pointer_expression': return operator(node) === '&' ? addressOf(ctx, node) : deref(ctx, node, want);
    case 'unary_expression': return unary(ctx, node, want);
    case 'binary_expression': return binary(ctx, node, want);
    case 'conditional_expression': return conditional(ctx, node, want);
    case 'comma_expression': return comma(ctx, node, want);
    case 'assignment_expression': return lowerAssign(ctx, node, want);
    case 'update_expression': return lowerUpdate(ctx, node, want);
    case 'call_expression': return lowerCall(ctx, node, want);
    case 'cast_expression': {
      const v = field(node, 'value');
      return v ? lowerExpr(ctx, v, want) : ZERO;
    }
    case 'extension_expression': {
      const [inner] = kids(node);
      return inner ? lowerExpr(ctx, inner, want) : ZERO;
    }
    case 'sizeof_expression':
    case 'alignof_expression':
      // Sizes only feed memset/kmalloc-style calls here; no layout is modeled.
      ctx.note(node, `${node.type === 'sizeof_expression' ? 'sizeof' : 'alignof'} taken as 8`, { onceKey: 'sizeof' });
      return num(8);
    case 'offsetof_expression':
      ctx.note(node, 'offsetof taken as 0', { onceKey: 'offsetof' });
      return ZERO;
    case 'subscript_expression': return subscript(ctx, node);
    case 'compound_literal_expression':
      ctx.note(node, 'compound literal not supported (taken as 0)');
      return ZERO;
    case 'gnu_asm_expression':
      ctx.note(node, 'inline asm not supported (skipped)');
      return ZERO;
    case 'generic_expression':
      ctx.note(node, '_Generic not supported (taken as 0)');
      return ZERO;
    case 'initializer_list':
      ctx.note(node, 'initializer list used as a value (taken as 0)');
      return ZERO;
    case 'ERROR':
      ctx.unparsed(node);
      return ZERO;
    default:
      ctx.note(node, `unsupported expression '${node.type}' (taken as 0)`);
      return ZERO;
  }
}

function identifier(ctx: FnCtx, node: Node): Expr {
  const name = ctx.text(node);
  if (ctx.locals.has(name) && ctx.vars.get(name)?.stack === 'int_cell') {
    // a local whose address is stored lives in its stack cell: read it there
    const dst = ctx.temp();
    ctx.em.emit({ op: 'load', dst, obj: local(name), field: 'val', at: ctx.at(node) });
    return local(dst);
  }
  if (ctx.locals.has(name)) return local(name);
  // Older grammars and odd macro contexts leave these as plain identifiers.
  if (name === 'NULL' || name === 'nullptr') return { k: 'null' };
  if (name === 'true') return num(1);
  if (name === 'false') return num(0);
  // its place, for the assumption a run reports when the name means nothing to it
  const { line, column } = ctx.at(node);
  return { k: 'sym', name, at: { line, ...(column !== undefined ? { column } : {}) } };
}

function numberLiteral(ctx: FnCtx, node: Node): Expr {
  const p = parseNumber(ctx.text(node));
  if (!p) {
    ctx.note(node, `number '${ctx.text(node)}' not understood (taken as 0)`);
    return ZERO;
  }
  if (!p.integral) ctx.note(node, `floating literal '${ctx.text(node)}' truncated to ${p.v}`);
  return num(p.v);
}

function charLiteral(ctx: FnCtx, node: Node): Expr {
  const v = parseChar(ctx.text(node));
  if (v === undefined) {
    ctx.note(node, `character literal ${ctx.text(node)} not understood (taken as 0)`);
    return ZERO;
  }
  return num(v);
}

function stringLiteral(ctx: FnCtx, node: Node, want: boolean): Expr {
  // Format strings of printk & co. are arguments and mean nothing to the model.
  if (want && ctx.inArgs === 0) ctx.note(node, 'string literal used as a value (taken as 0)');
  return ZERO;
}

function parens(ctx: FnCtx, node: Node, want: boolean): Expr {
  const inner = kids(node);
  if (inner.length === 0) return ZERO;
  if (inner[0].type === 'compound_statement') {
    ctx.note(node, 'statement expression ({ ... }) not supported (skipped, taken as 0)');
    return ZERO;
  }
  if (inner[0].type === 'preproc_defined') return ZERO;
  if (inner.length > 1) {
    for (const k of inner) if (k.type === 'ERROR') ctx.unparsed(k);
  }
  return lowerExpr(ctx, inner[0], want);
}

function comma(ctx: FnCtx, node: Node, want: boolean): Expr {
  const l = field(node, 'left');
  const r = field(node, 'right');
  if (l) lowerExpr(ctx, l, false);
  return r ? lowerExpr(ctx, r, want) : ZERO;
}

/**
 * `a->f` / `a.f`: a mutable field (page->mapping, page->flags, ...) is read by a
 * `load` step into a temporary; any other field is a pure `field` Expr.
 */
function readField(ctx: FnCtx, node: Node, want: boolean): Expr {
  const embedded = embeddedMember(ctx, node);
  const objNode = embedded?.objNode ?? field(node, 'argument');
  const f = field(node, 'field');
  if (!objNode || !f) {
    ctx.unparsed(node);
    return ZERO;
  }
  const name = embedded?.field ?? ctx.text(f);
  const batch = batchOf(ctx, objNode);
  if (batch) {
    // a batch is held as the array of its items; its count is read by its count helper
    if (name === batch.type.items) return local(batch.name);
    if (name === batch.type.count) {
      if (!want) return ZERO;
      const dst = ctx.temp();
      ctx.em.emit({ op: 'call', callee: batch.type.countFn, args: [local(batch.name)], dst, at: ctx.at(node) });
      return local(dst);
    }
    ctx.note(node, `member '${name}' of batch '${batch.name}' not modeled (taken as 0)`);
    return ZERO;
  }
  const obj = lowerExpr(ctx, objNode, true);
  const struct = structOf(ctx, objNode);
  // `current->mm` changes while the task runs (it takes on an address space: use_mm,
  // sim/ops/gup.ts), so its read is a step even where no code the run reaches stores ->mm
  const bare = stripParens(objNode);
  const currentMm = name === 'mm' && bare.type === 'identifier' && ctx.text(bare) === 'current';
  if (!isMutableField(name) && !currentMm) {
    const { line, column } = ctx.at(f);
    return { k: 'field', obj, field: name, at: { line, ...(column !== undefined ? { column } : {}) }, ...struct };
  }
  if (!want) return ZERO;
  const dst = ctx.temp();
  ctx.em.emit({ op: 'load', dst, obj, field: name, at: ctx.at(node), ...struct });
  return local(dst);
}

/**
 * `&a->f` is the embedded object's address (`addr`). `&local` is the local's value:
 * locals hold object references already (`&wbc` passes the wbc), but a callee's
 * writes through such a pointer are not seen, so it is noted.
 */
function addressOf(ctx: FnCtx, node: Node): Expr {
  const argNode = field(node, 'argument');
  if (!argNode) return ZERO;
  const arg = stripParens(argNode);
  switch (arg.type) {
    case 'field_expression': {
      const objNode = field(arg, 'argument');
      const f = field(arg, 'field');
      if (!objNode || !f) break;
      const { tag } = structOf(ctx, objNode);
      return { k: 'addr', obj: lowerExpr(ctx, objNode, true), field: ctx.text(f), ...(tag ? { tag } : {}) };
    }
    case 'identifier': {
      const name = ctx.text(arg);
      // a structure on the stack, or a local kept in a stack cell: the local holds its address
      if (ctx.locals.has(name) && ctx.vars.get(name)?.stack) return local(name);
      if (ctx.locals.has(name)) {
        // A local array or batch is passed to be filled (primitives write it through
        // the reference); the address of a scalar is passed as its value.
        // a primitive (a gang lookup's `&index`) writes it back; anything else cannot
        // a wait-queue struct on the stack is an object: the callee reaches its fields
        const stackObject = ctx.vars.get(name)?.struct !== undefined && !ctx.vars.get(name)!.pointer;
        if (!stackObject && !ctx.isLocalArray(name) && !ctx.listHeads.has(name) && !(ctx.argsOf !== undefined && writesBack(ctx.argsOf))) {
          const to = ctx.argsOf ? ` to ${ctx.argsOf}()` : '';
          ctx.note(node, `address of local '${name}' passed${to} as its value: what the callee writes through it is kept only when it is a primitive or a lifted function writing a scalar (*p = v)`,
            { onceKey: `addr:${name}` });
        }
        return { k: 'ref', name };
      }
      // A global object or a function: the simulator resolves the name.
      return { k: 'sym', name };
    }
    case 'pointer_expression':
      if (operator(arg) === '*') {
        const inner = field(arg, 'argument');
        return inner ? lowerExpr(ctx, inner, true) : ZERO;
      }
      break;
    case 'subscript_expression':
      return subscript(ctx, arg);
    default:
      break;
  }
  ctx.note(node, `address of '${ctx.text(arg).slice(0, 40)}' not modeled (taken as its value)`);
  return lowerExpr(ctx, arg, true);
}

/** `*p` reads as p: pointers to modeled objects are the objects themselves. */
function deref(ctx: FnCtx, node: Node, want: boolean): Expr {
  const argNode = field(node, 'argument');
  // a scalar pointer parameter holds its caller's value (value-result, see assign.ts): exact
  const arg = argNode ? stripParens(argNode) : undefined;
  const v = arg?.type === 'identifier' ? ctx.vars.get(ctx.text(arg)) : undefined;
  const scalarParam = !!v && v.param && v.pointer && v.elem !== undefined && !v.batch;
  if (!scalarParam) ctx.note(node, 'pointer dereference *p read as p', { onceKey: 'deref' });
  return argNode ? lowerExpr(ctx, argNode, want) : ZERO;
}

/**
 * `{ struct }` when `node` is a local or parameter of a wait-queue struct type
 * (sim/wait-objects.ts), for the field's class; `{ tag }` when it is one of any struct
 * type (or a pointer to one), the struct whose field the access is (program.ts StructTag).
 */
export function structOf(ctx: FnCtx, node: Node): { struct?: string; tag?: string } {
  const n = stripParens(node);
  const v = n.type === 'identifier' && ctx.locals.has(ctx.text(n)) ? ctx.vars.get(ctx.text(n)) : undefined;
  const tag = v?.tag !== undefined && !ctx.retyped.has(ctx.text(n)) ? v.tag : undefined;
  return { ...(v?.struct ? { struct: v.struct } : {}), ...(tag ? { tag } : {}) };
}

/** A batch the function holds (a local, or a parameter pointing to the caller's), if `node` names one. */
export function batchOf(ctx: FnCtx, node: Node): { name: string; type: BatchType } | undefined {
  const n = stripParens(node);
  if (n.type !== 'identifier') return undefined;
  const name = ctx.text(n);
  const type = ctx.locals.has(name) ? ctx.vars.get(name)?.batch : undefined;
  return type ? { name, type } : undefined;
}

/**
 * The local holding the array `node` denotes: a declared local array, a batch's item
 * array (`fbatch.folios`, `fbatch->folios`), or a pointer local or parameter (the
 * array a caller passed).
 */
function arrayBase(ctx: FnCtx, node: Node): { name: string; pointer: boolean } | undefined {
  const n = stripParens(node);
  if (n.type === 'identifier') {
    const name = ctx.text(n);
    const v = ctx.locals.has(name) ? ctx.vars.get(name) : undefined;
    if (!v || v.batch) return undefined;
    if (v.array) return { name, pointer: false };
    return v.pointer ? { name, pointer: true } : undefined;
  }
  if (n.type === 'field_expression') {
    const obj = field(n, 'argument');
    const f = field(n, 'field');
    const batch = obj ? batchOf(ctx, obj) : undefined;
    if (batch && f && ctx.text(f) === batch.type.items) return { name: batch.name, pointer: false };
  }
  return undefined;
}

/**
 * `p->f` where p is a struct whose array fields are counters in plain memory
 * (ARRAY_FIELD_STRUCTS: `stat->nr_activate`): the address of the field, else undefined.
 */
export function arrayFieldOf(ctx: FnCtx, node: Node): Expr | undefined {
  const n = stripParens(node);
  if (n.type !== 'field_expression') return undefined;
  const obj = field(n, 'argument');
  const f = field(n, 'field');
  const o = obj ? stripParens(obj) : undefined;
  const tag = o?.type === 'identifier' ? ctx.vars.get(ctx.text(o))?.tag : undefined;
  if (!o || !f || !tag || !ARRAY_FIELD_STRUCTS.has(tag)) return undefined;
  return { k: 'addr', obj: lowerExpr(ctx, o, true), field: ctx.text(f) };
}

function subscript(ctx: FnCtx, node: Node): Expr {
  const a = field(node, 'argument');
  const i = field(node, 'index');
  const arrayField = a && i ? arrayFieldOf(ctx, a) : undefined;
  if (arrayField && i) {
    const dst = ctx.temp();
    ctx.em.emit({ op: 'call', callee: 'field_array_get', args: [arrayField, lowerExpr(ctx, i, true)], dst, at: ctx.at(node) });
    return local(dst);
  }
  // head[i] of a struct page pointer: the page i places on in its compound page (sim/compound.ts)
  if (a && i && isPagePointer(ctx, a)) return pageArithmetic(ctx, node, lowerExpr(ctx, a, true), lowerExpr(ctx, i, true));
  const base = a ? arrayBase(ctx, a) : undefined;
  if (base && i) {
    if (base.pointer) {
      ctx.note(node, `'${base.name}[...]' reads an element of the local array passed in '${base.name}'`, { onceKey: `ptr[]:${base.name}` });
    }
    return { k: 'elem', a: local(base.name), i: lowerExpr(ctx, i, true) };
  }
  ctx.note(node, `array subscript '${ctx.text(node).slice(0, 40)}' not modeled (taken as 0)`);
  if (a) lowerExpr(ctx, a, false);
  if (i) lowerExpr(ctx, i, false);
  return ZERO;
}

/** Whether `node` is a local or parameter declared `struct page *`. */
function isPagePointer(ctx: FnCtx, node: Node): boolean {
  const n = stripParens(node);
  if (n.type !== 'identifier') return false;
  const v = ctx.vars.get(ctx.text(n));
  return !!v && v.pointer && !v.pointerToPointer && !v.array && v.tag === 'page';
}

/** A chain of `+`/`-` whose leftmost operand is a page pointer: the page and the summed offset. */
function pageOffsets(ctx: FnCtx, node: Node): { page: Expr; offset: Expr } | undefined {
  // find the leftmost operand without recursion first: most +/- chains are integers, and
  // some are thousands of terms deep (the lowerer itself cuts those off with a note)
  let leftmost = stripParens(node);
  for (let depth = 0; leftmost.type === 'binary_expression'; depth++) {
    const o = operator(leftmost);
    const l = field(leftmost, 'left');
    if ((o !== '+' && o !== '-') || !l || depth > 64) return undefined;
    leftmost = stripParens(l);
  }
  if (!isPagePointer(ctx, leftmost)) return undefined;
  return pageChain(ctx, node);
}

function pageChain(ctx: FnCtx, node: Node): { page: Expr; offset: Expr } | undefined {
  const n = stripParens(node);
  if (n.type !== 'binary_expression') return undefined;
  const op = operator(n);
  const l = field(n, 'left');
  const r = field(n, 'right');
  if ((op !== '+' && op !== '-') || !l || !r) return undefined;
  const inner = isPagePointer(ctx, l) ? { page: lowerExpr(ctx, l, true), offset: undefined } : pageChain(ctx, l);
  if (!inner) return undefined;
  const b = lowerExpr(ctx, r, true);
  const term: Expr = op === '-' ? { k: 'un', op: '-', a: b } : b;
  return { page: inner.page, offset: inner.offset ? bin('+', inner.offset, term, false) : term };
}

/** `page + n`: the compound page's page n places on (ops/compound.ts page_nth), one pure call. */
function pageArithmetic(ctx: FnCtx, node: Node, page: Expr, n: Expr): Expr {
  const dst = ctx.temp();
  ctx.em.emit({ op: 'call', callee: 'page_nth', args: [page, n], dst, at: ctx.at(node) });
  return local(dst);
}

function unary(ctx: FnCtx, node: Node, want: boolean): Expr {
  const argNode = field(node, 'argument');
  const op = operator(node);
  if (!argNode) return ZERO;
  const a = lowerExpr(ctx, argNode, want);
  if (!want) return ZERO;
  if (op === '+') return a;
  if (op === '-' && a.k === 'num') return num(-a.v);
  if (op === '!' || op === '-' || op === '~') return { k: 'un', op, a };
  ctx.note(node, `unary operator '${op}' not supported (operand used)`);
  return a;
}

function binary(ctx: FnCtx, node: Node, want: boolean): Expr {
  const l = field(node, 'left');
  const r = field(node, 'right');
  const op = operator(node);
  if (!l || !r) {
    ctx.unparsed(node);
    return ZERO;
  }
  if (op === '&&' || op === '||') return logical(ctx, node, op, l, r, want);
  // `page + nr_pages - 1`: one step of page arithmetic by the whole offset, since the
  // partial sum (`page + nr_pages`) may lie past the compound page the result is in
  if ((op === '+' || op === '-') && want && stripParens(l).type === 'binary_expression') {
    const chain = pageOffsets(ctx, node);
    if (chain) return pageArithmetic(ctx, node, chain.page, chain.offset);
  }
  const a = lowerExpr(ctx, l, want);
  const b = lowerExpr(ctx, r, want);
  if (!want) return ZERO;
  if ((op === '+' || op === '-') && isPagePointer(ctx, l)) return pageArithmetic(ctx, node, a, op === '-' ? { k: 'un', op: '-', a: b } : b);
  if (isBinaryOp(op)) return bin(op, a, b, isUnsignedOp(ctx, op, l, r));
  ctx.note(node, `binary operator '${op}' not supported (taken as 0)`);
  return ZERO;
}

/**
 * `a && b`, `a || b`: when b needs no instructions this stays one `bin` Expr;
 * otherwise b's instructions run only when a does not decide (short-circuit), and
 * the 0/1 result goes to a temporary.
 */
function logical(ctx: FnCtx, node: Node, op: '&&' | '||', l: Node, r: Node, want: boolean): Expr {
  const a = lowerExpr(ctx, l, true);
  const side = ctx.em.capture(() => lowerExpr(ctx, r, want));
  if (side.items.length === 0) return want ? bin(op, a, side.value) : ZERO;
  const rhs = new Label();
  const end = new Label();
  const dst = want ? ctx.temp() : undefined;
  const at = ctx.at(node);
  if (dst) ctx.em.emit({ op: 'set', dst, e: num(op === '&&' ? 0 : 1), at });
  if (op === '&&') ctx.em.br(a, rhs, end);
  else ctx.em.br(a, end, rhs);
  ctx.em.place(rhs);
  ctx.em.append(side.items);
  if (dst) ctx.em.emit({ op: 'set', dst, e: asBool(side.value), at });
  ctx.em.place(end);
  return dst ? local(dst) : ZERO;
}

const BOOLEAN_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||']);

/** `e` as 0/1, as the value of `&&`/`||` must be. */
function asBool(e: Expr): Expr {
  if ((e.k === 'un' && e.op === '!') || (e.k === 'bin' && BOOLEAN_OPS.has(e.op))) return e;
  if (e.k === 'num') return num(e.v !== 0 ? 1 : 0);
  return bin('!=', e, ZERO);
}

/** An Expr that is safe to use twice (GNU `a ?: b` evaluates a once). */
function once(ctx: FnCtx, e: Expr, node: Node): Expr {
  if (e.k === 'local' || e.k === 'num' || e.k === 'null' || e.k === 'sym' || e.k === 'fn') return e;
  const dst = ctx.temp();
  ctx.em.emit({ op: 'set', dst, e, at: ctx.at(node) });
  return local(dst);
}

/** `c ? a : b` (and GNU `c ?: b`): a `cond` Expr when both arms are pure, else branches. */
function conditional(ctx: FnCtx, node: Node, want: boolean): Expr {
  const cN = field(node, 'condition');
  const aN = field(node, 'consequence');
  const bN = field(node, 'alternative');
  if (!cN || !bN) {
    ctx.unparsed(node);
    return ZERO;
  }
  let c = lowerExpr(ctx, cN, true);
  if (!aN) c = once(ctx, c, cN);
  const A = aN ? ctx.em.capture(() => lowerExpr(ctx, aN, want)) : { items: [], value: c };
  const B = ctx.em.capture(() => lowerExpr(ctx, bN, want));
  if (A.items.length === 0 && B.items.length === 0) return want ? { k: 'cond', c, a: A.value, b: B.value } : ZERO;
  const la = new Label();
  const lb = new Label();
  const end = new Label();
  const dst = want ? ctx.temp() : undefined;
  const at = ctx.at(node);
  ctx.em.br(c, la, lb);
  ctx.em.place(la);
  ctx.em.append(A.items);
  if (dst) ctx.em.emit({ op: 'set', dst, e: A.value, at });
  ctx.em.jmp(end);
  ctx.em.place(lb);
  ctx.em.append(B.items);
  if (dst) ctx.em.emit({ op: 'set', dst, e: B.value, at });
  ctx.em.place(end);
  return dst ? local(dst) : ZERO;
}

/** Whether a call's callee is a simulator primitive: those write out-parameters back (StepContext.out). */
function writesBack(callee: string): boolean {
  return primitives.get(callee) !== undefined;
}
