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
import { scanText, type NameSite } from './scan.js';
import { functionDefinitions } from './c-definitions.js';
import type { IndexThread, ScannedFile } from './index-thread.js';
import { readDisk, lineOffsets } from './read-text.js';
import { packSites, siteCount, unpackSites, type PackedSites } from './packed-sites.js';

/** The C files under the roots, in name order: the walk the runs' sources take, read afresh. */
function listSources(roots: readonly string[]): string[] {
  return new Workspace(roots).listAll();
}

export interface IndexedFile {
  path: string;
  definitions: NameSite[];
  /** packed: a tree has tens of thousands (packed-sites.ts) */
  calls: PackedSites;
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

/** How long the text pass runs before it lets pending requests in (a hover waits at most this long behind it). */
const SLICE_MS = 3;

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private paths: string[] = [];
  private started = 0;
  private elapsed = 0;
  private ready = false;
  private parsedCount = 0;
  private readonly definers = new Map<string, Set<string>>();
  private builtPromise: Promise<void> | undefined;
  /** files scanned on this thread since a build in the worker began: its answers for them are older */
  private readonly scannedHere = new Set<string>();

  constructor(readonly roots: readonly string[], private readonly read: TextReader = readDisk) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** Builds the index, in slices on this thread or in the worker `thread`; resolves when every file has been scanned. */
  build(onProgress?: (p: IndexProgress) => void, thread?: IndexThread): Promise<void> {
    if (!this.builtPromise) this.builtPromise = thread ? this.buildIn(thread, onProgress) : this.buildInSlices(onProgress);
    return this.builtPromise;
  }

  /** The text pass in the worker: this thread merges its batches. */
  private async buildIn(thread: IndexThread, onProgress?: (p: IndexProgress) => void): Promise<void> {
    this.started = performance.now();
    let total = 0;
    let done = 0;
    await thread.scan(this.roots, (n) => { total = n; }, (files: ScannedFile[]) => {
      for (const f of files) {
        if (!this.files.has(f.path)) this.paths.push(f.path);
        if (!this.scannedHere.has(f.path)) this.put(f.path, f);
      }
      done += files.length;
      onProgress?.({ files: total, indexedFiles: done, done: false, ms: Math.round(performance.now() - this.started) });
    });
    this.scannedHere.clear();
    this.elapsed = performance.now() - this.started;
    this.ready = true;
    onProgress?.({ files: total, indexedFiles: done, done: true, ms: Math.round(this.elapsed) });
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
  async confirmDefinitions(signal?: { stopped: boolean }, between?: () => Promise<void>, parser?: IndexThread): Promise<void> {
    for (const f of [...this.files.values()]) {
      if (signal?.stopped) return;
      if (f.parsed || f.definitions.length === 0) continue;
      if (between) await between();
      if (parser) await this.confirmIn(f, parser);
      else this.confirm(f);
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** `confirm`, with the parse in the worker: this thread reads the text and takes the answer. */
  private async confirmIn(f: IndexedFile, parser: IndexThread): Promise<void> {
    const text = this.read(f.path);
    if (text === undefined || binaryOffset(text) >= 0) return;
    const defs = await parser.confirm(text);
    // scanned again meanwhile (an edit, a save): the answer is about an older text
    if (this.files.get(f.path) !== f || f.parsed) return;
    f.parsed = true;
    this.parsedCount++;
    if (defs) this.setDefinitions(f, defs);
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
    const text = this.read(p);
    const scan = text === undefined ? { definitions: [], calls: [] } : scanText(text);
    this.put(p, { definitions: scan.definitions, calls: packSites(scan.calls) });
  }

  private put(p: string, scan: { definitions: NameSite[]; calls: PackedSites }): void {
    const old = this.files.get(p);
    if (old) this.setDefinitions(old, []);
    if (old?.parsed) this.parsedCount--;
    const entry: IndexedFile = { path: p, definitions: [], calls: scan.calls, parsed: false };
    this.files.set(p, entry);
    this.setDefinitions(entry, scan.definitions);
  }

  /** A file changed, appeared or went away: scan it again (or drop it). */
  invalidate(p: string): void {
    if (!this.holds(p)) return;
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
    if (!this.ready) this.scannedHere.add(p);
    this.scanFile(p);
  }

  /** A file whose text pass is known already (an editor's document, as opened): taken as is, nothing read. */
  scanned(p: string, scan: { definitions: NameSite[]; calls: NameSite[] }): void {
    if (!this.holds(p)) return;
    if (!this.files.has(p)) this.paths.push(p);
    if (!this.ready) this.scannedHere.add(p);
    this.put(p, { definitions: scan.definitions, calls: packSites(scan.calls) });
  }

  private holds(p: string): boolean {
    return /\.[ch]$/.test(p) && this.roots.some((r) => p === r || p.startsWith(r.endsWith('/') ? r : r + '/'));
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
    for (const f of this.files.values()) for (const c of unpackSites(f.calls, name)) out.push({ path: f.path, site: c });
    return out;
  }

  stats(): IndexStats {
    let calls = 0;
    for (const f of this.files.values()) calls += siteCount(f.calls);
    let functions = 0;
    for (const s of this.definers.values()) if (s.size) functions++;
    return { files: this.files.size, parsedFiles: this.parsedCount, functions, mappedCallSites: calls, ms: Math.round(this.elapsed) };
  }
}

