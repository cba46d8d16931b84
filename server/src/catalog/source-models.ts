/**
 * Model sets with workspace source layered over the built-ins: every C file under
 * the --src directories that defines a function the run could use is lifted, and
 * its functions replace the built-in models of the same catalog entry (under any
 * era's name). Source never shadows a simulator primitive or a known no-op.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSource } from '../lift/index.js';
import { builtinModelSet, cloneModelSet, type ModelSet } from './models.js';
import { CATALOG, entryByName } from './functions.js';
import { isNoop } from './noops.js';
import { primitives } from '../sim/ops/index.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

function* cFiles(dir: string, depth = 0): Generator<string> {
  if (depth > 12) return;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* cFiles(p, depth + 1);
    else if (e.isFile() && /\.[ch]$/.test(e.name)) yield p;
  }
}

export function sourceModelSet(eraSpec: string, dirs: readonly string[]): ModelSet {
  const base = builtinModelSet(eraSpec);
  const set = cloneModelSet(base);
  const wanted = new Set<string>([...base.functions.keys(), ...CATALOG.flatMap((e) => e.names)]);
  const pattern = new RegExp(`\\b(${[...wanted].map((n) => n.replace(/[^\w]/g, '')).join('|')})\\s*\\(`);
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new Error(`--src ${dir}: no such directory`);
    for (const file of cFiles(dir)) {
      const stat = fs.statSync(file);
      if (stat.size > MAX_FILE_BYTES) continue;
      const text = fs.readFileSync(file, 'utf8');
      if (!pattern.test(text)) continue;
      const unit = compileSource(text, path.relative(process.cwd(), file) || file);
      for (const [name, lifted] of unit.functions) {
        if (primitives.get(name) || isNoop(name)) continue;
        if (lifted.status === 'failed' && base.functions.has(name)) continue;
        const model = {
          program: lifted.program, from: 'source' as const, file: unit.file, line: lifted.range.startLine,
          notes: lifted.program.notes, status: lifted.status,
        };
        set.functions.set(name, model);
        for (const other of entryByName(name)?.names ?? []) {
          if (other !== name && base.functions.has(other)) set.functions.set(other, model);
        }
      }
      for (const [table, fields] of unit.opsTables) set.ops.set(table, fields);
    }
  }
  return set;
}
