/**
 * Which file of the --src inputs may define a name, and what a workspace remembers of
 * each file between runs (its names, its cache entry, its tables as a configuration
 * compiles them). source-files.ts lists the inputs into these and reads, parses and
 * lifts on demand; this is the part that answers "who defines X" without reading.
 */
import * as path from 'node:path';
import type { OpsTables } from '../sim/program.js';
import type { BuildStatus } from './kbuild.js';
import type { CacheEntry } from './lift-cache.js';
import type { NamesSnapshot } from './tree-index.js';
import type { SkippedInput, SourceKey, SourceStamp, Workspace } from '../workspace/workspace.js';

export interface SourceFile {
  /** absolute path, or the uri of a document with no file on disk */
  abs: string;
  /** as shown to users (relative to the working directory; a virtual document's uri) */
  shown: string;
  aops: string[];
  /** position of the --src input it came from: a later input overrides an earlier one */
  input: number;
  /** the kernel build's verdict on it (kbuild.ts); 'unlisted' outside a tree */
  build: BuildStatus;
  /** where a header lies: arch/<arch>/include beats include/, which beats asm-generic */
  headerRank: number;
}

/**
 * What is known about one source across runs, for the text its stamp names: its names,
 * its per-file entry (tables, lifted functions) once loaded. Kept per workspace, dropped
 * when the workspace says the file changed.
 */
export interface FileMemo {
  stamp: SourceStamp;
  names?: { defs: string[]; aops: string[] };
  /** the per-file cache entry; loaded on first need when the tree index gave the names */
  entry?: CacheEntry;
  /** the tables as the configuration with this id compiles them */
  tables?: { config: string; tables: OpsTables; undecided: UndecidedEntry[] };
  /** why reading it failed */
  error?: string;
}

/** An ops table, or one of its entries, compiled under a condition the configuration does not settle: taken. */
export interface UndecidedEntry {
  table: string;
  slot?: string;
  fn?: string;
  guard: string;
}

/** Where a header lies, for choosing among definitions: the architecture's own first. */
export function headerRank(rel: string): number {
  if (!rel.endsWith('.h')) return 0;
  if (/^arch\/[^/]+\/include\//.test(rel)) return 3;
  if (rel.startsWith('include/asm-generic/')) return 1;
  return 2;
}

/** One list of sources as runs see it, kept until a file in the workspace changes. */
export interface SetMemo {
  files: SourceFile[];
  names: Definers;
  skipped: SkippedInput[];
  notBuilt: number;
  modulesLeftOut: number;
  headerStates: Map<SourceFile, boolean | undefined>;
  /** per input, SourceFiles.diskDigests as the listing gave them (valid as long as the memo: no file changed) */
  diskDigests: (string | undefined)[];
  /** per input, the digest its tree index's names snapshot is kept under (the header verdicts with it) */
  listingDigests: (string | undefined)[];
}

export interface WorkspaceMemo {
  files: Map<SourceKey, FileMemo>;
  /** cwd, configuration and inputs joined -> the set they give */
  sets: Map<string, SetMemo>;
}

const memos = new WeakMap<Workspace, WorkspaceMemo>();

export function memoOf(workspace: Workspace): WorkspaceMemo {
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

/**
 * Which files may define a name, per input in --src order: an input read file by file
 * has a map; one whose names snapshot holds (tree-index.ts) is searched in the snapshot.
 * Answers are kept, in the order files are listed.
 */
export class Definers {
  private readonly known = new Map<string, SourceFile[]>();
  private readonly inputs: ({ map: Map<string, SourceFile[]> } | { snapshot: NamesSnapshot; files: SourceFile[]; patches: ReadonlyMap<number, ReadonlySet<string>> })[] = [];

  addMap(files: readonly SourceFile[], defs: readonly (readonly string[])[]): void {
    const map = new Map<string, SourceFile[]>();
    files.forEach((f, i) => {
      for (const name of defs[i]) {
        const list = map.get(name);
        if (list) list.push(f);
        else map.set(name, [f]);
      }
    });
    this.inputs.push({ map });
  }

  /** `patches`: positions of open documents, with the names their own text defines (the snapshot's are the file's on disk) */
  addSnapshot(snapshot: NamesSnapshot, files: SourceFile[], patches: ReadonlyMap<number, ReadonlySet<string>> = new Map()): void {
    this.inputs.push({ snapshot, files, patches });
  }

  of(name: string): SourceFile[] {
    let list = this.known.get(name);
    if (!list) {
      list = [];
      for (const input of this.inputs) {
        if ('map' in input) list.push(...(input.map.get(name) ?? []));
        else if (input.patches.size === 0) for (const i of input.snapshot.lookup(name)) list.push(input.files[i]);
        else {
          const at = input.snapshot.lookup(name).filter((i) => !input.patches.has(i));
          for (const [i, defs] of input.patches) if (defs.has(name)) at.push(i);
          for (const i of at.sort((a, b) => a - b)) list.push(input.files[i]);
        }
      }
      this.known.set(name, list);
    }
    return list;
  }
}

export const NO_AOPS: string[] = [];

/**
 * A file this run listed from a names snapshot: not read, not remembered from an
 * earlier run. A whole tree lists thousands and shows a few: the shown path is worked
 * out when first asked for.
 */
export class SnapshotFile implements SourceFile {
  private shownPath: string | undefined;

  constructor(readonly abs: string, readonly aops: string[], readonly input: number, readonly build: BuildStatus, readonly headerRank: number,
    private readonly showOf: (key: SourceKey) => string) {}

  get shown(): string {
    return (this.shownPath ??= this.showOf(this.abs));
  }
}

