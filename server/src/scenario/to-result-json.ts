/**
 * A run result as the JSON of result-json.ts (version 2): what `racelens run --json`
 * prints and the run service returns. Every version-1 field stays as it was; locations
 * gain absolute paths or uris and columns, each step's state change is given as data
 * beside its prose, notes and assumptions become objects with ranges, and the run's
 * arguments are echoed back so that a view can run it again.
 */
import * as path from 'node:path';
import type { Change } from '../sim/describe.js';
import { INVARIANT_DOCS, type InvariantId } from '../sim/invariants.js';
import type { Value } from '../sim/program.js';
import type { RunResult, TraceRow } from './run.js';
import type { ModelUse } from './models-used.js';
import { fileLocation, scenarioUri } from './locations.js';
import {
  RESULT_JSON_VERSION, type AssumptionJson, type LocationJson, type ModelUseJson, type NoteJson, type RunArgsJson,
  type RunResultJson, type StateChangeJson, type TraceStepJson,
} from './result-json.js';

/** Where the run's scenario came from, for the rows its CPU blocks take. */
export interface ScenarioOrigin {
  /** the .race file's absolute path or uri */
  file: string;
  /** set for a built-in scenario: its uri is `racelens-builtin:/scenarios/NAME.race` */
  builtinName?: string;
  /** the `race` line */
  line?: number;
}

/** The shape fidelity-vocab gives RunResult's assumptions; read as `r.assumptions ?? []`. */
interface AssumptionLike {
  kind: string;
  function?: string;
  message: string;
  at?: { file: string; line: number; column?: number };
}

/** Locations the simulator writes as bookkeeping, not state a reader follows (as in sim/describe.ts). */
const HIDDEN = /^(dmax|ver|dio):/;

function scalar(v: Value): string | number | boolean | null {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    // `mapping:F`, `page:P`, `fn:end_buffer_async_write`: the name is what a reader knows
    const colon = v.indexOf(':');
    return colon > 0 && /^[a-z]+$/.test(v.slice(0, colon)) ? v.slice(colon + 1) : v;
  }
  return JSON.stringify(v);
}

/** `pg:P.dirty` → {object: P, field: dirty}; the spaces of sim/world.ts's keys. */
function objectField(k: string): { object: string; field: string } {
  const colon = k.indexOf(':');
  if (colon < 0) {
    const dot = k.indexOf('.');
    return dot < 0 ? { object: k, field: 'value' } : { object: k.slice(0, dot), field: k.slice(dot + 1) };
  }
  const space = k.slice(0, colon);
  const rest = k.slice(colon + 1);
  const dot = rest.lastIndexOf('.');
  switch (space) {
    case 'pg': case 'bh': case 'pte': case 'vma':
      return { object: rest.slice(0, dot), field: rest.slice(dot + 1) };
    case 'mem':
      return { object: rest.slice(0, dot), field: `mem[${rest.slice(dot + 1)}]` };
    case 'tag': {
      // tag:F.dirty.P: the tag of page P in file F's page cache
      const [file, tag, ...page] = rest.split('.');
      return { object: page.join('.'), field: `${file} tag ${tag}` };
    }
    case 'wq':
      return { object: rest.slice(0, dot), field: `waitq ${rest.slice(dot + 1)}` };
    case 'lock':
      return { object: rest, field: 'holder' };
    case 'disk':
      return { object: 'disk', field: rest };
    default:
      return dot < 0 ? { object: rest, field: space } : { object: rest.slice(0, dot), field: rest.slice(dot + 1) };
  }
}

export function changesJson(changes: readonly Change[]): StateChangeJson[] {
  return changes.filter((c) => !HIDDEN.test(c[0])).map(([k, from, to]) => ({ ...objectField(k), from: scalar(from), to: scalar(to) }));
}

/** Resolves the files a result names (as shown) to locations. */
class Locator {
  private readonly known = new Map<string, { uri: string; file?: string }>();

  constructor(models: readonly ModelUse[], scenario: ScenarioOrigin | undefined) {
    for (const m of models) if (m.file && m.abs) this.known.set(m.file, fileLocation(m.file, m.abs));
    if (scenario) {
      const where = scenario.builtinName ? { uri: scenarioUri(scenario.builtinName) } : fileLocation(scenario.file, scenario.file);
      // CPU blocks' steps name the .race file by its base name
      this.known.set(path.basename(scenario.file), where);
      this.known.set(scenario.file, where);
    }
  }

  at(shown: string, line: number, column?: number): LocationJson {
    const base = this.known.get(shown) ?? fileLocation(shown);
    return { ...base, line, column: column ?? 1 };
  }
}

function noteObjects(m: ModelUse, loc: Locator): NoteJson[] {
  const positioned = (m.noteList ?? []).map((n): NoteJson => ({
    message: n.what, ...(m.file ? { at: loc.at(m.file, n.line, n.column) } : {}),
  }));
  // the notes without a position: the reason a built-in model runs instead of the source
  const plain = (m.notes ?? []).slice(0, (m.notes?.length ?? 0) - positioned.length).map((message) => ({ message }));
  return [...plain, ...positioned];
}

function modelJson(m: ModelUse, loc: Locator): ModelUseJson {
  return {
    function: m.function, from: m.from,
    ...(m.era !== undefined ? { era: m.era } : {}),
    ...(m.file !== undefined ? { file: m.file } : {}),
    ...(m.line !== undefined ? { line: m.line } : {}),
    ...(m.file !== undefined && m.line !== undefined ? { at: loc.at(m.file, m.line) } : {}),
    ...(m.notes ? { notes: m.notes, noteObjects: noteObjects(m, loc) } : {}),
  };
}

function stepJson(t: TraceRow, loc: Locator, last: boolean, violated: boolean): TraceStepJson {
  return {
    step: t.step, cpu: t.cpu, label: t.label, op: t.op, function: t.function,
    ...(t.file !== undefined ? { file: t.file } : {}),
    ...(t.line !== undefined ? { line: t.line, column: t.column ?? 1 } : {}),
    ...(t.file !== undefined && t.line !== undefined ? { at: loc.at(t.file, t.line, t.column) } : {}),
    ...(t.text !== undefined ? { text: t.text } : {}),
    state: t.state,
    changes: changesJson(t.changes ?? []),
    remarks: t.remarks,
    ...(last && violated ? { violation: true } : {}),
  };
}

function assumptionJson(a: AssumptionLike, loc: Locator): AssumptionJson {
  return {
    kind: a.kind, message: a.message,
    ...(a.function !== undefined ? { function: a.function } : {}),
    ...(a.at ? { at: loc.at(a.at.file, a.at.line, a.at.column) } : {}),
  };
}

/** The version-2 JSON of a result; `args` are the arguments the run was made with. */
export function toResultJson(r: RunResult, args: RunArgsJson, scenario?: ScenarioOrigin): RunResultJson {
  const loc = new Locator(r.models, scenario);
  const assumptions = ((r as RunResult & { assumptions?: AssumptionLike[] }).assumptions ?? []).map((a) => assumptionJson(a, loc));
  const violated = r.verdict === 'violated';
  const explanation = r.invariant && Object.prototype.hasOwnProperty.call(INVARIANT_DOCS, r.invariant)
    ? INVARIANT_DOCS[r.invariant as InvariantId] : undefined;
  return {
    version: RESULT_JSON_VERSION,
    scenario: r.scenario,
    ...(scenario ? { scenarioAt: { ...(scenario.builtinName ? { uri: scenarioUri(scenario.builtinName) } : fileLocation(scenario.file, scenario.file)), line: scenario.line ?? 1, column: 1 } } : {}),
    era: r.era, ...(r.fs ? { fs: r.fs } : {}),
    verdict: r.verdict,
    ...(r.invariant ? { invariant: r.invariant } : {}),
    ...(explanation ? { invariantExplanation: explanation } : {}),
    ...(r.message ? { message: r.message } : {}),
    ...(r.expected ? { expected: r.expected, ...(r.asExpected !== undefined ? { asExpected: r.asExpected } : {}) } : {}),
    executions: r.executions, states: r.states, violations: r.violations, ms: r.ms,
    ...(r.budgetHit ? { budgetHit: r.budgetHit } : {}),
    models: r.models.map((m) => modelJson(m, loc)),
    assumptions,
    cpus: r.cpus,
    ...(r.trace ? { trace: r.trace.map((t, i) => stepJson(t, loc, i === r.trace!.length - 1, violated)) } : {}),
    ...(r.schedule !== undefined ? { schedule: r.schedule } : {}),
    ...(r.window ? { window: r.window } : {}),
    ...(r.coverage ? { coverage: r.coverage.map((c) => ({ function: c.function, at: loc.at(c.file, c.line), executed: c.executed, missed: c.missed })) } : {}),
    args,
  };
}
