/**
 * A review: patches parsed, applied in order onto a tree or an era's models, and the
 * races each step reaches judged before → after.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Workspace } from '../workspace/workspace.js';
import { applySeries, type PatchStep } from './series.js';
import { judgeStep, loadRaces, newRunMemo, SideRuns, type NotRun, type RaceReport, type RunMemo } from './races.js';
import type { Budget, Race, Side } from './run-adapter.js';
import type { Target } from './targets.js';
import { entryByName } from '../catalog/functions.js';
import type { Patch } from './types.js';

export interface ReviewOptions {
  target: Target;
  /** the era runs take: --era, or the tree's release */
  era: string;
  scenarioDirs?: readonly string[];
  budget?: Budget;
  /** runs kept across reviews (a patch, then its reverse); default: this review's own */
  memo?: RunMemo;
  /**
   * Texts read in place of files on disk, absolute path -> text: the editor's unsaved
   * documents (C files of the tree, and .race files among the scenarios). The patch
   * applies to them and both sides run on them.
   */
  buffers?: ReadonlyMap<string, string>;
}

export interface StepReport {
  step: PatchStep;
  races: RaceReport[];
  /** races that reach the patch but were not run in this era (eraOutsideRace) */
  notRun: NotRun[];
  /** changed functions no race reaches, and what racelens knows of each */
  unreached: string[];
  knows: { function: string; what: string }[];
}

/** One line on a function no race reaches: its catalog entry, or that it has none. */
function whatIsKnown(name: string): string {
  const e = entryByName(name);
  return e ? `${e.names.join(' / ')} (${e.file}): ${e.description}` : 'not in the catalog of functions racelens models';
}

/** What one race gives at one step: its report, or why it was not run, and the changed functions it reaches. */
export interface RaceAtStep {
  report?: RaceReport;
  notRun?: NotRun;
  reached: string[];
}

/**
 * The races of a review judged one at a time, every step of the series each: the sides
 * of the steps (a workspace each over a tree) are made once and serve every race, and a
 * race's model sets go when it is done. Each race is judged on its own, so races can be
 * judged apart (review/parallel.ts: in worker threads) and put together by `assemble`.
 */
export class ReviewJudge {
  readonly steps: PatchStep[];
  readonly races: Race[];
  private readonly sides: { before: SideRuns; after: SideRuns }[] = [];

  constructor(patches: readonly Patch[], opts: ReviewOptions) {
    const buffers = opts.buffers ?? new Map<string, string>();
    this.steps = applySeries(patches, opts.target, buffers);
    this.races = loadRaces(opts.scenarioDirs ?? [], buffers);
    const sideOf = (texts: Map<string, string>): Side => {
      if (opts.target.kind === 'era') return { kind: 'era', era: opts.era, texts };
      const workspace = new Workspace([opts.target.tree]);
      for (const [abs, text] of buffers) if (/\.[ch]$/.test(abs) && !texts.has(abs)) workspace.setOverlay(abs, text, 1);
      for (const [abs, text] of texts) workspace.setOverlay(abs, text, 1);
      return { kind: 'tree', era: opts.era, tree: path.resolve(opts.target.tree), workspace };
    };
    const memo = opts.memo ?? newRunMemo();
    const touched = [...new Set(this.steps.flatMap((s) => [...s.texts.keys()]))].sort();
    const where = opts.target.kind === 'era' ? `era ${opts.era}` : `tree ${path.resolve(opts.target.tree)} ${opts.era}`;
    // a side is named by the text of every file the series touches, patched or as on disk
    const keyOf = (texts: Map<string, string>): string => {
      const h = createHash('sha1').update(where);
      for (const f of touched) h.update(`\0${f}\0`).update(texts.get(f) ?? buffers.get(f) ?? fs.readFileSync(f, 'utf8'));
      // the unsaved buffers the runs read besides
      for (const [f, text] of [...buffers].sort((a, b) => a[0].localeCompare(b[0]))) if (!touched.includes(f)) h.update(`\0${f}\0`).update(text);
      return h.digest('hex');
    };
    const budget = opts.budget ?? {};
    let before = new SideRuns(sideOf(new Map()), keyOf(new Map()), budget, memo);
    for (const step of this.steps) {
      const after = new SideRuns(sideOf(step.texts), keyOf(step.texts), budget, memo);
      this.sides.push({ before, after });
      before = after;
    }
  }

  /** Race `i` judged at every step (one entry per step). */
  judge(i: number): RaceAtStep[] {
    const race = this.races[i]!;
    const out = this.steps.map((step, k): RaceAtStep => {
      if (!step.changed.length) return { reached: [] };
      const { before, after } = this.sides[k]!;
      const judged = judgeStep([race], step.changed, before, after);
      return { ...(judged.races[0] ? { report: judged.races[0] } : {}), ...(judged.notRun[0] ? { notRun: judged.notRun[0] } : {}), reached: [...judged.reachedNames] };
    });
    for (const { before, after } of this.sides) {
      before.forget(race);
      after.forget(race);
    }
    return out;
  }
}

/** The step reports from every race's judgment (`perRace[i]`: race i's, one entry per step), in the races' order. */
export function assemble(steps: readonly PatchStep[], perRace: readonly (readonly RaceAtStep[])[]): StepReport[] {
  return steps.map((step, k) => {
    const at = perRace.map((r) => r[k]!);
    const reachedNames = new Set(at.flatMap((a) => a.reached));
    const unreached = step.changed.filter((f) => !reachedNames.has(f));
    return {
      step, races: at.flatMap((a) => (a.report ? [a.report] : [])), notRun: at.flatMap((a) => (a.notRun ? [a.notRun] : [])),
      unreached, knows: unreached.map((f) => ({ function: f, what: whatIsKnown(f) })),
    };
  });
}

export function review(patches: readonly Patch[], opts: ReviewOptions): StepReport[] {
  const judge = new ReviewJudge(patches, opts);
  return assemble(judge.steps, judge.races.map((_, i) => judge.judge(i)));
}
