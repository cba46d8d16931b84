/**
 * The built-in races as the server offers them (lenses, listRaces, runs by name): the
 * scenario library and the engine's one-line histories, no list of our own.
 */
import * as fs from 'node:fs';
import { raceScenarios, racesOf as engineRacesOf, RACE_HISTORY } from '../describe/index.js';
import type { RaceFile } from '../scenario/ast.js';
import { eraInfo } from '../catalog/models.js';
import { scenarioUri } from '../scenario/locations.js';
import { entryByName } from '../catalog/functions.js';

export interface RaceInfo {
  name: string;
  title: string;
  era: string;
  /** the year the race was reported */
  year: string;
  race: RaceFile;
  file: string;
  uri: string;
}

let byName: Map<string, RaceInfo> | undefined;
const texts = new Map<string, string>();

export function builtinRaces(): Map<string, RaceInfo> {
  byName ??= new Map(raceScenarios().map((s) => [s.name, {
    name: s.name, title: s.race.title, era: s.race.era,
    year: String(RACE_HISTORY[s.name]?.year ?? eraInfo(s.race.era)?.released.slice(0, 4) ?? ''),
    race: s.race, file: s.file, uri: scenarioUri(s.name),
  }]));
  return byName;
}

export function builtinRaceText(name: string): string | undefined {
  const info = builtinRaces().get(name);
  if (!info) return undefined;
  let t = texts.get(name);
  if (t === undefined) texts.set(name, (t = fs.readFileSync(info.file, 'utf8')));
  return t;
}

/** The races `name` (any era's spelling) takes part in, derived from what their runs reach. */
export function racesOf(name: string): RaceInfo[] {
  const all = builtinRaces();
  return engineRacesOf(name).flatMap((r) => all.get(r.scenario.name) ?? []);
}

/**
 * The races of `name`, the most relevant first: the race whose fix changed it, then the
 * races whose CPUs call it directly, then those written from a thread the function's
 * own history cites (its seed), then the rest in the library's order.
 */
export function racesByRelevance(name: string): readonly RaceInfo[] {
  let known = byRelevance.get(name);
  if (!known) byRelevance.set(name, (known = rankedRaces(name)));
  return known;
}

/** The library is fixed once loaded: each name is ranked once (a hover or a lens asks for it each time). */
const byRelevance = new Map<string, readonly RaceInfo[]>();

function rankedRaces(name: string): RaceInfo[] {
  const entry = entryByName(name);
  const names = new Set(entry?.names ?? [name]);
  const seeds = new Set((entry?.history ?? []).flatMap((h) => (h.seed ? [h.seed] : [])));
  const rank = (r: RaceInfo): number => {
    if ((RACE_HISTORY[r.name]?.fixTouched ?? []).some((n) => names.has(n))) return 0;
    if (r.race.cpus.some((c) => c.calls.some((call) => names.has(call.name)))) return 1;
    // seed documents are named NNN_hash.txt; the catalog's history cites them by NNN
    if (r.race.from.some((f) => seeds.has(f.slice(0, 3)))) return 2;
    return 3;
  };
  return racesOf(name).map((r, i) => ({ r, i, k: rank(r) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.r);
}
