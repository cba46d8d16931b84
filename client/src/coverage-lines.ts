/**
 * "Did my code run?": the lines of the source functions a set of runs executed, per
 * document, merged over the runs (a line any run executed is executed). Built-in
 * models are left out. Pure (no vscode import): the Test Explorer's coverage profile
 * turns this into FileCoverage, tests read it as data. Lines are 0-based here.
 */
import { BUILTIN_SCHEME, type RunResultJson } from './protocol.js';

export interface DocumentCoverage {
  uri: string;
  /** statement line → executed by some run */
  lines: Map<number, boolean>;
  /** function → where it starts and whether any of its lines ran */
  functions: Map<string, { line: number; executed: boolean }>;
}

export function mergeCoverage(results: readonly RunResultJson[]): DocumentCoverage[] {
  const docs = new Map<string, DocumentCoverage>();
  for (const r of results) {
    for (const c of r.coverage ?? []) {
      if (c.at.uri.startsWith(`${BUILTIN_SCHEME}:`)) continue;
      let d = docs.get(c.at.uri);
      if (!d) docs.set(c.at.uri, d = { uri: c.at.uri, lines: new Map(), functions: new Map() });
      for (const l of c.executed) d.lines.set(l - 1, true);
      for (const l of c.missed) if (!d.lines.get(l - 1)) d.lines.set(l - 1, false);
      const fn = d.functions.get(c.function);
      d.functions.set(c.function, { line: c.at.line - 1, executed: (fn?.executed ?? false) || c.executed.length > 0 });
    }
  }
  return [...docs.values()];
}

/** "3 of 4 lines" counts of one document. */
export function coverageCounts(d: DocumentCoverage): { covered: number; total: number } {
  let covered = 0;
  for (const ran of d.lines.values()) if (ran) covered++;
  return { covered, total: d.lines.size };
}
