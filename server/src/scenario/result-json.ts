/**
 * The JSON a run result is drawn from: `racelens run --json`, the language server's
 * run command and the editor's trace view all carry this one shape. Version 2 adds,
 * over the DESIGN.md contract (which it keeps): absolute locations with columns, the
 * state change of each step as data, notes and assumptions with ranges, and the
 * arguments of the run echoed back so that a view can replay it.
 *
 * Positions are 1-based (line and column), like the CLI's `file:line:column` messages;
 * the language server converts them to LSP's 0-based positions at its edge.
 */

export const RESULT_JSON_VERSION = 2;

/** Where a thing is: a file on disk (absolute `file` and `file://` uri), an editor's
 * unsaved or virtual document (`untitled:`, `git:` uri), or a built-in model or
 * scenario (`racelens-builtin:/models/6.1/page-writeback.c`). */
export interface LocationJson {
  uri: string;
  /** absolute path when the uri is a file on disk */
  file?: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
}

/** Something the model could not follow, or chose, that the verdict rests on. */
export interface AssumptionJson {
  /** stable kind: 'unknown-call' | 'unknown-identifier' | 'unknown-table-target' |
   * 'builtin-over-source' | 'skipped-input' | 'ambiguous-definition' | 'config' | … */
  kind: string;
  /** the function whose body holds it (absent for inputs skipped before lifting) */
  function?: string;
  message: string;
  at?: LocationJson;
}

export interface NoteJson {
  message: string;
  at?: LocationJson;
}

export interface ModelUseJson {
  function: string;
  from: 'source' | 'builtin';
  era?: string;
  /** kept from version 1: the file as shown to users (relative) */
  file?: string;
  line?: number;
  at?: LocationJson;
  /** kept from version 1: the notes as text */
  notes?: string[];
  noteObjects?: NoteJson[];
  /** why a built-in model runs although the source defines the function */
  fallback?: string;
}

/** One location the step changed: `{object: "P", field: "dirty", from: 1, to: 0}`. */
export interface StateChangeJson {
  object: string;
  field: string;
  from: string | number | boolean | null;
  to: string | number | boolean | null;
}

export interface TraceStepJson {
  /** transition number; rows fused into one transition share it */
  step: number;
  cpu: string;
  label: string;
  op: string;
  function: string;
  /** kept from version 1 */
  file?: string;
  line?: number;
  column?: number;
  at?: LocationJson;
  /** the source text of the step */
  text?: string;
  /** the state change as prose, kept from version 1 */
  state: string;
  changes: StateChangeJson[];
  remarks: string[];
  /** set on the row where the invariant fired */
  violation?: boolean;
}

/** The arguments of the run, enough to run it again (`racelens run` or the server). */
export interface RunArgsJson {
  /** a built-in scenario's name, or the uri of a .race file */
  scenario: string;
  era: string;
  fs?: string;
  sources: string[];
  reduction: 'full' | 'sleep-sets' | 'none';
  maxExecutions?: number;
  maxStates?: number;
  timeLimitMs?: number;
  maxMemoryMb?: number;
  replay?: string;
}

export interface RunResultJson {
  version: typeof RESULT_JSON_VERSION;
  scenario: string;
  /** where the scenario is defined */
  scenarioAt?: LocationJson;
  era: string;
  fs?: string;
  verdict: 'holds' | 'violated' | 'incomplete' | 'error';
  invariant?: string;
  /** the invariant in one sentence, for a reader who does not know its id */
  invariantExplanation?: string;
  message?: string;
  expected?: { verdict: string; invariants: string[] };
  asExpected?: boolean;
  executions: number;
  states: number;
  violations: number;
  ms: number;
  /** 'executions' | 'states' | 'time' | 'memory' | 'cancelled' */
  budgetHit?: string;
  models: ModelUseJson[];
  assumptions: AssumptionJson[];
  cpus: { id: string; label: string }[];
  trace?: TraceStepJson[];
  schedule?: string;
  /** a violation's race window: the steps of different CPUs whose order decides it */
  window?: RaceWindowJson;
  /** the lines of each function that ran which some interleaving executed, and those none reached */
  coverage?: CoverageJson[];
  args: RunArgsJson;
  /** the editor's documents the run read, at the versions it read them (set by the language server) */
  ranOn?: { uri: string; version: number }[];
  /** what the run read in place of the workspace's source, and why (set by the language server) */
  sourceNote?: string;
}

/**
 * The race window: pairs of trace steps of different CPUs (transition numbers, `step`
 * of TraceStepJson, and the rows of the one primitive each) that conflict under the
 * explorer's dependence relation and whose reversal, everything else kept, makes the
 * schedule end without the violation.
 */
export interface RaceWindowJson {
  steps: number[];
  /** the rows of `trace` (0-based) of the window's steps: one primitive each */
  rows: number[];
  pairs: { first: number; then: number; rows: [number, number]; on: string[] }[];
  /** the window in words, built from the pairs */
  sentence: string;
}

/** One function's lines in a run: 1-based, ascending, in the file of `at`. */
export interface CoverageJson {
  function: string;
  /** where the definition starts; its uri is the file the lines are in */
  at: LocationJson;
  executed: number[];
  missed: number[];
}

/** Progress of a run, at least every 250 ms while it explores. */
export interface RunProgressJson {
  executions: number;
  states: number;
  elapsedMs: number;
}
