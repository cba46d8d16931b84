/**
 * Calls: ordinary calls become `call` instructions (arguments first, left to right);
 * the macros of macros.ts are compiled in place instead.
 */
import type { Expr, Instr } from '../sim/program.js';
import { assignTo } from './assign.js';
import type { FnCtx } from './context.js';
import { local, lowerExpr, num, ZERO } from './expr.js';
import { checkKind, isPassThrough, isUnsupportedBuiltin, isWriteOnce, orderedAccess } from './macros.js';
import type { Node } from './parser.js';
import { kconfigTest } from './preproc.js';
import { entryMacroArgs, lowerEntryIsHead } from './list-macros.js';
import { field, kids, operator, stripParens } from './syntax.js';
import { declarePerType } from './stack-decl.js';
import { DECLARING_MACROS } from '../sim/stack-kinds.js';
import { intTypeNamed } from './types.js';
import { isUnsignedOp } from './typeof.js';

function argNodes(node: Node): Node[] {
  const a = field(node, 'arguments');
  return a ? kids(a) : [];
}

/** The callee name when it is a plain identifier that is not a local. */
function calleeName(ctx: FnCtx, node: Node): string | undefined {
  const fn = field(node, 'function');
  if (!fn) return undefined;
  const f = stripParens(fn);
  if (f.type !== 'identifier') return undefined;
  const name = ctx.text(f);
  return ctx.locals.has(name) ? undefined : name;
}

/** For `likely(x)` and the other pass-through macros: the node of x. */
export function passThroughArg(ctx: FnCtx, node: Node): Node | undefined {
  const name = calleeName(ctx, node);
  if (name === undefined || !isPassThrough(name)) return undefined;
  return argNodes(node)[0];
}

export function lowerCall(ctx: FnCtx, node: Node, want: boolean): Expr {
  const fnNode = field(node, 'function');
  if (!fnNode) {
    ctx.unparsed(node);
    return ZERO;
  }
  const args = argNodes(node);
  let callee = stripParens(fnNode);
  // (*fp)(args) is fp(args).
  for (let i = 0; i < 100 && callee.type === 'pointer_expression' && operator(callee) === '*'; i++) {
    const inner = field(callee, 'argument');
    if (!inner) break;
    callee = stripParens(inner);
  }
  // `(pgoff_t)(holebegin)`: the parser reads a cast to a typedef it does not know as a call
  if (fnNode.type === 'parenthesized_expression' && callee.type === 'identifier' && !ctx.locals.has(ctx.text(callee))
    && intTypeNamed(ctx.text(callee)) !== undefined && args.length === 1) {
    return lowerExpr(ctx, args[0]!, want);
  }
  if (callee.type === 'identifier') {
    const name = ctx.text(callee);
    if (!ctx.locals.has(name)) {
      const special = macro(ctx, node, name, args, want);
      return special ?? emitCall(ctx, node, name, args, want);
    }
  }
  // Function pointers: a local, or a field such as mapping->a_ops->writepage.
  return emitCall(ctx, node, lowerExpr(ctx, callee, true), args, want);
}

function emitCall(ctx: FnCtx, node: Node, callee: string | Expr, argList: Node[], want: boolean): Expr {
  const args: Expr[] = [];
  const outer = ctx.argsOf;
  ctx.inArgs++;
  ctx.argsOf = typeof callee === 'string' ? callee : undefined;
  try {
    for (const a of argList) args.push(argument(ctx, a));
  } finally {
    ctx.inArgs--;
    ctx.argsOf = outer;
  }
  const instr: Extract<Instr, { op: 'call' }> = { op: 'call', callee, args, at: ctx.at(node) };
  if (!want) {
    ctx.em.emit(instr);
    return ZERO;
  }
  const dst = ctx.temp();
  ctx.em.emit({ ...instr, dst });
  return local(dst);
}

function argument(ctx: FnCtx, a: Node): Expr {
  if (a.type === 'compound_statement') {
    ctx.note(a, 'block passed as a macro argument not supported (taken as 0)');
    return ZERO;
  }
  if (a.type === 'preproc_defined') return ZERO;
  // An array argument is the address of its first element: the callee may fill it.
  const n = stripParens(a);
  if (n.type === 'identifier' && ctx.isLocalArray(ctx.text(n)) && ctx.vars.get(ctx.text(n))?.array) {
    return { k: 'ref', name: ctx.text(n) };
  }
  // An array of pointers the caller passed in (`struct page **pages`), handed on: by
  // reference, so what the callee stores in it comes back here, and from here to the caller
  const pv = n.type === 'identifier' && ctx.locals.has(ctx.text(n)) ? ctx.vars.get(ctx.text(n)) : undefined;
  if (pv?.outArray) {
    ctx.outParams.add(ctx.text(n));
    return { k: 'ref', name: ctx.text(n) };
  }
  // A scalar out-parameter handed on (`force_flush` of zap_present_ptes() to
  // zap_present_folio_ptes(), which writes `*force_flush`): passed by reference, so what
  // the callee writes comes back here, and from here to this function's caller
  const v = n.type === 'identifier' ? ctx.vars.get(ctx.text(n)) : undefined;
  if (v && v.param && v.pointer && v.elem !== undefined && !v.batch && !v.array && ctx.locals.has(ctx.text(n))) {
    ctx.outParams.add(ctx.text(n));
    return { k: 'ref', name: ctx.text(n) };
  }
  return lowerExpr(ctx, a, true);
}

/** Lowers a special macro; undefined when `name` is an ordinary call. */
function macro(ctx: FnCtx, node: Node, name: string, args: Node[], want: boolean): Expr | undefined {
  // IS_ENABLED(CONFIG_BLOCK) in a body: the configuration's answer, as the preprocessor gives it
  const kconfig = args.length === 1 ? kconfigTest(name, ctx.text(args[0]), ctx.preproc) : undefined;
  if (kconfig !== undefined) return num(kconfig ? 1 : 0);
  if (isPassThrough(name)) {
    if (args.length === 0) {
      ctx.note(node, `${name}() without an argument (taken as 0)`);
      return ZERO;
    }
    return lowerExpr(ctx, args[0], want);
  }
  if (isWriteOnce(name)) {
    if (args.length !== 2) {
      ctx.note(node, `${name} with ${args.length} arguments not understood (skipped)`);
      return ZERO;
    }
    return assignTo(ctx, node, args[0], '=', args[1], want);
  }
  const ordered = orderedAccess(name);
  if (ordered) {
    // the location is given by address: `&x->field` names the lvalue `x->field`
    const addr = args[0] ? stripParens(args[0]) : undefined;
    const lvalue = addr?.type === 'pointer_expression' && operator(addr) === '&' ? field(addr, 'argument') : undefined;
    if (!lvalue || args.length !== (ordered === 'store' ? 2 : 1)) {
      ctx.note(node, `${name} not on an address the lifter follows (&x->field): ${ordered === 'store' ? 'the store is skipped' : 'taken as 0'}`);
      return ZERO;
    }
    return ordered === 'store' ? assignTo(ctx, node, lvalue, '=', args[1]!, want) : lowerExpr(ctx, lvalue, want);
  }
  // check_add_overflow(a, b, &d), check_shl_overflow(a, s, &d) (include/linux/overflow.h):
  // d = a + b (a << s), and whether the unsigned result wrapped around (then it is below a)
  const overflowOp = name === 'check_add_overflow' ? '+' : name === 'check_shl_overflow' ? '<<' : undefined;
  if (overflowOp && args.length === 3) {
    const addr = stripParens(args[2]!);
    const d = addr.type === 'pointer_expression' && operator(addr) === '&' ? field(addr, 'argument') : undefined;
    if (d?.type === 'identifier' && ctx.locals.has(ctx.text(d))) {
      const a = lowerExpr(ctx, args[0]!, true);
      ctx.em.emit({ op: 'set', dst: ctx.text(d), e: { k: 'bin', op: overflowOp, a, b: lowerExpr(ctx, args[1]!, true) }, at: ctx.at(node) });
      return { k: 'bin', op: '<', a: local(ctx.text(d)), b: a, unsigned: true };
    }
    ctx.note(node, `${name} into '${ctx.text(args[2]!)}', not a local's address: taken as no overflow, the sum not stored`);
    return ZERO;
  }
  const kind = checkKind(name);
  if (kind) {
    let c: Expr;
    if (name === 'BUG') c = num(1);
    else if (args.length === 0) {
      ctx.note(node, `${name} without a condition (check skipped)`);
      return ZERO;
    } else {
      // Only the condition is evaluated: the other arguments only feed the report.
      c = lowerExpr(ctx, args[0], true);
    }
    ctx.em.emit({ op: 'check', kind, c, at: ctx.at(node) });
    return want ? c : ZERO;
  }
  // XA_STATE(xas, &mapping->i_pages, index) declares the local xas: it becomes
  // xas = XA_STATE(&mapping->i_pages, index), an xarray cursor the simulator knows.
  if ((name === 'XA_STATE' || name === 'XA_STATE_ORDER') && args.length >= 3 && args[0].type === 'identifier') {
    const local = ctx.text(args[0]);
    ctx.locals.add(local);
    const cursor = emitCall(ctx, node, name, args.slice(1), true);
    ctx.em.emit({ op: 'set', dst: local, e: cursor, at: ctx.at(node) });
    return ZERO;
  }
  // list.h's entry macros: the pointer arguments only (list-macros.ts)
  const keep = entryMacroArgs(name);
  if (keep) return emitCall(ctx, node, name, keep.map((i) => args[i]).filter((a): a is Node => a !== undefined), want);
  if (name === 'list_entry_is_head') {
    const e = lowerEntryIsHead(ctx, args);
    if (e) return e;
  }
  // min(a, b) and max(a, b) compare as C compares their (same-typed) operands: an
  // unsigned pgoff_t of -1 (ULONG_MAX) is the largest, not the smallest
  if ((name === 'min' || name === 'max') && args.length === 2 && isUnsignedOp(ctx, '<', args[0]!, args[1]!)) {
    const a = lowerExpr(ctx, args[0]!, true);
    const b = lowerExpr(ctx, args[1]!, true);
    const aFirst: Expr = { k: 'bin', op: '<', a, b, unsigned: true };
    return name === 'min' ? { k: 'cond', c: aFirst, a, b } : { k: 'cond', c: aFirst, a: b, b: a };
  }
  // DEFINE_FOLIO_VMA_WALK(pvmw, folio, vma, address, flags) declares the stack structure
  // pvmw with its fields set from the arguments (sim/stack-kinds.ts DECLARING_MACROS)
  const declaring = DECLARING_MACROS[name];
  if (declaring && args[0]?.type === 'identifier') {
    const name0 = ctx.text(args[0]);
    ctx.locals.add(name0);
    ctx.vars.set(name0, { pointer: false, array: false, param: false, stack: declaring.type });
    const given = new Map<string, Expr>();
    for (const f of declaring.fields) {
      const a = args[f.arg];
      if (!a) {
        ctx.note(node, `${name} without argument ${f.arg + 1}: field '${f.field}' left 0`);
        continue;
      }
      if (!f.via) {
        given.set(f.field, lowerExpr(ctx, a, true));
        continue;
      }
      given.set(f.field, emitCall(ctx, node, f.via, [a], true));
    }
    declarePerType(ctx, node, name0, declaring.type, undefined, given);
    return ZERO;
  }
  if (isUnsupportedBuiltin(name)) {
    ctx.note(node, `${name} not supported (taken as 0)`);
    return ZERO;
  }
  return undefined;
}
