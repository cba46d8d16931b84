/**
 * What a kernel function is to racelens, in one answer that the editor's hover and
 * `racelens explain` both print: the simulator operation, what it reads and writes, its
 * names in other eras, the races it takes part in (derived from the scenario library)
 * with one line of history each, and the body that runs for it in this era (lifted from
 * source or built in) with its notes and assumptions.
 */
import { builtinModelSet, checkEraSpec, eraNames, type ModelFunction, type ModelSet } from '../catalog/models.js';
import { ModelLinker } from '../catalog/linker.js';
import { entryByName, type CatalogEntry, type Provenance } from '../catalog/functions.js';
import { sourceModelSet } from '../catalog/source-models.js';
import type { FunctionProgram, ModelNote } from '../sim/program.js';
import { staticAssumptions } from '../sim/assumptions.js';
import type { Workspace } from '../workspace/workspace.js';
import type { AssumptionJson, LocationJson } from '../scenario/result-json.js';
import { fileLocation, location, scenarioUri } from '../scenario/locations.js';
import { racesOf } from './races-per-function.js';
import { RACE_HISTORY } from './race-history.js';

/** Source to describe the body from: a model set already built, or sources to lift from. */
export interface DescribeSource {
  models?: ModelSet;
  sources?: readonly string[];
  workspace?: Workspace;
  /** the kernel .config deciding what of the source is compiled (default: Debian's for the release) */
  configFile?: string;
}

export interface RaceDescription {
  scenario: string;
  title: string;
  uri: string;
  year?: number;
  broke?: string;
  fixedBy: { commit: string; version: string }[];
  /** a fix with no commit to name (before git, or not in the kernel) */
  fix?: { version: string; what: string };
  /** the eras whose runs of this race reach the function */
  eras: string[];
  /** the documents the scenario was written from (its `from` line: the seed threads) */
  from: string[];
}

export type BodyDescription =
  | { kind: 'primitive'; name: string; doc: string }
  | { kind: 'noop' }
  | { kind: 'unknown' }
  | {
    kind: 'lifted' | 'builtin';
    /** the name the model has in this era */
    function: string;
    /** as shown to users */
    file: string;
    at: LocationJson;
    status: ModelFunction['status'];
    notes: ModelNote[];
    assumptions: AssumptionJson[];
    /** why the built-in model runs although source defines the function */
    fallback?: string;
    program: FunctionProgram;
  };

export interface FunctionDescription {
  name: string;
  era: string;
  entry?: Pick<CatalogEntry, 'id' | 'names' | 'file' | 'kind' | 'description' | 'reads' | 'writes'>;
  /** the entry's other names, with the eras whose built-in models use each */
  otherNames: { name: string; eras: string[] }[];
  /** when this name is used, by era */
  eras: string[];
  history: readonly Provenance[];
  races: RaceDescription[];
  body: BodyDescription;
  /** the catalog keeps the built-in model whatever the source says, and why */
  alwaysBuiltin?: string;
}

/** The eras whose built-in models define `name` (none for a primitive: it is in every era). */
function erasUsing(name: string): string[] {
  return eraNames().filter((era) => builtinModelSet(era).functions.has(name));
}

function raceDescriptions(name: string): RaceDescription[] {
  return racesOf(name).map(({ scenario, eras }) => {
    const h = RACE_HISTORY[scenario.name];
    return {
      scenario: scenario.name, title: scenario.race.title, uri: scenarioUri(scenario.name),
      ...(h ? { year: h.year, broke: h.broke } : {}),
      fixedBy: scenario.race.fixedBy.map((f) => ({ commit: f.commit, version: f.version })),
      ...(h?.fix ? { fix: h.fix } : {}),
      eras,
      from: scenario.race.from,
    };
  });
}

/**
 * What the body rests on: what choosing its model assumed (a built-in kept over source,
 * an ambiguous definition: the model set's assumptions about it) and what its code
 * holds that the simulator does not know (sim/assumptions.ts), with locations a view opens.
 */
function bodyAssumptions(fn: FunctionProgram, name: string, models: ModelSet, linker: ModelLinker, shown: string, abs: string | undefined): AssumptionJson[] {
  const chosen = (models.assumptions ?? []).filter((a) => a.function === name || a.function === fn.name);
  return [...chosen, ...staticAssumptions(fn, (n) => linker.resolve(n).kind)].map((a) => {
    // the body's own file is known by its absolute path too; others are as the assumption says
    const own = a.at && (a.at.file === shown || a.at.file === '?');
    return {
      kind: a.kind, message: a.message, function: a.function ?? fn.name,
      ...(a.at ? { at: location(own ? shown : a.at.file, own ? abs : undefined, a.at.line, a.at.column) } : {}),
    };
  });
}

/**
 * Describes `name` in era `era` (an era spec). With `source`, the body is the one the
 * source gives (lifted only as far as `name` reaches). Throws on an unknown era.
 */
export function describeFunction(name: string, era: string, source?: DescribeSource): FunctionDescription {
  const problem = checkEraSpec(era);
  if (problem) throw new Error(problem);
  const entry = entryByName(name);
  const models = source?.models
    ?? (source?.sources?.length
      ? sourceModelSet(era, source.sources, {
        roots: entry ? [...entry.names] : [name],
        ...(source.workspace ? { workspace: source.workspace } : {}),
        ...(source.configFile ? { configFile: source.configFile } : {}),
      })
      : builtinModelSet(era));
  const linker = new ModelLinker(models);
  const r = linker.resolve(name);
  let body: BodyDescription;
  if (r.kind === 'prim') {
    body = { kind: 'primitive', name: r.name, doc: r.prim.doc };
  } else if (r.kind === 'func') {
    const m = models.functions.get(name) ?? [...models.functions.values()].find((f) => f.program === r.fn);
    const shown = m?.file ?? r.fn.file ?? '';
    const line = m?.line ?? r.fn.line ?? 1;
    body = {
      kind: m?.from === 'source' ? 'lifted' : 'builtin',
      function: r.fn.name, file: shown,
      at: { ...fileLocation(shown, m?.abs), line, column: 1 },
      status: m?.status ?? 'clean',
      notes: r.fn.notes,
      assumptions: bodyAssumptions(r.fn, name, models, linker, shown, m?.abs),
      ...(m?.fallback ? { fallback: m.fallback } : {}),
      program: r.fn,
    };
  } else {
    body = { kind: r.kind === 'noop' ? 'noop' : 'unknown' };
  }
  return {
    name, era,
    ...(entry ? { entry: { id: entry.id, names: entry.names, file: entry.file, kind: entry.kind, description: entry.description, reads: entry.reads, writes: entry.writes } } : {}),
    otherNames: (entry?.names ?? []).filter((n) => n !== name).map((n) => ({ name: n, eras: erasUsing(n) })),
    eras: erasUsing(name),
    history: entry?.history ?? [],
    races: raceDescriptions(name),
    body,
    // an entry kept built-in except in the races about it (catalog lift.sourceIn) says which
    ...(entry?.lift ? { alwaysBuiltin: entry.lift.sourceIn?.length ? `${entry.lift.why} (except in ${entry.lift.sourceIn.join(', ')}, whose runs take the tree's body)` : entry.lift.why } : {}),
  };
}
