/**
 * Where a patched file lies: in a kernel tree (the path under it), or, for an era, the
 * built-in model files that stand for it (same base name: mm/filemap.c is
 * models/<layer>/filemap.c, include/linux/pagemap.h is pagemap.c), latest layer first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModelFiles } from '../catalog/models.js';

export type Target = { kind: 'tree'; tree: string } | { kind: 'era'; era: string };

/** Candidate files for a patch path, best first; empty when none. `fn`: a function the hunk names. */
export function targetFiles(target: Target, patchPath: string, fn?: string): string[] {
  if (target.kind === 'tree') {
    const abs = path.resolve(target.tree, patchPath);
    return abs.startsWith(path.resolve(target.tree) + path.sep) && fs.existsSync(abs) ? [abs] : [];
  }
  const stem = path.basename(patchPath).replace(/\.[ch]$/, '');
  const files = builtinModelFiles(target.era).reverse();
  const out = files.filter((f) => path.basename(f, '.c') === stem);
  if (fn) {
    const def = new RegExp(`^[^\\s#/*][^;]*\\b${fn}\\s*\\(`, 'm');
    for (const f of files) if (!out.includes(f) && def.test(fs.readFileSync(f, 'utf8'))) out.push(f);
  }
  return out;
}

export function shownTarget(target: Target, abs: string): string {
  return target.kind === 'tree' ? path.relative(target.tree, abs) : abs.slice(abs.lastIndexOf(`${path.sep}builtin${path.sep}`) + 1).split(path.sep).join('/');
}
