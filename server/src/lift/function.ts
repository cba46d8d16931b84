/** Compiles one function_definition node into a FunctionProgram. */
import type { FunctionProgram } from '../sim/program.js';
import { FnCtx } from './context.js';
import { declared, functionDeclarator, parameterNames } from './decl.js';
import type { Node } from './parser.js';
import type { PreprocEnv } from './preproc.js';
import { lowerStmt } from './stmt.js';
import { allProblems, field, findProblem, kids, position, shortText } from './syntax.js';

/** 1-based lines and columns; the end is the position just past the function's last character. */
export interface SourceRange {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface LiftedFunction {
  program: FunctionProgram;
  /** clean: no notes; notes: usable with caveats; failed: control flow unknown, do not run. */
  status: 'clean' | 'notes' | 'failed';
  range: SourceRange;
}

/** The defined function's name, or undefined when the declarator is not understood. */
export function functionName(src: string, def: Node): string | undefined {
  const fd = functionDeclarator(field(def, 'declarator'));
  return fd ? declared(src, field(fd, 'declarator'))?.name : undefined;
}

export function rangeOf(node: Node): SourceRange {
  return {
    startLine: node.startPosition.row + 1,
    startColumn: node.startPosition.column + 1,
    endLine: node.endPosition.row + 1,
    endColumn: node.endPosition.column + 1,
  };
}

/**
 * Locals whose address is stored rather than handed to a call (`&x` in an initializer
 * list or on the right of an assignment): a call's `&x` is an out-parameter the machine
 * copies back, a stored one is read later through the structure that holds it.
 */
function escapingAddresses(ctx: FnCtx, body: Node): Set<string> {
  const out = new Set<string>();
  // iterative: a body nested thousands deep is cut off by the lowering, with a note, not here
  const todo: Node[] = [body];
  for (let n = todo.pop(); n; n = todo.pop()) {
    if (n.type === 'pointer_expression' && ctx.text(n).trimStart().startsWith('&')) {
      const arg = field(n, 'argument');
      let up = n.parent;
      while (up && (up.type === 'cast_expression' || up.type === 'parenthesized_expression')) up = up.parent;
      if (arg?.type === 'identifier' && up && (up.type === 'initializer_pair' || up.type === 'initializer_list')) out.add(ctx.text(arg));
    }
    todo.push(...kids(n));
  }
  return out;
}

export function compileFunction(src: string, file: string, def: Node, name: string, preproc?: PreprocEnv): LiftedFunction {
  const ctx = new FnCtx(src, preproc);
  const fd = functionDeclarator(field(def, 'declarator'));
  const params = fd ? parameterNames(src, fd, ctx.vars) : [];
  for (const p of params) ctx.locals.add(p);
  const body = field(def, 'body');

  // Annotations like `noinline` or `__init` trip the grammar in the return type; that
  // changes nothing. A problem in the parameter list may lose a parameter name.
  const paramList = fd ? field(fd, 'parameters') : undefined;
  const p = paramList ? findProblem(paramList) : undefined;
  if (p) ctx.note(p.node, `parse problem in the parameter list: '${shortText(ctx.text(p.node), 40)}'`);

  if (!body || body.type !== 'compound_statement') {
    ctx.note(def, 'function body not found', { fail: true });
  } else {
    try {
      for (const name of escapingAddresses(ctx, body)) ctx.cells.add(name);
      lowerStmt(ctx, body);
    } catch (e) {
      // Lowering is written not to throw; this keeps a bug in it from taking the caller down.
      ctx.note(def, `internal lifting error: ${(e as Error)?.message ?? String(e)}`, { fail: true });
    }
  }

  // Parse problems the lowering never met (ERROR siblings of an expression, ...).
  if (body?.hasError) {
    for (const p of allProblems(body)) {
      if (ctx.handled.has(p.node.id)) continue;
      if (p.missing) ctx.missing(p.node, '');
      else ctx.unparsed(p.node);
    }
  }

  for (const [label, site] of ctx.gotoSites) {
    if (!ctx.label(label).placed) ctx.note(site, `goto to unknown label '${label}'`, { fail: true });
  }

  const end = body ?? def;
  const endAt = { line: end.endPosition.row + 1, column: Math.max(1, end.endPosition.column), text: '}' };
  const code = ctx.em.finish(endAt);
  const program: FunctionProgram = {
    name,
    params,
    code,
    file,
    line: position(def).line,
    notes: ctx.notes,
    ...(ctx.outParams.size ? { outParams: params.filter((q) => ctx.outParams.has(q)) } : {}),
  };
  const status = ctx.failed ? 'failed' : ctx.notes.length > 0 ? 'notes' : 'clean';
  return { program, status, range: rangeOf(def) };
}
