/**
 * The C files under the --src directories, as one run sees them: for each file, the
 * names it may define (a text index, no parsing), and on demand its ops tables and the
 * functions lifted from it. A file is read only when its index is not cached, parsed
 * only when a function it defines is needed and not cached, and parsed once per run.
 */
import * as path from 'node:path';
import { binaryOffset, indexUnit, liftDefinition, parseC, type LiftedFunction, type Tree, type UnitIndex } from '../lift/index.js';
import type { OpsTables } from '../sim/program.js';
import type { CacheEntry, LiftCache } from './lift-cache.js';
import { isDiskKey, sameStamp, Workspace, type SourceKey, type SourceStamp } from '../workspace/workspace.js';

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

export interface SourceFile {
  /** absolute path, or the uri of a document with no file on disk */
  abs: string;
  /** as shown to users (relative to the working directory; a virtual document's uri) */
  shown: string;
  defs: Set<string>;
  aops: string[];
}

/**
 * What is known about one source across runs: its text index, tables and the functions
 * lifted from it, for the text its stamp names. Kept per workspace, dropped when the
 * workspace says the file changed.
 */
interface FileMemo {
  stamp: SourceStamp;
  entry: CacheEntry;
  tables?: OpsTables;
  /** the file as runs list it */
  src: SourceFile;
}

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
}

/** What a workspace's runs keep: per file, and per list of sources the files and their names. */
interface WorkspaceMemo {
  files: Map<SourceKey, FileMemo>;
  /** `dirs` joined -> the files they list and who may define each name */
  sets: Map<string, { files: SourceFile[]; byName: Map<string, SourceFile[]> }>;
}

const memos = new WeakMap<Workspace, WorkspaceMemo>();

function memoOf(workspace: Workspace): WorkspaceMemo {
  let m = memos.get(workspace);
  if (!m) {
    const memo: WorkspaceMemo = { files: new Map(), sets: new Map() };
    workspace.onChange((key) => {
      memo.files.delete(key);
      // a folder changed: what was under it may be gone
      for (const k of memo.files.keys()) if (k.startsWith(key + path.sep)) memo.files.delete(k);
      memo.sets.clear();
    });
    memos.set(workspace, memo);
    m = memo;
  }
  return m;
}

export class SourceFiles {
  readonly files: SourceFile[];
  readonly stats: SourceStats = { files: 0, filesRead: 0, filesParsed: 0, functionsLifted: 0, functionsFromCache: 0, functionsFromMemory: 0 };
  /** what this run holds of the files it touched */
  private readonly data = new Map<SourceFile, FileData>();
  private readonly byName: Map<string, SourceFile[]>;
  private readonly memo: WorkspaceMemo;

  /**
   * `dirs`: folders, files or virtual documents' uris, read through `workspace` (a
   * fresh one, over the disk alone, when none is given). Over a long-lived workspace a
   * repeated list of sources costs nothing until a file in it changes.
   */
  constructor(dirs: readonly string[], private readonly cache: LiftCache | undefined, readonly workspace: Workspace = new Workspace()) {
    this.memo = memoOf(workspace);
    const setKey = [process.cwd(), ...dirs].join('\0');
    const known = this.memo.sets.get(setKey);
    if (known) {
      this.files = known.files;
      this.byName = known.byName;
    } else {
      this.files = [];
      this.byName = new Map();
      for (const dir of dirs) {
        let keys: SourceKey[];
        try {
          keys = workspace.list(dir);
        } catch {
          throw new Error(`--src ${dir}: no such file or directory`);
        }
        for (const key of keys) this.add(key);
      }
      for (const f of this.files) {
        for (const name of f.defs) {
          const list = this.byName.get(name);
          if (list) list.push(f);
          else this.byName.set(name, [f]);
        }
      }
      this.memo.sets.set(setKey, { files: this.files, byName: this.byName });
    }
    this.stats.files = this.files.length;
  }

  private add(key: SourceKey): void {
    const stamp = this.workspace.stamp(key);
    if (stamp.kind === 'missing') return;
    const overlaid = stamp.kind === 'overlay';
    const data: FileData = { key, memo: undefined as unknown as FileMemo, overlaid, remembered: false, dirty: false };
    const text = (): string => {
      if (data.text === undefined) {
        data.text = this.workspace.read(key);
        if (!overlaid) this.stats.filesRead++;
      }
      return data.text;
    };
    let memo = this.memo.files.get(key);
    if (memo && !sameStamp(memo.stamp, stamp)) memo = undefined;
    const shown = isDiskKey(key) ? path.relative(process.cwd(), key) || key : key;
    if (!memo) {
      if (stamp.kind === 'disk' && stamp.state.size > MAX_FILE_BYTES) return;
      // an editor's unsaved text never goes to, nor comes from, the persistent cache
      let entry = stamp.kind === 'disk' ? this.cache?.get(key, stamp.state, text) : undefined;
      if (!entry) {
        let t: string;
        try {
          t = text();
        } catch {
          return;
        }
        if (t.length > MAX_FILE_BYTES) return;
        const state = stamp.kind === 'disk' ? stamp.state : { size: t.length, ino: '0', mtimeNs: '0', ctimeNs: '0' };
        entry = { build: '', path: key, state, written: 0, defs: [...definitionIndex(t)], aops: aopsMentioned(t), functions: {} };
        data.dirty = !overlaid;
      }
      memo = { stamp, entry, src: { abs: key, shown, defs: new Set(entry.defs), aops: entry.aops } };
      this.memo.files.set(key, memo);
      data.memo = memo;
      // a new index is written to the cache at the end of the run
      this.data.set(memo.src, data);
    } else if (memo.src.shown !== shown) {
      memo.src = { ...memo.src, shown };
    }
    this.files.push(memo.src);
  }

  /** This run's hold on a file: made when the run first needs more than the file's names. */
  private dataOf(f: SourceFile): FileData {
    let d = this.data.get(f);
    if (!d) {
      const memo = this.memo.files.get(f.abs)!;
      d = { key: f.abs, memo, overlaid: memo.stamp.kind === 'overlay', remembered: true, dirty: false };
      this.data.set(f, d);
    }
    return d;
  }

  /** The files that may define `name`, in --src order. */
  definers(name: string): readonly SourceFile[] {
    return this.byName.get(name) ?? [];
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
      d.index = tree ? indexUnit(text, tree) : { definitions: new Map(), opsTables: new Map() };
      if (!d.memo.entry.tables) {
        d.memo.entry.tables = [...d.index.opsTables].map(([t, fields]) => [t, [...fields]]);
        d.dirty = !d.overlaid;
      }
    }
    return d.index;
  }

  /** The file's `*_operations` tables (the file is parsed if they are not cached). */
  tables(f: SourceFile): OpsTables {
    const d = this.dataOf(f);
    if (!d.memo.tables) {
      if (!d.memo.entry.tables) this.unit(d);
      d.memo.tables = new Map(d.memo.entry.tables!.map(([t, fields]) => [t, new Map(fields)]));
    }
    return d.memo.tables;
  }

  /** Lifts the named functions the file defines (cached lifts first), in source order. */
  lift(f: SourceFile, names: ReadonlySet<string>): Map<string, LiftedFunction> {
    const d = this.dataOf(f);
    const functions = d.memo.entry.functions;
    const out: { line: number; name: string; fn: LiftedFunction }[] = [];
    for (const name of names) {
      let fn = Object.prototype.hasOwnProperty.call(functions, name) ? functions[name] : undefined;
      if (fn === undefined) {
        const index = this.unit(d);
        fn = (d.tree ? liftDefinition(this.text(d), f.shown, index, name, d.tree) : undefined) ?? null;
        this.stats.functionsLifted++;
        if (!fn || cacheable(fn)) {
          functions[name] = fn;
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

  /** Writes the entries this run added to, to the persistent cache (never an overlay's). */
  save(): void {
    for (const [, d] of this.data) {
      if (this.cache && d.dirty && !d.overlaid) this.cache.put(d.memo.entry, d.text);
      d.dirty = false;
      // trees and texts are per run; the memo keeps what was learned from them
      delete d.index;
      delete d.tree;
      delete d.text;
    }
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
