/**
 * Which races a kernel function takes part in, derived from the scenario library: a
 * function is in a race when some era's run of that scenario reaches it (called by a
 * CPU block, by a model the run reaches, or from an ops table). Adapter until the
 * engine's describe/ layer lands; computed once, lazily.
 */
import { builtinScenarios, parseScenarioText } from '../scenario/library.js';
import { scenarioMachine, scenarioRoots } from '../scenario/run.js';
import { builtinModelSet, eraInfo } from '../catalog/models.js';
import { entryByName } from '../catalog/functions.js';
import { references } from '../sim/program.js';
import type { RaceFile } from '../scenario/ast.js';

export interface RaceInfo {
  name: string;
  title: string;
  /** the scenario's own era and the year it was released */
  era: string;
  year: string;
  fixedBy: { commit: string; version: string }[];
  race: RaceFile;
  file: string;
  text: string;
}

let races: Map<string, RaceInfo> | undefined;
/** catalog id → race names */
let byEntry: Map<string, Set<string>> | undefined;

export function builtinRaces(): Map<string, RaceInfo> {
  if (!races) {
    races = new Map();
    for (const s of builtinScenarios()) {
      const parsed = parseScenarioText(s.text, s.file);
      if (!parsed.race) continue;
      const r = parsed.race;
      races.set(s.name, {
        name: r.name, title: r.title, era: r.era, year: eraInfo(r.era)?.released.slice(0, 4) ?? '',
        fixedBy: r.fixedBy.map((f) => ({ commit: f.commit, version: f.version })), race: r, file: s.file, text: s.text,
      });
    }
  }
  return races;
}

function reachedNames(info: RaceInfo, era: string, fs: string | undefined): Set<string> {
  const names = new Set<string>(scenarioRoots(info.race));
  try {
    const { models } = scenarioMachine({ race: info.race, file: info.file, eraSpec: era, ...(fs ? { fs } : {}) });
    const set = builtinModelSet(era);
    for (const m of models) {
      names.add(m.function);
      const fn = set.functions.get(m.function)?.program;
      if (fn) for (const c of references(fn).calls) names.add(c.name);
    }
  } catch {
    // an era the scenario cannot be built in says nothing about its functions
  }
  return names;
}

function entryRaces(): Map<string, Set<string>> {
  if (!byEntry) {
    byEntry = new Map();
    for (const info of builtinRaces().values()) {
      const runs = info.race.expects.length ? info.race.expects.map((e) => ({ era: e.eraSpec, fs: e.fs })) : [{ era: info.era, fs: undefined }];
      for (const run of runs) {
        for (const name of reachedNames(info, run.era, run.fs)) {
          const entry = entryByName(name);
          if (!entry) continue;
          let s = byEntry.get(entry.id);
          if (!s) byEntry.set(entry.id, (s = new Set()));
          s.add(info.name);
        }
      }
    }
  }
  return byEntry;
}

/** The races `name` (any era's spelling of a catalog function) takes part in, in library order. */
export function racesOf(name: string): RaceInfo[] {
  const entry = entryByName(name);
  if (!entry) return [];
  const names = entryRaces().get(entry.id);
  if (!names) return [];
  return [...builtinRaces().values()].filter((r) => names.has(r.name));
}
