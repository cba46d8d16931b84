/**
 * A tree input's listing kept between runs: the C files a walk finds under it, in walk
 * order, what the build makes of each, and what the walk left out. Listing a whole
 * kernel tree reads some 1,250 folders and consults their Makefiles, a fixed cost every
 * CLI run over the tree would pay again. A saved listing is used while every folder the
 * walk read and every Makefile path the build consulted (found or absent) has the state
 * it had: a file added, removed or renamed changes its folder's timestamps, an edited
 * Makefile its own. The files' contents are not part of it: each run still takes every
 * listed file's state, which is what makes an edit anywhere visible.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomically } from './atomic-write.js';
import type { BuildStatus } from './kbuild.js';
import { fileStateOrNull, type FileState } from './lift-cache.js';
import { recentlyChanged, stateKey } from './tree-index.js';
import type { SkippedInput } from '../workspace/workspace.js';

/** Bumped when the walk's rules outside catalog/ change (the cache folder is per build of catalog/ and lift/). */
const LISTING_MAGIC = 'racelens-listing-v1';

const BUILD_CODES: Record<BuildStatus, string> = { built: 'b', module: 'm', 'not-built': 'n', unlisted: 'u' };
const BUILD_OF: Record<string, BuildStatus> = { b: 'built', m: 'module', n: 'not-built', u: 'unlisted' };

/** One listed file: its absolute path, the build's verdict and (for headers) where it lies. */
export interface ListingEntry {
  key: string;
  build: BuildStatus;
  rank: number;
}

export interface Listing {
  entries: ListingEntry[];
  skipped: SkippedInput[];
  /** C files the configuration does not build, left out of `entries` */
  notBuilt: number;
  /** C files built as modules the run cannot reach, left out of `entries` */
  modulesLeftOut: number;
}

interface SavedForm {
  magic: string;
  /** folder -> its state when read */
  dirs: [string, string][];
  /** Makefile path -> its state, or null when it was absent */
  probes: [string, string | null][];
  /** `rel\tbuild\trank` lines, relative to the input */
  files: string;
  skipped: SkippedInput[];
  notBuilt: number;
  modulesLeftOut: number;
}

const stateOrNull = (p: string): string | null => {
  const s = fileStateOrNull(p);
  return s ? stateKey(s) : null;
};

export class SavedListing {
  private readonly file: string;
  private readonly root: string;

  /** `variant`: whatever else decides the walk (the configuration, the module folders listed) */
  constructor(cacheDir: string, input: string, variant: string) {
    this.root = path.resolve(input);
    const key = crypto.createHash('sha256').update(`${this.root}\0${variant}`).digest('hex').slice(0, 24);
    this.file = path.join(cacheDir, 'trees', `${key}.listing.json`);
  }

  /** The saved listing, if every folder and Makefile it rests on is as it was. */
  load(): Listing | undefined {
    let saved: SavedForm;
    try {
      saved = JSON.parse(fs.readFileSync(this.file, 'utf8')) as SavedForm;
    } catch {
      return undefined;
    }
    if (saved?.magic !== LISTING_MAGIC || !Array.isArray(saved.dirs) || !Array.isArray(saved.probes)
      || typeof saved.files !== 'string' || !Array.isArray(saved.skipped) || typeof saved.notBuilt !== 'number'
      || typeof saved.modulesLeftOut !== 'number') return undefined;
    // a damaged file is no listing: every folder must be a path with a state, every probe a path with a state or null
    for (const d of saved.dirs) if (!Array.isArray(d) || typeof d[0] !== 'string' || typeof d[1] !== 'string' || stateOrNull(d[0]) !== d[1]) return undefined;
    for (const p of saved.probes) {
      if (!Array.isArray(p) || typeof p[0] !== 'string' || (p[1] !== null && typeof p[1] !== 'string') || stateOrNull(p[0]) !== p[1]) return undefined;
    }
    if (!saved.skipped.every((k) => typeof k?.path === 'string' && typeof k?.why === 'string')) return undefined;
    const entries: ListingEntry[] = [];
    const prefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    for (const line of saved.files ? saved.files.split('\n') : []) {
      const [rel, code, rank] = line.split('\t');
      const build = BUILD_OF[code];
      if (!rel || !build) return undefined;
      entries.push({ key: prefix + rel, build, rank: Number(rank) || 0 });
    }
    return { entries, skipped: saved.skipped, notBuilt: saved.notBuilt, modulesLeftOut: saved.modulesLeftOut };
  }

  /**
   * Keeps a listing the walk just made, with the folders it read and the Makefile paths
   * it consulted, each with its state taken before it was read. Nothing is kept when one
   * of them changed in the last seconds: its timestamps could move again and leave the
   * listing stale.
   */
  save(listing: Listing, dirs: ReadonlyMap<string, FileState | null>, probes: ReadonlyMap<string, FileState | null>): void {
    const now = Date.now();
    const dirStates: [string, string][] = [];
    for (const [dir, s] of dirs) {
      if (!s || recentlyChanged(s, now)) return;
      dirStates.push([dir, stateKey(s)]);
    }
    const probeStates: [string, string | null][] = [];
    for (const [p, s] of probes) {
      if (s && recentlyChanged(s, now)) return;
      probeStates.push([p, s ? stateKey(s) : null]);
    }
    const prefix = this.root.endsWith(path.sep) ? this.root : this.root + path.sep;
    const lines: string[] = [];
    for (const e of listing.entries) {
      if (!e.key.startsWith(prefix)) return;
      lines.push(`${e.key.slice(prefix.length)}\t${BUILD_CODES[e.build]}\t${e.rank}`);
    }
    const saved: SavedForm = {
      magic: LISTING_MAGIC, dirs: dirStates, probes: probeStates, files: lines.join('\n'), skipped: listing.skipped, notBuilt: listing.notBuilt,
      modulesLeftOut: listing.modulesLeftOut,
    };
    writeAtomically(this.file, JSON.stringify(saved));
  }
}
