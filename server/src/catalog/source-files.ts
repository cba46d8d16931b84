/**
 * The C files under the --src directories, as one run sees them: for each file, the
 * names it may define (a text index, no parsing), and on demand its ops tables and the
 * functions lifted from it. A file is read only when its index is not cached, parsed
 * only when a function it defines is needed and not cached, and parsed once per run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { binaryOffset, indexUnit, liftDefinition, parseC, type LiftedFunction, type UnitIndex } from '../lift/index.js';
import type { OpsTables } from '../sim/program.js';
import { readRegularFile } from './read-file.js';
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

function* cFiles(dir: string, depth = 0): Generator<string> {
  if (depth > 12) return;
  // --src may also name a single file
  if (depth === 0 && !fs.statSync(dir).isDirectory()) {
    // a file named on its own must be something to read
    readRegularFile(dir, MAX_FILE_BYTES, `--src ${dir}`);
    if (!/\.[ch]$/.test(dir)) throw new Error(`--src ${dir}: not a directory or a .c/.h file`);
    yield dir;
    return;
  }
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* cFiles(p, depth + 1);
    else if (e.isFile() && /\.[ch]$/.test(e.name)) yield p;
  }
}

export interface SourceFile {
  /** absolute path */
  abs: string;
  /** as shown to users (relative to the working directory) */
  shown: string;
  defs: Set<string>;
  aops: string[];
}

interface FileData {
  state: FileState;
  text?: string;
  entry: CacheEntry;
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

export class SourceFiles {
  readonly files: SourceFile[] = [];
  readonly stats: SourceStats = { files: 0, filesRead: 0, filesParsed: 0, functionsLifted: 0, functionsFromCache: 0 };
  private readonly data = new Map<SourceFile, FileData>();
  private readonly byName = new Map<string, SourceFile[]>();

  constructor(dirs: readonly string[], private readonly cache: LiftCache | undefined) {
    for (const dir of dirs) {
      if (!fs.existsSync(dir)) throw new Error(`--src ${dir}: no such file or directory`);
      for (const file of cFiles(dir)) this.add(file);
    }
    for (const f of this.files) {
      for (const name of f.defs) {
        const list = this.byName.get(name);
        if (list) list.push(f);
        else this.byName.set(name, [f]);
      }
    }
    this.stats.files = this.files.length;
  }

  private add(file: string): void {
    const abs = path.resolve(file);
    let state: FileState;
    try {
      state = fileState(abs);
    } catch {
      return;
    }
    if (state.size > MAX_FILE_BYTES || !fs.statSync(abs).isFile()) return;
    const data: FileData = { state, entry: undefined as unknown as CacheEntry, dirty: false };
    const text = (): string => {
      if (data.text === undefined) {
        data.text = readRegularFile(abs, MAX_FILE_BYTES);
        this.stats.filesRead++;
      }
      return data.text;
    };
    let entry = this.cache?.get(abs, state, text);
    if (!entry) {
      let t: string;
      try {
        t = text();
      } catch {
        return;
      }
      entry = { build: '', path: abs, state, written: 0, defs: [...definitionIndex(t)], aops: aopsMentioned(t), functions: Object.create(null) as CacheEntry['functions'] };
      data.dirty = true;
    }
    data.entry = entry;
    const src: SourceFile = { abs, shown: path.relative(process.cwd(), file) || file, defs: new Set(entry.defs), aops: entry.aops };
    this.files.push(src);
    this.data.set(src, data);
  }

  /** The files that may define `name`, in --src order. */
  definers(name: string): readonly SourceFile[] {
    return this.byName.get(name) ?? [];
  }

  private text(f: SourceFile, d: FileData): string {
    if (d.text === undefined) {
      d.text = readRegularFile(f.abs, MAX_FILE_BYTES, f.shown);
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
      if (!d.entry.tables) {
        d.entry.tables = [...d.index.opsTables].map(([t, fields]) => [t, [...fields]]);
        d.dirty = true;
      }
    }
    return d.index;
  }

  /** The file's `*_operations` tables (the file is parsed if they are not cached). */
  tables(f: SourceFile): OpsTables {
    const d = this.data.get(f)!;
    if (!d.tables) {
      if (!d.entry.tables) this.unit(f, d);
      d.tables = new Map(d.entry.tables!.map(([t, fields]) => [t, new Map(fields)]));
    }
    return d.tables;
  }

  /** Lifts the named functions the file defines (cached lifts first), in source order. */
  lift(f: SourceFile, names: ReadonlySet<string>): Map<string, LiftedFunction> {
    const d = this.data.get(f)!;
    const out: { line: number; name: string; fn: LiftedFunction }[] = [];
    for (const name of names) {
      let fn = Object.prototype.hasOwnProperty.call(d.entry.functions, name) ? d.entry.functions[name] : undefined;
      if (fn === undefined) {
        fn = liftDefinition(this.text(f, d), f.shown, this.unit(f, d), name) ?? null;
        this.stats.functionsLifted++;
        if (!fn || cacheable(fn)) {
          d.entry.functions[name] = fn;
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

  /** Writes the entries this run added to, to the persistent cache. */
  save(): void {
    if (!this.cache) return;
    for (const [, d] of this.data) {
      if (d.dirty) this.cache.put(d.entry, d.text);
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
