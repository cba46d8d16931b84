/**
 * Writing a cache file so that a reader never sees half of it: a temporary file beside
 * it, renamed over it. Best effort: a folder that cannot be made or written costs the
 * cache, never the run.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** True when `file` now holds `text`. */
export function writeAtomically(file: string, text: string): boolean {
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try { fs.unlinkSync(tmp); } catch { /* nothing was written */ }
    return false;
  }
}
