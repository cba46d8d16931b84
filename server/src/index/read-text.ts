/** Reading a source file for the index, on either thread. */
import * as fs from 'node:fs';
import { MAX_SCAN_BYTES } from './scan.js';

/** A file's text; undefined for one too large to scan or unreadable. */
export function readDisk(p: string): string | undefined {
  try {
    if (fs.statSync(p).size > MAX_SCAN_BYTES) return undefined;
    return fs.readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
}

/** The offset where each line starts. */
export function lineOffsets(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}
