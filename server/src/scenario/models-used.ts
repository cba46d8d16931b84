/**
 * Which kernel functions a run uses, and where each one's model came from: the
 * functions reachable from the CPU programs through direct calls, function values
 * and the filesystem's a_ops table. Calls the linker cannot resolve are noted on
 * the function that makes them.
 */
import type { ModelLinker } from '../catalog/linker.js';
import type { ModelSet } from '../catalog/models.js';
import type { Expr, FunctionProgram, ModelNote } from '../sim/program.js';

export interface ModelUse {
  function: string;
  from: 'source' | 'builtin';
  era?: string;
  file?: string;
  line?: number;
  notes?: string[];
}

function exprFunctions(e: Expr | undefined, out: string[]): void {
  if (!e) return;
  switch (e.k) {
    case 'fn': case 'sym': out.push(e.name); break;
    case 'un': exprFunctions(e.a, out); break;
    case 'bin': exprFunctions(e.a, out); exprFunctions(e.b, out); break;
    case 'cond': exprFunctions(e.c, out); exprFunctions(e.a, out); exprFunctions(e.b, out); break;
    case 'field': case 'addr': exprFunctions(e.obj, out); break;
    default: break;
  }
}

/** Names a program may call or pass as a function value. */
function mentioned(fn: FunctionProgram): { calls: { name: string; line: number }[]; values: string[] } {
  const calls: { name: string; line: number }[] = [];
  const values: string[] = [];
  for (const i of fn.code) {
    if (i.op === 'call') {
      if (typeof i.callee === 'string') calls.push({ name: i.callee, line: i.at?.line ?? 0 });
      else exprFunctions(i.callee, values);
      i.args.forEach((a) => exprFunctions(a, values));
    } else if (i.op === 'set') exprFunctions(i.e, values);
    else if (i.op === 'store') exprFunctions(i.e, values);
  }
  return { calls, values };
}

export function reachableModels(roots: FunctionProgram[], linker: ModelLinker, models: ModelSet, aops: string | undefined): ModelUse[] {
  const seen = new Map<string, ModelNote[]>();
  const queue: FunctionProgram[] = [];
  const visit = (name: string): void => {
    const r = linker.resolve(name);
    if (r.kind !== 'func' || seen.has(r.fn.name) || roots.includes(r.fn)) return;
    seen.set(r.fn.name, []);
    queue.push(r.fn);
  };
  const scan = (fn: FunctionProgram): void => {
    const { calls, values } = mentioned(fn);
    for (const c of calls) {
      const r = linker.resolve(c.name);
      if (r.kind === 'unknown' && seen.has(fn.name)) {
        seen.get(fn.name)!.push({ line: c.line, what: `unknown call ${c.name}() treated as a no-op returning 0` });
      }
      visit(c.name);
    }
    values.forEach(visit);
  };
  roots.forEach(scan);
  for (const fn of (models.ops.get(aops ?? '') ?? new Map<string, string>()).values()) visit(fn);
  while (queue.length) scan(queue.shift()!);

  return [...seen.entries()].map(([name, unknown]) => {
    const m = models.functions.get(name);
    const notes = [...(m?.fallback ? [m.fallback] : []), ...[...(m?.notes ?? []), ...unknown].map((n) => `line ${n.line}: ${n.what}`)];
    return {
      function: name,
      from: m?.from ?? 'builtin',
      ...(m?.from !== 'source' ? { era: models.spec } : {}),
      ...(m ? { file: m.file, line: m.line } : {}),
      ...(notes.length ? { notes } : {}),
    };
  }).sort((a, b) => a.function.localeCompare(b.function));
}
