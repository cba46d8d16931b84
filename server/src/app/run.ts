/**
 * A planned run of a resolved scenario, explored: the model set (the sources lifted
 * over the era's built-ins, through the caller's workspace so that open documents
 * run as they are on screen), then the explorer with the options' budgets.
 */
import type { ExploreProgress } from '../explore/types.js';
import { sourceModelSet } from '../catalog/source-models.js';
import { runScenario, scenarioRoots, type RunResult } from '../scenario/run.js';
import type { Workspace } from '../workspace/workspace.js';
import { plannedFilesystem, type PlannedRun } from './plan.js';
import type { RunOptions } from './run-options.js';
import type { ResolvedScenario } from './scenarios.js';

export interface RunContext {
  /** what the run reads its sources through; one per process keeps lifts warm */
  workspace: Workspace;
  /**
   * What `maxMemoryMb` bounds: 'search', what the explorer keeps (the CLI);
   * 'heap', the explorer's whole heap (the run process, whose hard limit sits above it).
   */
  memory: 'search' | 'heap';
  shouldCancel?: () => boolean;
  onProgress?: (p: ExploreProgress) => void;
  progressEveryMs?: number;
}

export function runPlanned(options: RunOptions, scenario: ResolvedScenario, run: PlannedRun, ctx: RunContext): RunResult {
  const { race, origin } = scenario;
  const sources = options.sources ?? [];
  const models = sources.length
    ? sourceModelSet(run.era, sources, {
      roots: scenarioRoots(race), race: race.name, checks: race.checks.map((c) => c.id), workspace: ctx.workspace, filesystems: [plannedFilesystem(race, run)],
      configFile: options.configFile,
    })
    : undefined;
  const memoryMb = options.maxMemoryMb;
  return runScenario({
    race, file: origin.file, eraSpec: run.era, fs: run.fs, expected: run.expected, models,
    reduction: options.reduction, maxExecutions: options.maxExecutions, maxStates: options.maxStates,
    timeLimitMs: options.timeLimitMs, replay: options.replay,
    stopAtFirstViolation: options.allViolations ? false : undefined,
    maxMemoryMb: ctx.memory === 'search' ? memoryMb : undefined,
    maxHeapBytes: ctx.memory === 'heap' && memoryMb !== undefined ? memoryMb * 1024 * 1024 : undefined,
    shouldCancel: ctx.shouldCancel, onProgress: ctx.onProgress, progressEveryMs: ctx.progressEveryMs,
  });
}
