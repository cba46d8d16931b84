/**
 * The C files of one --src input that the build compiles or may include, in walk
 * order: listed through the workspace, or taken from the listing an earlier run saved
 * (saved-listing.ts). source-files.ts turns the entries into files with names.
 */
import type { FileState } from './lift-cache.js';
import { underRoot, type Kbuild } from './kbuild.js';
import { SavedListing, type Listing } from './saved-listing.js';
import { headerRank } from './source-names.js';
import { isDiskKey, type SkippedInput, type SourceKey, type Workspace } from '../workspace/workspace.js';

/** One input's listing, and whether it came from the saved one (no folder read, no Makefile evaluated). */
export interface InputListing extends Listing {
  fromCache: boolean;
}

/**
 * A tree input's listing is kept between runs; it serves while every open document
 * under the input is a file it lists (a new, unsaved file is listed by a walk). A file
 * the configuration does not build is counted, not listed.
 */
export function listInput(dir: string, kbuild: Kbuild | undefined, modules: readonly string[], workspace: Workspace,
  cache: { dir: string } | undefined): InputListing {
  const saved = kbuild && cache ? new SavedListing(cache.dir, dir, `${kbuild.config.id}\0${modules.join(',')}`) : undefined;
  let known = saved?.load();
  const open = known ? workspace.overlaysUnder(dir) : [];
  if (known && open.length) {
    const listed = new Set(known.entries.map((e) => e.key));
    if (!open.every((k) => listed.has(k))) known = undefined;
  }
  if (known) return { ...known, fromCache: true };
  // the workspace walks absolute, normalized paths
  const descend = kbuild?.walkRule(dir, modules);
  const skipped: SkippedInput[] = [];
  const folders = new Map<string, FileState | null>();
  let keys: SourceKey[];
  try {
    keys = workspace.list(dir, { skipped, folders, ...(descend ? { descend } : {}) });
  } catch {
    throw new Error(`--src ${dir}: no such file or directory`);
  }
  const listing: Listing = { entries: [], skipped, notBuilt: 0, modulesLeftOut: 0 };
  const reachesModules = kbuild?.reachesModules(dir, modules) ?? true;
  for (const key of keys) {
    const build = (isDiskKey(key) ? kbuild?.fileStatus(key) : undefined) ?? 'unlisted';
    if (build === 'not-built') listing.notBuilt++;
    else if (build === 'module' && !reachesModules) listing.modulesLeftOut++;
    else listing.entries.push({ key, build, rank: kbuild && key.endsWith('.h') ? headerRank(underRoot(kbuild.root, key)) : 0 });
  }
  // a walk lists open documents with no file behind them: such a listing is not the disk's to keep
  if (saved && kbuild && workspace.overlaysUnder(dir).length === 0) saved.save(listing, folders, kbuild.probes);
  return { ...listing, fromCache: false };
}
