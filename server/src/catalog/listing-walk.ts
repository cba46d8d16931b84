/**
 * The walk of one --src input under a kernel tree, as the kernel build sees it: the
 * folders linked into vmlinux, and the module folders a run needs (a filesystem's code,
 * or all of them when the input itself lies in a module).
 */
import * as path from 'node:path';
import type { Kbuild } from './kbuild.js';

/** Which folders a walk of `input` enters. */
export function treeWalkRules(kbuild: Kbuild, input: string, modules: readonly string[]): { descend: (dir: string) => boolean } {
  const inModule = kbuild.dirLink(path.resolve(input)) === 'module';
  const wanted = modules.map((m) => ({ rel: m, abs: path.join(kbuild.root, m) }));
  const descend = (d: string): boolean => {
    const link = kbuild.dirLink(d);
    if (link === 'vmlinux') return true;
    if (link === 'none') return false;
    return inModule || wanted.some((w) => d === w.abs || d.startsWith(w.abs + path.sep) || w.abs.startsWith(d + path.sep));
  };
  return { descend };
}
