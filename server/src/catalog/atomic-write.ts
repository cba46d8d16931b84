/**
 * Writing a cache file so that a reader never sees half of it: a temporary file beside
 * it, renamed over it. Best effort: a folder that cannot be made or written costs the
 * cache, never the run. Every cache folder is made here (makeDirectories), never with
 * Node's recursive mkdir.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** True when `file` now holds `text`. */
export function writeAtomically(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    makeDirectories(path.dirname(file));
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try { fs.unlinkSync(tmp); } catch { /* nothing was written */ }
    return false;
  }
}

/**
 * mkdir -p, one level at a time, each level tried once. Node's recursive mkdir retries
 * forever where a parent exists but refuses children without saying EEXIST or EACCES:
 * under /proc mkdir answers ENOENT for the folder and EEXIST for /proc, and
 * `mkdirSync(dir, { recursive: true })` spins between the two at 100% CPU.
 */
export function makeDirectories(dir: string, depth = 0): void {
  try {
    fs.mkdirSync(dir);
    return;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (fs.statSync(dir).isDirectory()) return;
      throw err;
    }
    const parent = path.dirname(dir);
    if (code !== 'ENOENT' || parent === dir || depth > 64) throw err;
    makeDirectories(parent, depth + 1);
  }
  fs.mkdirSync(dir);
}
