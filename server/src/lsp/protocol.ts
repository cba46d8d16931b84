/**
 * What the racelens language server and its clients say to each other beyond plain
 * LSP: command ids, custom requests and notifications, with their parameter and
 * result types. One file, used by both sides (the VS Code client imports it; other
 * editors call the same commands through `workspace/executeCommand`). Plain data
 * only: no import from vscode-languageserver or vscode, so either side can load it.
 */
import type { RunArgsJson, RunResultJson } from '../scenario/result-json.js';
import type { RunOptions } from '../app/run-options.js';

export type { RunArgsJson, RunResultJson, RunProgressJson, TraceStepJson, StateChangeJson, AssumptionJson, LocationJson, RaceWindowJson } from '../scenario/result-json.js';
export { ASSUMPTION_KIND_WORDS } from '../report/assumption-kinds.js';

/** `workspace/executeCommand` ids the server registers. */
export const Commands = {
  /** Runs one race. Arguments: [RunRaceParams]. Result: RunResultJson. Reports
   * work-done progress when the request carries a workDoneToken; honours $/cancelRequest. */
  runRace: 'racelens.runRace',
  /** Runs every expect line of a .race document or built-in scenario. Arguments:
   * [RunFileParams]. Result: RunResultJson[]. */
  runFile: 'racelens.runFile',
  /** The lifted program of a function, as `racelens explain` prints it. Arguments:
   * [ExplainParams]. Result: ExplainResult. */
  explain: 'racelens.explain',
  /** The one lens above a function: choose one of its races (most relevant first) and run
   * it. Arguments: [PickRaceParams]. The server asks with `window/showMessageRequest`;
   * the VS Code client shows a quick pick instead. Result: RunResultJson, or null. */
  pickRace: 'racelens.pickRace',
} as const;

export interface PickRaceParams {
  uri: string;
  function: string;
  /** most relevant first; the label says the race and its verdict against the text on screen */
  choices: { label: string; params: RunRaceParams }[];
}

/** Server → client: verdicts that no longer match the text on screen (an edit reached a body they ran). */
export const VerdictsStaleNotification = 'racelens/verdictsStale';
export interface VerdictsStaleParams {
  stale: { scenario: string; era: string; fs?: string; ranOn: { uri: string; version: number }[] }[];
}

/**
 * Server → client, per open C document: the functions whose lens now shows a verdict from
 * before an edit, with the races concerned. Sent as soon as the edit is seen (an editor
 * asks for lenses again only after its own pauses: VS Code takes at least 500 ms to
 * change a lens's text), and again whenever the list changes: an undo, the re-run's
 * verdict (then `functions` is empty: clear the marks), a function moved by the edit.
 * VS Code marks each function's header line with it; any client may.
 */
export const StaleFunctionsNotification = 'racelens/staleFunctions';
export interface StaleFunctionsParams {
  uri: string;
  /** the document version the lines are of */
  version: number;
  functions: {
    name: string;
    /** 0-based line of the function's name (where its lens sits), and the name's columns */
    line: number;
    column: number;
    endColumn: number;
    /** the races whose verdict above this function ran on the text before the edit */
    races: string[];
  }[];
}

/**
 * A run as an editor asks for it: the run options a user picks (the rest — sources,
 * .config, memory — come from the workspace and its settings), and where the lens
 * sits. Which source a run lifts: the document's current text (unsaved edits
 * included) overrides the file on disk; the rest comes from the workspace. Without an
 * era: the workspace tree's release, else the scenario's own; budgets default to the
 * settings of the document.
 */
export interface RunRaceParams extends Pick<RunOptions, 'scenario' | 'era' | 'fs' | 'maxExecutions' | 'maxStates' | 'timeLimitMs' | 'replay'> {
  /** the document whose text the run lifts (a `file:`, `untitled:` or `git:` uri) */
  uri?: string;
  /** the function the lens sits above (for the verdict's diagnostic and hover) */
  function?: string;
  /**
   * The old side of a diff (a `git:` document of the same file): the race runs there
   * first, unless it has a verdict for that text already, so that the lens on `uri`
   * can say before → after.
   */
  before?: string;
}

export interface RunFileParams {
  /** a built-in scenario's name, or the uri of a .race document */
  scenario: string;
}

export interface ExplainParams {
  function: string;
  era?: string;
  /** the document whose text is lifted, as for runs */
  uri?: string;
}

export interface ExplainResult {
  function: string;
  /** plain text, as `racelens explain` prints it */
  text: string;
  markdown: string;
}

/** Races the workspace knows (built-ins and .race files), for a test explorer. */
export const ListRacesRequest = 'racelens/listRaces';
export interface ListRacesResult {
  races: {
    name: string;
    title: string;
    /** `racelens-builtin:/scenarios/NAME.race` or a workspace uri */
    uri: string;
    line: number;
    /** one entry per expect line */
    runs: { era: string; fs?: string; expect: string; line: number }[];
  }[];
}

/** The text of a `racelens-builtin:` document (a built-in model or scenario). */
export const BuiltinDocumentRequest = 'racelens/builtinDocument';
export interface BuiltinDocumentParams { uri: string }
export interface BuiltinDocumentResult { text: string; languageId: 'c' | 'race' }

/** Server → client: how far the workspace index has got. */
export const IndexProgressNotification = 'racelens/indexProgress';
export interface IndexProgressParams {
  files: number;
  indexedFiles: number;
  done: boolean;
  ms: number;
}

/** Server → client: a run finished (from a lens, a command or another client). */
export const RunFinishedNotification = 'racelens/runFinished';
export interface RunFinishedParams {
  params: RunRaceParams;
  result: RunResultJson;
}

/**
 * Server → client, after every run: the lines of the source functions it ran (from the
 * workspace or an open document, not built-in models) that some interleaving executed,
 * and the statement lines none reached. Lines are 0-based, as LSP counts them. VS Code
 * shows them as test coverage ("Run with Coverage"); any client may mark them.
 */
export const RunCoverageNotification = 'racelens/runCoverage';
export interface RunCoverageParams {
  scenario: string;
  era: string;
  fs?: string;
  files: { uri: string; functions: { name: string; line: number; executed: number[]; missed: number[] }[] }[];
}

/**
 * `racelens.reviewPatch` (workspace/executeCommand; the lens above a hunk calls it too):
 * reviews an open patch document (.patch, .diff, .eml, .mbox, or an untitled diff) on
 * the workspace's kernel tree, else on the built-in models of `era` (the era setting,
 * 6.1 when none). The open C documents of the tree are read as they are on screen, and
 * the workspace's .race files (a few folders deep, open ones as on screen) run with the
 * built-in races.
 */
export const ReviewPatchCommand = 'racelens.reviewPatch';
export interface ReviewPatchParams { uri: string; src?: string; era?: string }
export interface ReviewPatchResult {
  started: boolean;
  /** the review, as `racelens review --json` prints it */
  review?: ReviewJson;
  /** why there is none */
  error?: string;
  /** workspace .race files left out (they do not parse), with why */
  skippedScenarios?: { file: string; why: string }[];
}

/** `racelens review --json`: one entry per patch and per race a patch reaches. */
export interface ReviewJson {
  version: number;
  patches: {
    subject: string;
    at: string;
    hunks: { file: string; function: string | null; applied: boolean; how: string | null; at: string; target?: string; why?: string; note?: string }[];
  }[];
  races: {
    /** 1-based: which patch of the series this line judges */
    patch: number;
    scenario: string;
    era: string;
    change: string;
    reaches: string[];
    invariants: { name: string; before: string; after: string; change: string }[];
    before: RunResultJson;
    after: RunResultJson;
  }[];
  /** races that reach a patch but are not run in this era: it is older than every release their scenario names */
  notRun?: { patch: number; scenario: string; era: string; reason: string; reaches: string[] }[];
  unreached: string[];
  known: { function: string; what: string }[];
}

/** The URI scheme of built-in models and scenarios. */
export const BUILTIN_SCHEME = 'racelens-builtin';

/** Settings under `racelens.*`, read per document (never kept in server globals). */
export interface RacelensSettings {
  /** folders of the workspace to index, relative to its root; default: mm, fs, include/linux when present */
  indexRoots: string[];
  /** era for runs when the tree does not say its release; '' = from the tree */
  defaultEra: string;
  /** the kernel .config; '' = Debian's own for the tree's release when installed */
  config: string;
  maxExecutions: number;
  maxStates: number;
  timeLimitMs: number;
  maxMemoryMb: number;
  codeLens: boolean;
  /** after an edit to a body a run reached, run that race again after a short pause */
  rerunOnEdit: boolean;
}

export const DEFAULT_SETTINGS: RacelensSettings = {
  indexRoots: [],
  defaultEra: '',
  config: '',
  maxExecutions: 0,
  maxStates: 2_000_000,
  timeLimitMs: 300_000,
  maxMemoryMb: 1024,
  codeLens: true,
  rerunOnEdit: true,
};

export type { RunArgsJson as RunArgs };
