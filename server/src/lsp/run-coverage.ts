/**
 * A run's coverage as the notification says it (protocol.ts RunCoverageParams): the
 * functions that ran from source, grouped by document, lines moved to LSP's 0-based
 * count. Built-in models are left out: the user's code is what the question is about.
 */
import { BUILTIN_SCHEME, type RunCoverageParams, type RunResultJson } from './protocol.js';

export function coverageParams(result: RunResultJson): RunCoverageParams {
  const files = new Map<string, RunCoverageParams['files'][number]>();
  for (const c of result.coverage ?? []) {
    if (c.at.uri.startsWith(`${BUILTIN_SCHEME}:`)) continue;
    const file = files.get(c.at.uri) ?? { uri: c.at.uri, functions: [] };
    file.functions.push({ name: c.function, line: c.at.line - 1, executed: c.executed.map((l) => l - 1), missed: c.missed.map((l) => l - 1) });
    files.set(c.at.uri, file);
  }
  return { scenario: result.scenario, era: result.era, ...(result.fs ? { fs: result.fs } : {}), files: [...files.values()] };
}
