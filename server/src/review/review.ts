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
import type { Budget, Side } from './run-adapter.js';
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

export function review(patches: readonly Patch[], opts: ReviewOptions): StepReport[] {
  const buffers = opts.buffers ?? new Map<string, string>();
  const steps = applySeries(patches, opts.target, buffers);
  const races = loadRaces(opts.scenarioDirs ?? [], buffers);
  const sideOf = (texts: Map<string, string>): Side => {
    if (opts.target.kind === 'era') return { kind: 'era', era: opts.era, texts };
    const workspace = new Workspace([opts.target.tree]);
    for (const [abs, text] of buffers) if (/\.[ch]$/.test(abs) && !texts.has(abs)) workspace.setOverlay(abs, text, 1);
    for (const [abs, text] of texts) workspace.setOverlay(abs, text, 1);
    return { kind: 'tree', era: opts.era, tree: path.resolve(opts.target.tree), workspace };
  };
  const memo = opts.memo ?? newRunMemo();
  const touched = [...new Set(steps.flatMap((s) => [...s.texts.keys()]))].sort();
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
  const out: StepReport[] = [];
  for (const step of steps) {
    const after = new SideRuns(sideOf(step.texts), keyOf(step.texts), budget, memo);
    const judged = step.changed.length ? judgeStep(races, step.changed, before, after) : { races: [], reachedNames: new Set<string>(), notRun: [] };
    const unreached = step.changed.filter((f) => !judged.reachedNames.has(f));
    out.push({ step, races: judged.races, notRun: judged.notRun, unreached, knows: unreached.map((f) => ({ function: f, what: whatIsKnown(f) })) });
    before = after;
  }
  return out;
}
