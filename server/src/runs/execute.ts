/**
 * One run, in the process that explores: the scenario found through the workspace (so
 * an unsaved .race document runs as it is on screen), its era and expect line planned,
 * explored, and given as the version-2 JSON result.
 */
import { checkEraSpec } from '../catalog/models.js';
import { toResultJson } from '../scenario/to-result-json.js';
import { RESULT_JSON_VERSION, type RunProgressJson, type RunResultJson } from '../scenario/result-json.js';
import type { RunResult } from '../scenario/run.js';
import { sourceKey, type Workspace } from '../workspace/workspace.js';
import { planRun, resolveScenario, runArgs, runEra, runPlanned, type RunOptions } from '../app/index.js';
import type { RunHead } from './protocol.js';

export interface ExecuteHooks {
  onStarted?: (head: RunHead) => void;
  onProgress?: (p: RunProgressJson) => void;
  progressEveryMs?: number;
  shouldCancel?: () => boolean;
}

/** An answer for a run that never got to explore (bad input) or was stopped from outside. */
export function stoppedResult(head: RunHead, verdict: 'error' | 'incomplete', fields: Partial<RunResultJson>): RunResultJson {
  return {
    version: RESULT_JSON_VERSION, scenario: head.scenario, era: head.era, ...(head.fs ? { fs: head.fs } : {}),
    verdict, executions: 0, states: 0, violations: 0, ms: 0, models: [], assumptions: [], cpus: head.cpus,
    ...fields, args: head.args,
  };
}

export function executeRun(req: RunOptions, workspace: Workspace, hooks: ExecuteHooks = {}): RunResultJson {
  const started = Date.now();
  const scenario = resolveScenario(req.scenario, (key) => workspace.read(key));
  if ('problem' in scenario) {
    const head: RunHead = { scenario: req.scenario, era: req.era ?? '', cpus: [], args: runArgs(req, req.era ?? '', req.scenario, sourceKey) };
    return stoppedResult(head, 'error', { message: scenario.problem, ms: Date.now() - started });
  }
  const { race, origin } = scenario;
  const chosen = runEra(req.era, req.sources);
  const era = chosen.era ?? race.era;
  const head: RunHead = {
    scenario: race.name, era, ...(req.fs ? { fs: req.fs } : {}),
    cpus: race.cpus.map((c) => ({ id: c.name, label: c.label })), args: runArgs(req, era, scenario.id, sourceKey),
  };
  hooks.onStarted?.(head);
  const problem = chosen.problem ?? checkEraSpec(era);
  if (problem) return stoppedResult(head, 'error', { message: problem, ms: Date.now() - started });
  let result: RunResult;
  try {
    result = runPlanned(req, scenario, planRun(race, era, req.fs), {
      workspace, memory: 'heap', shouldCancel: hooks.shouldCancel, progressEveryMs: hooks.progressEveryMs,
      onProgress: hooks.onProgress && ((p) => hooks.onProgress!({ executions: p.executions, states: p.states, elapsedMs: Math.round(p.elapsedMs) })),
    });
  } catch (err) {
    // a --src folder that went away, say: the run's error, not the process's
    return stoppedResult(head, 'error', { message: (err as Error).message, ms: Date.now() - started });
  }
  return toResultJson(result, head.args, origin);
}
