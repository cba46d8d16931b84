/**
 * Temporary folders for tests that keep caches on disk, removed when the test file's
 * tests are done; and a pause, for a file whose timestamp must age before it is kept.
 */
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const temporary: string[] = [];
after(() => { for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true }); });

/** A new empty folder under the system's temporary folder, named after `what`. */
export function tmp(what: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `racelens-${what}-`));
  temporary.push(dir);
  return dir;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
