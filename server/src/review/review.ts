/**
 * A review: patches parsed, applied in order onto a tree or an era's models, and the
 * races each step reaches judged before → after.
 */
import * as path from 'node:path';
import { Workspace } from '../workspace/workspace.js';
import { applySeries, type PatchStep } from './series.js';
import { judgeStep, loadRaces, SideRuns, type RaceReport } from './races.js';
import type { Budget, Side } from './run-adapter.js';
import type { Target } from './targets.js';
import type { Patch } from './types.js';

export interface ReviewOptions {
  target: Target;
  /** the era runs take: --era, or the tree's release */
  era: string;
  scenarioDirs?: readonly string[];
  budget?: Budget;
}

export interface StepReport { step: PatchStep; races: RaceReport[]; unreached: string[] }

export function review(patches: readonly Patch[], opts: ReviewOptions): StepReport[] {
  const steps = applySeries(patches, opts.target);
  const races = loadRaces(opts.scenarioDirs ?? []);
  const sideOf = (texts: Map<string, string>): Side => {
    if (opts.target.kind === 'era') return { kind: 'era', era: opts.era, texts };
    const workspace = new Workspace([opts.target.tree]);
    for (const [abs, text] of texts) workspace.setOverlay(abs, text, 1);
    return { kind: 'tree', era: opts.era, tree: path.resolve(opts.target.tree), workspace };
  };
  let before = new SideRuns(sideOf(new Map()), opts.budget ?? {});
  const out: StepReport[] = [];
  for (const step of steps) {
    const after = new SideRuns(sideOf(step.texts), opts.budget ?? {});
    const judged = step.changed.length ? judgeStep(races, step.changed, before, after) : { races: [], reachedNames: new Set<string>() };
    out.push({ step, races: judged.races, unreached: step.changed.filter((f) => !judged.reachedNames.has(f)) });
    before = after;
  }
  return out;
}
