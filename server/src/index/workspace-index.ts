/**
 * The workspace index: which files of the index roots define and call catalog
 * functions (under any era's name), with ranges. A text pass over every file first
 * (no parsing: a kernel tree is 46 MB), yielding to the event loop so requests are
 * answered meanwhile; then, in the background, tree-sitter confirms the definitions of
 * the few files that have any. A changed file is scanned again on its own.
 */
import * as fs from 'node:fs';
import { parseC } from '../lift/parser.js';
import { binaryOffset } from '../lift/unit.js';
import { entryByName } from '../catalog/functions.js';
import { Workspace } from '../workspace/workspace.js';
import { scanText, MAX_SCAN_BYTES, type NameSite } from './scan.js';
import { functionDefinitions } from './c-definitions.js';

/** The C files under the roots, in name order: the walk the runs' sources take, read afresh. */
function listSources(roots: readonly string[]): string[] {
  return new Workspace(roots).listAll();
}

export interface IndexedFile {
  path: string;
  definitions: NameSite[];
  calls: NameSite[];
  /** definitions confirmed by tree-sitter */
  parsed: boolean;
}

export interface IndexStats {
  files: number;
  parsedFiles: number;
  /** distinct catalog functions defined in the roots */
  functions: number;
  /** call sites of catalog functions, each with its range */
  mappedCallSites: number;
  ms: number;
}

export interface IndexProgress {
  files: number;
  indexedFiles: number;
  done: boolean;
  ms: number;
}

/** Reads a file's text; the server passes one that prefers an open document's text. */
export type TextReader = (path: string) => string | undefined;

const readDisk: TextReader = (p) => {
  try {
    if (fs.statSync(p).size > MAX_SCAN_BYTES) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** How long the text pass runs before it lets pending requests in. */
const SLICE_MS = 10;

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private paths: string[] = [];
  private started = 0;
  private elapsed = 0;
  private ready = false;
  private parsedCount = 0;
  private readonly definers = new Map<string, Set<string>>();
  private builtPromise: Promise<void> | undefined;

  constructor(readonly roots: readonly string[], private readonly read: TextReader = readDisk) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** Builds the index in slices; resolves when every file has been scanned. */
  build(onProgress?: (p: IndexProgress) => void): Promise<void> {
    if (!this.builtPromise) this.builtPromise = this.buildInSlices(onProgress);
    return this.builtPromise;
  }

  private async buildInSlices(onProgress?: (p: IndexProgress) => void): Promise<void> {
    this.started = performance.now();
    this.paths = listSources(this.roots);
    let i = 0;
    while (i < this.paths.length) {
      const sliceEnd = performance.now() + SLICE_MS;
      while (i < this.paths.length && performance.now() < sliceEnd) this.scanFile(this.paths[i++]);
      onProgress?.({ files: this.paths.length, indexedFiles: i, done: false, ms: Math.round(performance.now() - this.started) });
      await new Promise<void>((r) => setImmediate(r));
    }
    this.elapsed = performance.now() - this.started;
    this.ready = true;
    onProgress?.({ files: this.paths.length, indexedFiles: i, done: true, ms: Math.round(this.elapsed) });
  }

  /** The same in one go, for the CLI. */
  buildSync(): void {
    this.started = performance.now();
    this.paths = listSources(this.roots);
    for (const p of this.paths) this.scanFile(p);
    this.elapsed = performance.now() - this.started;
    this.ready = true;
    this.builtPromise = Promise.resolve();
  }

  /**
   * Tree-sitter over the files that define catalog functions, one file per turn of the
   * event loop; `between` may hold the next file back (a server lets its requests go first).
   */
  async confirmDefinitions(signal?: { stopped: boolean }, between?: () => Promise<void>): Promise<void> {
    for (const f of [...this.files.values()]) {
      if (signal?.stopped) return;
      if (f.parsed || f.definitions.length === 0) continue;
      if (between) await between();
      this.confirm(f);
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  confirmDefinitionsSync(): void {
    for (const f of this.files.values()) if (!f.parsed && f.definitions.length) this.confirm(f);
  }

  private confirm(f: IndexedFile): void {
    const text = this.read(f.path);
    if (text === undefined || binaryOffset(text) >= 0) return;
    const tree = parseC(text);
    f.parsed = true;
    this.parsedCount++;
    if (!tree) return;
    const real = functionDefinitions(tree).filter((d) => entryByName(d.name));
    const lineStarts = lineOffsets(text);
    this.setDefinitions(f, real.map((d) => ({ name: d.name, line: d.line, column: d.column, offset: lineStarts[d.line] + d.column })));
  }

  private setDefinitions(f: IndexedFile, defs: NameSite[]): void {
    for (const d of f.definitions) this.definers.get(d.name)?.delete(f.path);
    f.definitions = defs;
    for (const d of defs) {
      let s = this.definers.get(d.name);
      if (!s) this.definers.set(d.name, (s = new Set()));
      s.add(f.path);
    }
  }

  private scanFile(p: string): void {
    const old = this.files.get(p);
    if (old) this.setDefinitions(old, []);
    if (old?.parsed) this.parsedCount--;
    const text = this.read(p);
    const scan = text === undefined ? { definitions: [], calls: [] } : scanText(text);
    const entry: IndexedFile = { path: p, definitions: [], calls: scan.calls, parsed: false };
    this.files.set(p, entry);
    this.setDefinitions(entry, scan.definitions);
  }

  /** A file changed, appeared or went away: scan it again (or drop it). */
  invalidate(p: string): void {
    if (!this.roots.some((r) => p === r || p.startsWith(r.endsWith('/') ? r : r + '/'))) return;
    if (!/\.[ch]$/.test(p)) return;
    let exists = false;
    try {
      exists = fs.statSync(p).isFile();
    } catch { /* deleted */ }
    if (!exists) {
      const old = this.files.get(p);
      if (old) {
        this.setDefinitions(old, []);
        if (old.parsed) this.parsedCount--;
        this.files.delete(p);
        this.paths = this.paths.filter((x) => x !== p);
      }
      return;
    }
    if (!this.files.has(p)) this.paths.push(p);
    this.scanFile(p);
  }

  file(p: string): IndexedFile | undefined {
    return this.files.get(p);
  }

  /** Files that define `name` or any other era's name of its catalog entry. */
  definitionsOf(name: string): { path: string; site: NameSite }[] {
    const names = entryByName(name)?.names ?? [name];
    const out: { path: string; site: NameSite }[] = [];
    for (const n of names) {
      for (const p of this.definers.get(n) ?? []) {
        for (const d of this.files.get(p)?.definitions ?? []) if (d.name === n) out.push({ path: p, site: d });
      }
    }
    return out;
  }

  callSitesOf(name: string): { path: string; site: NameSite }[] {
    const out: { path: string; site: NameSite }[] = [];
    for (const f of this.files.values()) for (const c of f.calls) if (c.name === name) out.push({ path: f.path, site: c });
    return out;
  }

  stats(): IndexStats {
    let calls = 0;
    for (const f of this.files.values()) calls += f.calls.length;
    let functions = 0;
    for (const s of this.definers.values()) if (s.size) functions++;
    return { files: this.files.size, parsedFiles: this.parsedCount, functions, mappedCallSites: calls, ms: Math.round(this.elapsed) };
  }
}

function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}
