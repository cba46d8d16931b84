/**
 * Where a real tree is (6.1 unless another release is asked for): RACELENS_KERNEL_CACHE
 * (6.1), or the cache folder that `npm run kernel` (`npm run kernel:6.12`) fills
 * (`linux-6.1`, with its `.complete` mark), or a tree extracted by hand under Debian's
 * folder name `linux-source-6.1` (in the cache folder, the home folder or /usr/src).
 * A tree counts when it has mm/, fs/ and include/; a whole one (drivers/, kernel/,
 * block/ too, as a developer's checkout is) is preferred.
 */
import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function complete(dir: string): boolean {
  if (fs.existsSync(path.join(dir, '.complete'))) return true;
  return ['mm', 'fs', 'include'].every((d) => fs.existsSync(path.join(dir, d)));
}

export function kernelTreeCandidates(release = '6.1'): string[] {
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'racelens');
  const homeCache = path.join(os.homedir(), '.cache', 'racelens');
  const names = [`linux-${release}`, `linux-source-${release}`];
  const dirs = [
    // RACELENS_KERNEL_CACHE names the 6.1 tree (as fetch.sh takes it)
    ...(release === '6.1' && process.env.RACELENS_KERNEL_CACHE ? [process.env.RACELENS_KERNEL_CACHE] : []),
    ...names.map((n) => path.join(cache, n)),
    ...names.map((n) => path.join(homeCache, n)),
    path.join(os.homedir(), `linux-source-${release}`),
    `/usr/src/linux-source-${release}`,
  ];
  return [...new Set(dirs)];
}

/** A whole tree (what `npm run kernel` extracts now), not one of mm/, fs/ and include/ alone. */
function whole(dir: string): boolean {
  return fs.existsSync(path.join(dir, '.whole')) || ['drivers', 'kernel', 'block'].every((d) => fs.existsSync(path.join(dir, d)));
}

/** The first whole tree of the release, else the first complete one, or undefined. */
export function findKernelTree(release = '6.1'): string | undefined {
  const found = kernelTreeCandidates(release).filter(complete);
  return found.find(whole) ?? found[0];
}

/**
 * The `skip` option of a suite that needs the tree: the word "skipped" and the command
 * to fetch it. node:test counts a skipped suite as no skipped test, so a skipped test
 * of the same name is registered too: the run's summary then says "skipped 1".
 */
export function skipWithoutTree(tree: string | undefined, suite = 'the real 6.1 tree', release = '6.1'): string | false {
  if (tree) return false;
  const fetch = release === '6.1' ? 'npm run kernel' : `npm run kernel:${release}`;
  const why = `skipped: no kernel tree (looked in ${kernelTreeCandidates(release).join(', ')}; run: ${fetch})`;
  test(suite, { skip: why }, () => {});
  return why;
}

/** A small tree of kernel-style files written here (relative path -> text), in a fresh temporary folder. */
export function tmpTree(files: Record<string, string>, prefix = 'racelens-tree-'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}
