/** The built-in scenario library and the parse options every .race file is checked with. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseRace, type ParseOptions, type ParseResult } from './index.js';
import { BUILTIN_DIR, builtinModelSet, eraNames, overlayNames } from '../catalog/models.js';
import { FILESYSTEMS } from '../catalog/filesystems.js';
import { entryByName } from '../catalog/functions.js';
import { primitives } from '../sim/ops/index.js';
import { INVARIANTS } from '../sim/invariants.js';

const SCENARIO_DIR = path.join(BUILTIN_DIR, 'scenarios');

let modelNames: Set<string> | undefined;

/** Every function some era's built-in models define. */
function allModelNames(): Set<string> {
  if (!modelNames) {
    modelNames = new Set();
    for (const era of eraNames()) for (const name of builtinModelSet(era).functions.keys()) modelNames.add(name);
  }
  return modelNames;
}

export function isOperation(name: string): boolean {
  return primitives.get(name) !== undefined || entryByName(name) !== undefined || allModelNames().has(name);
}

let arities: Map<string, { counts: Set<number>; params?: string[] }> | undefined;

/**
 * Argument counts by name: a model function's parameters in every era that defines it
 * (under any of its catalog names), and for a primitive, the counts every built-in
 * model calls it with (a primitive states no parameter list of its own).
 */
function arityTable(): Map<string, { counts: Set<number>; params?: string[] }> {
  if (arities) return arities;
  const models = new Map<string, { counts: Set<number>; params?: string[] }>();
  const prims = new Map<string, { counts: Set<number> }>();
  for (const era of eraNames()) {
    for (const [name, m] of builtinModelSet(era).functions) {
      const a = models.get(name) ?? { counts: new Set<number>(), params: m.program.params };
      a.counts.add(m.program.params.length);
      models.set(name, a);
      for (const i of m.program.code) {
        const prim = i.op === 'call' && typeof i.callee === 'string' ? primitives.get(i.callee) : undefined;
        if (!prim || i.op !== 'call') continue;
        // one primitive answers to its page and folio names alike
        for (const n of prim.names) {
          const p = prims.get(n) ?? { counts: new Set<number>() };
          p.counts.add(i.args.length);
          prims.set(n, p);
        }
      }
    }
  }
  arities = new Map();
  for (const [name, p] of prims) arities.set(name, p);
  for (const [name, m] of models) arities.set(name, m);
  return arities;
}

/** The argument counts `name` may be called with, from any of its catalog names. */
export function arityOf(name: string): { counts: readonly number[]; params?: readonly string[] } | undefined {
  const table = arityTable();
  const names = entryByName(name)?.names ?? [name];
  const counts = new Set<number>();
  let params: readonly string[] | undefined;
  for (const n of names.includes(name) ? names : [name, ...names]) {
    const a = table.get(n);
    if (!a) continue;
    for (const c of a.counts) counts.add(c);
    if (n === name && a.params) params = a.params;
  }
  return counts.size ? { counts: [...counts], ...(params && counts.size === 1 ? { params } : {}) } : undefined;
}

export function raceParseOptions(file: string): ParseOptions {
  return {
    file,
    eras: eraNames(),
    overlays: overlayNames(),
    invariants: INVARIANTS,
    filesystems: FILESYSTEMS.map((f) => f.name),
    isOperation,
    arity: arityOf,
  };
}

export interface ScenarioSource {
  name: string;
  file: string;
  text: string;
}

export function builtinScenarios(): ScenarioSource[] {
  return fs.readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.race')).sort().map((f) => ({
    name: f.replace(/\.race$/, ''),
    file: path.join(SCENARIO_DIR, f),
    text: fs.readFileSync(path.join(SCENARIO_DIR, f), 'utf8'),
  }));
}

export function parseScenarioText(text: string, file: string): ParseResult {
  return parseRace(text, raceParseOptions(file));
}
