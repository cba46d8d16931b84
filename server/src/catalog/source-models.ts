/**
 * Model sets with workspace source layered over the built-ins: every C file under
 * the --src directories that defines a function the run could use is lifted, and
 * its functions replace the built-in models of the same catalog entry (under any
 * era's name). Source never shadows a simulator primitive or a known no-op.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSource, type Tree } from '../lift/index.js';
import { builtinModelSet, cloneModelSet, type ModelFunction, type ModelSet } from './models.js';
import { CATALOG, entryByName } from './functions.js';
import { FILESYSTEMS } from './filesystems.js';
import { isNoop } from './noops.js';
import { primitives } from '../sim/ops/index.js';
import { references, type FunctionProgram } from '../sim/program.js';

const MAX_FILE_BYTES = 4 * 1024 * 1024;

function* cFiles(dir: string, depth = 0): Generator<string> {
  if (depth > 12) return;
  // --src may also name a single file
  if (depth === 0 && /\.[ch]$/.test(dir) && fs.statSync(dir).isFile()) {
    yield dir;
    return;
  }
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

function callees(fn: FunctionProgram | undefined): string[] {
  return fn ? references(fn).calls.map((c) => c.name) : [];
}

/**
 * The names a C text may define, kernel style: the first identifier followed by `(`
 * after the start of a line that begins with a letter or underscore, with no `;`,
 * braces, parentheses or `=` in between (so `static int\nfoo(` counts, `foo(` alone
 * at column 0 and calls inside bodies do not). Prototypes count too: this is a cheap
 * over-approximation that decides which files to parse, in one pass per file.
 */
export function definitionIndex(text: string): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/^[A-Za-z_][^;{}()=]*?\b([A-Za-z_]\w*)\s*\(/gm)) found.add(m[1]);
  return found;
}

interface SourceFile { file: string; shown: string; text: string; defs: Set<string> }

function definedIn(src: SourceFile, names: readonly string[]): Set<string> {
  return new Set(names.filter((n) => src.defs.has(n)));
}

export function sourceModelSet(eraSpec: string, dirs: readonly string[]): ModelSet {
  const base = builtinModelSet(eraSpec);
  const set = cloneModelSet(base);
  const catalogNames = CATALOG.flatMap((e) => e.names);
  const aopsNames = FILESYSTEMS.flatMap((f) => f.aops);
  const files: SourceFile[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) throw new Error(`--src ${dir}: no such file or directory`);
    for (const file of cFiles(dir)) {
      if (fs.statSync(file).size > MAX_FILE_BYTES) continue;
      const text = fs.readFileSync(file, 'utf8');
      files.push({ file, shown: path.relative(process.cwd(), file) || file, text, defs: definitionIndex(text) });
    }
  }
  const lifted_ = new Map<string, ModelFunction>();
  // the helper search comes back to the same files: each is parsed once per model set
  const trees = new Map<string, Tree>();
  const fallbacks = new Map<string, string>();

  /** Lifts the named functions a file defines; later files win over earlier ones. */
  const liftFrom = (src: SourceFile, names: Set<string>): void => {
    const unit = compileSource(src.text, src.shown, { only: names, trees });
    for (const [table, fields] of unit.opsTables) set.ops.set(table, fields);
    for (const [name, lifted] of unit.functions) {
      if (primitives.get(name) || isNoop(name)) continue;
      const entry = entryByName(name);
      const where = `${unit.file}:${lifted.range.startLine}`;
      if (entry?.lift?.use === 'builtin') {
        if (base.functions.has(name)) fallbacks.set(name, `source at ${where} not lifted: ${entry.lift.why}`);
        continue;
      }
      const unusable = lifted.status === 'failed' ? 'its body does not parse as C the lifter follows'
        : lifted.program.notes.find((n) => /array subscript/.test(n.what))?.what;
      if (unusable) {
        if (base.functions.has(name)) fallbacks.set(name, `source at ${where} not used (${unusable}); the built-in model runs instead`);
        continue;
      }
      fallbacks.delete(name);
      lifted_.set(name, {
        program: lifted.program, from: 'source' as const, file: unit.file, line: lifted.range.startLine,
        notes: lifted.program.notes, status: lifted.status,
      });
    }
  };

  // Source replaces catalog entries only; the harness and the page-table models stay.
  for (const src of files) {
    const names = definedIn(src, catalogNames);
    // a_ops tables matter only under the names the scenarios' filesystems use
    if (names.size || aopsNames.some((t) => src.text.includes(t))) liftFrom(src, names);
  }
  for (const [name, why] of fallbacks) {
    const builtin = base.functions.get(name);
    if (builtin && !lifted_.has(name)) set.functions.set(name, { ...builtin, fallback: why });
  }
  const replaced = [...lifted_.keys()];
  for (const name of replaced) set.functions.set(name, lifted_.get(name)!);
  // A function found under one era's name also stands for the entry's other names that
  // the source does not define, unless it is a wrapper that calls one of them.
  for (const name of replaced) {
    const model = lifted_.get(name)!;
    const entry = entryByName(name)!;
    const calls = callees(model.program);
    if (entry.names.some((n) => n !== name && calls.includes(n))) continue;
    for (const other of entry.names) {
      if (other !== name && !lifted_.has(other) && base.functions.has(other)) set.functions.set(other, model);
    }
  }
  // Helpers the replaced functions call that no model defines come from the source too,
  // looked up where they are defined.
  const queue = [...replaced];
  const searched = new Set<string>();
  while (queue.length) {
    for (const callee of callees(set.functions.get(queue.pop()!)?.program)) {
      if (set.functions.has(callee) || primitives.get(callee) || isNoop(callee) || entryByName(callee) || searched.has(callee)) continue;
      searched.add(callee);
      const src = [...files].reverse().find((f) => f.defs.has(callee));
      if (!src) continue;
      liftFrom(src, new Set([callee]));
      const helper = lifted_.get(callee);
      if (!helper) continue;
      set.functions.set(callee, helper);
      queue.push(callee);
    }
  }
  return set;
}
