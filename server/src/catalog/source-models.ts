/**
 * Model sets with workspace source layered over the built-ins: functions defined in C
 * files under the --src directories replace the built-in models of the same catalog
 * entry (under any era's name), and the static helpers they call come from the source
 * too. Source never shadows a simulator primitive or a known no-op.
 *
 * Only what a run can reach is lifted: starting from the run's roots (the functions
 * its scenario calls; by default every catalog entry), the set follows direct calls,
 * functions used as values and the functions of every ops table, through built-in and
 * lifted programs alike, to a fixed point. Every function the machine may run is
 * reachable that way (it computes its footprint classes over the same graph, from the
 * CPU programs, the I/O completions and the ops tables), so each has the program it
 * would have had if everything had been lifted.
 */
import { builtinModelSet, cloneModelSet, type ModelFunction, type ModelSet } from './models.js';
import { CATALOG, entryByName, type CatalogEntry } from './functions.js';
import { FILESYSTEMS } from './filesystems.js';
import { isNoop } from './noops.js';
import { primitives } from '../sim/ops/index.js';
import { references, type FunctionProgram } from '../sim/program.js';
import type { LiftedFunction } from '../lift/index.js';
import { LiftCache, defaultCacheRoot } from './lift-cache.js';
import { SourceFiles, type SourceFile, type SourceStats } from './source-files.js';
import type { Workspace } from '../workspace/workspace.js';

export { definitionIndex } from './source-files.js';

/** Threads the simulator's primitives spawn: roots of every run. */
const SPAWNED = ['bh_io_complete', 'page_io_complete'];

export interface SourceModelOptions {
  /**
   * The functions the run calls (its scenario's CPU blocks and final block). Default:
   * every catalog entry, for a set that serves any scenario.
   */
  roots?: readonly string[];
  /**
   * The persistent lift cache folder; false: none. Default: `$XDG_CACHE_HOME/racelens/lift`
   * (`~/.cache/...`), unless the environment sets RACELENS_LIFT_CACHE=off (or to a folder).
   */
  cache?: string | false;
  /** filled with what the run read, parsed and lifted itself */
  stats?: SourceStats;
  /**
   * Where the source is read: a long-lived workspace keeps what earlier runs learned
   * (file indexes, lifted functions) and lays open documents over the disk. Default: a
   * fresh workspace over the disk alone.
   */
  workspace?: Workspace;
}

function cacheFromOptions(opt: string | false | undefined): LiftCache | undefined {
  if (opt === false) return undefined;
  if (opt !== undefined) return new LiftCache(opt);
  const env = process.env.RACELENS_LIFT_CACHE;
  if (env === 'off' || env === '0') return undefined;
  return new LiftCache(env || defaultCacheRoot());
}

export function sourceModelSet(eraSpec: string, dirs: readonly string[], opts: SourceModelOptions = {}): ModelSet {
  const base = builtinModelSet(eraSpec);
  const set = cloneModelSet(base);
  const files = new SourceFiles(dirs, cacheFromOptions(opts.cache), opts.workspace);
  const aopsNames = new Set(FILESYSTEMS.flatMap((f) => f.aops));

  const sourcePrograms = new Set<FunctionProgram>();
  /** files whose ops tables join the set: those lifted from and those naming a filesystem's a_ops */
  const tableFiles = new Set<SourceFile>();
  const queue: string[] = [...(opts.roots ?? CATALOG.flatMap((e) => e.names)), ...SPAWNED];
  const pushTables = (f: SourceFile): void => {
    if (tableFiles.has(f)) return;
    tableFiles.add(f);
    for (const table of files.tables(f).values()) queue.push(...table.values());
  };
  for (const [, table] of base.ops) queue.push(...table.values());
  for (const f of files.files) if (f.aops.some((t) => aopsNames.has(t))) pushTables(f);

  /** Lifted functions of `names` defined in `f`, the ones a model may come from. */
  const liftFrom = (f: SourceFile, names: Set<string>, fallbacks: Map<string, string>): Map<string, ModelFunction> => {
    const usable = new Map<string, ModelFunction>();
    const lifted = files.lift(f, names);
    if (lifted.size) pushTables(f);
    for (const [name, fn] of lifted) {
      const why = unusable(name, fn);
      const where = `${f.shown}:${fn.range.startLine}`;
      if (why === 'builtin') {
        if (base.functions.has(name)) fallbacks.set(name, `source at ${where} not lifted: ${entryByName(name)!.lift!.why}`);
        continue;
      }
      if (why) {
        if (base.functions.has(name)) fallbacks.set(name, `source at ${where} not used (${why}); the built-in model runs instead`);
        continue;
      }
      fallbacks.delete(name);
      usable.set(name, {
        program: fn.program, from: 'source', file: f.shown, abs: f.abs, line: fn.range.startLine, notes: fn.program.notes, status: fn.status,
      });
    }
    return usable;
  };

  // A catalog entry is taken from source as a whole, the first time one of its names is reached.
  const entriesDone = new Set<CatalogEntry>();
  const takeEntry = (entry: CatalogEntry): void => {
    entriesDone.add(entry);
    const names = entry.names.filter((n) => !primitives.get(n) && !isNoop(n));
    const byFile = new Map<SourceFile, Set<string>>();
    for (const n of names) {
      for (const f of files.definers(n)) {
        const s = byFile.get(f);
        if (s) s.add(n);
        else byFile.set(f, new Set([n]));
      }
    }
    // later files win; the order of first appearance decides which stands for the others
    const found = new Map<string, ModelFunction>();
    const fallbacks = new Map<string, string>();
    for (const f of files.files) {
      const here = byFile.get(f);
      if (!here) continue;
      for (const [name, model] of liftFrom(f, here, fallbacks)) found.set(name, model);
    }
    for (const [name, why] of fallbacks) {
      const builtin = base.functions.get(name);
      if (builtin && !found.has(name)) set.functions.set(name, { ...builtin, fallback: why });
    }
    for (const [name, model] of found) {
      set.functions.set(name, model);
      sourcePrograms.add(model.program);
    }
    // A function found under one era's name also stands for the entry's other names that
    // the source does not define, unless it is a wrapper that calls one of them.
    for (const [name, model] of found) {
      const calls = references(model.program).calls.map((c) => c.name);
      if (entry.names.some((n) => n !== name && calls.includes(n))) continue;
      for (const other of entry.names) {
        if (other !== name && !found.has(other) && base.functions.has(other)) set.functions.set(other, model);
      }
    }
  };

  // Helpers a source function calls that no model defines come from the source too,
  // from the last file that defines them.
  const searched = new Set<string>();
  const takeHelper = (name: string): void => {
    if (set.functions.has(name) || primitives.get(name) || isNoop(name) || entryByName(name) || searched.has(name)) return;
    searched.add(name);
    const definers = files.definers(name);
    for (let i = definers.length - 1; i >= 0; i--) {
      const helper = liftFrom(definers[i], new Set([name]), new Map()).get(name);
      if (helper) {
        set.functions.set(name, helper);
        sourcePrograms.add(helper.program);
        return;
      }
      // a file whose index over-approximated (a prototype in a macro, say): try the one before
    }
  };

  const scanned = new Set<FunctionProgram>();
  const program = (name: string): FunctionProgram | undefined => {
    const own = set.functions.get(name);
    if (own) return own.program;
    if (primitives.get(name)) return undefined;
    for (const other of entryByName(name)?.names ?? []) {
      const fn = set.functions.get(other);
      if (fn) return fn.program;
      if (primitives.get(other)) return undefined;
    }
    return undefined;
  };
  while (queue.length) {
    const name = queue.pop()!;
    const entry = entryByName(name);
    if (entry && !entriesDone.has(entry)) takeEntry(entry);
    const fn = program(name);
    if (!fn || scanned.has(fn)) continue;
    scanned.add(fn);
    const { calls, values } = references(fn);
    for (const c of calls) {
      if (sourcePrograms.has(fn)) takeHelper(c.name);
      queue.push(c.name);
    }
    queue.push(...values);
  }

  // Tables from source replace the built-in tables of the same name, later files winning.
  for (const f of files.files) {
    if (!tableFiles.has(f)) continue;
    for (const [table, fields] of files.tables(f)) set.ops.set(table, fields);
  }
  files.save();
  if (opts.stats) Object.assign(opts.stats, files.stats);
  return set;
}

/** 'builtin' when the catalog keeps the built-in model; a reason when the lift cannot be run. */
function unusable(name: string, fn: LiftedFunction): string | undefined {
  if (entryByName(name)?.lift?.use === 'builtin') return 'builtin';
  if (fn.status === 'failed') return 'its body does not parse as C the lifter follows';
  return fn.program.notes.find((n) => /array subscript/.test(n.what))?.what;
}
