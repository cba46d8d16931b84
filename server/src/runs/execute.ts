/**
 * One run, in the process that explores: find and parse the scenario (a built-in, or a
 * .race document read through the workspace, so an unsaved one runs as it is on
 * screen), pick its era and expect line, build the model set (the workspace's source
 * over the era's built-ins), explore, and give the version-2 JSON result.
 */
import * as path from 'node:path';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { formatDiagnostic } from '../scenario/index.js';
import { DEFAULT_MAX_STATES, DEFAULT_TIME_LIMIT_MS, runScenario, scenarioRoots, type RunResult } from '../scenario/run.js';
import { toResultJson, type ScenarioOrigin } from '../scenario/to-result-json.js';
import { RESULT_JSON_VERSION, type RunArgsJson, type RunProgressJson, type RunResultJson } from '../scenario/result-json.js';
import { BUILTIN_URI_SCHEME } from '../scenario/locations.js';
import { sourceModelSet } from '../catalog/source-models.js';
import { checkEraSpec } from '../catalog/models.js';
import { sourceEra } from '../catalog/tree.js';
import { isDiskKey, keyUri, sourceKey, type Workspace } from '../workspace/workspace.js';
import type { RaceFile } from '../scenario/ast.js';
import type { RunHead, RunRaceRequest } from './protocol.js';

export interface ExecuteHooks {
  onStarted?: (head: RunHead) => void;
  onProgress?: (p: RunProgressJson) => void;
  progressEveryMs?: number;
  shouldCancel?: () => boolean;
}

interface Found { race: RaceFile; origin: ScenarioOrigin; name: string }

const BUILTIN_SCENARIO = new RegExp(`^${BUILTIN_URI_SCHEME}:/scenarios/([^/]+)\\.race$`);

function findScenario(spec: string, workspace: Workspace): Found | string {
  const builtinName = BUILTIN_SCENARIO.exec(spec)?.[1] ?? spec;
  const builtin = builtinScenarios().find((s) => s.name === builtinName);
  let text: string;
  let origin: ScenarioOrigin;
  let shown: string;
  if (builtin) {
    text = builtin.text;
    origin = { file: builtin.file, builtinName: builtin.name };
    shown = path.relative(process.cwd(), builtin.file) || builtin.file;
  } else {
    const key = sourceKey(spec);
    try {
      text = workspace.read(key);
    } catch (err) {
      return `no built-in scenario or readable .race document '${spec}' (${(err as Error).message})`;
    }
    origin = { file: isDiskKey(key) ? key : keyUri(key) };
    shown = isDiskKey(key) ? path.relative(process.cwd(), key) || key : key;
  }
  const parsed = parseScenarioText(text, shown);
  if (!parsed.race) return parsed.diagnostics.map(formatDiagnostic).join('\n');
  origin.line = parsed.race.range.start.line;
  return { race: parsed.race, origin, name: parsed.race.name };
}

function argsOf(req: RunRaceRequest, era: string, scenario: string): RunArgsJson {
  return {
    scenario, era, ...(req.fs ? { fs: req.fs } : {}),
    sources: (req.sources ?? []).map(sourceKey),
    reduction: req.reduction ?? 'full',
    ...(req.maxExecutions !== undefined ? { maxExecutions: req.maxExecutions } : {}),
    maxStates: req.maxStates ?? DEFAULT_MAX_STATES,
    timeLimitMs: req.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
    ...(req.maxMemoryMb !== undefined ? { maxMemoryMb: req.maxMemoryMb } : {}),
    ...(req.replay !== undefined ? { replay: req.replay } : {}),
  };
}

/** An answer for a run that never got to explore (bad input) or was stopped from outside. */
export function stoppedResult(head: RunHead, verdict: 'error' | 'incomplete', fields: Partial<RunResultJson>): RunResultJson {
  return {
    version: RESULT_JSON_VERSION, scenario: head.scenario, era: head.era, ...(head.fs ? { fs: head.fs } : {}),
    verdict, executions: 0, states: 0, violations: 0, ms: 0, models: [], assumptions: [], cpus: head.cpus,
    ...fields, args: head.args,
  };
}

export function executeRun(req: RunRaceRequest, workspace: Workspace, hooks: ExecuteHooks = {}): RunResultJson {
  const started = Date.now();
  const found = findScenario(req.scenario, workspace);
  if (typeof found === 'string') {
    const head: RunHead = { scenario: req.scenario, era: req.era ?? '', cpus: [], args: argsOf(req, req.era ?? '', req.scenario) };
    return stoppedResult(head, 'error', { message: found, ms: Date.now() - started });
  }
  const { race, origin } = found;
  // sources in a kernel tree say its release: the era is the tree's unless one is asked for
  const chosen = req.sources?.length ? sourceEra(req.era, req.sources) : { era: req.era };
  const era = chosen.era ?? race.era;
  const scenarioArg = origin.builtinName ?? (isDiskKey(origin.file) ? keyUri(origin.file) : origin.file);
  const head: RunHead = {
    scenario: race.name, era, ...(req.fs ? { fs: req.fs } : {}),
    cpus: race.cpus.map((c) => ({ id: c.name, label: c.label })), args: argsOf(req, era, scenarioArg),
  };
  hooks.onStarted?.(head);
  const problem = chosen.problem ?? checkEraSpec(era);
  if (problem) return stoppedResult(head, 'error', { message: problem, ms: Date.now() - started });
  const expected = race.expects.find((e) => e.eraSpec === era && e.fs === req.fs) ?? race.expects.find((e) => e.eraSpec === era && !req.fs);
  let result: RunResult;
  try {
    const fsUsed = req.fs ?? expected?.fs ?? race.setup.fs?.name ?? 'nobh';
    const models = req.sources?.length
      ? sourceModelSet(era, req.sources, {
        roots: scenarioRoots(race), workspace, filesystems: [fsUsed], ...(req.configFile ? { configFile: req.configFile } : {}),
      })
      : undefined;
    result = runScenario({
      race, file: origin.file, eraSpec: era,
      ...(req.fs ? { fs: req.fs } : expected?.fs ? { fs: expected.fs } : {}),
      ...(expected ? { expected } : {}),
      ...(models ? { models } : {}),
      ...(req.reduction ? { reduction: req.reduction } : {}),
      ...(req.maxExecutions !== undefined ? { maxExecutions: req.maxExecutions } : {}),
      ...(req.maxStates !== undefined ? { maxStates: req.maxStates } : {}),
      ...(req.timeLimitMs !== undefined ? { timeLimitMs: req.timeLimitMs } : {}),
      ...(req.replay !== undefined ? { replay: req.replay } : {}),
      ...(req.allViolations ? { stopAtFirstViolation: false } : {}),
      // the budget is the heap's; the process's hard limit sits above it (run-service.ts)
      ...(req.maxMemoryMb !== undefined ? { maxHeapBytes: req.maxMemoryMb * 1024 * 1024 } : {}),
      ...(hooks.shouldCancel ? { shouldCancel: hooks.shouldCancel } : {}),
      ...(hooks.onProgress ? { onProgress: (p) => hooks.onProgress!({ executions: p.executions, states: p.states, elapsedMs: Math.round(p.elapsedMs) }) } : {}),
      ...(hooks.progressEveryMs !== undefined ? { progressEveryMs: hooks.progressEveryMs } : {}),
    });
  } catch (err) {
    // a --src folder that went away, say: the run's error, not the process's
    return stoppedResult(head, 'error', { message: (err as Error).message, ms: Date.now() - started });
  }
  return toResultJson(result, head.args, origin);
}
