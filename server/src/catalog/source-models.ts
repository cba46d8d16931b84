/**
 * Model sets with workspace source layered over the built-ins: functions defined in C
 * files under the --src directories replace the built-in models of the same catalog
 * entry (under any era's name), and the static helpers they call come from the source
 * too. Source never shadows a simulator primitive or a known no-op.
 *
 * Which definition of a name is used (the rule for several --src inputs and trees):
 *  1. only what the kernel configuration compiles: files its Makefiles build (or that
 *     no Makefile lists, such as headers), definitions whose #if guards hold;
 *  2. a later --src input overrides an earlier one (an edited copy of one file given
 *     after the tree replaces that file's functions);
 *  3. a static helper comes from its caller's own file when that file defines it;
 *  4. a built .c file before a header (arch/x86/include before include/ before
 *     include/asm-generic), a header before a .c file no Makefile lists;
 *  5. still several: the first in path order, said as an 'ambiguous-definition'
 *     assumption.
 * A built-in model of the same name gives way to the source, except where the catalog
 * (or BUILTIN_OVER_SOURCE) says why it stays: then a 'builtin-over-source' assumption.
 *
 * Only what a run can reach is lifted: starting from the run's roots (the functions
 * its scenario calls; by default every catalog entry), the set follows direct calls,
 * functions used as values and the functions of every ops table, through built-in and
 * lifted programs alike, to a fixed point. Every function the machine may run is
 * reachable that way (it computes its footprint classes over the same graph, from the
 * CPU programs, the I/O completions and the ops tables), so each has the program it
 * would have had if everything had been lifted.
 */
import { boundaryMessage } from './boundary-messages.js';
import * as path from 'node:path';
import { BUILTIN_DIR, builtinModelFiles, builtinModelSet, cloneModelSet, parseEraSpec, type ModelFunction, type ModelSet, type SetAssumption } from './models.js';
import { loadModelSet, modelSetKey, saveModelSet } from './model-set-cache.js';
import { recentlyChanged, stateKey } from './tree-index.js';
import { BUILTIN_OVER_SOURCE, CATALOG, OPS_ENTRIES_NOT_FOLLOWED, entryByName, type CatalogEntry } from './functions.js';
import { FILE_OPS_FOLLOWED, FILESYSTEMS, tableCandidates } from './filesystems.js';
import { isNoop, noopReason, noopStands } from './noops.js';
import { SOURCE_OVER_PRIMITIVE, primitiveReason } from './primitive-reasons.js';
import { primitives } from '../sim/ops/index.js';
import { references, type FunctionProgram } from '../sim/program.js';
import type { LiftedFunction } from '../lift/index.js';
import { fileStateOrNull, liftCacheFrom } from './lift-cache.js';
import { SourceFiles, type SourceFile, type SourceStats } from './source-files.js';
import type { Workspace } from '../workspace/workspace.js';
import { chooseConfig, type KernelConfig } from './config.js';
import { Kbuild } from './kbuild.js';
import { treeOf, type KernelTree } from './tree.js';
import type { ChosenLift } from '../lift/index.js';

export { definitionIndex } from './source-files.js';

/** Threads the simulator's primitives spawn: roots of every run. */
const SPAWNED = ['bh_io_complete', 'page_io_complete'];

export interface SourceModelOptions {
  /**
   * The functions the run calls (its scenario's CPU blocks and final block). Default:
   * every catalog entry, for a set that serves any scenario.
   */
  roots?: readonly string[];
  /** the filesystems whose a_ops tables the run uses (default: every one racelens knows) */
  filesystems?: readonly string[];
  /**
   * The invariants the run checks: a no-op whose reason does not hold for one of them
   * (noops.ts, NOOP_UNLESS_CHECKED) is looked for in the source. Default: none.
   */
  checks?: readonly string[];
  /**
   * The persistent lift cache folder; false: none. Default: `$XDG_CACHE_HOME/racelens/lift`
   * (`~/.cache/...`), unless the environment sets RACELENS_LIFT_CACHE=off (or to a folder).
   */
  cache?: string | false;
  /** the race the set is for: an entry kept built-in except in some races (`lift.sourceIn`) runs from source in those */
  race?: string;
  /** filled with what the run read, parsed and lifted itself */
  stats?: SourceStats;
  /**
   * Where the source is read: a long-lived workspace keeps what earlier runs learned
   * (file indexes, lifted functions) and lays open documents over the disk. Default: a
   * fresh workspace over the disk alone.
   */
  workspace?: Workspace;
  /** a kernel .config (plain or .xz); default: Debian's for the tree's release (or the era's) */
  configFile?: string;
}


/** The kernel trees the inputs lie in, by root. */
function treesOf(dirs: readonly string[]): Map<string, KernelTree> {
  const trees = new Map<string, KernelTree>();
  for (const d of dirs) {
    const t = treeOf(d);
    if (t && !trees.has(t.root)) trees.set(t.root, t);
  }
  return trees;
}

/** The configuration a source model set is built with, and what to say about it. */
export function sourceConfig(eraSpec: string, dirs: readonly string[], configFile?: string): { config?: KernelConfig; notes: SetAssumption[] } {
  const trees = [...treesOf(dirs).values()];
  const release = trees.find((t) => t.release)?.release ?? parseEraSpec(eraSpec).era;
  const notes: SetAssumption[] = [];
  // a configuration of another release stands in only for a kernel tree: loose files
  // (fixtures) of an older era keep the plain reading, with a note at each #if
  const choice = chooseConfig(configFile, release, trees.length > 0);
  if (choice.substitute) notes.push({ kind: 'config', message: choice.substitute });
  if (choice.missing && (trees.length || configFile)) notes.push({ kind: 'config', message: `${choice.missing}; #if branches that name CONFIG_ symbols take their first branch, and every file under --src counts as built` });
  for (const s of choice.config?.missingRequirements() ?? []) {
    notes.push({ kind: 'config', message: `${choice.config!.file}: ${s} is not set, but the simulator models a 64-bit SMP kernel` });
  }
  return { ...(choice.config ? { config: choice.config } : {}), notes };
}

/** A C file the configuration builds, into vmlinux or as a module. */
const compiled = (f: SourceFile): boolean => f.build === 'built' || f.build === 'module';

/** A definition found in source: the file and the lifted function. */
interface Found { file: SourceFile; fn: ChosenLift }

export function sourceModelSet(eraSpec: string, dirs: readonly string[], opts: SourceModelOptions = {}): ModelSet {
  const base = builtinModelSet(eraSpec);
  const set = cloneModelSet(base);
  const checks = new Set(opts.checks ?? []);
  const served = (name: string): boolean => servedBuiltin(name, checks);
  const assumptions: SetAssumption[] = [];
  set.assumptions = assumptions;
  const { config, notes } = sourceConfig(eraSpec, dirs, opts.configFile);
  assumptions.push(...notes);
  const trees = treesOf(dirs);
  const release = [...trees.values()].find((t) => t.release)?.release;
  if (release) set.release = release;
  const notRun = new Map<string, string>();
  set.notRun = notRun;
  const cache = liftCacheFrom(opts.cache);
  const kbuilds = new Map<string, Kbuild>();
  const kbuildOf = (input: string): Kbuild | undefined => {
    if (!config) return undefined;
    const tree = treeOf(input);
    if (!tree || !trees.has(tree.root)) return undefined;
    let k = kbuilds.get(tree.root);
    if (!k) kbuilds.set(tree.root, (k = new Kbuild(tree.root, config, cache?.dir)));
    return k;
  };
  const fsNames = new Set(opts.filesystems ?? FILESYSTEMS.map((f) => f.name));
  const usedFilesystems = FILESYSTEMS.filter((f) => fsNames.has(f.name));
  const modules = [...new Set(usedFilesystems.flatMap((f) => f.sourceDirs))];
  const files = new SourceFiles(dirs, cache, {
    ...(config ? { config } : {}), kbuild: kbuildOf, modules, ...(opts.workspace ? { workspace: opts.workspace } : {}),
  });
  for (const s of files.skipped) assumptions.push({ kind: 'skipped-input', message: `${s.path}: ${s.why}`, at: { file: s.path, line: 1, column: 1 } });
  // a set an earlier run built over the same inputs, as they still are (model-set-cache.ts)
  const setKey = cache ? keptSetKey(eraSpec, dirs, files, opts, config, release) : undefined;
  const kept = setKey ? loadModelSet(cache!.dir, setKey, base) : undefined;
  if (kept) {
    for (const k of kbuilds.values()) k.save();
    files.save();
    if (opts.stats) {
      const fromSource = new Set([...kept.functions.values()].filter((m) => m.from === 'source').map((m) => m.program));
      Object.assign(opts.stats, files.stats, { functionsFromCache: fromSource.size, notBuilt: files.notBuilt, modulesLeftOut: files.modulesLeftOut });
    }
    return kept;
  }
  // a_ops and vm_ops tables alike: their entries are roots of the run
  const runAops = new Set(usedFilesystems.flatMap((f) => tableCandidates(f).flat()));

  const sourcePrograms = new Set<FunctionProgram>();
  /** files whose ops tables join the set: those lifted from and those naming a filesystem's a_ops */
  const tableFiles = new Set<SourceFile>();
  /**
   * Names to follow. `lift`: look for the name's source (direct calls, functions used
   * as values, entries of the run's a_ops tables); other tables' entries are followed
   * only through the models they already have, so that a file's unrelated tables
   * (vm_operations, file_operations) do not pull in their filesystems.
   */
  const queue: { name: string; from?: string; lift: boolean }[] =
    [...(opts.roots ?? CATALOG.flatMap((e) => e.names)), ...SPAWNED].map((name) => ({ name, lift: true }));
  // built-in tables: those of the run's filesystems are roots; the others only followed
  for (const [name, table] of base.ops) for (const fn of table.values()) queue.push({ name: fn, lift: runAops.has(name) });
  const pushTables = (f: SourceFile): void => {
    if (tableFiles.has(f)) return;
    tableFiles.add(f);
    for (const table of files.tables(f).values()) for (const name of table.values()) queue.push({ name, lift: false });
  };

  /**
   * The definition of `name` the rules above choose, lifted; undefined when no input
   * compiles one. `caller`: the file of the function whose call is being followed.
   */
  // `cite`: the definition is only named in a boundary's message (a no-op or a primitive runs
  // instead), so which of several it is changes nothing the run does: no ambiguity is said
  const choose = (name: string, caller?: string, cite = false): Found | undefined => {
    let definers = [...files.definers(name)];
    // headers the configuration does not include (asm/atomic64_32.h on 64-bit, slab_def.h under SLUB)
    if (definers.length > 1) definers = definers.filter((f) => files.headerCompiled(f) !== false);
    const klass = (f: SourceFile): number =>
      compiled(f) ? 5 : f.headerRank ? 1 + f.headerRank : f.abs.endsWith('.h') ? 2 : 1;
    definers.sort((a, b) => b.input - a.input || Number(b.shown === caller) - Number(a.shown === caller) || klass(b) - klass(a));
    for (let i = 0; i < definers.length; i++) {
      const f = definers[i];
      const fn = files.lift(f, new Set([name])).get(name);
      if (!fn) continue; // the text index over-approximates, or the configuration leaves it out
      if (fn.ambiguous && !cite) assumptions.push({ kind: 'ambiguous-definition', function: name, message: fn.ambiguous, at: { file: f.shown, line: fn.range.startLine, column: fn.range.startColumn } });
      const rivals = definers.slice(i + 1).filter((g) => g.input === f.input && klass(g) === klass(f) && f.shown !== caller);
      if (!cite && rivals.length && !(compiled(f) && rivals.every((g) => g.abs.endsWith('.c')) && caller !== undefined)) {
        const others = rivals.filter((g) => files.lift(g, new Set([name])).has(name));
        if (others.length) {
          assumptions.push({
            kind: 'ambiguous-definition', function: name,
            message: `${name}: the definition in ${f.shown} was taken; ${others.map((g) => g.shown).join(', ')} also define${others.length === 1 ? 's' : ''} it and the configuration does not tell which is compiled for this caller`,
            at: { file: f.shown, line: fn.range.startLine, column: fn.range.startColumn },
          });
        }
      }
      return { file: f, fn };
    }
    return undefined;
  };

  /** The model a source definition gives, or why it cannot be used. */
  const modelOf = (name: string, found: Found): ModelFunction | string => {
    const why = unusable(name, found.fn);
    if (why) return why;
    if (found.fn.program.code.length === 0 && found.fn.status === 'failed') return 'its body could not be lifted';
    return {
      program: found.fn.program, from: 'source', file: found.file.shown, abs: found.file.abs, line: found.fn.range.startLine,
      notes: found.fn.program.notes, status: found.fn.status,
    };
  };
  const where = (found: Found): string => `${found.file.shown}:${found.fn.range.startLine}`;
  const keptBuiltin = (name: string, found: Found, why: string): void => {
    const builtin = set.functions.get(name)!;
    set.functions.set(name, { ...builtin, fallback: `source at ${where(found)} not used: ${why}` });
    assumptions.push({
      kind: 'builtin-over-source', function: name,
      message: boundaryMessage(name, `the built-in model (${builtin.file}:${builtin.line})`, where(found), why),
      at: { file: found.file.shown, line: found.fn.range.startLine, column: found.fn.range.startColumn },
    });
  };
  /** A SOURCE_OVER_PRIMITIVE name whose source cannot be used: the primitive runs, said so. */
  const keptPrimitive = (name: string, found: Found, why: string): void => {
    if (!primitives.get(name)) return;
    assumptions.push({
      kind: 'builtin-over-source', function: name,
      message: boundaryMessage(name, 'the simulator primitive', where(found), why),
      at: { file: found.file.shown, line: found.fn.range.startLine, column: found.fn.range.startColumn },
    });
  };
  const useSource = (name: string, model: ModelFunction, found: Found): void => {
    set.functions.set(name, model);
    sourcePrograms.add(model.program);
    pushTables(found.file);
  };

  // A catalog entry is taken from source as a whole, the first time one of its names is reached.
  const entriesDone = new Set<CatalogEntry>();
  const takeEntry = (entry: CatalogEntry, caller?: string): void => {
    entriesDone.add(entry);
    const names = entry.names.filter((n) => !served(n));
    const found = new Map<string, ModelFunction>();
    for (const n of names) {
      const def = choose(n, caller);
      if (!def) continue;
      const builtinWhy = entry.lift?.use === 'builtin' && !(opts.race !== undefined && entry.lift.sourceIn?.includes(opts.race)) ? entry.lift.why : undefined;
      if (builtinWhy && base.functions.has(n)) {
        keptBuiltin(n, def, builtinWhy);
        continue;
      }
      if (builtinWhy) {
        notRun.set(n, `${where(def)} defines ${n}, but the catalog keeps a built-in model for it (${builtinWhy}) and era ${base.spec} has none`);
        continue;
      }
      const model = modelOf(n, def);
      if (typeof model === 'string') {
        if (base.functions.has(n)) keptBuiltin(n, def, `${model}; the built-in model runs instead`);
        else keptPrimitive(n, def, model);
        continue;
      }
      found.set(n, model);
      useSource(n, model, def);
    }
    // A function found under one era's name also stands for the entry's other names that
    // the source does not define, unless it is a wrapper that calls one of them.
    for (const [name, model] of found) {
      const calls = references(model.program).calls.map((c) => c.name);
      if (entry.names.some((n) => n !== name && calls.includes(n))) continue;
      for (const other of entry.names) {
        if (other !== name && !found.has(other) && base.functions.has(other) && set.functions.get(other)?.from !== 'source') set.functions.set(other, model);
      }
    }
  };

  // A name served by a no-op or a primitive that the source compiles: said, with why
  // (noops.ts, primitive-reasons.ts). Only names the run follows are looked up.
  const boundaryDone = new Set<string>();
  const noteBoundary = (name: string, caller?: string): void => {
    if (boundaryDone.has(name) || !served(name) || set.functions.has(name)) return;
    boundaryDone.add(name);
    if (!files.definers(name).length) return;
    const def = choose(name, caller, true);
    if (!def) return;
    const prim = primitives.get(name);
    const why = prim
      ? primitiveReason(name) ?? `a simulator primitive (${prim.doc}); no reason is recorded for it`
      : noopReason(name)!;
    assumptions.push({
      kind: 'builtin-over-source', function: name,
      message: boundaryMessage(name, prim ? 'the simulator primitive' : 'a no-op', where(def), why),
      at: { file: def.file.shown, line: def.fn.range.startLine, column: def.fn.range.startColumn },
    });
  };

  // Any other function reached: from source when the source compiles it, even over a
  // built-in of the same name (unless the built-in is kept, with the reason said).
  const searched = new Set<string>();
  const takeFunction = (name: string, caller?: string): void => {
    if (served(name) || entryByName(name) || searched.has(name)) return;
    searched.add(name);
    const builtin = set.functions.get(name);
    if (builtin && (builtin.from !== 'builtin' || isHarness(builtin))) return;
    const def = choose(name, caller);
    if (!def) return;
    // an overlay's function gives way to source too: the source is the kernel under review
    const why = builtin ? BUILTIN_OVER_SOURCE[name] : undefined;
    if (why) return keptBuiltin(name, def, why);
    const model = modelOf(name, def);
    if (typeof model === 'string') {
      if (builtin) keptBuiltin(name, def, `${model}; the built-in model runs instead`);
      else keptPrimitive(name, def, model);
      return;
    }
    useSource(name, model, def);
  };

  // The a_ops tables of the run's filesystems: the first candidate the source defines
  // stands, and each entry whose operation some reached function calls through
  // (`mapping->a_ops->dirty_folio(...)`) is a root, as if called directly.
  const runTables: { table: string; file: SourceFile }[] = [];
  for (const candidates of usedFilesystems.flatMap(tableCandidates)) {
    for (const table of candidates) {
      const f = files.files.find((x) => x.aops.includes(table) && files.tables(x).has(table));
      if (!f) continue;
      pushTables(f);
      runTables.push({ table, file: f });
      break;
    }
  }
  const calledOps = new Set<string>();
  const entriesQueued = new Set<string>();
  const fileOpsTables = new Set(usedFilesystems.flatMap((f) => f.fops ?? []));
  const queueTableEntries = (): void => {
    for (const { table, file } of runTables) {
      for (const [op, name] of files.tables(file).get(table)!) {
        const key = `${table}.${op}`;
        if (!calledOps.has(op) || entriesQueued.has(key) || OPS_ENTRIES_NOT_FOLLOWED[key]) continue;
        if (fileOpsTables.has(table) && !FILE_OPS_FOLLOWED.has(op)) continue;
        entriesQueued.add(key);
        queue.push({ name, from: file.shown, lift: true });
      }
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
  for (;;) {
    if (!queue.length) queueTableEntries();
    if (!queue.length) break;
    const { name, from, lift } = queue.pop()!;
    const entry = entryByName(name);
    if (entry && !entriesDone.has(entry)) takeEntry(entry, from);
    else if (!entry && lift) takeFunction(name, from);
    if (lift) noteBoundary(name, from);
    const fn = program(name);
    if (!fn || scanned.has(fn)) continue;
    scanned.add(fn);
    const file = sourcePrograms.has(fn) ? fn.file : undefined;
    const refs = references(fn);
    const { stored, passed, ops } = refs;
    const calls = refs.calls.map((c) => c.name);
    for (const op of ops) calledOps.add(op);
    for (const c of calls) queue.push({ name: c, lift: true, ...(file ? { from: file } : {}) });
    for (const v of stored) queue.push({ name: v, lift: true, ...(file ? { from: file } : {}) });
    // A function handed to a callee is lifted when the caller's own file defines it (a
    // callback of the same code, as end_buffer_async_write); one from elsewhere
    // (ext4_get_block handed to the buffer code) is followed only through a model it
    // already has: if the run calls it, the call is an unknown call, said as such.
    for (const v of passed) queue.push({ name: v, lift: !!file && files.definers(v).some((f) => f.shown === file), ...(file ? { from: file } : {}) });
  }

  // Tables from source replace the built-in tables of the same name, later files winning,
  // without the entries the model does not follow (said as assumptions).
  for (const f of files.files) {
    if (!tableFiles.has(f)) continue;
    for (const u of files.undecidedEntries(f)) {
      const what = u.slot ? `${u.table}.${u.slot} = ${u.fn}` : u.table;
      assumptions.push({
        kind: 'config', ...(u.fn ? { function: u.fn } : {}),
        message: `${what} is compiled under #if ${u.guard}, which the configuration does not settle: taken`,
        at: { file: f.shown, line: u.slot ? files.lineOf(f, new RegExp(`\\.${u.slot}\\s*=`)) : files.lineOf(f, new RegExp(`\\b${u.table}\\s*=`)), column: 1 },
      });
    }
    for (const [table, fields] of files.tables(f)) {
      let kept = fields;
      for (const [op, target] of fields) {
        const why = OPS_ENTRIES_NOT_FOLLOWED[`${table}.${op}`];
        if (!why) continue;
        if (kept === fields) kept = new Map(fields);
        kept.delete(op);
        if (runAops.has(table)) {
          assumptions.push({
            kind: 'builtin-over-source', function: target,
            message: `${table}.${op} = ${target} is left out: ${why}`,
            at: { file: f.shown, line: files.lineOf(f, new RegExp(`\\.${op}\\s*=\\s*${target}\\b`)), column: 1 },
          });
        }
      }
      set.ops.set(table, kept);
      (set.tableAt ??= new Map()).set(table, `${f.shown}:${files.lineOf(f, new RegExp(`\\b${table}\\s*=`))}`);
    }
  }
  // Every entry of a table the run uses must have a model, or the run says which has none.
  // (a_ops tables: a vm_operations_struct's ->fault or ->map_pages may be called by code
  // the run reaches but never runs, such as __do_fault; its ->page_mkwrite always has one)
  for (const info of usedFilesystems) {
    const table = info.aops.find((t) => set.ops.has(t));
    if (!table) continue;
    const f = [...tableFiles].find((x) => files.tables(x).has(table));
    for (const [fieldName, target] of set.ops.get(table)!) {
      if (!calledOps.has(fieldName)) continue; // no function the run can reach calls it
      if (program(target) || primitives.get(target) || isNoop(target)) continue;
      const line = f ? files.lineOf(f, new RegExp(`\\.${fieldName}\\s*=\\s*${target}\\b`)) : 1;
      assumptions.push({
        kind: 'unknown-table-target', function: target,
        message: `${table}.${fieldName} = ${target}: no model and no compiled source for it; a call through it does nothing and returns 0`,
        at: { file: f?.shown ?? table, line, column: 1 },
      });
    }
  }
  files.save();
  for (const k of kbuilds.values()) k.save();
  if (opts.stats) Object.assign(opts.stats, files.stats, { notBuilt: files.notBuilt, modulesLeftOut: files.modulesLeftOut });
  if (setKey) saveModelSet(cache!.dir, setKey, set, base);
  return set;
}

/**
 * The key a set over these inputs is kept under (model-set-cache.ts), or undefined when
 * it is not to be kept: an input whose listing has no digest (not all on disk, an open
 * document, a file changed in the last seconds), or a built-in model file changed in the
 * last seconds.
 */
function keptSetKey(eraSpec: string, dirs: readonly string[], files: SourceFiles, opts: SourceModelOptions,
  config: KernelConfig | undefined, release: string | undefined): string | undefined {
  if (dirs.length === 0 || dirs.some((_d, i) => files.diskDigests[i] === undefined)) return undefined;
  const builtins: string[] = [];
  const now = Date.now();
  for (const f of [path.join(BUILTIN_DIR, 'models', 'eras.json'), ...builtinModelFiles(eraSpec)]) {
    const state = fileStateOrNull(f);
    if (!state || recentlyChanged(state, now)) return undefined;
    builtins.push(`${f}\t${stateKey(state)}`);
  }
  const asked = {
    era: eraSpec, dirs, cwd: process.cwd(), config: config ? `${config.file}\t${config.id}` : '', configFile: opts.configFile ?? '',
    roots: opts.roots ?? null, race: opts.race ?? null, checks: opts.checks ?? [], filesystems: opts.filesystems ?? null, release: release ?? '',
    skipped: files.skipped,
  };
  return modelSetKey([JSON.stringify(asked), ...builtins, ...files.diskDigests.map((d) => d!)]);
}


/**
 * A name a no-op or a simulator primitive serves, unless the source's definition is
 * to run instead (SOURCE_OVER_PRIMITIVE).
 */
function servedBuiltin(name: string, checks?: ReadonlySet<string>): boolean {
  return (!!primitives.get(name) || noopStands(name, checks)) && !SOURCE_OVER_PRIMITIVE.has(name);
}

/** The scenario harness (store, sync, journal_write_buffers, ...): never kernel source. */
function isHarness(fn: ModelFunction): boolean {
  return /(^|\/)harness\.c$/.test(fn.file);
}

/** A reason when the lift cannot be run. */
function unusable(_name: string, fn: LiftedFunction): string | undefined {
  if (fn.status === 'failed') return 'its body does not parse as C the lifter follows';
  return fn.program.notes.find((n) => /array subscript/.test(n.what))?.what;
}
