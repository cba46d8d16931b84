/**
 * Which runs a request means: the era (a kernel tree's release decides it when the
 * sources are one), then the expect lines that era and filesystem pick — each line
 * its own run with its expectation — or, when none fits, one run without one.
 */
import type { Expect, RaceFile } from '../scenario/ast.js';
import { runFilesystem } from '../scenario/filesystem.js';
import { checkEraSpec } from '../catalog/models.js';
import { sourceEra } from '../catalog/tree.js';

export { DEFAULT_FILESYSTEM, runFilesystem } from '../scenario/filesystem.js';

export interface PlannedRun {
  /** era or era+overlay */
  era: string;
  /** the filesystem asked for or named by the expect line; absent: the setup's */
  fs?: string;
  /** the expect line this run is checked against */
  expected?: Expect;
}

/**
 * The era of the runs: the one asked for, checked; with sources in a kernel tree, the
 * tree's release (an era that does not fit it is a problem). Undefined when neither
 * says: each scenario then runs under its own era.
 */
export function runEra(era: string | undefined, sources: readonly string[] = []): { era?: string; problem?: string } {
  if (era) {
    const problem = checkEraSpec(era);
    if (problem) return { era, problem };
  }
  if (!sources.length) return era ? { era } : {};
  const chosen = sourceEra(era, sources);
  return chosen.problem ? { ...(era ? { era } : {}), problem: chosen.problem } : chosen.era ? { era: chosen.era } : {};
}

/**
 * Every run of a scenario that `era` and `fs` pick (either may be absent: all of its
 * lines): one per matching expect line, or one at the era asked (else the scenario's)
 * without an expectation when no line matches.
 */
export function planRuns(race: RaceFile, pick: { era?: string; fs?: string } = {}): PlannedRun[] {
  const lines = race.expects.filter((e) => (!pick.era || e.eraSpec === pick.era) && (!pick.fs || e.fs === pick.fs));
  if (lines.length) return lines.map((e) => ({ era: e.eraSpec, ...(e.fs ? { fs: e.fs } : {}), expected: e }));
  return [{ era: pick.era ?? race.era, ...(pick.fs ? { fs: pick.fs } : {}) }];
}

/**
 * The one run of a request that names its era (a lens, a test item, the run process):
 * the expect line of that era and filesystem; with no filesystem asked, the line of
 * that era that names none, else the era's first.
 */
export function planRun(race: RaceFile, era: string, fs?: string): PlannedRun {
  const expected = race.expects.find((e) => e.eraSpec === era && e.fs === fs) ?? (fs ? undefined : race.expects.find((e) => e.eraSpec === era));
  const runFs = fs ?? expected?.fs;
  return { era, ...(runFs ? { fs: runFs } : {}), ...(expected ? { expected } : {}) };
}

/** The filesystem a planned run mounts. */
export function plannedFilesystem(race: RaceFile, run: PlannedRun): string {
  return runFilesystem(race, run.fs);
}
