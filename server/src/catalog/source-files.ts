/**
 * The C files under the --src directories, as one run sees them: for each file, the
 * names it may define (a text index, no parsing), and on demand its ops tables and the
 * functions lifted from it. A file is read only when its index is not cached, parsed
 * only when a function it defines is needed and not cached, and parsed once per run.
 * Files are listed and read through a workspace (workspace/workspace.ts): an editor's
 * unsaved text wins over the disk and never enters the persistent caches, and a
 * long-lived workspace keeps what runs learned (names, tables, lifts) until a file
 * changes. Who may define a name, and the workspace's memory: source-names.ts; an
 * input's listing: source-listing.ts.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { aopsMentioned, definitionIndex } from '../lift/c-text.js';
import { binaryOffset, evalCondition, indexUnit, liftDefinition, parseC, type ChosenLift, type LiftedFunction, type Tree, type UnitIndex } from '../lift/index.js';
import type { KernelConfig } from './config.js';
import type { BuildStatus, Kbuild } from './kbuild.js';
import { recentlyChanged, stateKey, TreeIndex, type NamesSnapshot } from './tree-index.js';
import { includeCompiled } from './includes.js';
import type { OpsTables } from '../sim/program.js';
import { fileStateOrNull, type CacheEntry, type CachedTable, type LiftCache } from './lift-cache.js';
import type { ListingEntry } from './saved-listing.js';
import { listInput } from './source-listing.js';
import { isDiskKey, sameStamp, sourceKey as sourceKeyOf, Workspace, type SkippedInput, type SourceKey, type SourceStamp } from '../workspace/workspace.js';
import { Definers, memoOf, NO_AOPS, SnapshotFile, type FileMemo, type SourceFile, type UndecidedEntry, type WorkspaceMemo } from './source-names.js';

export type { SkippedInput } from '../workspace/workspace.js';
export type { SourceFile, UndecidedEntry } from './source-names.js';
export { definitionIndex } from '../lift/c-text.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** A file of an input as the walk found it, before its names are known. */
interface Listed extends ListingEntry { stamp: SourceStamp }

/** What one run holds of a file besides its memo. */
interface FileData {
  key: SourceKey;
  memo: FileMemo;
  overlaid: boolean;
  /** the memo was made by an earlier run */
  remembered: boolean;
  text?: string;
  /** changed since read from the cache */
  dirty: boolean;
  /** the input's tree index holds this file's names: an entry with nothing more is not written */
  inTreeIndex?: boolean;
  index?: UnitIndex;
  /** this run's parse of the file, for lifting the definitions the index locates */
  tree?: Tree;
}

/** Counts for benchmarks and tests: what this run had to do itself. */
export interface SourceStats {
  files: number;
  filesRead: number;
  filesParsed: number;
  functionsLifted: number;
  functionsFromCache: number;
  /** lifted by an earlier run over the same workspace */
  functionsFromMemory: number;
  /** files whose names a names snapshot gave (not an open document patched over it) */
  filesFromSnapshot: number;
  /** inputs whose listing an earlier run saved (saved-listing.ts): no folder read, no Makefile evaluated */
  listingsFromCache: number;
}

/** What decides which files and branches are compiled, and where they are read. */
export interface SourceEnv {
  config?: KernelConfig;
  /** the kbuild view of the tree an input lies in, if any */
  kbuild?: (input: string) => Kbuild | undefined;
  /** where files are listed and read (default: a fresh workspace over the disk alone) */
  workspace?: Workspace;
  /**
   * Module folders (relative to a tree's root, as `fs/ext4`) this run needs: the code of
   * its filesystems. Other folders built only as modules are not listed under a tree
   * input, since nothing linked into vmlinux can call into them.
   */
  modules?: readonly string[];
}

export class SourceFiles {
  readonly files: SourceFile[];
  readonly stats: SourceStats = { files: 0, filesRead: 0, filesParsed: 0, functionsLifted: 0, functionsFromCache: 0, functionsFromMemory: 0, filesFromSnapshot: 0, listingsFromCache: 0 };
  /** what this run holds of the files it touched */
  private readonly data = new Map<SourceFile, FileData>();
  private readonly names: Definers;
  /** folders holding an open header document: their header verdicts are not the snapshot's */
  private readonly overlaidHeaderDirs = new Set<string>();

  /** inputs left out: too large, symbolic links, too deep, unreadable, not C */
  readonly skipped: SkippedInput[];
  /**
   * Per input: the digest of its listing (every file's path, state, build verdict and
   * header rank) when every file is on disk, none an open document and none changed in
   * the last seconds; else undefined. What a model set over the inputs is keyed by
   * (model-set-cache.ts).
   */
  readonly diskDigests: (string | undefined)[] = [];
  /** per input, the digest of its listing its tree index's snapshot is kept under, when it has one */
  private readonly listingDigests: (string | undefined)[] = [];
  /** C files the configuration does not build (their definitions are never used) */
  notBuilt = 0;
  /** C files built as modules that the run cannot reach (Kbuild.reachesModules): left out */
  modulesLeftOut = 0;

  private readonly inputs: readonly string[];
  /** the module folders listed (SourceEnv.modules): a listing of its own, with its own tree index */
  private readonly modules: readonly string[];
  private readonly workspace: Workspace;
  private readonly memo: WorkspaceMemo;
  private readonly headerStates: Map<SourceFile, boolean | undefined>;
  /**
   * Some names came from the workspace's memory rather than the tree index: the index
   * did not see every file this time and must not be saved (it drops what it did not see).
   */
  private namesFromMemory = false;

  constructor(dirs: readonly string[], private readonly cache: LiftCache | undefined, private readonly env: SourceEnv = {}) {
    this.inputs = dirs;
    this.workspace = env.workspace ?? new Workspace();
    this.memo = memoOf(this.workspace);
    const modules = [...(env.modules ?? [])].sort();
    this.modules = modules;
    const setKey = [process.cwd(), env.config?.id ?? '', modules.join(','), ...dirs].join('\0');
    const known = this.memo.sets.get(setKey);
    if (known) {
      this.files = known.files;
      this.names = known.names;
      this.skipped = [...known.skipped];
      this.notBuilt = known.notBuilt;
      this.modulesLeftOut = known.modulesLeftOut;
      this.headerStates = known.headerStates;
      // the listing is the one these digests were made from: a kept set and the header verdicts still apply
      this.diskDigests.push(...known.diskDigests);
      this.listingDigests.push(...known.listingDigests);
      this.namesFromMemory = true;
    } else {
      this.files = [];
      this.names = new Definers();
      this.skipped = [];
      this.headerStates = new Map();
      dirs.forEach((dir, input) => {
        const listed: Listed[] = [];
        const listing = listInput(dir, env.kbuild?.(dir), modules, this.workspace, this.cache);
        if (listing.fromCache) this.stats.listingsFromCache++;
        this.skipped.push(...listing.skipped);
        this.notBuilt += listing.notBuilt;
        this.modulesLeftOut += listing.modulesLeftOut;
        for (const e of listing.entries) {
          const stamp = this.stampOf(e.key);
          if (stamp) listed.push({ ...e, stamp });
        }
        this.addInput(input, listed);
      });
      this.memo.sets.set(setKey, {
        files: this.files, names: this.names, skipped: [...this.skipped], notBuilt: this.notBuilt, modulesLeftOut: this.modulesLeftOut,
        headerStates: this.headerStates, diskDigests: this.diskDigests, listingDigests: this.listingDigests,
      });
    }
    this.stats.files = this.files.length;
  }


  /** The file's stamp, or undefined (and said in `skipped`) when it is gone or too large. */
  private stampOf(key: SourceKey): SourceStamp | undefined {
    const stamp = this.workspace.stamp(key);
    if (stamp.kind === 'missing') {
      this.skipped.push({ path: key, why: 'unreadable (gone or not a file)' });
      return undefined;
    }
    if (stamp.kind === 'disk' && stamp.state.size > MAX_FILE_BYTES) {
      this.skipped.push({ path: key, why: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${stamp.state.size} bytes)` });
      return undefined;
    }
    return stamp;
  }

  /**
   * The files of one input. When every one is on disk as the input's names snapshot
   * saw it (same paths in the same order, same states), the snapshot answers which
   * file may define what and nothing else is read; otherwise each file's names come
   * from memory, the tree index or its entry, and a new snapshot is made of them.
   */
  private addInput(input: number, listed: readonly Listed[]): void {
    // an open document over a file of the tree: the listing is still the one on disk (its
    // file's disk state digested), and the document's own names patch the snapshot's
    const diskStates = listed.map((l) => (l.stamp.kind === 'disk' ? l.stamp.state : l.stamp.kind === 'overlay' && isDiskKey(l.key) ? fileStateOrNull(l.key) ?? undefined : undefined));
    const onDisk = listed.length > 0 && diskStates.every((s) => s !== undefined);
    const index = onDisk ? this.treeIndex(input) : undefined;
    let digest: string | undefined;
    if (index) {
      // one string, hashed once: an update per file costs a whole tree 10 ms more
      digest = crypto.createHash('sha256').update(listed.map((l, i) => `${l.key}\t${stateKey(diskStates[i]!)}\t${l.build}\t${l.rank}\n`).join('')).digest('hex');
      this.listingDigests[input] = digest;
      const snapshot = index.snapshot(digest);
      if (snapshot && this.addFromSnapshot(input, listed, snapshot)) {
        // a snapshot is made only of files none of which had just changed, and each is as it was then
        if (listed.every((l) => l.stamp.kind === 'disk')) this.diskDigests[input] = digest;
        return;
      }
    }
    const files: SourceFile[] = [];
    const defs: string[][] = [];
    const now = Date.now();
    let complete = true;
    for (const l of listed) {
      const added = this.add(l.key, input, l.build, l.rank, l.stamp);
      if (!added) {
        complete = false;
        continue;
      }
      files.push(added.file);
      defs.push(added.defs);
      if (l.stamp.kind !== 'disk' || recentlyChanged(l.stamp.state, now)) complete = false;
    }
    this.names.addMap(files, defs);
    // a listing with a file just changed (its timestamps may move again) or one left out gets no snapshot
    if (index && digest && complete) {
      index.snapshotFrom(defs, files.map((f) => f.aops));
      this.diskDigests[input] = digest;
    }
  }

  /**
   * The files of an input as its names snapshot lists them; an open document among them
   * gets its names from its own text (a patch over the snapshot). False, with nothing
   * added, when a document cannot be read: the caller goes file by file.
   */
  private addFromSnapshot(input: number, listed: readonly Listed[], snapshot: NamesSnapshot): boolean {
    const patches = new Map<number, ReadonlySet<string>>();
    const patched = new Map<number, SourceFile>();
    for (let i = 0; i < listed.length; i++) {
      const l = listed[i];
      if (l.stamp.kind !== 'overlay') continue;
      const added = this.add(l.key, input, l.build, l.rank, l.stamp, false);
      if (!added) return false;
      patches.set(i, new Set(added.defs));
      patched.set(i, added.file);
      if (l.key.endsWith('.h')) this.overlaidHeaderDirs.add(path.dirname(l.key));
    }
    const shown = (key: SourceKey): string => this.shownPath(input, key);
    const files = listed.map((l, i): SourceFile => patched.get(i) ?? new SnapshotFile(l.key, snapshot.aops.get(i) ?? NO_AOPS, input, l.build, l.rank, shown));
    for (const f of files) this.files.push(f);
    this.names.addSnapshot(snapshot, files, patches);
    this.stats.filesFromSnapshot += files.length - patched.size;
    return true;
  }

  private add(key: SourceKey, input: number, build: BuildStatus, rank: number, stamp: SourceStamp, listNow = true): { file: SourceFile; defs: string[] } | undefined {
    const overlaid = stamp.kind === 'overlay';
    let memo = this.memo.files.get(key);
    if (memo && !sameStamp(memo.stamp, stamp)) memo = undefined;
    const remembered = memo !== undefined;
    if (!memo) {
      memo = { stamp };
      this.memo.files.set(key, memo);
    }
    const data: FileData = { key, memo, overlaid, remembered, dirty: false };
    // an editor's unsaved text never goes to, nor comes from, the persistent caches
    const index = overlaid || stamp.kind !== 'disk' ? undefined : this.treeIndex(input, memo.names === undefined);
    let names = memo.names;
    if (names) this.namesFromMemory = true;
    else if (index && stamp.kind === 'disk') names = index.get(key, stamp.state);
    if (!names) {
      const entry = this.loadEntry(data);
      if (!entry) {
        this.skipped.push({ path: key, why: `unreadable (${memo.error ?? 'read failed'})` });
        this.memo.files.delete(key);
        return undefined;
      }
      names = entry;
      if (index && stamp.kind === 'disk') data.inTreeIndex = index.put(key, stamp.state, entry.defs, entry.aops);
    }
    memo.names = { defs: names.defs, aops: names.aops };
    const src: SourceFile = { abs: key, shown: this.shownPath(input, key), aops: names.aops, input, build, headerRank: rank };
    if (listNow) this.files.push(src);
    this.data.set(src, data);
    return { file: src, defs: names.defs };
  }

  /** This run's hold on a file listed by an earlier run. */
  private dataOf(f: SourceFile): FileData {
    let d = this.data.get(f);
    if (!d) {
      const stamp = this.workspace.stamp(f.abs);
      let memo = this.memo.files.get(f.abs);
      if (!memo || !sameStamp(memo.stamp, stamp)) memo = { stamp };
      this.memo.files.set(f.abs, memo);
      d = { key: f.abs, memo, overlaid: memo.stamp.kind === 'overlay', remembered: !(f instanceof SnapshotFile), dirty: false };
      this.data.set(f, d);
    }
    return d;
  }

  private readonly treeIndexes = new Map<number, TreeIndex | undefined>();
  private readonly shownBases = new Map<number, { from: string; to: string }>();

  /**
   * A file as shown to users: relative to the working directory (a virtual document:
   * its uri). Computed once per input and joined for the files under it (path.relative
   * per file costs a whole tree 100 ms).
   */
  private shownPath(input: number, key: SourceKey): string {
    if (!isDiskKey(key)) return key;
    let base = this.shownBases.get(input);
    if (!base) {
      const from = sourceKeyOf(this.inputs[input]!);
      this.shownBases.set(input, (base = { from, to: isDiskKey(from) ? path.relative(process.cwd(), from) : '' }));
    }
    if (!key.startsWith(base.from + path.sep)) return path.relative(process.cwd(), key) || key;
    return base.to ? base.to + key.slice(base.from.length) : key.slice(base.from.length + 1);
  }

  /**
   * The tree index of a folder input (not of a single-file input), when there is a
   * cache; read from disk only when `load` (a file's names are not in memory).
   */
  private treeIndex(input: number, load = true): TreeIndex | undefined {
    if (!this.treeIndexes.has(input)) {
      if (!load) return undefined;
      const dir = this.inputs[input]!;
      const key = sourceKeyOf(dir);
      let isDir = false;
      try {
        isDir = isDiskKey(key) && !this.workspace.isOverlaid(key) && fs.statSync(key).isDirectory();
      } catch { /* left to the walk */ }
      const index = this.cache && isDir ? new TreeIndex(this.cache.dir, dir, this.modules.join(',')) : undefined;
      // a listing remembered from an earlier run over this workspace: its snapshot holds the header verdicts
      const digest = this.listingDigests[input];
      if (index && digest !== undefined) index.snapshot(digest);
      this.treeIndexes.set(input, index);
    }
    return this.treeIndexes.get(input);
  }

  /** The file's per-file entry: from the cache, or indexed from its text; undefined if unreadable. */
  private loadEntry(d: FileData): CacheEntry | undefined {
    if (d.memo.entry) return d.memo.entry;
    const stamp = d.memo.stamp;
    const text = (): string => this.text(d);
    let entry = stamp.kind === 'disk' ? this.cache?.get(d.key, stamp.state, text) : undefined;
    if (!entry) {
      let t: string;
      try {
        t = text();
      } catch (e) {
        d.memo.error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        return undefined;
      }
      if (t.length > MAX_FILE_BYTES) {
        d.memo.error = `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`;
        return undefined;
      }
      const state = stamp.kind === 'disk' ? stamp.state : { size: t.length, ino: '0', mtimeNs: '0', ctimeNs: '0' };
      entry = { build: '', path: d.key, state, written: 0, defs: [...definitionIndex(t)], aops: aopsMentioned(t), functions: Object.create(null) as CacheEntry['functions'] };
      d.dirty = !d.overlaid;
      // A whole tree is thousands of files: keep the text only of a file changed in the
      // last seconds (its cache entry needs the content hash); others are read again if lifted.
      if (stamp.kind === 'disk' && Date.now() - Number(BigInt(stamp.state.mtimeNs) / 1_000_000n) > 10_000) d.text = undefined;
    }
    d.memo.entry = entry;
    return entry;
  }

  /** The entry of a file already listed (it was readable then). */
  private entryOf(d: FileData): CacheEntry {
    const e = this.loadEntry(d);
    if (!e) throw new Error(`${d.key}: unreadable (${d.memo.error ?? 'read failed'})`);
    return e;
  }

  /**
   * Whether the configuration compiles a header at all, judged by the `#include` lines
   * of the headers beside it (includes.ts): false when every one that names it is in a
   * branch the configuration rules out; undefined when none names it or it is unsettled.
   */
  headerCompiled(f: SourceFile): boolean | undefined {
    if (!f.abs.endsWith('.h') || !this.env.config) return undefined;
    if (this.headerStates.has(f)) return this.headerStates.get(f);
    // an open header beside it may include other headers than the file on disk: judged afresh, not recorded
    const index = this.overlaidHeaderDirs.has(path.dirname(f.abs)) ? undefined : this.treeIndex(f.input);
    const key = `${f.abs}@${this.env.config.id}`;
    const recorded = index?.header(key);
    if (recorded !== undefined) {
      const v = recorded ?? undefined;
      this.headerStates.set(f, v);
      return v;
    }
    const dir = path.dirname(f.abs);
    const suffix = `${path.basename(dir)}/${path.basename(f.abs)}`;
    let state: boolean | undefined;
    this.headerStates.set(f, undefined); // while judging: an include cycle is unsettled
    for (const g of headersIn(this.files, dir)) {
      if (g === f) continue;
      let text: string;
      try {
        // not kept: a whole folder of headers is read for this
        text = this.data.get(g)?.text ?? this.workspace.read(g.abs);
      } catch {
        continue;
      }
      let here = includeCompiled(text, suffix, this.env.config);
      // an include in a header that is itself not compiled (pgtable-3level.h on 64-bit) does not count
      if (here !== false && text.includes(path.basename(f.abs)) && this.headerCompiled(g) === false) here = false;
      if (here === true) { state = true; break; }
      if (here === false && state === undefined) state = false;
      if (here === undefined && text.includes(path.basename(f.abs))) { state = undefined; break; }
    }
    this.headerStates.set(f, state);
    index?.putHeader(key, state);
    return state;
  }

  /** The files that may define `name`, in --src order. */
  definers(name: string): readonly SourceFile[] {
    return this.names.of(name);
  }

  private text(d: FileData): string {
    if (d.text === undefined) {
      d.text = this.workspace.read(d.key);
      if (!d.overlaid) this.stats.filesRead++;
    }
    return d.text;
  }

  /** The parsed file's index (definitions, tables); parsed at most once per run. */
  private unit(d: FileData): UnitIndex {
    if (!d.index) {
      const text = this.text(d);
      const tree = binaryOffset(text) >= 0 ? undefined : parseC(text);
      this.stats.filesParsed++;
      if (tree) d.tree = tree;
      d.index = tree ? indexUnit(text, tree) : { definitions: new Map(), opsTables: [] };
      const entry = this.entryOf(d);
      if (!entry.tables) {
        entry.tables = d.index.opsTables.map((t): CachedTable => (t.guard ? [t.name, t.entries, t.guard] : [t.name, t.entries]));
        d.dirty = !d.overlaid;
      }
    }
    return d.index;
  }

  /**
   * The file's `*_operations` tables as its configuration compiles them (the file is
   * parsed if they are not cached): a table or entry whose condition is false is left
   * out; one the configuration does not settle is taken (the first branch of its group,
   * for a field set in several) and listed by `undecidedEntries`.
   */
  tables(f: SourceFile): OpsTables {
    return this.decidedTables(f).tables;
  }

  /** Entries of the file's tables taken under a condition the configuration does not settle. */
  undecidedEntries(f: SourceFile): readonly UndecidedEntry[] {
    return this.decidedTables(f).undecided;
  }

  private decidedTables(f: SourceFile): NonNullable<FileMemo['tables']> {
    const d = this.dataOf(f);
    const config = this.configOf(f);
    const id = config?.id ?? '';
    if (d.memo.tables?.config !== id) {
      const entry = this.entryOf(d);
      if (!entry.tables) this.unit(d);
      const tables: OpsTables = new Map();
      const undecided: UndecidedEntry[] = [];
      // without a configuration nothing is settled, and nothing is said per entry (the run's notes say there is none)
      const decide = (guard: string | undefined): boolean | undefined => (guard === undefined ? true : config ? evalCondition(guard, config) : undefined);
      for (const [name, entries, guard] of entry.tables!) {
        const own = decide(guard);
        // a table defined in two branches of a file-scope #if: the first compiled one stands
        if (own === false || tables.has(name)) continue;
        if (own === undefined && config) undecided.push({ table: name, guard: guard! });
        const table = new Map<string, string>();
        for (const [slot, fn, g] of entries) {
          const v = decide(g);
          if (v === false || (v === undefined && table.has(slot))) continue;
          if (v === undefined && config) undecided.push({ table: name, slot, fn, guard: g! });
          table.set(slot, fn);
        }
        tables.set(name, table);
      }
      d.memo.tables = { config: id, tables, undecided };
    }
    return d.memo.tables;
  }

  /** The configuration a file is compiled under: Kbuild adds -DMODULE for a file built as a module. */
  private configOf(f: SourceFile): KernelConfig | undefined {
    return f.build === 'module' ? this.env.config?.forModule() : this.env.config;
  }

  /** Lifts the named functions the file defines (cached lifts first), in source order. */
  lift(f: SourceFile, names: ReadonlySet<string>): Map<string, ChosenLift> {
    const d = this.dataOf(f);
    const out: { line: number; name: string; fn: ChosenLift }[] = [];
    for (const name of names) {
      // lifts depend on the configuration: cached per configuration (and per -DMODULE)
      const config = this.configOf(f);
      const key = config ? `${name}@${config.id}` : name;
      const entry = this.entryOf(d);
      let fn: ChosenLift | null | undefined = Object.prototype.hasOwnProperty.call(entry.functions, key) ? entry.functions[key] : undefined;
      if (fn === undefined) {
        const index = this.unit(d);
        fn = (d.tree ? liftDefinition(this.text(d), f.shown, index, name, d.tree, config) : undefined) ?? null;
        this.stats.functionsLifted++;
        if (!fn || cacheable(fn)) {
          entry.functions[key] = fn;
          d.dirty = !d.overlaid;
        }
      } else if (fn) {
        if (d.remembered) this.stats.functionsFromMemory++;
        else this.stats.functionsFromCache++;
        // the entry was written from another working directory, perhaps
        fn.program.file = f.shown;
      }
      if (fn) out.push({ line: fn.range.startLine, name, fn });
    }
    // a unit lists its functions in source order; so does this
    out.sort((a, b) => a.line - b.line || a.name.localeCompare(b.name));
    return new Map(out.map((x) => [x.name, x.fn]));
  }

  /** A line of the file naming `word` after `what` (an ops table's entry), for notes; 1 if not found. */
  lineOf(f: SourceFile, pattern: RegExp): number {
    const d = this.dataOf(f);
    let text: string;
    try {
      text = this.text(d);
    } catch {
      return 1;
    }
    const m = pattern.exec(text);
    return m ? text.slice(0, m.index).split('\n').length : 1;
  }

  /** Writes the entries this run added to, to the persistent cache (never an overlay's). */
  save(): void {
    for (const [, d] of this.data) {
      const entry = d.memo.entry;
      // a whole tree's files are mostly only indexed: the tree index has that, one file for all
      const onlyNames = d.inTreeIndex && entry && !entry.tables && Object.keys(entry.functions).length === 0;
      if (this.cache && d.dirty && entry && !d.overlaid && !onlyNames) this.cache.put(entry, d.text);
      d.dirty = false;
      // trees and texts are per run; the memo keeps what was learned from them
      delete d.index;
      delete d.tree;
      delete d.text;
    }
    // names from memory: the index did not see every file (it would drop the others), but new header verdicts are kept
    if (this.cache) for (const index of this.treeIndexes.values()) index?.save(!this.namesFromMemory);
  }
}

/** per listing (a SetMemo's files), its headers by folder */
const headersByDir = new WeakMap<readonly SourceFile[], Map<string, SourceFile[]>>();

/** The headers of `files` in folder `dir`, in listing order: a header's verdict reads its neighbours'. */
function headersIn(files: readonly SourceFile[], dir: string): readonly SourceFile[] {
  let byDir = headersByDir.get(files);
  if (!byDir) {
    byDir = new Map();
    for (const g of files) {
      if (!g.abs.endsWith('.h')) continue;
      const d = path.dirname(g.abs);
      const list = byDir.get(d);
      if (list) list.push(g);
      else byDir.set(d, [g]);
    }
    headersByDir.set(files, byDir);
  }
  return byDir.get(dir) ?? [];
}

/** JSON keeps a program as it is only when it holds no NaN or infinite number. */
function cacheable(fn: LiftedFunction): boolean {
  let ok = true;
  JSON.stringify(fn, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) ok = false;
    return v;
  });
  return ok;
}
