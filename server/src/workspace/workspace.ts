/**
 * The source a run, `explain` and the index read: C files under root folders, with an
 * editor's open documents laid over them. An open document's unsaved text wins over the
 * file on disk; a document with no file behind it (`untitled:`, `git:`) is a source of
 * its own, named by its uri. One object lives as long as its user (the language server,
 * or one CLI process), so folder listings and file states are read once and dropped
 * file by file (`invalidate`) when a watcher says a file changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fileState, fileStateOrNull, type FileState } from './file-state.js';
import { readRegularFile } from './read-file.js';

/** A source file larger than this is not read (the kernel's largest C file is about 1 MB). */
const MAX_SOURCE_BYTES = 4 * 1024 * 1024;

/** Files a workspace lists: C sources and headers. */
const SOURCE_FILE = /\.[ch]$/;
/** Deeper than any kernel folder; a symlink loop ends here. */
const MAX_DEPTH = 12;

/**
 * A key names one source: the absolute path of a file (open or not), or the uri of a
 * document with no file on disk.
 */
export type SourceKey = string;

export interface Overlay {
  text: string;
  version: number;
}

/** What a source is now: its text's identity, for caches kept across runs. */
export type SourceStamp =
  | { kind: 'disk'; state: FileState }
  | { kind: 'overlay'; version: number; serial: number }
  | { kind: 'missing' };

/** `file:///a/b.c` and `/a/b.c` both name /a/b.c; other uris stay as they are. */
export function sourceKey(uriOrPath: string): SourceKey {
  if (uriOrPath.startsWith('file:')) return path.resolve(fileURLToPath(uriOrPath));
  if (/^[A-Za-z][\w+.-]+:/.test(uriOrPath) && !/^[A-Za-z]:[\\/]/.test(uriOrPath)) return uriOrPath;
  return path.resolve(uriOrPath);
}

/** True for a key that is a path on disk rather than a virtual document's uri. */
export function isDiskKey(key: SourceKey): boolean {
  return path.isAbsolute(key);
}

/** The uri of a key: `file://` for paths. */
export function keyUri(key: SourceKey): string {
  return isDiskKey(key) ? pathToFileURL(key).href : key;
}

/** A source the listing leaves out, and why (said in the run's assumptions). */
export interface SkippedInput {
  path: string;
  why: string;
}

export interface ListOptions {
  /** false: leave this folder out (kernel folders the build does not enter) */
  descend?: (dir: string) => boolean;
  /** filled with what was left out for other reasons */
  skipped?: SkippedInput[];
  /** filled with every folder the walk read, with its state taken before its entries were read */
  folders?: Map<string, FileState | null>;
}

interface Listing {
  dirs: string[];
  files: string[];
  /** symbolic links to C files: not followed, reported */
  links: string[];
  /** why the folder could not be read */
  error?: string;
  /** dirs, files and links in one name order, made on the first walk */
  sorted?: { kind: 'dir' | 'file' | 'link'; name: string }[];
  /** the folder's state just before its entries were read */
  state: FileState | null;
}

function sortedEntries(l: Listing): { kind: 'dir' | 'file' | 'link'; name: string }[] {
  const all = [
    ...l.dirs.map((name) => ({ kind: 'dir' as const, name })),
    ...l.files.map((name) => ({ kind: 'file' as const, name })),
    ...l.links.map((name) => ({ kind: 'link' as const, name })),
  ];
  return all.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export class Workspace {
  private readonly overlays = new Map<SourceKey, Overlay & { serial: number }>();
  /** folder -> its entries, read once until invalidated */
  private readonly folders = new Map<string, Listing>();
  private readonly states = new Map<SourceKey, SourceStamp>();
  private serial = 0;
  /** callers that keep per-file data learn here that a file changed */
  private readonly listeners = new Set<(key: SourceKey) => void>();

  constructor(readonly roots: readonly string[] = []) {}

  /** An open document's text replaces the file's (or is the virtual document's text). */
  setOverlay(uriOrPath: string, text: string, version: number): SourceKey {
    const key = sourceKey(uriOrPath);
    const had = this.overlays.has(key);
    this.overlays.set(key, { text, version, serial: ++this.serial });
    this.states.delete(key);
    // a new unsaved file appears in its folder's listing
    if (!had && isDiskKey(key)) this.folders.delete(path.dirname(key));
    this.changed(key);
    return key;
  }

  /** The document was closed: the file on disk (if any) is the source again. */
  removeOverlay(uriOrPath: string): void {
    const key = sourceKey(uriOrPath);
    if (!this.overlays.delete(key)) return;
    this.states.delete(key);
    if (isDiskKey(key)) this.folders.delete(path.dirname(key));
    this.changed(key);
  }

  overlay(uriOrPath: string): Overlay | undefined {
    const o = this.overlays.get(sourceKey(uriOrPath));
    return o && { text: o.text, version: o.version };
  }

  /** Every overlay, for handing to another process (the run service's child). */
  overlayList(): { key: SourceKey; text: string; version: number }[] {
    return [...this.overlays].map(([key, o]) => ({ key, text: o.text, version: o.version }));
  }

  /**
   * A file (or folder) changed on disk, was created or deleted: forget what was read
   * about it. A folder's listing is read again too when one of its entries changed.
   */
  invalidate(p: string): void {
    const key = sourceKey(p);
    this.states.delete(key);
    if (isDiskKey(key)) {
      this.folders.delete(path.dirname(key));
      for (const folder of [...this.folders.keys()]) {
        if (folder === key || folder.startsWith(key + path.sep)) this.folders.delete(folder);
      }
      for (const k of [...this.states.keys()]) if (k.startsWith(key + path.sep)) this.states.delete(k);
    }
    this.changed(key);
  }

  /** Forget every listing and file state (not the overlays). */
  invalidateAll(): void {
    const keys = [...this.states.keys()];
    this.folders.clear();
    this.states.clear();
    for (const k of keys) this.changed(k);
  }

  onChange(listener: (key: SourceKey) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(key: SourceKey): void {
    for (const l of this.listeners) l(key);
  }

  /**
   * The C files of a source argument, in order: a folder's files (recursively, sorted
   * by name), a single file, or a virtual document's uri. Unsaved new files under a
   * folder are listed too. Throws for a path that names nothing. `descend` leaves out
   * folders (the kernel build's view of a tree); what is left out for other reasons
   * (too deep, unreadable, symbolic links, not C) is added to `skipped`.
   */
  list(rootOrUri: string, opts: ListOptions = {}): SourceKey[] {
    const key = sourceKey(rootOrUri);
    if (!isDiskKey(key)) {
      if (!this.overlays.has(key)) throw new Error(`${rootOrUri}: no open document with this uri`);
      return [key];
    }
    if (this.overlays.has(key)) return [key];
    let st: fs.Stats;
    try {
      st = fs.statSync(key);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${rootOrUri}: no such file or directory`);
      opts.skipped?.push({ path: key, why: `unreadable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` });
      return [];
    }
    if (st.isFile()) {
      if (SOURCE_FILE.test(key)) return [key];
      opts.skipped?.push({ path: key, why: 'not a C file (.c or .h)' });
      return [];
    }
    const out: SourceKey[] = [];
    this.walk(key, 0, out, opts);
    return out;
  }

  /** The C files under every root of the workspace. */
  listAll(): SourceKey[] {
    return this.roots.flatMap((r) => {
      try {
        return this.list(r);
      } catch {
        return [];
      }
    });
  }

  private walk(dir: string, depth: number, out: SourceKey[], opts: ListOptions): void {
    if (depth > MAX_DEPTH) {
      opts.skipped?.push({ path: dir, why: `deeper than ${MAX_DEPTH} folders below the --src input` });
      return;
    }
    const listing = this.folder(dir);
    opts.folders?.set(dir, listing.state);
    if (listing.error) {
      opts.skipped?.push({ path: dir, why: `unreadable folder (${listing.error})` });
      return;
    }
    // files and folders in one name order (by code unit, as the index's walk sorts);
    // `dir` is absolute and normalized, so joining is concatenation
    for (const e of listing.sorted ?? (listing.sorted = sortedEntries(listing))) {
      const p = dir.endsWith(path.sep) ? dir + e.name : dir + path.sep + e.name;
      if (e.kind === 'dir') {
        if (!opts.descend || opts.descend(p)) this.walk(p, depth + 1, out, opts);
      } else if (e.kind === 'file') {
        out.push(p);
      } else {
        opts.skipped?.push({ path: p, why: 'a symbolic link (not followed)' });
      }
    }
  }

  private folder(dir: string): Listing {
    let listing = this.folders.get(dir);
    if (listing) return listing;
    listing = { dirs: [], files: [], links: [], state: fileStateOrNull(dir) };
    let entries: fs.Dirent[] = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      listing.error = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
    for (const e of entries) {
      if (e.isDirectory()) listing.dirs.push(e.name);
      else if (e.isFile() && SOURCE_FILE.test(e.name)) listing.files.push(e.name);
      else if (e.isSymbolicLink() && SOURCE_FILE.test(e.name)) listing.links.push(e.name);
    }
    for (const key of this.overlays.keys()) {
      if (isDiskKey(key) && path.dirname(key) === dir && SOURCE_FILE.test(key) && !listing.files.includes(path.basename(key))) {
        listing.files.push(path.basename(key));
      }
    }
    this.folders.set(dir, listing);
    return listing;
  }

  /** What the source is now (cached until invalidated or overlaid). */
  stamp(key: SourceKey): SourceStamp {
    const o = this.overlays.get(key);
    if (o) return { kind: 'overlay', version: o.version, serial: o.serial };
    let s = this.states.get(key);
    if (!s) {
      try {
        s = isDiskKey(key) ? { kind: 'disk', state: fileState(key) } : { kind: 'missing' };
      } catch {
        s = { kind: 'missing' };
      }
      this.states.set(key, s);
    }
    return s;
  }

  /** The source's text: the overlay when the document is open, else the file. */
  read(key: SourceKey): string {
    const o = this.overlays.get(key);
    if (o) return o.text;
    if (!isDiskKey(key)) throw new Error(`${key}: no open document with this uri`);
    // only a regular file, and only up to the limit: a FIFO or a device never blocks a run
    return readRegularFile(key, MAX_SOURCE_BYTES);
  }

  isOverlaid(key: SourceKey): boolean {
    return this.overlays.has(key);
  }

  /** The open documents under a folder (or it): a listing of the folder lists those with no file on disk too. */
  overlaysUnder(dir: string): SourceKey[] {
    const key = sourceKey(dir);
    return [...this.overlays.keys()].filter((k) => k === key || k.startsWith(key + path.sep));
  }
}

/** Two stamps name the same text. */
export function sameStamp(a: SourceStamp, b: SourceStamp): boolean {
  if (a.kind === 'disk' && b.kind === 'disk') {
    return a.state.size === b.state.size && a.state.ino === b.state.ino && a.state.mtimeNs === b.state.mtimeNs && a.state.ctimeNs === b.state.ctimeNs;
  }
  if (a.kind === 'overlay' && b.kind === 'overlay') return a.serial === b.serial;
  return a.kind === 'missing' && b.kind === 'missing';
}
