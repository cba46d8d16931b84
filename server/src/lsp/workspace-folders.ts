/**
 * The folders the client opened, each with its index and its era. A document belongs
 * to the folder that holds its path (a `git:` uri carries the file's path too); an
 * `untitled:` document to the first folder.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { URI } from './uri.js';
import { WorkspaceIndex, type IndexProgress, type TextReader } from '../index/workspace-index.js';
import { indexRoots } from '../index/roots.js';
import { IndexThread } from '../index/index-thread.js';
import { eraForRelease, treeOf } from '../catalog/tree.js';

export class WorkspaceFolder {
  readonly index: WorkspaceIndex;
  readonly era: string | undefined;
  /** folders the index walks */
  readonly roots: string[];
  /** what runs lift from: a kernel tree whole (the lifter picks what its config builds), else the index roots */
  readonly sources: string[];
  /** the folder is a kernel tree's root: runs lift the tree whole */
  readonly isTree: boolean;
  private stopped = { stopped: false };
  private thread: IndexThread | undefined;

  constructor(readonly folder: string, configuredRoots: readonly string[], read: TextReader) {
    this.roots = indexRoots(folder, configuredRoots);
    this.index = new WorkspaceIndex(this.roots, read);
    const tree = treeOf(folder);
    this.era = tree?.release ? eraForRelease(tree.release) : undefined;
    this.isTree = !!tree && tree.root === path.resolve(folder);
    this.sources = this.isTree ? [tree!.root] : this.roots;
  }

  /** Text pass, then tree-sitter over the defining files, both in a worker thread (`quiet`: each parse waits for a pause in requests). */
  async start(onProgress: (p: IndexProgress) => void, quiet?: () => Promise<void>): Promise<void> {
    // both passes in a worker thread: no request waits behind a scan or a whole-file parse
    this.thread = new IndexThread();
    try {
      await this.index.build(onProgress, this.thread);
      await this.index.confirmDefinitions(this.stopped, quiet, this.thread);
    } finally {
      this.thread.dispose();
    }
  }

  /** Stops the index's work; resolves when its worker has ended. */
  async stop(): Promise<void> {
    this.stopped.stopped = true;
    await this.thread?.stop();
  }

  contains(p: string): boolean {
    return p === this.folder || p.startsWith(this.folder.endsWith(path.sep) ? this.folder : this.folder + path.sep);
  }

  /** A path as users see it: relative to the folder. */
  shown(p: string): string {
    return this.contains(p) ? path.relative(this.folder, p) : p;
  }
}

/** The path a document stands for: `file:` and `git:` uris carry one, `untitled:` none. */
export function documentPath(uri: string): string | undefined {
  // asked several times by every hover and lens: a uri is parsed once
  if (paths.has(uri)) return paths.get(uri);
  if (paths.size > 2000) paths.clear();
  const p = pathOf(uri);
  paths.set(uri, p);
  return p;
}

const paths = new Map<string, string | undefined>();

function pathOf(uri: string): string | undefined {
  const u = URI.parse(uri);
  if (!u) return undefined;
  if (u.scheme === 'file') {
    try {
      return fileURLToPath(uri);
    } catch {
      return undefined;
    }
  }
  if (u.scheme === 'git' || u.scheme === 'gitfs' || u.scheme === 'vscode-vfs') return u.path || undefined;
  return undefined;
}

export class WorkspaceFolders {
  readonly list: WorkspaceFolder[] = [];

  add(ws: WorkspaceFolder): void {
    this.list.push(ws);
  }

  forDocument(uri: string): WorkspaceFolder | undefined {
    const p = documentPath(uri);
    if (p) {
      const hit = this.list.filter((w) => w.contains(p)).sort((a, b) => b.folder.length - a.folder.length)[0];
      if (hit) return hit;
    }
    return this.list[0];
  }

  forPath(p: string): WorkspaceFolder | undefined {
    return this.list.filter((w) => w.contains(p)).sort((a, b) => b.folder.length - a.folder.length)[0];
  }
}
