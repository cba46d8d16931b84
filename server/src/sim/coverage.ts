/**
 * Which source lines a run executed: every instruction a thread reached in any
 * interleaving marks itself (one flag on its compiled form, per machine), and once the
 * run is over the flags are read back per function as lines of its file. Lines come
 * from the instructions' origins; a line with several instructions counts as executed
 * when any of them ran, and as missed only when none did.
 */
import type { CompiledFunction } from './machine-types.js';

export interface FunctionCoverage {
  function: string;
  /** the file the body came from (a built-in model's library path, or the source file) */
  file: string;
  /** where the definition starts, 1-based */
  line: number;
  /** 1-based lines of the body some interleaving executed, ascending */
  executed: number[];
  /** 1-based lines of the body's statements no interleaving reached, ascending */
  missed: number[];
}

export function coverageOf(compiled: Iterable<CompiledFunction>): FunctionCoverage[] {
  const out: FunctionCoverage[] = [];
  for (const c of compiled) {
    const file = c.fn.file;
    if (!file) continue;
    const hit = new Set<number>();
    const all = new Set<number>();
    c.fn.code.forEach((instr, pc) => {
      const line = 'at' in instr ? instr.at?.line : undefined;
      if (line === undefined) return;
      all.add(line);
      if (c.ops[pc]?.hit) hit.add(line);
    });
    // a function registered but never entered (a callee resolved while compiling) ran nothing
    if (!hit.size) continue;
    out.push({
      function: c.fn.name, file, line: c.fn.line ?? [...all][0] ?? 1,
      executed: [...hit].sort((a, b) => a - b),
      missed: [...all].filter((l) => !hit.has(l)).sort((a, b) => a - b),
    });
  }
  return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}
