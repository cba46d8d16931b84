/** The C files under a folder, in a stable order, without following symlinked folders. */
import * as fs from 'node:fs';
import * as path from 'node:path';

const MAX_DEPTH = 16;

export function listCFiles(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) visit(p, depth + 1);
      else if (e.isFile() && /\.[ch]$/.test(e.name)) out.push(p);
    }
  };
  try {
    if (fs.statSync(root).isFile()) return /\.[ch]$/.test(root) ? [root] : [];
  } catch {
    return [];
  }
  visit(root, 0);
  return out;
}
