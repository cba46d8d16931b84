/**
 * What preparing a kernel tree means: the source model set of each built-in scenario
 * that has an expect line for the tree's era (with the filesystem that line or the
 * scenario names), built once ahead of the first run. The lift cache and the names
 * snapshot a cold tree needs are made then, in the run service's child, while the
 * developer reads code.
 */
import { sourceEra } from '../catalog/tree.js';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { scenarioRoots } from '../scenario/run.js';
import { planRuns, plannedFilesystem } from '../app/plan.js';

export interface PrepareJob { scenario: string; era: string; fs: string; roots: string[] }

export function prepareJobs(sources: readonly string[]): { list: PrepareJob[]; problems: string[] } {
  const chosen = sourceEra(undefined, [...sources]);
  if (chosen.problem || !chosen.era) return { list: [], problems: chosen.problem ? [chosen.problem] : [] };
  const era = chosen.era;
  const list: PrepareJob[] = [];
  const problems: string[] = [];
  for (const s of builtinScenarios()) {
    const race = parseScenarioText(s.text, s.file).race;
    if (!race) continue;
    // only the scenarios that say what this era gives: a run with no expect line is not prepared
    for (const run of planRuns(race, { era }).filter((r) => r.expected)) {
      const fs = plannedFilesystem(race, run);
      if (!list.some((j) => j.scenario === race.name && j.fs === fs)) list.push({ scenario: race.name, era, fs, roots: scenarioRoots(race) });
    }
  }
  return { list, problems };
}
