/**
 * Which kernel functions a run uses, and where each one's model came from: the
 * functions reachable from the CPU programs through direct calls, function values,
 * the filesystem's a_ops table and the I/O completions that submitting I/O starts. Calls the linker cannot resolve are noted on
 * the function that makes them.
 */
import type { ModelLinker } from '../catalog/linker.js';
import type { ModelSet } from '../catalog/models.js';
import { references, type FunctionProgram, type ModelNote } from '../sim/program.js';

export interface ModelUse {
  function: string;
  from: 'source' | 'builtin';
  era?: string;
  file?: string;
  /** the absolute path (or uri) of a model lifted from source */
  abs?: string;
  line?: number;
  notes?: string[];
  /** the notes with their positions (the fallback reason, which has none, is left out) */
  noteList?: ModelNote[];
}

/** `tables`: the files' a_ops and vm_ops tables, whose entries are reached as the kernel calls through them. */
export function reachableModels(roots: FunctionProgram[], linker: ModelLinker, models: ModelSet, tables: readonly (string | undefined)[]): ModelUse[] {
  const seen = new Map<string, ModelNote[]>();
  const queue: FunctionProgram[] = [];
  const visit = (name: string): void => {
    const r = linker.resolve(name);
    if (r.kind !== 'func' || seen.has(r.fn.name) || roots.includes(r.fn)) return;
    seen.set(r.fn.name, []);
    queue.push(r.fn);
  };
  const scan = (fn: FunctionProgram): void => {
    const { calls, values } = references(fn);
    for (const c of calls) {
      const r = linker.resolve(c.name);
      if (r.kind === 'unknown' && seen.has(fn.name)) {
        seen.get(fn.name)!.push({ line: c.line, what: `unknown call ${c.name}() treated as a no-op returning 0` });
      }
      // I/O completions run what the submitting primitive spawns (end_page_writeback, ...)
      if (r.kind === 'prim') r.prim.spawns?.forEach(visit);
      visit(c.name);
    }
    values.forEach(visit);
  };
  // a table's entry is reached when reached code calls through that field (`vma->vm_ops->page_mkwrite(vmf)`,
  // `mapping->a_ops->dirty_folio(...)`); the a_ops table's whole, as before, since the harness and I/O completions call its entries
  const [aopsTable, ...others] = tables;
  const calledFields = new Set<string>();
  const noteFieldCalls = (fn: FunctionProgram): void => {
    for (const i of fn.code) if (i.op === 'call' && typeof i.callee !== 'string' && i.callee.k === 'field') calledFields.add(i.callee.field);
  };
  roots.forEach(scan);
  roots.forEach(noteFieldCalls);
  for (const fn of (models.ops.get(aopsTable ?? '') ?? new Map<string, string>()).values()) visit(fn);
  const visitedEntries = new Set<string>();
  for (;;) {
    while (queue.length) {
      const fn = queue.shift()!;
      noteFieldCalls(fn);
      scan(fn);
    }
    let more = false;
    for (const table of others) {
      for (const [slot, fn] of models.ops.get(table ?? '') ?? new Map<string, string>()) {
        const id = `${table}.${slot}`;
        if (!calledFields.has(slot) || visitedEntries.has(id)) continue;
        visitedEntries.add(id);
        visit(fn);
        more = true;
      }
    }
    if (!more) break;
  }

  return [...seen.entries()].map(([name, unknown]) => {
    const m = models.functions.get(name);
    const positioned = [...(m?.notes ?? []), ...unknown];
    const notes = [...(m?.fallback ? [m.fallback] : []), ...positioned.map((n) => `line ${n.line}: ${n.what}`)];
    return {
      function: name,
      from: m?.from ?? 'builtin',
      ...(m?.from !== 'source' ? { era: models.spec } : {}),
      ...(m ? { file: m.file, ...(m.abs !== undefined ? { abs: m.abs } : {}), line: m.line } : {}),
      ...(notes.length ? { notes } : {}),
      ...(positioned.length ? { noteList: positioned } : {}),
    };
  }).sort((a, b) => a.function.localeCompare(b.function));
}
