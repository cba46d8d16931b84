/**
 * The .race files of a workspace folder, for the reviews the editor starts: a walk of
 * the folder a few levels deep (a kernel tree keeps its own scenarios near the top; a
 * whole tree walked to the bottom would cost seconds), skipping hidden folders and
 * node_modules, each file read from the editor's buffer when it holds one. A file that
 * does not parse is left out with why, so one broken scenario does not stop a review.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseScenarioText } from '../scenario/library.js';

export const RACE_FILE_DEPTH = 3;

export interface WorkspaceRaceFiles {
  files: string[];
  skipped: { file: string; why: string }[];
}

export function workspaceRaceFiles(folder: string, buffers: ReadonlyMap<string, string> = new Map(), depth = RACE_FILE_DEPTH): WorkspaceRaceFiles {
  const found: string[] = [];
  const walk = (dir: string, level: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isFile() && e.name.endsWith('.race')) found.push(p);
      else if (e.isDirectory() && level < depth) walk(p, level + 1);
    }
  };
  walk(path.resolve(folder), 1);
  // an unsaved .race document of the folder that is not on disk yet counts too
  for (const p of buffers.keys()) if (p.endsWith('.race') && p.startsWith(path.resolve(folder) + path.sep) && !found.includes(p)) found.push(p);
  const out: WorkspaceRaceFiles = { files: [], skipped: [] };
  for (const f of found.sort()) {
    let text: string;
    try {
      text = buffers.get(f) ?? fs.readFileSync(f, 'utf8');
    } catch (err) {
      out.skipped.push({ file: f, why: (err as Error).message });
      continue;
    }
    const parsed = parseScenarioText(text, f);
    if (parsed.race) out.files.push(f);
    else out.skipped.push({ file: f, why: `does not parse: ${parsed.diagnostics[0]?.message ?? 'no race'}` });
  }
  return out;
}
