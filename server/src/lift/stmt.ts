/**
 * Statement lowering: structured control flow becomes `br`/`jmp` over labels that
 * the emitter resolves to instruction indices when the function is finished.
 */
import type { Expr } from '../sim/program.js';
import { LIST_HEAD_SYM } from '../sim/lru-lists.js';
import type { FnCtx } from './context.js';
import { lowerDeclaration } from './decl.js';
import { Label } from './emitter.js';
import { lowerCond } from './cond.js';
import { bin, local, lowerExpr } from './expr.js';
import { isListLoop, lowerListLoop } from './list-macros.js';
import { isIteratorMacro, iteratorExpansion, type IteratorExpansion } from './macros.js';
import type { Node } from './parser.js';
import { ownBranch } from './preproc.js';
import { field, findProblem, kids, shortText } from './syntax.js';

export function lowerStmt(ctx: FnCtx, node: Node): void {
  ctx.nested(node, undefined, () => lowerAny(ctx, node));
}

function lowerAll(ctx: FnCtx, nodes: Node[]): void {
  for (let i = 0; i < nodes.length; i++) {
    let n = nodes[i];
    // `lookup: vma_interval_tree_foreach(...) { ... }`: the label holds the macro's call
    const label = n.type === 'labeled_statement' ? field(n, 'label') : undefined;
    const inner = label ? kids(n).find((k) => k !== label && k.type !== 'statement_identifier') : undefined;
    if (label && inner?.type === 'expression_statement' && missingSemicolon(inner) && i + 1 < nodes.length && iteratorCall(ctx, inner)) {
      const l = ctx.label(ctx.text(label));
      if (l.placed) ctx.note(n, `label '${ctx.text(label)}' defined twice`, { fail: true });
      else ctx.em.place(l);
      n = inner;
    }
    // `list_for_each_entry(...) { ... }`: the parser sees a call missing its ';'
    // followed by a block. Iteration is not modeled unless the macro's expansion is
    // known (macros.ts iteratorExpansion); otherwise the block runs once.
    if (n.type === 'expression_statement' && missingSemicolon(n) && i + 1 < nodes.length) {
      const call = kids(n)[0];
      const fn = call?.type === 'call_expression' ? field(call, 'function') : undefined;
      if (fn && fn.type === 'identifier' && isListLoop(ctx.text(fn))
        && lowerListLoop(ctx, ctx.text(fn), call, nodes[i + 1], (brk, cont) => inLoop(ctx, brk, cont, () => lowerStmt(ctx, nodes[i + 1])))) {
        ctx.handled.add(n.child(n.childCount - 1)!.id);
        i++;
        continue;
      }
      const expansion = fn?.type === 'identifier' ? iteratorExpansion(ctx.text(fn)) : undefined;
      if (expansion && call) {
        ctx.handled.add(n.child(n.childCount - 1)!.id);
        expandedLoop(ctx, call, expansion, nodes[i + 1]!);
        i++;
        continue;
      }
      if (fn && fn.type === 'identifier' && isIteratorMacro(ctx.text(fn))) {
        ctx.handled.add(n.child(n.childCount - 1)!.id);
        ctx.note(n, `iterator macro ${ctx.text(fn)}(...) not modeled: its body runs once`);
        lowerStmt(ctx, nodes[i + 1]);
        i++;
        continue;
      }
    }
    lowerStmt(ctx, n);
  }
}

function iteratorCall(ctx: FnCtx, stmt: Node): boolean {
  const call = kids(stmt)[0];
  const fn = call?.type === 'call_expression' ? field(call, 'function') : undefined;
  return !!fn && fn.type === 'identifier' && (isIteratorMacro(ctx.text(fn)) || iteratorExpansion(ctx.text(fn)) !== undefined);
}

/** An iterator macro as its loop: cursor = first(...); while (cursor) { body; cursor = next(...) }. */
function expandedLoop(ctx: FnCtx, call: Node, x: IteratorExpansion, body: Node): void {
  const args = kids(field(call, 'arguments')!).filter((k) => k.type !== '(' && k.type !== ')' && k.type !== ',' && k.type !== 'comment');
  const cursor = args[0];
  if (!cursor || cursor.type !== 'identifier' || !ctx.locals.has(ctx.text(cursor)) || [...x.firstArgs, ...x.nextArgs].some((a) => !args[a])) {
    ctx.note(call, `iterator macro ${ctx.text(field(call, 'function')!)}(...) without a local cursor and its arguments: not run`, { fail: true });
    return;
  }
  const name = ctx.text(cursor);
  const top = new Label();
  const enter = new Label();
  const next = new Label();
  const end = new Label();
  ctx.em.emit({ op: 'call', callee: x.first, args: x.firstArgs.map((a) => lowerExpr(ctx, args[a]!, true)), dst: name, at: ctx.at(call) });
  ctx.em.place(top);
  ctx.em.br(local(name), enter, end);
  ctx.em.place(enter);
  inLoop(ctx, end, next, () => lowerStmt(ctx, body));
  ctx.em.place(next);
  ctx.em.emit({ op: 'call', callee: x.next, args: x.nextArgs.map((a) => lowerExpr(ctx, args[a]!, true)), dst: name, at: ctx.at(call) });
  ctx.em.jmp(top);
  ctx.em.place(end);
}

function missingSemicolon(node: Node): boolean {
  const last = node.child(node.childCount - 1);
  return !!last && last.isMissing;
}

function lowerAny(ctx: FnCtx, node: Node): void {
  switch (node.type) {
    case 'compound_statement': return lowerAll(ctx, kids(node));
    case 'expression_statement': return expressionStatement(ctx, node);
    case 'declaration': return declaration(ctx, node);
    case 'if_statement': return ifStatement(ctx, node);
    case 'while_statement': return whileStatement(ctx, node);
    case 'do_statement': return doStatement(ctx, node);
    case 'for_statement': return forStatement(ctx, node);
    case 'switch_statement': return switchStatement(ctx, node);
    case 'break_statement': return jumpOut(ctx, node, ctx.breaks, 'break');
    case 'continue_statement': return jumpOut(ctx, node, ctx.continues, 'continue');
    case 'goto_statement': return gotoStatement(ctx, node);
    case 'labeled_statement': return labeledStatement(ctx, node);
    case 'return_statement': return returnStatement(ctx, node);
    case 'attributed_statement':
      return lowerAll(ctx, kids(node).filter((k) => k.type !== 'attribute_declaration'));
    case 'case_statement':
      ctx.note(node, 'case label not directly inside its switch body not supported', { fail: true });
      return;
    case 'preproc_if':
    case 'preproc_ifdef':
    case 'preproc_elif':
    case 'preproc_elifdef':
    case 'preproc_else':
      return preprocessor(ctx, node);
    case 'preproc_call':
    case 'preproc_def':
    case 'preproc_function_def':
    case 'preproc_include':
    case 'type_definition':
    case 'struct_specifier':
    case 'union_specifier':
    case 'enum_specifier':
    case 'comment':
      return;
    case 'function_definition':
      ctx.note(node, 'nested function not supported (skipped)');
      return;
    case 'ERROR':
      // `__attribute__((fallthrough));` is a statement attribute the grammar misses.
      if (kids(node).every((k) => k.type === 'attribute_specifier')) {
        ctx.handled.add(node.id);
        return;
      }
      ctx.unparsed(node);
      return;
    default:
      if (node.type.endsWith('_expression') || node.type === 'identifier') {
        lowerExpr(ctx, node, false);
        return;
      }
      ctx.note(node, `unsupported statement '${node.type}' (skipped)`);
  }
}

function expressionStatement(ctx: FnCtx, node: Node): void {
  const [e] = kids(node);
  if (!e) return; // empty statement
  const p = findProblem(node);
  if (p?.missing) ctx.missing(p.node, ctx.text(e));
  if (listHeadDeclaration(ctx, e)) return;
  lowerExpr(ctx, e, false);
}

/**
 * `LIST_HEAD(name);` declares a list_head on the stack: the local holds the head's
 * name, which the list primitives (sim/ops/lru.ts) resolve per thread, and `&name` is
 * that head.
 */
function listHeadDeclaration(ctx: FnCtx, e: Node): boolean {
  if (e.type !== 'call_expression') return false;
  const fn = field(e, 'function');
  const args = field(e, 'arguments');
  const [arg, ...rest] = args ? kids(args).filter((k) => k.type !== '(' && k.type !== ')' && k.type !== ',') : [];
  if (!fn || ctx.text(fn) !== 'LIST_HEAD' || !arg || rest.length || arg.type !== 'identifier') return false;
  const name = ctx.text(arg);
  ctx.locals.add(name);
  ctx.listHeads.add(name);
  ctx.em.emit({ op: 'set', dst: name, e: { k: 'sym', name: `${LIST_HEAD_SYM}${name}` }, at: ctx.at(e) });
  return true;
}

function declaration(ctx: FnCtx, node: Node): void {
  lowerDeclaration(ctx, node);
}

function ifStatement(ctx: FnCtx, node: Node): void {
  const cond = field(node, 'condition');
  const then = field(node, 'consequence');
  const alt = field(node, 'alternative');
  if (!cond || !then) {
    ctx.note(node, 'if statement not understood', { fail: true });
    return;
  }
  const t = new Label();
  const f = new Label();
  lowerCond(ctx, cond, t, f);
  ctx.em.place(t);
  lowerStmt(ctx, then);
  if (alt) {
    const end = new Label();
    ctx.em.jmp(end);
    ctx.em.place(f);
    // The alternative is an else_clause wrapping the statement.
    lowerAll(ctx, alt.type === 'else_clause' ? kids(alt) : [alt]);
    ctx.em.place(end);
  } else {
    ctx.em.place(f);
  }
}

/** Runs `body` with break/continue targets pushed. */
function inLoop(ctx: FnCtx, brk: Label, cont: Label | undefined, body: () => void): void {
  ctx.breaks.push(brk);
  if (cont) ctx.continues.push(cont);
  try {
    body();
  } finally {
    ctx.breaks.pop();
    if (cont) ctx.continues.pop();
  }
}

function whileStatement(ctx: FnCtx, node: Node): void {
  const cond = field(node, 'condition');
  const body = field(node, 'body');
  const top = new Label();
  const enter = new Label();
  const end = new Label();
  ctx.em.place(top);
  if (cond) lowerCond(ctx, cond, enter, end);
  ctx.em.place(enter);
  inLoop(ctx, end, top, () => body && lowerStmt(ctx, body));
  ctx.em.jmp(top);
  ctx.em.place(end);
}

function doStatement(ctx: FnCtx, node: Node): void {
  const cond = field(node, 'condition');
  const body = field(node, 'body');
  const top = new Label();
  const test = new Label();
  const end = new Label();
  ctx.em.place(top);
  inLoop(ctx, end, test, () => body && lowerStmt(ctx, body));
  ctx.em.place(test);
  if (cond) lowerCond(ctx, cond, top, end);
  else ctx.em.jmp(top);
  ctx.em.place(end);
}

function forStatement(ctx: FnCtx, node: Node): void {
  const init = field(node, 'initializer');
  const cond = field(node, 'condition');
  const update = field(node, 'update');
  const body = field(node, 'body');
  const top = new Label();
  const enter = new Label();
  const next = new Label();
  const end = new Label();
  if (init) {
    if (init.type === 'declaration') lowerDeclaration(ctx, init);
    else lowerExpr(ctx, init, false);
  }
  ctx.em.place(top);
  if (cond) lowerCond(ctx, cond, enter, end);
  ctx.em.place(enter);
  inLoop(ctx, end, next, () => body && lowerStmt(ctx, body));
  ctx.em.place(next);
  if (update) lowerExpr(ctx, update, false);
  ctx.em.jmp(top);
  ctx.em.place(end);
}

function jumpOut(ctx: FnCtx, node: Node, stack: Label[], what: string): void {
  const to = stack[stack.length - 1];
  if (!to) {
    ctx.note(node, `${what} outside a loop${what === 'break' ? ' or switch' : ''}`, { fail: true });
    return;
  }
  ctx.em.jmp(to);
}

function gotoStatement(ctx: FnCtx, node: Node): void {
  const l = field(node, 'label');
  if (!l) {
    ctx.note(node, 'goto without a label', { fail: true });
    return;
  }
  const name = ctx.text(l);
  if (!ctx.gotoSites.has(name)) ctx.gotoSites.set(name, node);
  ctx.em.jmp(ctx.label(name));
}

function labeledStatement(ctx: FnCtx, node: Node): void {
  const l = field(node, 'label');
  if (l) {
    const label = ctx.label(ctx.text(l));
    if (label.placed) ctx.note(node, `label '${ctx.text(l)}' defined twice`, { fail: true });
    else ctx.em.place(label);
  }
  lowerAll(ctx, kids(node).filter((k) => k !== l && k.type !== 'statement_identifier'));
}

function returnStatement(ctx: FnCtx, node: Node): void {
  const [e] = kids(node);
  if (!e) {
    ctx.em.emit({ op: 'ret', at: ctx.at(node) });
    return;
  }
  ctx.em.emit({ op: 'ret', e: lowerExpr(ctx, e, true), at: ctx.at(node) });
}

/**
 * `switch`: the value is compared against each case in source order (one `br`
 * each), then control goes to `default` or past the switch. Case bodies follow in
 * source order, so falling through is just not jumping.
 */
function switchStatement(ctx: FnCtx, node: Node): void {
  const cond = field(node, 'condition');
  const body = field(node, 'body');
  if (!cond || !body) {
    ctx.note(node, 'switch statement not understood', { fail: true });
    return;
  }
  let v = lowerExpr(ctx, cond, true);
  if (v.k !== 'local' && v.k !== 'num' && v.k !== 'sym' && v.k !== 'null') {
    const t = ctx.temp();
    ctx.em.emit({ op: 'set', dst: t, e: v, at: ctx.at(cond) });
    v = local(t);
  }
  const items = body.type === 'compound_statement' ? kids(body) : [body];
  const end = new Label();
  const labels = new Map<Node, Label>();
  let dflt: Label | undefined;
  for (const it of items) {
    if (it.type !== 'case_statement') continue;
    const l = new Label();
    labels.set(it, l);
    const test = caseTest(ctx, it, v);
    if (!test) {
      dflt = l;
      continue;
    }
    const next = new Label();
    ctx.em.br(test, l, next);
    ctx.em.place(next);
  }
  ctx.em.jmp(dflt ?? end);
  inLoop(ctx, end, undefined, () => {
    for (const it of items) {
      const l = labels.get(it);
      if (!l) {
        lowerStmt(ctx, it);
        continue;
      }
      ctx.em.place(l);
      const value = field(it, 'value');
      // nodes compare by id: the binding may hand out a new object for the same node once the old one is collected
      lowerAll(ctx, kids(it).filter((k) => k.id !== value?.id && !isRangeTail(ctx, k)));
    }
  });
  ctx.em.place(end);
}

/** The comparison selecting a case; undefined for `default`. GNU `case A ... B:` is a range. */
function caseTest(ctx: FnCtx, it: Node, v: Expr): Expr | undefined {
  const value = field(it, 'value');
  if (!value) return undefined;
  const lo = lowerExpr(ctx, value, true);
  const range = kids(it).find((k) => isRangeTail(ctx, k));
  if (range) ctx.handled.add(range.id);
  const hiNode = range ? kids(range)[0] : undefined;
  if (!hiNode) return bin('==', v, lo);
  return bin('&&', bin('>=', v, lo), bin('<=', v, lowerExpr(ctx, hiNode, true)));
}

/** The grammar leaves `... B` of a case range as an ERROR node. */
function isRangeTail(ctx: FnCtx, k: Node): boolean {
  return k.type === 'ERROR' && ctx.text(k).trimStart().startsWith('...');
}

/**
 * Conditional compilation inside a body: the branch the kernel configuration compiles
 * (lift/preproc.ts); without a configuration, or when the condition names a macro it
 * does not settle, the first branch (`#ifdef CONFIG_X` code is usually the interesting
 * one), except `#if 0`, whose #else is.
 */
function preprocessor(ctx: FnCtx, node: Node): void {
  const cond = field(node, 'condition') ?? field(node, 'name');
  const alt = field(node, 'alternative');
  const body = kids(node).filter((k) => k.id !== cond?.id && k.id !== alt?.id);
  if (node.type === 'preproc_else') return lowerAll(ctx, body);
  const configured = ctx.preproc ? ownBranch(node, ctx.src, ctx.preproc) : undefined;
  if (configured === true) return lowerAll(ctx, body);
  if (configured === false) {
    if (alt) preprocessor(ctx, alt);
    return;
  }
  const dead = node.type === 'preproc_if' && cond !== undefined && /^\s*0\s*$/.test(ctx.text(cond));
  if (dead) {
    if (alt) preprocessor(ctx, alt);
    return;
  }
  if (alt) {
    const why = ctx.preproc ? `the configuration does not decide it` : `no kernel configuration`;
    ctx.note(node, `preprocessor conditional: first branch used (${why}: '${shortText(ctx.text(node), 40)}')`);
  }
  lowerAll(ctx, body);
}
