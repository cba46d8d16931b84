/** `racelens run`: parse scenarios, pick their runs, explore, print a table or JSON. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../scenario/index.js';
import type { RaceFile } from '../scenario/ast.js';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { DEFAULT_MAX_STATES, DEFAULT_TIME_LIMIT_MS, runScenario, scenarioRoots, type RunRequest, type RunResult } from '../scenario/run.js';
import { toResultJson, type ScenarioOrigin } from '../scenario/to-result-json.js';
import type { RunArgsJson } from '../scenario/result-json.js';
import { pathToFileURL } from 'node:url';
import { checkEraSpec } from '../catalog/models.js';
import { filesystem } from '../catalog/filesystems.js';
import type { Reduction } from '../explore/index.js';
import { runReport, verdictTable } from './format.js';
import { sourceModelSet } from '../catalog/source-models.js';
import { Workspace } from '../workspace/workspace.js';
import { sourceEra } from '../catalog/tree.js';
import { InputFileError, readRegularFile } from '../catalog/read-file.js';

export const RUN_HELP = `Options of run:
  --era ERA            run only this era (ERA or ERA+OVERLAY, e.g. 5.10+hugh); a scenario
                       with no expect line for it runs under it without an expectation
  --fs NAME            the filesystem (ext3, ext4, nobh) instead of the setup's; without
                       --era: the expect lines naming it, or the scenario's era
  --src DIR            lift the kernel functions found under DIR (a whole kernel tree, a
                       folder or a file; repeatable, a later one overrides an earlier one);
                       source replaces the built-in models of the same names. Without
                       --era, the era is the tree's release (its top Makefile)
  --config FILE        the kernel .config (plain or .xz) deciding what of the source is
                       compiled; default: Debian's for the release
                       (/usr/src/linux-config-R/config.amd64_none_amd64.xz)
  --json               one JSON object {"results": [...]} on stdout
  --max-executions N   stop exploring after N executions (verdict: incomplete)
  --time-limit-ms N    stop exploring after N ms (verdict: incomplete; default 300000)
  --max-states N       stop after N distinct states (default 2000000)
  --max-memory-mb N    stop when what the search keeps would pass N MB (verdict:
                       incomplete (memory); default 512)
  --reduction MODE     full (sleep sets + visited states, default), sleep-sets, none
  --replay SCHEDULE    run one schedule (thread ids separated by spaces) step by step
  --trace / --no-trace show (or hide) the trace of each violation; default: shown when
                       scenarios are named
  --check-expected     exit 0 when every verdict matches its scenario's expect line
  --all-violations     keep exploring after the first violation and count them all
                       (default: stop at the first, as SPIN does)
  --width N            the trace's width in columns (default: the terminal's, or 80)
  --assumptions        every assumption the verdict rests on, one a line (default: counted by kind)
`;

/** `arg`: the scenario as named on the command line (a built-in's name or a path), for replay lines. */
interface Loaded { race: RaceFile; file: string; arg: string; builtinName?: string }

/** A scenario file is never larger than this; anything bigger is not one. */
const MAX_SCENARIO_BYTES = 16 * 1024 * 1024;

function loadScenario(arg: string): Loaded {
  const builtin = builtinScenarios().find((s) => s.name === arg);
  const file = builtin?.file ?? path.resolve(arg);
  let text: string;
  if (builtin) {
    text = builtin.text;
  } else {
    try {
      text = readRegularFile(file, MAX_SCENARIO_BYTES, arg);
    } catch (err) {
      if (err instanceof InputFileError && !fs.existsSync(file) && !arg.includes('/') && !arg.endsWith('.race')) {
        throw new UsageError(`no built-in scenario or file named '${arg}' (built-ins: ${builtinScenarios().map((s) => s.name).join(', ')})`);
      }
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
  }
  const parsed = parseScenarioText(text, builtin ? path.relative(process.cwd(), file) || file : arg);
  if (!parsed.race) throw new UsageError(parsed.diagnostics.map(formatDiagnostic).join('\n'));
  return { race: parsed.race, file, arg, ...(builtin ? { builtinName: builtin.name } : {}) };
}

export class UsageError extends Error {}

function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} takes a positive integer, not '${v}'`);
  return n;
}

export function runCommand(argv: string[]): number {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        era: { type: 'string' }, fs: { type: 'string' }, src: { type: 'string', multiple: true }, config: { type: 'string' },
        json: { type: 'boolean' }, 'max-executions': { type: 'string' }, 'time-limit-ms': { type: 'string' },
        'max-states': { type: 'string' }, reduction: { type: 'string' }, replay: { type: 'string' },
        trace: { type: 'boolean' }, 'no-trace': { type: 'boolean' }, 'check-expected': { type: 'boolean' },
        'all-violations': { type: 'boolean' }, 'max-memory-mb': { type: 'string' }, width: { type: 'string' },
        assumptions: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    process.stderr.write(`racelens run: ${(err as Error).message}\n\n${RUN_HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  try {
    const width = positiveInt(values.width, '--width') ?? terminalWidth();
    const runs = runAll(positionals, values);
    const results = runs.map((x) => x.result);
    if (values.json) {
      process.stdout.write(JSON.stringify({ results: runs.map((x) => toResultJson(x.result, x.args, x.origin)) }, null, 1) + '\n');
    } else {
      const named = positionals.length > 0;
      const withTrace = values.trace ?? (values['no-trace'] ? false : named);
      if (results.length > 1) process.stdout.write(verdictTable(results) + '\n\n');
      for (const { result: r, replay, args } of runs) {
        if (results.length > 1 && r.verdict !== 'violated' && r.verdict !== 'error' && !values.trace) continue;
        (r.verdict === 'error' ? process.stderr : process.stdout).write(runReport(r, { withTrace, width, replay, allAssumptions: values.assumptions === true, roots: args.sources }) + '\n\n');
      }
    }
    return exitStatus(results, values['check-expected'] === true);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

/** 2 errors; 1 a violation (with --check-expected: a verdict other than expected); 3 a budget stop. */
function exitStatus(results: readonly RunResult[], checkExpected: boolean): number {
  if (results.some((r) => r.verdict === 'error')) return 2;
  if (checkExpected) {
    // a run stopped by a budget has no verdict to compare: it is a budget stop, not a mismatch
    if (results.some((r) => r.asExpected === false && r.verdict !== 'incomplete')) return 1;
    return results.some((r) => r.verdict === 'incomplete') ? 3 : 0;
  }
  if (results.some((r) => r.verdict === 'violated')) return 1;
  if (results.some((r) => r.verdict === 'incomplete')) return 3;
  return 0;
}

/** The trace's width: the terminal's when stdout is one, else 80. */
function terminalWidth(): number {
  const cols = process.stdout.isTTY ? process.stdout.columns : undefined;
  return cols && cols > 0 ? cols : 80;
}

/** A word as a POSIX shell reads it back. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The command line that runs this request's schedule again: every option that shaped the run. */
function replayCommand(arg: string, req: RunRequest, srcDirs: readonly string[], configFile: string | undefined, schedule: string | undefined): string | undefined {
  if (schedule === undefined) return undefined;
  const words = ['racelens', 'run', arg, '--era', req.eraSpec];
  if (req.fs) words.push('--fs', req.fs);
  for (const d of srcDirs) words.push('--src', d);
  if (configFile) words.push('--config', configFile);
  if (req.reduction && req.reduction !== 'full') words.push('--reduction', req.reduction);
  words.push('--replay', schedule);
  return words.map(shellWord).join(' ');
}

type RunValues = Record<string, string | boolean | string[] | undefined>;

interface CliRun { result: RunResult; args: RunArgsJson; origin: ScenarioOrigin; replay?: string }

function runAll(positionals: string[], values: RunValues): CliRun[] {
  let era = values.era as string | undefined;
  if (era) {
    const problem = checkEraSpec(era);
    if (problem) throw new UsageError(problem);
  }
  const srcDirs = (values.src as string[] | undefined) ?? [];
  const configFile = values.config as string | undefined;
  if (configFile && !srcDirs.length) throw new UsageError('--config needs --src: it decides what of the source is compiled');
  if (srcDirs.length) {
    // a kernel tree says its release: the era is the tree's, and an --era that does not fit is refused here
    const chosen = sourceEra(era, srcDirs);
    if (chosen.problem) throw new UsageError(chosen.problem);
    era = chosen.era;
  }
  const fsName = values.fs as string | undefined;
  if (fsName && !filesystem(fsName)) throw new UsageError(`unknown filesystem '${fsName}'`);
  const reduction = values.reduction as string | undefined;
  if (reduction && !['none', 'sleep-sets', 'full'].includes(reduction)) throw new UsageError(`--reduction takes none, sleep-sets or full`);
  const replay = values.replay as string | undefined;
  const scenarios = positionals.length ? positionals.map(loadScenario)
    : builtinScenarios().map((s) => loadScenario(s.name));
  const common: Partial<RunRequest> = {
    ...(reduction ? { reduction: reduction as Reduction } : {}),
    ...(values['all-violations'] ? { stopAtFirstViolation: false } : {}),
    ...(positiveInt(values['max-executions'] as string | undefined, '--max-executions') !== undefined ? { maxExecutions: Number(values['max-executions']) } : {}),
    ...(positiveInt(values['time-limit-ms'] as string | undefined, '--time-limit-ms') !== undefined ? { timeLimitMs: Number(values['time-limit-ms']) } : {}),
    ...(positiveInt(values['max-states'] as string | undefined, '--max-states') !== undefined ? { maxStates: Number(values['max-states']) } : {}),
    ...(positiveInt(values['max-memory-mb'] as string | undefined, '--max-memory-mb') !== undefined ? { maxMemoryMb: Number(values['max-memory-mb']) } : {}),
  };
  const requests: { req: RunRequest; loaded: Loaded }[] = [];
  for (const loaded of scenarios) {
    const { race, file } = loaded;
    // --era and --fs pick expect lines; a pick that matches none is run without an expectation
    const runs = race.expects.filter((e) => (!era || e.eraSpec === era) && (!fsName || e.fs === fsName));
    if (runs.length === 0) {
      requests.push({ loaded, req: { race, file, eraSpec: era ?? race.era, ...(fsName ? { fs: fsName } : {}), ...common } });
      continue;
    }
    for (const e of runs) requests.push({ loaded, req: { race, file, eraSpec: e.eraSpec, ...(e.fs ? { fs: e.fs } : {}), expected: e, ...common } });
  }
  if (replay !== undefined && requests.length !== 1) {
    throw new UsageError(`--replay needs exactly one run: name one scenario and its --era (this selection has ${requests.length})`);
  }
  // one workspace for every run: a file is indexed and a function lifted once per process
  const workspace = new Workspace(srcDirs);
  return requests.map(({ req: r, loaded }) => {
    const fsUsed = r.fs ?? r.race.setup.fs?.name ?? 'nobh';
    const models = srcDirs.length
      ? sourceModelSet(r.eraSpec, srcDirs, { roots: scenarioRoots(r.race), filesystems: [fsUsed], workspace, ...(configFile ? { configFile } : {}) })
      : undefined;
    const result = runScenario({ ...r, ...(models ? { models } : {}), ...(replay !== undefined ? { replay } : {}) });
    const args: RunArgsJson = {
      scenario: loaded.builtinName ?? pathToFileURL(loaded.file).href,
      era: r.eraSpec, ...(r.fs ? { fs: r.fs } : {}),
      sources: srcDirs.map((d) => path.resolve(d)),
      reduction: r.reduction ?? 'full',
      ...(r.maxExecutions !== undefined ? { maxExecutions: r.maxExecutions } : {}),
      maxStates: r.maxStates ?? DEFAULT_MAX_STATES,
      timeLimitMs: r.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
      ...(r.maxMemoryMb !== undefined ? { maxMemoryMb: r.maxMemoryMb } : {}),
      ...(replay !== undefined ? { replay } : {}),
    };
    const origin: ScenarioOrigin = { file: loaded.file, line: loaded.race.range.start.line, ...(loaded.builtinName ? { builtinName: loaded.builtinName } : {}) };
    const again = replayCommand(loaded.arg, r, srcDirs, configFile, result.schedule);
    return { result, args, origin, ...(again ? { replay: again } : {}) };
  });
}
