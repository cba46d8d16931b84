/**
 * RunResult → the JSON v2 result, until the engine's own `toResultJson` lands: files
 * as uris (built-ins as `racelens-builtin:`, documents with no file as their own uri),
 * 1-based lines and columns, the run's arguments echoed back.
 */
import * as path from 'node:path';
import type { RunResult } from '../scenario/run.js';
import { INVARIANT_DOCS, type InvariantId } from '../sim/invariants.js';
import { RESULT_JSON_VERSION, type LocationJson, type RunArgsJson, type RunResultJson } from '../scenario/result-json.js';
import { fileLocation } from '../scenario/locations.js';

export interface JsonContext {
  cwd: string;
  scenarioFile: string;
  scenarioUri: string;
  args: RunArgsJson;
}

export function locate(file: string | undefined, line: number | undefined, column: number | undefined, ctx: JsonContext): LocationJson | undefined {
  if (file === undefined || line === undefined) return undefined;
  const at = { line, column: column ?? 1 };
  if (file === path.basename(ctx.scenarioFile)) {
    return { uri: ctx.scenarioUri, ...(ctx.scenarioUri.startsWith('file:') ? { file: ctx.scenarioFile } : {}), ...at };
  }
  return { ...fileLocation(file, path.isAbsolute(file) ? file : /^[A-Za-z][\w+.-]+:/.test(file) || /^builtin[\\/]/.test(file) ? undefined : path.resolve(ctx.cwd, file)), ...at };
}

export function toJson(r: RunResult, ctx: JsonContext): RunResultJson {
  const assumptions = (r as { assumptions?: RunResultJson['assumptions'] }).assumptions ?? [];
  return {
    version: RESULT_JSON_VERSION,
    scenario: r.scenario,
    scenarioAt: { uri: ctx.scenarioUri, line: 1, column: 1 },
    era: r.era,
    ...(r.fs ? { fs: r.fs } : {}),
    verdict: r.verdict,
    ...(r.invariant ? { invariant: r.invariant, invariantExplanation: INVARIANT_DOCS[r.invariant as InvariantId] } : {}),
    ...(r.message ? { message: r.message } : {}),
    ...(r.expected ? { expected: r.expected, asExpected: r.asExpected ?? false } : {}),
    executions: r.executions, states: r.states, violations: r.violations, ms: r.ms,
    ...(r.budgetHit ? { budgetHit: r.budgetHit } : {}),
    models: r.models.map((m) => {
      const at = locate(m.file, m.line, 1, ctx);
      return { ...m, ...(at ? { at } : {}) };
    }),
    assumptions: assumptions.map((a) => ({ ...a })),
    cpus: r.cpus,
    ...(r.trace ? {
      trace: r.trace.map((t, i) => {
        const at = locate(t.file, t.line, undefined, ctx);
        return {
          step: t.step, cpu: t.cpu, label: t.label, op: t.op, function: t.function,
          ...(t.file !== undefined ? { file: t.file } : {}),
          ...(t.line !== undefined ? { line: t.line } : {}),
          ...(at ? { at } : {}),
          ...(t.text !== undefined ? { text: t.text } : {}),
          state: t.state,
          // TODO(engine-api): the state change as data comes with toResultJson
          changes: [],
          remarks: t.remarks,
          ...(r.verdict === 'violated' && i === r.trace!.length - 1 ? { violation: true } : {}),
        };
      }),
    } : {}),
    ...(r.schedule !== undefined ? { schedule: r.schedule } : {}),
    args: ctx.args,
  };
}
