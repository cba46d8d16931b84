/**
 * The C files under the --src directories, as one run sees them: for each file, the
 * names it may define (a text index, no parsing), and on demand its ops tables and the
 * functions lifted from it. A file is read only when its index is not cached, parsed
 * only when a function it defines is needed and not cached, and parsed once per run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaryOffset, indexUnit, liftDefinition, parseC, type ChosenLift, type LiftedFunction, type UnitIndex } from '../lift/index.js';
import type { KernelConfig } from './config.js';
import type { BuildStatus, Kbuild } from './kbuild.js';
import { TreeIndex } from './tree-index.js';
import { includeCompiled } from './includes.js';
import type { OpsTables } from '../sim/program.js';
import { fileState, type CacheEntry, type FileState, type LiftCache } from './lift-cache.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

/**
 * The names a C text may define, kernel style: the first identifier followed by `(`
 * after the start of a line that begins with a letter or underscore, with no `;`,
 * braces, parentheses or `=` in between (so `static int\nfoo(` counts, calls inside
 * bodies do not), unless what follows the closing parenthesis shows a prototype or a
 * call (`;`, `,`, `)` or `=`: a label at column 0 followed by a call). An
 * over-approximation: every function tree-sitter finds at file scope is in it.
 */
export function definitionIndex(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/^[A-Za-z_][^;{}()=]*?\b([A-Za-z_]\w*)\s*\(/gm)) {
    if (!found.has(m[1]) && !notADefinition(text, m.index! + m[0].length)) found.add(m[1]);
  }
  return found;
}

/** From just after an opening parenthesis: the closing one is followed by `;`, `,`, `)` or `=`. */
function notADefinition(text: string, from: number): boolean {
  let depth = 1;
  let i = from;
  const end = Math.min(text.length, from + 4000);
  while (i < end && depth > 0) {
    const c = text.charCodeAt(i);
    if (c === 0x28) depth++;
    else if (c === 0x29) depth--;
    else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      if (close < 0) return false;
      i = close + 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return false;
      i = nl;
    } else if (c === 0x7b || c === 0x7d || c === 0x3b) {
      // a brace or semicolon inside the parentheses: not a parameter list we follow
      return false;
    }
    i++;
  }
  if (depth > 0) return false;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  const next = text[i];
  return next === ';' || next === ',' || next === ')' || next === '=';
}

/** Identifiers ending in `_aops` that a text mentions (found from each `_aops`, not by a regex over every word). */
function aopsMentioned(text: string): string[] {
  const found = new Set<string>();
  const word = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
  for (let at = text.indexOf('_aops'); at >= 0; at = text.indexOf('_aops', at + 5)) {
    if (at + 5 < text.length && word(text.charCodeAt(at + 5))) continue;
    let start = at;
    while (start > 0 && word(text.charCodeAt(start - 1))) start--;
    if (start < at) found.add(text.slice(start, at + 5));
  }
  return [...found].sort();
}

const MAX_DEPTH = 12;

/** An input left out of the search, and why: said in the run's assumptions. */
export interface SkippedInput {
  path: string;
  why: string;
}

/**
 * The C files under a --src input, in name order, leaving out folders the kernel build
 * does not descend into (`descend`), and listing what it skips for other reasons.
 */
function* cFiles(dir: string, skipped: SkippedInput[], descend: (dir: string) => boolean, depth = 0): Generator<string> {
  if (depth > MAX_DEPTH) {
    skipped.push({ path: dir, why: `deeper than ${MAX_DEPTH} folders below the --src input` });
    return;
  }
  if (depth === 0) {
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch (e) {
      skipped.push({ path: dir, why: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    // --src may also name a single file
    if (st.isFile()) {
      if (/\.[ch]$/.test(dir)) yield dir;
      else skipped.push({ path: dir, why: 'not a C file (.c or .h)' });
      return;
    }
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    skipped.push({ path: dir, why: `unreadable folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (descend(p)) yield* cFiles(p, skipped, descend, depth + 1);
    } else if (e.isFile() && /\.[ch]$/.test(e.name)) yield p;
    else if (e.isSymbolicLink() && /\.[ch]$/.test(e.name)) skipped.push({ path: p, why: 'a symbolic link (not followed)' });
  }
}

export interface SourceFile {
  /** absolute path */
  abs: string;
  /** as shown to users (relative to the working directory) */
  shown: string;
  /** names it may define (the text index) */
  defs: readonly string[];
  aops: string[];
  /** position of the --src input it came from: a later input overrides an earlier one */
  input: number;
  /** the kernel build's verdict on it (kbuild.ts); 'unlisted' outside a tree */
  build: BuildStatus;
  /** where a header lies: arch/<arch>/include beats include/, which beats asm-generic */
  headerRank: number;
}

interface FileData {
  state: FileState;
  text?: string;
  /** the per-file cache entry; loaded on first need when the tree index gave the names */
  entry?: CacheEntry;
  abs: string;
  /** why reading it failed */
  error?: string;
  /** changed since read from the cache */
  dirty: boolean;
  index?: UnitIndex;
  tables?: OpsTables;
}

/** Counts for benchmarks and tests: what this run had to do itself. */
export interface SourceStats {
  files: number;
  filesRead: number;
  filesParsed: number;
  functionsLifted: number;
  functionsFromCache: number;
}

/** What decides which files and branches are compiled. */
export interface SourceEnv {
  config?: KernelConfig;
  /** the kbuild view of the tree an input lies in, if any */
  kbuild?: (input: string) => Kbuild | undefined;
}

/** Where a header lies, for choosing among definitions: the architecture's own first. */
function headerRank(rel: string): number {
  if (!rel.endsWith('.h')) return 0;
  if (/^arch\/[^/]+\/include\//.test(rel)) return 3;
  if (rel.startsWith('include/asm-generic/')) return 1;
  return 2;
}

export class SourceFiles {
  readonly files: SourceFile[] = [];
  readonly stats: SourceStats = { files: 0, filesRead: 0, filesParsed: 0, functionsLifted: 0, functionsFromCache: 0 };
  private readonly data = new Map<SourceFile, FileData>();
  private readonly byName = new Map<string, SourceFile[]>();

  /** inputs left out: too large, symbolic links, too deep, unreadable, not C */
  readonly skipped: SkippedInput[] = [];
  /** C files the configuration does not build (their definitions are never used) */
  notBuilt = 0;
  private readonly functionKey: (name: string) => string;

  private readonly inputs: readonly string[];

  constructor(dirs: readonly string[], private readonly cache: LiftCache | undefined, private readonly env: SourceEnv = {}) {
    this.inputs = dirs;
    // lifts depend on the configuration: cached per configuration
    this.functionKey = env.config ? (name) => `${name}@${env.config!.id}` : (name) => name;
    dirs.forEach((dir, input) => {
      if (!fs.existsSync(dir)) throw new Error(`--src ${dir}: no such file or directory`);
      const kbuild = env.kbuild?.(dir);
      const absolute = (p: string): string => (path.isAbsolute(p) ? p : path.resolve(p));
      const descend = kbuild ? (d: string) => kbuild.dirBuilt(absolute(d)) : () => true;
      for (const file of cFiles(dir, this.skipped, descend)) {
        const build = kbuild?.fileStatus(absolute(file)) ?? 'unlisted';
        if (build === 'not-built') {
          this.notBuilt++;
          continue;
        }
        this.add(file, input, build, kbuild && file.endsWith('.h') ? headerRank(path.relative(kbuild.root, absolute(file))) : 0);
      }
    });
    for (const f of this.files) {
      for (const name of f.defs) {
        const list = this.byName.get(name);
        if (list) list.push(f);
        else this.byName.set(name, [f]);
      }
    }
    this.stats.files = this.files.length;
  }

  private add(file: string, input: number, build: BuildStatus, rank: number): void {
    // the walk joins normalized paths: an absolute one needs no resolving
    const abs = path.isAbsolute(file) ? file : path.resolve(file);
    let state: FileState;
    try {
      state = fileState(abs);
    } catch (e) {
      this.skipped.push({ path: file, why: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return;
    }
    if (state.size > MAX_FILE_BYTES) {
      this.skipped.push({ path: file, why: `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB (${state.size} bytes)` });
      return;
    }
    const data: FileData = { state, dirty: false, abs };
    const index = this.treeIndex(input);
    let names = index?.get(abs, state);
    if (!names) {
      const entry = this.loadEntry(data);
      if (!entry) {
        this.skipped.push({ path: file, why: `unreadable (${data.error ?? 'read failed'})` });
        return;
      }
      names = entry;
      index?.put(abs, state, entry.defs, entry.aops);
    }
    const src: SourceFile = {
      abs, shown: this.shownPath(input, file), defs: names.defs, aops: names.aops, input, build, headerRank: rank,
    };
    this.files.push(src);
    this.data.set(src, data);
  }

  private readonly treeIndexes = new Map<number, TreeIndex | undefined>();
  private readonly shownBases = new Map<number, { from: string; to: string }>();

  /**
   * A file as shown to users: relative to the working directory. Computed once per input
   * and joined for the files under it (path.relative per file costs a whole tree 100 ms).
   */
  private shownPath(input: number, file: string): string {
    const dir = this.inputs[input];
    if (!file.startsWith(dir + path.sep)) return path.relative(process.cwd(), file) || file;
    let base = this.shownBases.get(input);
    if (!base) this.shownBases.set(input, (base = { from: dir, to: path.relative(process.cwd(), dir) }));
    return base.to ? base.to + file.slice(dir.length) : file.slice(dir.length + 1);
  }

  /** The tree index of a folder input (not of a single-file input), when there is a cache. */
  private treeIndex(input: number): TreeIndex | undefined {
    if (!this.treeIndexes.has(input)) {
      const dir = this.inputs[input];
      let isDir = false;
      try { isDir = fs.statSync(dir).isDirectory(); } catch { /* left to the walk */ }
      this.treeIndexes.set(input, this.cache && isDir ? new TreeIndex(this.cache.dir, dir) : undefined);
    }
    return this.treeIndexes.get(input);
  }

  /** The file's per-file entry: from the cache, or indexed from its text; undefined if unreadable. */
  private loadEntry(d: FileData): CacheEntry | undefined {
    if (d.entry) return d.entry;
    const text = (): string => {
      if (d.text === undefined) {
        d.text = fs.readFileSync(d.abs, 'utf8');
        this.stats.filesRead++;
      }
      return d.text;
    };
    let entry = this.cache?.get(d.abs, d.state, text);
    if (!entry) {
      let t: string;
      try {
        t = text();
      } catch (e) {
        d.error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        return undefined;
      }
      entry = { build: '', path: d.abs, state: d.state, written: 0, defs: [...definitionIndex(t)], aops: aopsMentioned(t), functions: {} };
      d.dirty = true;
      // A whole tree is thousands of files: keep the text only of a file changed in the
      // last seconds (its cache entry needs the content hash); others are read again if lifted.
      if (Date.now() - Number(BigInt(d.state.mtimeNs) / 1_000_000n) > 10_000) d.text = undefined;
    }
    d.entry = entry;
    return entry;
  }

  /** The entry of a file already listed (it was readable then). */
  private entryOf(d: FileData): CacheEntry {
    const e = this.loadEntry(d);
    if (!e) throw new Error(`${d.abs}: unreadable (${d.error ?? 'read failed'})`);
    return e;
  }

  private readonly headerStates = new Map<SourceFile, boolean | undefined>();

  /**
   * Whether the configuration compiles a header at all, judged by the `#include` lines
   * of the headers beside it (includes.ts): false when every one that names it is in a
   * branch the configuration rules out; undefined when none names it or it is unsettled.
   */
  headerCompiled(f: SourceFile): boolean | undefined {
    if (!f.abs.endsWith('.h') || !this.env.config) return undefined;
    if (this.headerStates.has(f)) return this.headerStates.get(f);
    const index = this.treeIndex(f.input);
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
    for (const g of this.files) {
      if (g === f || !g.abs.endsWith('.h') || path.dirname(g.abs) !== dir) continue;
      let text: string;
      try {
        // not kept: a whole folder of headers is read for this
        text = this.data.get(g)!.text ?? fs.readFileSync(g.abs, 'utf8');
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
    return this.byName.get(name) ?? [];
  }

  private text(f: SourceFile, d: FileData): string {
    if (d.text === undefined) {
      d.text = fs.readFileSync(f.abs, 'utf8');
      this.stats.filesRead++;
    }
    return d.text;
  }

  /** The parsed file's index (definitions, tables); parsed at most once per run. */
  private unit(f: SourceFile, d: FileData): UnitIndex {
    if (!d.index) {
      const text = this.text(f, d);
      const tree = binaryOffset(text) >= 0 ? undefined : parseC(text);
      this.stats.filesParsed++;
      d.index = tree ? indexUnit(text, tree) : { definitions: new Map(), opsTables: new Map() };
      const entry = this.entryOf(d);
      if (!entry.tables) {
        entry.tables = [...d.index.opsTables].map(([t, fields]) => [t, [...fields]]);
        d.dirty = true;
      }
    }
    return d.index;
  }

  /** The file's `*_operations` tables (the file is parsed if they are not cached). */
  tables(f: SourceFile): OpsTables {
    const d = this.data.get(f)!;
    if (!d.tables) {
      const entry = this.entryOf(d);
      if (!entry.tables) this.unit(f, d);
      d.tables = new Map(entry.tables!.map(([t, fields]) => [t, new Map(fields)]));
    }
    return d.tables;
  }

  /** Lifts the named functions the file defines (cached lifts first), in source order. */
  lift(f: SourceFile, names: ReadonlySet<string>): Map<string, ChosenLift> {
    const d = this.data.get(f)!;
    const out: { line: number; name: string; fn: ChosenLift }[] = [];
    for (const name of names) {
      const key = this.functionKey(name);
      const entry = this.entryOf(d);
      let fn: ChosenLift | null | undefined = Object.prototype.hasOwnProperty.call(entry.functions, key) ? entry.functions[key] : undefined;
      if (fn === undefined) {
        fn = liftDefinition(this.text(f, d), f.shown, this.unit(f, d), name, this.env.config) ?? null;
        this.stats.functionsLifted++;
        if (!fn || cacheable(fn)) {
          entry.functions[key] = fn;
          d.dirty = true;
        }
      } else if (fn) {
        this.stats.functionsFromCache++;
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
    const d = this.data.get(f)!;
    let text: string;
    try {
      text = this.text(f, d);
    } catch {
      return 1;
    }
    const m = pattern.exec(text);
    return m ? text.slice(0, m.index).split('\n').length : 1;
  }

  /** Writes the entries this run added to, to the persistent cache. */
  save(): void {
    if (!this.cache) return;
    for (const [, d] of this.data) {
      if (d.dirty && d.entry) this.cache.put(d.entry, d.text);
    }
    for (const index of this.treeIndexes.values()) index?.save();
  }
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
