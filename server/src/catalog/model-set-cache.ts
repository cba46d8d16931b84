/**
 * A source model set kept between CLI runs. Building one over a whole tree follows a
 * few hundred names through the tree's definitions and reads a cache entry per file it
 * lifts from (each holding every function any run lifted there), a few hundred ms that
 * a run repeated over an unchanged tree would pay again for the same answer. The set is
 * a function of what its key names, and of nothing else:
 *  - the racelens build (the cache folder is per build of lift/, catalog/ and sim/),
 *  - the era and the state of each built-in model file under it, and of eras.json,
 *  - the inputs as given, the working directory (paths are shown relative to it), the
 *    configuration (its values' hash), the run's roots, race, checks and filesystems,
 *  - per input, the digest of its listing: every file's path, state, build verdict and
 *    header rank (source-files.ts `diskDigests`), and what the listing left out.
 * A set is kept only when none of those files changed in the last seconds (their
 * timestamps could move again without their size changing) and none is an open
 * document; a listing that is not all on disk has no digest and no set is kept.
 *
 * The file holds the set's own source functions in full and the built-in ones by name;
 * it is checked (checksum, shape, every built-in name present) before any of it is
 * used, and anything wrong is a miss.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomically } from './atomic-write.js';
import type { ModelFunction, ModelSet, SetAssumption } from './models.js';
import { validProgram } from './lift-cache-schema.js';
import type { FunctionProgram } from '../sim/program.js';

const SET_MAGIC = 'racelens-model-set-v1';

/** A model of the set: a built-in of the era's set by the name it has there (maybe with a fallback said), or source. */
type SavedModel =
  | { b: string; fallback?: string }
  | { s: { program: FunctionProgram; file: string; abs?: string; line: number; status: ModelFunction['status']; fallback?: string } };

interface SavedSet {
  release?: string;
  models: SavedModel[];
  /** name -> index in models, in the set's order */
  functions: [string, number][];
  ops: [string, [string, string][]][];
  tableAt?: [string, string][];
  notRun?: [string, string][];
  assumptions: SetAssumption[];
}

/**
 * The sets this process read back or kept, with their cache folder and key: the key
 * names everything the set is a function of, so what is worked out from the set alone
 * (with the run's own inputs besides) can be kept under it too (facts-cache.ts). Only
 * the very object read or written is in here: a set derived from it is not.
 */
const keptSets = new WeakMap<ModelSet, { dir: string; key: string }>();

/** The cache folder and key of a set read back or kept by this process, else undefined. */
export function keptSetOf(set: ModelSet): { dir: string; key: string } | undefined {
  return keptSets.get(set);
}

/** The file a key's set is kept in. */
function setFile(cacheDir: string, key: string): string {
  return path.join(cacheDir, 'sets', `${key}.json`);
}

/** The key of a set: a hash of everything the set is a function of (see above), each part as a string. */
export function modelSetKey(parts: readonly string[]): string {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 32);
}

/** The set kept under `key`, layered over `base` (the era's built-in set), or undefined. */
export function loadModelSet(cacheDir: string, key: string, base: ModelSet): ModelSet | undefined {
  let text: string;
  try {
    text = fs.readFileSync(setFile(cacheDir, key), 'utf8');
  } catch {
    return undefined;
  }
  const nl = text.indexOf('\n');
  const body = text.slice(nl + 1);
  if (nl < 0 || text.slice(0, nl) !== `${SET_MAGIC} ${crypto.createHash('sha256').update(body).digest('hex')}`) return undefined;
  let saved: SavedSet;
  try {
    saved = JSON.parse(body) as SavedSet;
  } catch {
    return undefined;
  }
  if (!validSaved(saved)) return undefined;
  const models: ModelFunction[] = [];
  for (const m of saved.models) {
    if ('b' in m) {
      const builtin = base.functions.get(m.b);
      if (!builtin) return undefined;
      models.push(m.fallback === undefined ? builtin : { ...builtin, fallback: m.fallback });
    } else {
      const s = m.s;
      models.push({
        program: s.program, from: 'source', file: s.file, ...(s.abs !== undefined ? { abs: s.abs } : {}), line: s.line,
        notes: s.program.notes, status: s.status, ...(s.fallback !== undefined ? { fallback: s.fallback } : {}),
      });
    }
  }
  const functions = new Map<string, ModelFunction>();
  for (const [name, i] of saved.functions) {
    if (!models[i]) return undefined;
    functions.set(name, models[i]);
  }
  const set: ModelSet = {
    spec: base.spec, functions, ops: new Map(saved.ops.map(([t, fields]) => [t, new Map(fields)])),
    assumptions: saved.assumptions, notRun: new Map(saved.notRun ?? []),
    ...(saved.release !== undefined ? { release: saved.release } : {}),
    ...(saved.tableAt ? { tableAt: new Map(saved.tableAt) } : {}),
  };
  keptSets.set(set, { dir: cacheDir, key });
  return set;
}

/** Keeps `set` (built over `base`) under `key`; nothing when some model is not one the file can say exactly. */
export function saveModelSet(cacheDir: string, key: string, set: ModelSet, base: ModelSet): void {
  const index = new Map<ModelFunction, number>();
  const models: SavedModel[] = [];
  const functions: [string, number][] = [];
  for (const [name, m] of set.functions) {
    let i = index.get(m);
    if (i === undefined) {
      const saved = savedModel(name, m, base);
      if (!saved) return;
      index.set(m, (i = models.length));
      models.push(saved);
    }
    functions.push([name, i]);
  }
  const saved: SavedSet = {
    ...(set.release !== undefined ? { release: set.release } : {}),
    models, functions,
    ops: [...set.ops].map(([t, fields]) => [t, [...fields]]),
    ...(set.tableAt ? { tableAt: [...set.tableAt] } : {}),
    ...(set.notRun ? { notRun: [...set.notRun] } : {}),
    assumptions: set.assumptions ?? [],
  };
  let exact = true;
  const body = JSON.stringify(saved, (_k, v: unknown) => {
    if ((typeof v === 'number' && !Number.isFinite(v)) || v === undefined) exact = false;
    return v;
  });
  // a value JSON would not give back as it was: the set is built again next time
  if (!exact) return;
  if (writeAtomically(setFile(cacheDir, key), `${SET_MAGIC} ${crypto.createHash('sha256').update(body).digest('hex')}\n${body}`)) keptSets.set(set, { dir: cacheDir, key });
}

/** How the file says model `m`, found under `name`; undefined when it cannot say it exactly. */
function savedModel(name: string, m: ModelFunction, base: ModelSet): SavedModel | undefined {
  const builtin = base.functions.get(name);
  if (m.from === 'builtin') {
    if (m === builtin) return { b: name };
    // a built-in kept over source: the era's model with the reason said
    const keys = Object.keys(m).filter((k) => k !== 'fallback').sort().join(',');
    if (builtin && m.program === builtin.program && m.fallback !== undefined && keys === Object.keys(builtin).sort().join(',')
      && (Object.keys(builtin) as (keyof ModelFunction)[]).every((k) => k === 'fallback' || m[k] === builtin[k])) {
      return { b: name, fallback: m.fallback };
    }
    return undefined;
  }
  const known = new Set(['program', 'from', 'file', 'abs', 'line', 'notes', 'status', 'fallback']);
  if (m.notes !== m.program.notes || Object.keys(m).some((k) => !known.has(k))) return undefined;
  return {
    s: {
      program: m.program, file: m.file, ...(m.abs !== undefined ? { abs: m.abs } : {}), line: m.line, status: m.status,
      ...(m.fallback !== undefined ? { fallback: m.fallback } : {}),
    },
  };
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const pairs = (x: unknown, second: (v: unknown) => boolean): boolean =>
  Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && isStr(p[0]) && second(p[1]));

/** The shape of a kept set, checked before any of it is used. */
function validSaved(s: unknown): s is SavedSet {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  if (o.release !== undefined && !isStr(o.release)) return false;
  if (!Array.isArray(o.models) || !o.models.every(validModel)) return false;
  if (!pairs(o.functions, (i) => Number.isInteger(i) && (i as number) >= 0)) return false;
  if (!pairs(o.ops, (fields) => pairs(fields, isStr))) return false;
  if (o.tableAt !== undefined && !pairs(o.tableAt, isStr)) return false;
  if (o.notRun !== undefined && !pairs(o.notRun, isStr)) return false;
  return Array.isArray(o.assumptions) && o.assumptions.every((a) => typeof a === 'object' && a !== null
    && isStr((a as SetAssumption).kind) && isStr((a as SetAssumption).message));
}

function validModel(m: unknown): boolean {
  if (typeof m !== 'object' || m === null) return false;
  const o = m as Record<string, unknown>;
  if (isStr(o.b)) return o.fallback === undefined || isStr(o.fallback);
  const s = o.s as Record<string, unknown> | undefined;
  return typeof s === 'object' && s !== null && validProgram(s.program) && isStr(s.file) && (s.abs === undefined || isStr(s.abs))
    && Number.isInteger(s.line) && (s.status === 'clean' || s.status === 'notes' || s.status === 'failed')
    && (s.fallback === undefined || isStr(s.fallback));
}
