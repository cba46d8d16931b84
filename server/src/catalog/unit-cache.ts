/**
 * Built-in model files compiled once per racelens build, not once per process: a CLI run
 * validates its scenario against the models of every era (scenario/library.ts) and
 * compiling those ~80 C files with the lifter costs half a second, while reading back
 * what an earlier process compiled costs a few ms. The unit is kept in the lift cache
 * (lift-cache.ts), under the file's path with a suffix of its own (a `--src` given the
 * same file keeps its own entry), so it is used only for the file in the same state
 * (path, size, inode, times; the content hash when the file changed just before) and
 * the same build: an edited model is compiled afresh.
 */
import * as fs from 'node:fs';
import type { CompiledUnit } from '../lift/index.js';
import type { LiftedFunction } from '../lift/index.js';
import { fileStateOrNull, type CacheEntry, type CachedTable, type LiftCache } from './lift-cache.js';

/** What a unit's entry is filed under: not the path itself, which is a source file's entry. */
const UNIT_KEY = '\u0000compiled-unit';

/**
 * The unit of the C file `abs`, from `cache` when an entry describes the file as it is;
 * otherwise `compile` of its text, stored for the next process.
 */
export function cachedUnit(abs: string, shown: string, compile: (text: string) => CompiledUnit, cache: LiftCache | undefined): CompiledUnit {
  // the state before the text: a file changed after the stat is stored under the older state, which is then a miss
  const state = cache ? fileStateOrNull(abs) : null;
  let text: string | undefined;
  const read = (): string => (text ??= fs.readFileSync(abs, 'utf8'));
  if (!cache || !state) return compile(read());
  const key = abs + UNIT_KEY;
  const entry = cache.get(key, state, read);
  const unit = entry?.tables ? fromEntry(entry, shown) : undefined;
  if (unit) return unit;
  const compiled = compile(read());
  // a unit with parse errors says them (CompiledUnit.errors), which an entry does not keep
  if (compiled.errors.length === 0 && [...compiled.functions.values()].every(jsonExact)) {
    const functions = Object.create(null) as CacheEntry['functions'];
    for (const [name, fn] of compiled.functions) functions[name] = fn;
    const tables = [...compiled.opsTables].map(([name, fields]): CachedTable => [name, [...fields]]);
    cache.put({ build: '', path: key, state, written: 0, defs: [], aops: [], tables, functions }, text);
  }
  return compiled;
}

/** The unit an entry holds, its programs named after `file` as compiling it now would name them. */
function fromEntry(entry: CacheEntry, file: string): CompiledUnit | undefined {
  const functions = new Map<string, LiftedFunction>();
  for (const name of Object.keys(entry.functions)) {
    const fn = entry.functions[name];
    if (!fn) return undefined;
    fn.program.file = file;
    functions.set(name, fn);
  }
  const opsTables = new Map(entry.tables!.map(([name, fields]) => [name, new Map(fields.map(([f, fn]) => [f, fn]))]));
  return { file, functions, opsTables, errors: [] };
}

/** JSON gives back a program as it was only when it holds no NaN, infinite number or undefined value. */
function jsonExact(fn: LiftedFunction): boolean {
  let ok = true;
  JSON.stringify(fn, (_k, v: unknown) => {
    if ((typeof v === 'number' && !Number.isFinite(v)) || v === undefined) ok = false;
    return v;
  });
  return ok;
}
