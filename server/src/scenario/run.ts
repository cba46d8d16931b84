/**
 * Runs a parsed scenario: builds the page cache its setup describes, one thread per
 * CPU block, links every call to the era's models (or to workspace source layered
 * over them), and hands the machine to the explorer.
 */
import { knownLayoutKey } from '../sim/known-layout.js';
import * as path from 'node:path';
import type { RaceFile, Expect } from './ast.js';
import { explore, replay, type ExploreOptions, type ExploreResult } from '../explore/index.js';
import { IO_THREAD, Machine, ModelError, type StepEvent, type ThreadSpec } from '../sim/machine.js';
import { PlacedMachine } from '../sim/machine-places.js';
import type { FunctionCoverage } from '../sim/coverage.js';
import { buildLayout, type SetupSpec } from '../sim/layout.js';
import { initialWorld } from '../sim/world.js';
import { isPlainField, plainFieldsOf } from '../sim/plain-fields.js';
import { HoistingLinker, writtenUnchangingFields } from '../sim/hoist-loads.js';
import { objectId } from '../sim/program-facts.js';
import { keepAnswers, keptAnswers } from '../sim/kept-facts.js';
import { keptSetOf } from '../catalog/model-set-cache.js';
import { factsPlace, loadAnswers, saveAnswers, type FactsPlace } from '../catalog/facts-cache.js';
import { isMutableField } from '../sim/fields.js';
import { WBC_FIELDS } from '../sim/objects.js';
import type { Expr, FunctionProgram, Instr, Value } from '../sim/program.js';
import { builtinModelSet, parseEraSpec, type ModelSet } from '../catalog/models.js';
import { ModelLinker } from '../catalog/linker.js';
import { filesystem } from '../catalog/filesystems.js';
import { compareReleases } from '../catalog/tree.js';
import { describeChanges, type Change } from '../sim/describe.js';
import { reachableModels, type ModelUse } from './models-used.js';
import { runFilesystem } from './filesystem.js';
import { sortAssumptions, type Assumption } from '../sim/assumptions.js';
import { checkEntries, ranNothing, recordingSteps } from './entry-check.js';
import { windowOf, type RaceWindow } from './race-window.js';

export type { Assumption } from '../sim/assumptions.js';

/**
 * Budgets of a run that names none: 2 million states, 5 minutes, and 512 MB for what
 * the search keeps (counted as states × measured bytes per state, see explore/types.ts),
 * which keeps the whole process under about 700 MB of RSS.
 */
export const DEFAULT_MAX_STATES = 2_000_000;
export const DEFAULT_TIME_LIMIT_MS = 300_000;
export const DEFAULT_MAX_MEMORY_MB = 512;

/** What a run hands the explorer as it is: its budgets, hooks and reduction (explore/types.ts). */
type ExplorerPassed = 'reduction' | 'maxExecutions' | 'maxStates' | 'timeLimitMs' | 'shouldCancel' | 'maxHeapBytes'
  | 'onProgress' | 'progressEveryMs' | 'shortest';

/** One run of a parsed scenario (app/run.ts builds it from RunOptions). */
export interface RunRequest extends Pick<ExploreOptions, ExplorerPassed> {
  race: RaceFile;
  /** the .race file, for trace rows that point into it */
  file: string;
  eraSpec: string;
  fs?: string;
  expected?: Expect;
  /** the models to run; default: the era's built-ins */
  models?: ModelSet;
  /** false: a read only checks use is a transition of its own (sim/machine.ts readsForChecks), to measure it */
  fuseCheckReads?: boolean;
  /** true: a thread about to wait may be left out of a stubborn set (sim/machine.ts stubborn; off by default) */
  stuckWaiters?: boolean;
  /** the byte budget of the search, in MB (default DEFAULT_MAX_MEMORY_MB) */
  maxMemoryMb?: number;
  replay?: string;
  /** default true here (the explorer's own default is false) */
  stopAtFirstViolation?: boolean;
}

export interface TraceRow {
  step: number;
  cpu: string;
  label: string;
  op: string;
  function: string;
  file?: string;
  line?: number;
  column?: number;
  text?: string;
  state: string;
  /** the raw changes `state` describes, for the JSON result's `changes` */
  changes?: Change[];
  remarks: string[];
}

export interface RunResult {
  scenario: string;
  era: string;
  fs?: string;
  verdict: 'holds' | 'violated' | 'incomplete' | 'error';
  invariant?: string;
  message?: string;
  expected?: { verdict: string; invariants: string[] };
  /** the verdict matches the scenario's `expect` line for this run */
  asExpected?: boolean;
  executions: number;
  states: number;
  violations: number;
  ms: number;
  budgetHit?: string;
  models: ModelUse[];
  /** what the verdict rests on that the model could not follow (unknown calls, identifiers), with places */
  assumptions: Assumption[];
  cpus: { id: string; label: string }[];
  trace?: TraceRow[];
  schedule?: string;
  /** the source lines some interleaving executed, per function that ran (sim/coverage.ts) */
  coverage?: FunctionCoverage[];
  /** the steps of different CPUs whose order decides a violation, and the sentence that says so (race-window.ts) */
  window?: RaceWindow;
}

function setupSpec(race: RaceFile, fsName: string, models: ModelSet): SetupSpec {
  const info = filesystem(fsName);
  if (!info) throw new ModelError(`unknown filesystem '${fsName}'`);
  const aops = info.aops.find((t) => models.ops.has(t));
  if (!aops) throw new ModelError(`era ${models.spec} has no address_space_operations for ${fsName} (looked for ${info.aops.join(', ')})`);
  // the mappings' vm_operations_struct, where the model set has one (the built-in eras before 6.1 call ->page_mkwrite directly)
  const vmops = info.vmops?.find((t) => models.ops.has(t));
  // its file_operations, where the model set has them (a tree's: the built-in eras have none, and write through ->direct_IO)
  const fops = info.fops?.find((t) => models.ops.has(t));
  return {
    aops,
    ...(vmops ? { vmops } : {}),
    ...(fops ? { fops } : {}),
    fs: { name: fsName, options: race.setup.fs?.options ?? {} },
    files: race.setup.files.map((f) => ({
      name: f.name,
      pages: f.pages.map((p) => ({
        name: p.name, index: p.index, buffers: p.buffers,
        uptodate: p.flags.uptodate, dirty: p.flags.dirty, writeback: p.flags.writeback, locked: p.flags.locked,
        delalloc: p.flags.delalloc && info.delalloc, pinned: p.flags.pinned, free: p.flags.free, absent: p.flags.absent,
        ...(p.tailOf !== undefined ? { tailOf: p.tailOf } : {}),
      })),
    })),
    mmaps: race.setup.mmaps.map((m) => ({
      name: m.name, file: m.file, shared: m.shared,
      ptes: m.ptes.map((p) => ({ page: p.page, present: p.present, writable: p.writable, dirty: p.dirty })),
    })),
  };
}

/** Setup objects are the parameters of every CPU program; these are their values. */
function objectBindings(race: RaceFile): Map<string, Value> {
  const b = new Map<string, Value>();
  for (const f of race.setup.files) {
    b.set(f.name, `mapping:${f.name}`);
    for (const p of f.pages) b.set(p.name, `page:${p.name}`);
  }
  // a CPU block named as an argument (kill(P1)) is the task that CPU runs
  for (const c of race.cpus) b.set(c.name, `task:${c.name}`);
  for (const m of race.setup.mmaps) {
    b.set(m.name, `vma:${m.name}`);
    for (const p of m.ptes) b.set(`${m.name}[${p.page}]`, `pte:${m.name}/${p.page}`);
  }
  return b;
}

function cpuProgram(name: string, calls: RaceFile['final'], params: string[], file: string): FunctionProgram {
  const code: Instr[] = calls.map((call) => ({
    op: 'call',
    callee: call.name,
    args: call.args.map((a): Expr => a.kind === 'int' ? { k: 'num', v: a.value }
      : a.kind === 'object' ? { k: 'local', name: a.name } : { k: 'local', name: `${a.mmap}[${a.page}]` }),
    at: { line: call.range.start.line, column: call.range.start.column, text: `${call.name}(${call.args.map(argText).join(', ')})` },
  }));
  code.push({ op: 'ret' });
  return { name, params, code, file, line: calls[0]?.range.start.line ?? 1, notes: [] };
}

function argText(a: RaceFile['final'][number]['args'][number]): string {
  return a.kind === 'int' ? String(a.value) : a.kind === 'object' ? a.name : `${a.mmap}[${a.page}]`;
}

/**
 * One row per step. A transition that took a lock acquire with the step after it, or a
 * release with the step before it, gives several rows with the same step number: one
 * entry of the schedule each.
 */
function traceRows(trace: { tid: string; event: StepEvent }[]): TraceRow[] {
  return trace.flatMap((t, i) => [t.event, ...(t.event.fused ?? [])].map((e) => ({
    step: i + 1, cpu: e.tid, label: e.label, op: e.op,
    // a step taken by the scenario's own CPU block is named after the block
    function: /^(P\d+:|final$)/.test(e.fn) ? `(${e.fn.replace(':', ' ')})` : e.fn,
    ...(e.file !== undefined ? { file: e.file } : {}),
    ...(e.line !== undefined ? { line: e.line } : {}),
    ...(e.column !== undefined ? { column: e.column } : {}),
    ...(e.text !== undefined ? { text: e.text } : {}),
    state: describeChanges(e.changes), changes: e.changes, remarks: e.remarks,
  })));
}

/** The functions a scenario calls directly: the roots of what its runs can reach. */
export function scenarioRoots(race: RaceFile): string[] {
  return [...new Set([...race.cpus.flatMap((c) => c.calls), ...race.final].map((c) => c.name))];
}

/**
 * The machine a run explores: the scenario's CPU blocks as programs over the era's
 * models (or the request's), with the functions it reaches listed for `models[]`.
 * Throws ModelError (at the scenario's call) for a call with the wrong arity.
 */
export function scenarioMachine(req: RunRequest): { machine: Machine; models: RunResult['models']; standIns: StandInUse[]; factsAt?: FactsPlace } {
  const { race } = req;
  const fsName = runFilesystem(race, req.fs);
    const given = req.models ?? builtinModelSet(req.eraSpec);
    const setup = placed(() => setupSpec(race, fsName, given), fsPlace(req));
    const { models, standIns } = withStandIns(given, setup.aops, fsName);
    const layout = buildLayout(setup, models.ops);
    layout.kswapd = new Set(race.cpus.filter((c) => c.label === 'kswapd').map((c) => c.name));
    const bindings = objectBindings(race);
    const params = [...bindings.keys()];
    const args = [...bindings.values()];
    const shown = path.basename(req.file);
    const programs = new Map<string, FunctionProgram>();
    const cpus: ThreadSpec[] = race.cpus.map((c) => {
      const name = `${c.name}:${c.label}`;
      programs.set(name, cpuProgram(name, c.calls, params, shown));
      return { id: c.name, label: c.label, fn: name, args };
    });
    let final: ThreadSpec | undefined;
    if (race.final.length) {
      programs.set('final', cpuProgram('final', race.final, params, shown));
      final = { id: 'final', label: 'final', fn: 'final', args };
    }
    const linker = new ModelLinker(models, programs);
    checkArity(race, shown, linker);
    checkEntries(race, shown, linker, models, setup.aops, fsName);
    const file = layout.files.values().next().value;
    // the tables the filesystem's code names (`&ext4_dio_write_ops` to iomap_dio_rw()): their entries are called through too
    const named = (filesystem(fsName)?.namedTables ?? []).map((c) => c.find((t) => models.ops.has(t)));
    const used = reachableModels([...programs.values()], linker, models, [file?.aops, file?.vmops, file?.fops, ...named]);
    // the plain fields the reachable code reads, writes or locks get locations of their own
    const reached = [...programs.values(), ...used.flatMap((u) => { const r = linker.resolve(u.function); return r.kind === 'func' ? [r.fn] : []; })];
    // fields the code writes but the lifter read as unchanging are read as steps (a writeback_control's are dropped)
    const hoisted = writtenUnchangingFields(reached, (f) => isMutableField(f) || !isPlainField(f), new Set(Object.keys(WBC_FIELDS.all)));
    const machineLinker = hoisted.size ? new HoistingLinker(linker, hoisted) : linker;
    // what the program facts depend on: the set and the programs the run reaches, its tables, what is read as steps, the CPU blocks
    const own = [[...hoisted].sort().join(','), JSON.stringify([...layout.ops].map(([name, table]) => [name, [...table]])), JSON.stringify([...programs]), fsName, knownLayoutKey(layout)];
    const factsKey = [objectId(given), reached.slice(programs.size).map(objectId).join(','), ...own].join('\0');
    // a set kept between runs names its programs by its key: the facts' answers are kept under it and the run's own parts
    const keptSet = keptSetOf(given);
    const factsAt = keptSet ? factsPlace(keptSet, [reached.slice(programs.size).map((p) => p.name).join(','), ...own]) : undefined;
    if (factsAt && !keptAnswers(factsKey)) keepAnswers(factsKey, loadAnswers(factsAt));
    const machine = new PlacedMachine({
      layout, world: initialWorld(layout, setup, plainFieldsOf(reached), [...cpus.map((c) => c.id), ...(final ? [final.id] : []), IO_THREAD]),
      linker: machineLinker, cpus, ...(final ? { final } : {}),
      checks: new Set(race.checks.map((c) => c.id)),
      // the naive searches take every step on its own, so the bench compares like with like
      fuseSteps: (req.reduction ?? 'full') === 'full',
      ...(req.fuseCheckReads === false ? { fuseCheckReads: false } : {}),
      ...(req.stuckWaiters !== undefined ? { stuckWaiters: req.stuckWaiters } : {}),
      factsKey,
    });
    return { machine, models: used, standIns, ...(factsAt ? { factsAt } : {}) };
}

/** A stand-in entry of the run's table, with its assumption (said only by runs whose steps reach `fn` when `whenReached`). */
export interface StandInUse { op: string; fn: string; assumption: Assumption; whenReached: boolean }

/**
 * The model set with the entries the filesystem's facts supply where its table has
 * none (filesystems.ts `standIns`) in the run's release, each with the assumption it
 * rests on (said by runs that reach it); the set itself when none applies.
 */
function withStandIns(models: ModelSet, aops: string, fsName: string): { models: ModelSet; standIns: StandInUse[] } {
  const table = models.ops.get(aops);
  const release = models.release ?? parseEraSpec(models.spec).era;
  const missing = Object.entries(filesystem(fsName)?.standIns ?? {})
    .filter(([op, s]) => table && !table.has(op) && models.functions.has(s.fn)
      && (s.since === undefined || compareReleases(release, s.since) >= 0));
  if (!table || !missing.length) return { models, standIns: [] };
  const ops = new Map(models.ops);
  const patched = new Map(table);
  for (const [op, s] of missing) patched.set(op, s.fn);
  ops.set(aops, patched);
  const standIns = missing.map(([op, s]): StandInUse => ({
    op, fn: s.fn, whenReached: s.saidWhenReached === true, assumption: { kind: 'builtin-over-source', function: s.fn, message: `${aops}.${op}: ${s.why}` },
  }));
  return { models: { ...models, ops }, standIns };
}

/** The stand-ins' assumptions: each one said whenever applied, or only when the run reached its function. */
function reachedStandIns(standIns: readonly StandInUse[], reached: ReadonlySet<string>): Assumption[] {
  return standIns.filter((s) => !s.whenReached || reached.has(s.fn)).map((s) => s.assumption);
}

/**
 * The model set's assumptions, less a table entry left out ("ext4_aops.direct_IO =
 * noop_direct_IO is left out", source-models.ts) whose place a stand-in took and the
 * run never reached: like the stand-in's own, it matters only to runs that make the call.
 */
function setAssumptions(given: readonly Assumption[], standIns: readonly StandInUse[], reached: ReadonlySet<string>): Assumption[] {
  const unreached = new Set(standIns.filter((s) => s.whenReached && !reached.has(s.fn)).map((s) => s.op));
  if (!unreached.size) return [...given];
  return given.filter((a) => {
    const op = /^\w+\.(\w+) = \w+ is left out/.exec(a.message)?.[1];
    return op === undefined || !unreached.has(op);
  });
}

/** The functions whose code took a step (with the steps fused into it). */
function eventFns(e: StepEvent): string[] {
  return e.fused ? [e.fn, ...e.fused.map((f) => f.fn)] : [e.fn];
}

export function runScenario(req: RunRequest): RunResult {
  const { race } = req;
  const base: RunResult = {
    scenario: race.name, era: req.eraSpec, ...(req.fs ? { fs: req.fs } : {}),
    verdict: 'error', executions: 0, states: 0, violations: 0, ms: 0, models: [], assumptions: [],
    cpus: race.cpus.map((c) => ({ id: c.name, label: c.label })),
    ...(req.expected ? { expected: { verdict: req.expected.verdict, invariants: req.expected.invariants } } : {}),
  };
  const started = Date.now();
  try {
    const built = scenarioMachine(req);
    base.models = built.models;
    const machine = built.machine;
    // what choosing the models assumed (source sets: skipped inputs, built-ins kept over source, ...) joins what the run met
    const runAssumptions = (reached: ReadonlySet<string>): Assumption[] =>
      sortAssumptions([...machine.assumptions(), ...setAssumptions(req.models?.assumptions ?? [], built.standIns, reached), ...reachedStandIns(built.standIns, reached)]);
    if (req.replay !== undefined) {
      const replayed = replayRun(req, machine, req.replay, started);
      const reached = new Set((replayed.trace ?? []).map((r) => r.function));
      return { ...base, ...replayed, assumptions: runAssumptions(reached), coverage: machine.coverage() };
    }
    const recorded = recordingSteps(machine, new Set(built.standIns.filter((s) => s.whenReached).map((s) => s.fn)), eventFns);
    const result: ExploreResult<StepEvent> = explore(recorded.sys, {
      reduction: req.reduction ?? 'full',
      ...(req.maxExecutions !== undefined ? { maxExecutions: req.maxExecutions } : {}),
      // every search has a budget: a scenario too large to finish ends as incomplete
      maxStates: req.maxStates ?? DEFAULT_MAX_STATES,
      timeLimitMs: req.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
      maxMemoryBytes: (req.maxMemoryMb ?? DEFAULT_MAX_MEMORY_MB) * 1024 * 1024,
      ...(req.shouldCancel ? { shouldCancel: req.shouldCancel } : {}),
      ...(req.maxHeapBytes !== undefined ? { maxHeapBytes: req.maxHeapBytes } : {}),
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
      ...(req.progressEveryMs !== undefined ? { progressEveryMs: req.progressEveryMs } : {}),
      stopAtFirstViolation: req.stopAtFirstViolation ?? true,
      ...(req.shortest === false ? { shortest: false } : {}),
      // The breadth-first search for a shorter trace has no reduction: keep it small.
      // Its budget is counted in states, so that the trace a run reports does not
      // depend on how busy the machine is; the time limit is only a safety net.
      shortestMaxStates: 10_000,
      shortestTimeLimitMs: 5_000,
    });
    // what the search worked out of the facts is there for the next run over the same inputs
    if (built.factsAt && machine.facts.kept) saveAnswers(built.factsAt, machine.facts.kept);
    const out: RunResult = {
      ...base, verdict: result.verdict, executions: result.executions, states: result.states,
      violations: result.violations, ms: Date.now() - started, assumptions: runAssumptions(recorded.reached),
      ...(result.budgetHit ? { budgetHit: result.budgetHit } : {}),
      coverage: machine.coverage(),
    };
    // a holds in which some CPU took no step would be vacuous (entry-check.ts)
    const idle = out.verdict === 'holds' ? ranNothing(race, recorded.stepped) : undefined;
    if (idle) return withExpectation({ ...out, verdict: 'error', message: idle }, req.expected);
    const cex = result.firstViolation;
    if (cex) {
      out.invariant = cex.violation.invariant;
      out.message = cex.violation.message;
      out.trace = traceRows(cex.trace);
      out.schedule = cex.schedule;
      const window = windowFor(req, machine, cex.schedule, cex.violation.invariant, out.trace);
      if (window) out.window = window;
    }
    return withExpectation(out, req.expected);
  } catch (err) {
    let message = err instanceof Error ? err.message : String(err);
    // an error in a scenario's call is reported at that call, like a parse error
    if (err instanceof ModelError && err.call) message = `${req.file}:${err.call.line}:${err.call.column}: error: ${message}`;
    return { ...base, verdict: 'error', message, ms: Date.now() - started };
  }
}

/** Where a run's filesystem was named: its expect line, the setup's `fs`, or (no place) --fs. */
function fsPlace(req: RunRequest): { line: number; column: number } | undefined {
  if (req.fs !== undefined) return req.expected?.fs === req.fs ? req.expected.fsRange?.start : undefined;
  return req.race.setup.fs?.nameRange.start;
}

/** Runs `f`; a ModelError it throws is reported at `at` in the .race file. */
function placed<T>(f: () => T, at: { line: number; column: number } | undefined): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ModelError && !err.call && at) err.call = { line: at.line, column: at.column };
    throw err;
  }
}

/** A call with the wrong number of arguments is the scenario's error, at its position. */
function checkArity(race: RaceFile, file: string, linker: ModelLinker): void {
  for (const call of [...race.cpus.flatMap((c) => c.calls), ...race.final]) {
    const r = linker.resolve(call.name);
    if (r.kind !== 'func') continue;
    const want = r.fn.params.length;
    if (call.args.length !== want) {
      const error = new ModelError(`${call.name} takes ${want} argument${want === 1 ? '' : 's'} (${r.fn.params.join(', ')}), given ${call.args.length}`, undefined, file);
      error.call = { line: call.range.start.line, column: call.range.start.column };
      throw error;
    }
  }
}

/**
 * The race window of a counterexample (race-window.ts), judged on a second machine over
 * the same models that takes one primitive per transition, the trace's rows.
 */
function windowFor(req: RunRequest, machine: Machine, schedule: string, invariant: string, trace: TraceRow[]): RaceWindow | undefined {
  const rows = scenarioMachine({ ...req, reduction: 'sleep-sets' }).machine;
  return windowOf({ rows, steps: machine }, schedule, invariant, trace);
}

function replayRun(req: RunRequest, machine: Machine, schedule: string, started: number): Partial<RunResult> {
  const r = replay(machine, schedule);
  if (!r.ok) return { verdict: 'error', message: `replay: ${r.error ?? 'failed'}`, ms: Date.now() - started };
  const trace = traceRows(r.trace);
  const window = r.violation ? windowFor(req, machine, schedule, r.violation.invariant, trace) : undefined;
  return {
    // a schedule that stops before the run's end proves nothing about the rest
    verdict: r.violation ? 'violated' : r.finished ? 'holds' : 'incomplete',
    ...(r.violation ? { invariant: r.violation.invariant, message: r.violation.message }
      : r.finished ? {} : { message: `the schedule ends after ${r.trace.length} steps, before every CPU has finished` }),
    executions: 1, states: r.trace.length + 1, violations: r.violation ? 1 : 0, ms: Date.now() - started,
    trace, schedule, ...(window ? { window } : {}),
  };
}

function withExpectation(out: RunResult, expected: Expect | undefined): RunResult {
  if (!expected) return out;
  const ok = expected.verdict === out.verdict
    && (expected.verdict !== 'violated' || expected.invariants.length === 0 || expected.invariants.includes(out.invariant ?? ''));
  return { ...out, asExpected: ok };
}
