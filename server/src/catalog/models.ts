/**
 * Built-in model sets: per era, the kernel-shaped C files under builtin/models,
 * compiled by the same lifter that reads workspace source. An era is its base's
 * files with its own layered on top; `ERA+OVERLAY` layers an overlay over that.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileSource, type CompiledUnit } from '../lift/index.js';
import type { FunctionProgram, ModelNote, OpsTables } from '../sim/program.js';
import { liftCacheFrom } from './lift-cache.js';
import { cachedUnit } from './unit-cache.js';

export const BUILTIN_DIR = path.resolve(__dirname, '..', '..', 'builtin');
const MODELS_DIR = path.join(BUILTIN_DIR, 'models');

interface EraEntry { base: string | null; files: string[]; released: string; note: string }
interface OverlayEntry { files: string[]; note: string }
/** Maps, not plain objects: a user's era name (`__proto__`, `constructor`) is only ever a key. */
interface EraTable { eras: Map<string, EraEntry>; overlays: Map<string, OverlayEntry> }

let table: EraTable | undefined;

function eraTable(): EraTable {
  if (!table) {
    const raw = JSON.parse(fs.readFileSync(path.join(MODELS_DIR, 'eras.json'), 'utf8')) as {
      eras: Record<string, EraEntry>; overlays: Record<string, OverlayEntry>;
    };
    table = { eras: new Map(Object.entries(raw.eras)), overlays: new Map(Object.entries(raw.overlays)) };
  }
  return table;
}

export function eraNames(): string[] {
  return [...eraTable().eras.keys()];
}

export function overlayNames(): string[] {
  return [...eraTable().overlays.keys()];
}

export function eraInfo(era: string): { released: string; note: string } | undefined {
  return eraTable().eras.get(era);
}

export function overlayInfo(name: string): { note: string } | undefined {
  return eraTable().overlays.get(name);
}

/** "5.10+hugh" → { era: "5.10", overlays: ["hugh"] } */
export function parseEraSpec(spec: string): { era: string; overlays: string[] } {
  const [era, ...overlays] = spec.split('+');
  return { era, overlays };
}

export function checkEraSpec(spec: string): string | undefined {
  const { era, overlays } = parseEraSpec(spec);
  if (!eraTable().eras.has(era)) return `unknown era '${era}' (known: ${eraNames().join(', ')})`;
  const bad = overlays.find((o) => !eraTable().overlays.has(o));
  return bad === undefined ? undefined : `unknown overlay '${bad}' (known: ${overlayNames().join(', ')})`;
}

export interface ModelFunction {
  program: FunctionProgram;
  from: 'builtin' | 'source';
  /** file path as shown to users */
  file: string;
  /** the absolute path (or a virtual document's uri) of source; absent for built-ins */
  abs?: string;
  line: number;
  notes: ModelNote[];
  status: 'clean' | 'notes' | 'failed';
  /** set when source for this function was found but could not be used, and why */
  fallback?: string;
}

/** Something a model set assumes where it cannot follow the source (the fields of AssumptionJson). */
export interface SetAssumption {
  kind: string;
  function?: string;
  message: string;
  at?: { file: string; line: number; column: number };
}

export interface ModelSet {
  spec: string;
  functions: Map<string, ModelFunction>;
  ops: OpsTables;
  /** what choosing the models assumed (source sets: skipped inputs, built-ins kept, ...) */
  assumptions?: SetAssumption[];
  /** the release of the kernel tree under --src, when the set is built over one */
  release?: string;
  /** source definitions the set found but does not run, by name, with where and why (for errors naming a function with no model) */
  notRun?: Map<string, string>;
  /** where the source defines each ops table the set took from it ("fs/ext4/inode.c:3920") */
  tableAt?: Map<string, string>;
}

const units = new Map<string, CompiledUnit>();

function compiledFile(abs: string): CompiledUnit {
  let unit = units.get(abs);
  if (!unit) {
    const shown = path.relative(path.dirname(BUILTIN_DIR), abs).split(path.sep).join('/');
    unit = cachedUnit(abs, shown, (text) => compileSource(text, shown), liftCacheFrom(undefined));
    units.set(abs, unit);
  }
  return unit;
}

function layerDirs(era: string): string[] {
  const entry = eraTable().eras.get(era);
  if (!entry) throw new Error(`unknown era '${era}'`);
  return [...(entry.base ? layerDirs(entry.base) : []), ...entry.files];
}

/** Adds a compiled unit's functions and tables over what the set has (later wins). */
export function layerUnit(set: ModelSet, unit: CompiledUnit, from: 'builtin' | 'source'): void {
  for (const [name, lifted] of unit.functions) {
    set.functions.set(name, {
      program: lifted.program, from, file: unit.file, line: lifted.range.startLine,
      notes: lifted.program.notes, status: lifted.status,
    });
  }
  for (const [name, fields] of unit.opsTables) set.ops.set(name, fields);
}

const sets = new Map<string, ModelSet>();

/** The built-in model set of an era spec ("6.1", "5.10+hugh"). Throws on an unknown era. */
export function builtinModelSet(spec: string): ModelSet {
  const cached = sets.get(spec);
  if (cached) return cached;
  const problem = checkEraSpec(spec);
  if (problem) throw new Error(problem);
  const { era, overlays } = parseEraSpec(spec);
  const set: ModelSet = { spec, functions: new Map(), ops: new Map() };
  const dirs = ['common', ...layerDirs(era), ...overlays.flatMap((o) => eraTable().overlays.get(o)!.files)];
  for (const dir of dirs) {
    const abs = path.join(MODELS_DIR, dir);
    for (const f of fs.readdirSync(abs).filter((n) => n.endsWith('.c')).sort()) {
      layerUnit(set, compiledFile(path.join(abs, f)), 'builtin');
    }
  }
  sets.set(spec, set);
  return set;
}

/** The C files of an era spec's built-in models, in the order they are layered (later wins). */
export function builtinModelFiles(spec: string): string[] {
  const problem = checkEraSpec(spec);
  if (problem) throw new Error(problem);
  const { era, overlays } = parseEraSpec(spec);
  const dirs = ['common', ...layerDirs(era), ...overlays.flatMap((o) => eraTable().overlays.get(o)!.files)];
  return dirs.flatMap((dir) => fs.readdirSync(path.join(MODELS_DIR, dir)).filter((n) => n.endsWith('.c')).sort().map((f) => path.join(MODELS_DIR, dir, f)));
}

/** A built-in model set with some of its files' text given (a patch applied to them), compiled afresh. */
export function builtinModelSetWith(spec: string, texts: ReadonlyMap<string, string>): ModelSet {
  const set: ModelSet = { spec, functions: new Map(), ops: new Map() };
  for (const abs of builtinModelFiles(spec)) {
    const text = texts.get(abs);
    if (text === undefined) layerUnit(set, compiledFile(abs), 'builtin');
    else layerUnit(set, compileSource(text, path.relative(path.dirname(BUILTIN_DIR), abs).split(path.sep).join('/')), 'builtin');
  }
  return set;
}

/** A copy of a model set that source functions can be layered over. */
export function cloneModelSet(set: ModelSet): ModelSet {
  return { spec: set.spec, functions: new Map(set.functions), ops: new Map(set.ops) };
}
