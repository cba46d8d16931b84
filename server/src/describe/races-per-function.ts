/**
 * Which races a kernel function takes part in, derived from the scenario library: for
 * every built-in scenario and every run its `expect` lines ask for, the functions and
 * primitives that run can reach (the scenario's calls, then direct calls, functions
 * used as values and the filesystem's a_ops table, through the era's models), the way
 * scenario/models-used.ts follows them. Computed once per process.
 */
import { builtinModelSet, type ModelSet } from '../catalog/models.js';
import { ModelLinker } from '../catalog/linker.js';
import { filesystem } from '../catalog/filesystems.js';
import { entryByName } from '../catalog/functions.js';
import { references } from '../sim/program.js';
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { scenarioRoots } from '../scenario/run.js';
import { planRuns, plannedFilesystem } from '../app/plan.js';
import type { RaceFile } from '../scenario/ast.js';

export interface RaceScenario {
  name: string;
  race: RaceFile;
  /** the built-in scenario's file */
  file: string;
}

export interface RaceReach {
  scenario: RaceScenario;
  /** the era specs of the runs that reach the function, in the scenario's expect order */
  eras: string[];
}

let reached: Map<string, Map<string, Set<string>>> | undefined;
let scenarios: RaceScenario[] | undefined;

export function raceScenarios(): RaceScenario[] {
  scenarios ??= builtinScenarios().flatMap((s) => {
    const race = parseScenarioText(s.text, s.file).race;
    return race ? [{ name: s.name, race, file: s.file }] : [];
  });
  return scenarios;
}

/** The names one run of `race` can reach: called names, the models they resolve to, primitives. */
export function namesReached(race: RaceFile, models: ModelSet, fsName: string): Set<string> {
  const linker = new ModelLinker(models);
  const names = new Set<string>();
  const queue: string[] = [...scenarioRoots(race)];
  const info = filesystem(fsName);
  const aops = info?.aops.find((t) => models.ops.has(t));
  if (aops) queue.push(...models.ops.get(aops)!.values());
  const scanned = new Set<object>();
  while (queue.length) {
    const name = queue.pop()!;
    names.add(name);
    const r = linker.resolve(name);
    if (r.kind === 'prim') names.add(r.name);
    if (r.kind !== 'func') continue;
    names.add(r.fn.name);
    if (scanned.has(r.fn)) continue;
    scanned.add(r.fn);
    const { calls, values } = references(r.fn);
    for (const c of calls) queue.push(c.name);
    queue.push(...values);
  }
  return names;
}

function index(): Map<string, Map<string, Set<string>>> {
  if (reached) return reached;
  const out = new Map<string, Map<string, Set<string>>>();
  for (const s of raceScenarios()) {
    const runs = planRuns(s.race);
    for (const run of runs) {
      let models: ModelSet;
      try {
        models = builtinModelSet(run.era);
      } catch {
        continue;
      }
      const fsName = plannedFilesystem(s.race, run);
      for (const name of namesReached(s.race, models, fsName)) {
        let byScenario = out.get(name);
        if (!byScenario) out.set(name, (byScenario = new Map()));
        let eras = byScenario.get(s.name);
        if (!eras) byScenario.set(s.name, (eras = new Set()));
        eras.add(run.era);
      }
    }
  }
  reached = out;
  return out;
}

/**
 * The built-in races whose runs reach `name` (under any era's name of its catalog
 * entry), in the library's order, with the eras of those runs.
 */
export function racesOf(name: string): RaceReach[] {
  const names = entryByName(name)?.names ?? [name];
  const idx = index();
  const out: RaceReach[] = [];
  for (const s of raceScenarios()) {
    const eras = new Set<string>();
    for (const n of names) for (const e of idx.get(n)?.get(s.name) ?? []) eras.add(e);
    if (eras.size) {
      const order = s.race.expects.map((e) => e.eraSpec);
      out.push({ scenario: s, eras: [...eras].sort((a, b) => order.indexOf(a) - order.indexOf(b)) });
    }
  }
  return out;
}
