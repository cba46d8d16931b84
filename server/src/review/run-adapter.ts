/**
 * The one place review calls the run API: the races (built-in, and .race files), model
 * sets for a side of a patch (the era's built-in models with patched files, or a tree
 * with patched files laid over it as unsaved buffers), the functions a race reaches,
 * and a run per invariant.
 */
import { builtinModelSet, builtinModelSetWith, type ModelSet } from '../catalog/models.js';
import { sourceModelSet } from '../catalog/source-models.js';
import { runScenario, scenarioMachine, scenarioRoots, type RunResult } from '../scenario/run.js';
import type { RaceFile } from '../scenario/ast.js';
import type { Workspace } from '../workspace/workspace.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { formatDiagnostic } from '../scenario/index.js';
import { PatchInputError } from './types.js';

/** One state of the source: before a patch, or after it (and the patches before it). */
export type Side =
  | { kind: 'era'; era: string; texts: ReadonlyMap<string, string> }
  | { kind: 'tree'; era: string; tree: string; workspace: Workspace };

export interface Budget {
  maxStates?: number;
  timeLimitMs?: number;
  maxExecutions?: number;
}

export interface Race { race: RaceFile; file: string; name: string; builtin: boolean }

const eraSets = new WeakMap<ReadonlyMap<string, string>, Map<string, ModelSet>>();

export function modelsFor(side: Side, race: Race): ModelSet {
  if (side.kind === 'tree') {
    return sourceModelSet(side.era, [side.tree], { roots: scenarioRoots(race.race), race: race.name, checks: race.race.checks.map((c) => c.id), filesystems: [race.race.setup.fs?.name ?? 'nobh'], workspace: side.workspace });
  }
  if (!side.texts.size) return builtinModelSet(side.era);
  let bySpec = eraSets.get(side.texts);
  if (!bySpec) eraSets.set(side.texts, (bySpec = new Map()));
  let set = bySpec.get(side.era);
  if (!set) bySpec.set(side.era, (set = builtinModelSetWith(side.era, side.texts)));
  return set;
}

/** The functions a race's runs can reach with these models (without exploring). */
export function reachedFunctions(race: Race, era: string, models: ModelSet): { functions: string[]; error?: string } {
  try {
    const { models: used } = scenarioMachine({ race: race.race, file: race.file, eraSpec: era, models });
    return { functions: [...scenarioRoots(race.race), ...used.map((u) => u.function)] };
  } catch (err) {
    return { functions: scenarioRoots(race.race), error: err instanceof Error ? err.message : String(err) };
  }
}

export type InvariantVerdict = 'holds' | 'violated' | 'incomplete' | 'error';

export interface InvariantRuns {
  verdicts: Map<string, InvariantVerdict>;
  /** the first run, with every check of the race */
  first: RunResult;
  /** the run that found each violated invariant (its trace) */
  traces: Map<string, RunResult>;
}

/**
 * Every invariant of the race's `check` line, each holds or violated: the explorer stops
 * at a first violation, so the race runs again without the invariants already found
 * violated, until a run holds (or a budget stops it).
 */
export function runPerInvariant(race: Race, era: string, models: ModelSet, budget: Budget): InvariantRuns {
  const remaining = race.race.checks.map((c) => c.id);
  const verdicts = new Map<string, InvariantVerdict>();
  const traces = new Map<string, RunResult>();
  let first: RunResult | undefined;
  while (remaining.length) {
    const checks = race.race.checks.filter((c) => remaining.includes(c.id));
    const r = runScenario({ race: { ...race.race, checks }, file: race.file, eraSpec: era, models, ...budget });
    first ??= r;
    if (r.verdict === 'violated' && r.invariant && remaining.includes(r.invariant)) {
      verdicts.set(r.invariant, 'violated');
      traces.set(r.invariant, r);
      remaining.splice(remaining.indexOf(r.invariant), 1);
      continue;
    }
    const v: InvariantVerdict = r.verdict === 'holds' ? 'holds' : r.verdict === 'violated' ? 'error' : r.verdict;
    for (const id of remaining) verdicts.set(id, v);
    if (r.verdict !== 'holds') traces.set('', r);
    break;
  }
  return { verdicts, first: first!, traces };
}

/**
 * The built-in races and the .race files of `scenarioDirs` (a folder's, or a file),
 * a file read from `buffers` when an editor holds it unsaved.
 */
export function loadRaces(scenarioDirs: readonly string[], buffers: ReadonlyMap<string, string> = new Map()): Race[] {
  const races: Race[] = [];
  for (const s of builtinScenarios()) {
    const parsed = parseScenarioText(s.text, s.file);
    if (parsed.race) races.push({ race: parsed.race, file: s.file, name: s.name, builtin: true });
  }
  for (const dir of scenarioDirs) {
    let isDir: boolean;
    try {
      isDir = fs.statSync(dir).isDirectory();
    } catch (err) {
      throw new PatchInputError({ file: dir, line: 1 }, `--scenarios: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message}`);
    }
    const files = isDir ? fs.readdirSync(dir).filter((f) => f.endsWith('.race')).sort().map((f) => path.join(dir, f)) : [dir];
    for (const f of files) {
      const parsed = parseScenarioText(buffers.get(path.resolve(f)) ?? fs.readFileSync(f, 'utf8'), f);
      if (!parsed.race) throw new PatchInputError({ file: f, line: parsed.diagnostics[0]?.range.start.line ?? 1 }, parsed.diagnostics.map(formatDiagnostic).join('\n'));
      races.push({ race: parsed.race, file: f, name: parsed.race.name, builtin: false });
    }
  }
  return races;
}

