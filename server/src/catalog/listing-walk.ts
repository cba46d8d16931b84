/**
 * The walk of one --src input under a kernel tree, as the kernel build sees it: the
 * folders linked into vmlinux, the module folders a run needs (a filesystem's code,
 * or all of them when the input itself lies in a module), each C file's build status,
 * and its state on disk. SourceFiles walks with it; so does the prefetch worker, which
 * lists the module folders of every filesystem and tags their files so that each run
 * keeps only those of its own.
 */
import * as path from 'node:path';
import type { BuildStatus, Kbuild } from './kbuild.js';
import type { FileState } from './lift-cache.js';

/** What the CLI asks the prefetch worker for. */
export interface PrefetchRequest {
  inputs: string[];
  configFile?: string;
  /** the era the run's --era names, for a tree that says no release */
  era?: string;
  /** the lift cache's folder (where evaluated Makefiles are kept), if any */
  cacheDir?: string;
  /** module folders (tree-relative) listed with a tag: the filesystems' code */
  moduleDirs: string[];
  flag: SharedArrayBuffer;
  port: import('node:worker_threads').MessagePort;
}

/** One input as the worker listed it, in walk order. */
export interface PrefetchedInput {
  input: string;
  configId: string;
  keys: string[];
  builds: BuildStatus[];
  /** null: gone between listing and stat */
  states: (FileState | null)[];
  /** the module folder (of moduleDirs) a file is listed for, null when every run lists it */
  tags: (string | null)[];
  skipped: { path: string; why: string; tag: string | null }[];
  /** tags of the C files the configuration does not build */
  notBuilt: (string | null)[];
}

/**
 * Which folders a walk of `input` enters, and the module folder (of `modules`) a folder
 * lies in when it is entered only for that module's sake (undefined otherwise).
 */
export function treeWalkRules(kbuild: Kbuild, input: string, modules: readonly string[]): {
  descend: (dir: string) => boolean; tagOf: (dir: string) => string | undefined;
} {
  const inModule = kbuild.dirLink(path.resolve(input)) === 'module';
  const wanted = modules.map((m) => ({ rel: m, abs: path.join(kbuild.root, m) }));
  /** for a folder, or for what lies directly in it */
  const tagOf = (dir: string): string | undefined => {
    if (inModule || kbuild.dirLink(dir) !== 'module') return undefined;
    return wanted.find((w) => dir === w.abs || dir.startsWith(w.abs + path.sep))?.rel;
  };
  const descend = (d: string): boolean => {
    const link = kbuild.dirLink(d);
    if (link === 'vmlinux') return true;
    if (link === 'none') return false;
    return inModule || wanted.some((w) => d === w.abs || d.startsWith(w.abs + path.sep) || w.abs.startsWith(d + path.sep));
  };
  return { descend, tagOf };
}
