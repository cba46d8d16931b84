/** `racelens run`: parse scenarios, pick their runs, explore, print a table or JSON. */
import { commandArgs } from './args.js';
import { builtinScenarios } from '../scenario/library.js';
import type { RunResult } from '../scenario/run.js';
import { toResultJson, type ScenarioOrigin } from '../scenario/to-result-json.js';
import type { RunArgsJson } from '../scenario/result-json.js';
import { filesystem } from '../catalog/filesystems.js';
import type { Reduction } from '../explore/index.js';
import { runReport, verdictTable } from '../report/run-report.js';
import { sourceKey, Workspace } from '../workspace/workspace.js';
import { planRuns, readScenarioFile, resolveScenario, runArgs, runEra, runPlanned, type ResolvedScenario, type RunOptions } from '../app/index.js';

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
interface Loaded { scenario: ResolvedScenario; arg: string }

function loadScenario(arg: string): Loaded {
  // a file's diagnostics name it as typed
  const scenario = resolveScenario(arg, (key) => readScenarioFile(key, arg), arg);
  if ('problem' in scenario) throw new UsageError(scenario.problem);
  return { scenario, arg };
}

export class UsageError extends Error {}

function positiveInt(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} takes a positive integer, not '${v}'`);
  return n;
}

export function runCommand(argv: string[]): number {
  const parsed = commandArgs('run', RUN_HELP, argv, {
    era: { type: 'string' }, fs: { type: 'string' }, src: { type: 'string', multiple: true }, config: { type: 'string' },
    json: { type: 'boolean' }, 'max-executions': { type: 'string' }, 'time-limit-ms': { type: 'string' },
    'max-states': { type: 'string' }, reduction: { type: 'string' }, replay: { type: 'string' },
    trace: { type: 'boolean' }, 'no-trace': { type: 'boolean' }, 'check-expected': { type: 'boolean' },
    'all-violations': { type: 'boolean' }, 'max-memory-mb': { type: 'string' }, width: { type: 'string' },
    assumptions: { type: 'boolean' },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
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

/** The command line that runs this run's schedule again: every option that shaped it. */
function replayCommand(arg: string, o: RunOptions, schedule: string | undefined): string | undefined {
  if (schedule === undefined) return undefined;
  const words = ['racelens', 'run', arg, '--era', o.era ?? ''];
  if (o.fs) words.push('--fs', o.fs);
  for (const d of o.sources ?? []) words.push('--src', d);
  if (o.configFile) words.push('--config', o.configFile);
  if (o.reduction && o.reduction !== 'full') words.push('--reduction', o.reduction);
  words.push('--replay', schedule);
  return words.map(shellWord).join(' ');
}

type RunValues = Record<string, string | boolean | string[] | undefined>;

interface CliRun { result: RunResult; args: RunArgsJson; origin: ScenarioOrigin; replay?: string }

function runAll(positionals: string[], values: RunValues): CliRun[] {
  const srcDirs = (values.src as string[] | undefined) ?? [];
  const configFile = values.config as string | undefined;
  // a kernel tree says its release: the era is the tree's, and an --era that does not fit is refused here
  const chosen = runEra(values.era as string | undefined, srcDirs);
  if (chosen.problem) throw new UsageError(chosen.problem);
  if (configFile && !srcDirs.length) throw new UsageError('--config needs --src: it decides what of the source is compiled');
  const era = chosen.era;
  const fsName = values.fs as string | undefined;
  if (fsName && !filesystem(fsName)) throw new UsageError(`unknown filesystem '${fsName}'`);
  const reduction = values.reduction as string | undefined;
  if (reduction && !['none', 'sleep-sets', 'full'].includes(reduction)) throw new UsageError(`--reduction takes none, sleep-sets or full`);
  const common: Omit<RunOptions, 'scenario'> = {
    sources: srcDirs, configFile, reduction: reduction as Reduction | undefined,
    allViolations: values['all-violations'] === true,
    maxExecutions: positiveInt(values['max-executions'] as string | undefined, '--max-executions'),
    timeLimitMs: positiveInt(values['time-limit-ms'] as string | undefined, '--time-limit-ms'),
    maxStates: positiveInt(values['max-states'] as string | undefined, '--max-states'),
    maxMemoryMb: positiveInt(values['max-memory-mb'] as string | undefined, '--max-memory-mb'),
    replay: values.replay as string | undefined,
  };
  const scenarios = positionals.length ? positionals.map(loadScenario)
    : builtinScenarios().map((s) => loadScenario(s.name));
  // --era and --fs pick expect lines; a pick that matches none is run without an expectation
  const planned = scenarios.flatMap((loaded) => planRuns(loaded.scenario.race, { era, fs: fsName }).map((run) => ({ loaded, run })));
  if (common.replay !== undefined && planned.length !== 1) {
    throw new UsageError(`--replay needs exactly one run: name one scenario and its --era (this selection has ${planned.length})`);
  }
  // one workspace for every run: a file is indexed and a function lifted once per process
  const workspace = new Workspace(srcDirs);
  return planned.map(({ loaded, run }) => {
    const options: RunOptions = { ...common, scenario: loaded.scenario.id, era: run.era, fs: run.fs };
    const result = runPlanned(options, loaded.scenario, run, { workspace, memory: 'search' });
    const again = replayCommand(loaded.arg, options, result.schedule);
    return { result, args: runArgs(options, run.era, loaded.scenario.id, sourceKey), origin: loaded.scenario.origin, ...(again ? { replay: again } : {}) };
  });
}
