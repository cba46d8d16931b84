/** Which folders of a workspace the index walks. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folders of a kernel tree whose functions the races are made of. */
export const KERNEL_ROOTS = ['mm', 'fs', 'include/linux'];

/**
 * `configured` (relative to the folder) when given; else mm, fs and include/linux
 * when the folder has any of them (a kernel tree); else the whole folder.
 */
export function indexRoots(folder: string, configured: readonly string[] = []): string[] {
  const wanted = configured.length ? configured : KERNEL_ROOTS;
  const present = wanted.map((r) => path.resolve(folder, r)).filter((r) => isDir(r));
  if (present.length) return present;
  return [path.resolve(folder)];
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
