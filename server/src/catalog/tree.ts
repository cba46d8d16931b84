/**
 * A kernel source tree behind --src inputs: its root (the folder holding include/linux
 * and mm/), its release from the top Makefile (VERSION, PATCHLEVEL), and the era whose
 * built-in models fill in what the source does not define: the newest era at or below
 * the release.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { eraInfo, eraNames, parseEraSpec } from './models.js';

export interface KernelTree {
  root: string;
  /** "6.1"; undefined when the top Makefile is missing or says no version */
  release?: string;
  /** why the release is unknown */
  releaseProblem?: string;
}

function isTreeRoot(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'include', 'linux')) && fs.existsSync(path.join(dir, 'mm'));
}

/** The tree an input (folder or file) lies in, looking upwards; undefined outside any tree. */
export function treeOf(input: string): KernelTree | undefined {
  let dir = path.resolve(input);
  try {
    if (!fs.statSync(dir).isDirectory()) dir = path.dirname(dir);
  } catch {
    return undefined;
  }
  for (let i = 0; i < 12; i++) {
    if (isTreeRoot(dir)) return { root: dir, ...releaseOf(dir) };
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** VERSION and PATCHLEVEL of a tree's top Makefile. */
export function releaseOf(root: string): { release?: string; releaseProblem?: string } {
  const makefile = path.join(root, 'Makefile');
  let text: string;
  try {
    text = fs.readFileSync(makefile, 'utf8').slice(0, 4096);
  } catch {
    return { releaseProblem: `${makefile} is missing: the tree does not say its release (npm run kernel extracts it; or pass --era)` };
  }
  const version = /^VERSION\s*=\s*(\d+)/m.exec(text)?.[1];
  const patch = /^PATCHLEVEL\s*=\s*(\d+)/m.exec(text)?.[1];
  if (!version || !patch) return { releaseProblem: `${makefile}:1:1: no VERSION/PATCHLEVEL lines` };
  return { release: `${version}.${patch}` };
}

/** Compares dotted release numbers ("2.6.34" < "5.9" < "5.10"). */
export function compareReleases(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest era at or below a release; undefined when the release is older than every era. */
export function eraForRelease(release: string): string | undefined {
  let best: string | undefined;
  for (const era of eraNames()) {
    if (compareReleases(era, release) <= 0 && (!best || compareReleases(era, best) > 0)) best = era;
  }
  return best;
}

/**
 * Why built-ins of `eraSpec` cannot fill in for source of `release`, or undefined when
 * they fit: an era whose built-ins are those of the release's own line (the newest era
 * at or below it). Older built-ins under newer source mix two kernels' names (6.1's
 * folio-compat wrappers calling 5.10's page functions that call back into them).
 */
export function eraMismatch(eraSpec: string, release: string): string | undefined {
  const { era } = parseEraSpec(eraSpec);
  const fitting = eraForRelease(release);
  if (!eraInfo(era) || fitting === era) return undefined;
  if (!fitting) return `the source is Linux ${release}, older than every era racelens models (${eraNames().join(', ')})`;
  return `the source is Linux ${release}, but --era ${eraSpec} fills in with the built-in models of ${era}: `
    + `source and built-ins must be of one release (use --era ${fitting}${eraSpec.includes('+') ? eraSpec.slice(eraSpec.indexOf('+')) : ''}, or leave --era out)`;
}

/**
 * The era a run with --src inputs uses: the one asked for, checked against the release
 * of the tree the inputs lie in; without one, the tree's own (undefined when no input
 * lies in a tree that says its release). `problem` is a message for the user, given
 * before any run.
 */
export function sourceEra(eraSpec: string | undefined, dirs: readonly string[]): { era?: string; release?: string; problem?: string } {
  const trees = dirs.map(treeOf).filter((t): t is KernelTree => !!t);
  const tree = trees.find((t) => t.release);
  if (!tree) {
    if (!eraSpec && trees.length) return { problem: `${trees[0].releaseProblem}` };
    return eraSpec ? { era: eraSpec } : {};
  }
  const release = tree.release!;
  if (eraSpec) {
    const problem = eraMismatch(eraSpec, release);
    return problem ? { problem: `--src ${tree.root}: ${problem}` } : { era: eraSpec, release };
  }
  const era = eraForRelease(release);
  return era ? { era, release } : { problem: `--src ${tree.root}: Linux ${release} is older than every era racelens models (${eraNames().join(', ')})` };
}
