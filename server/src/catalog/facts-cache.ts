/**
 * The program facts' answers kept between runs (sim/kept-facts.ts), one small file per
 * key under the build's cache folder (`facts/`). The key is a hash of the kept model
 * set's key (model-set-cache.ts: the build, the era, every listed file's state, the
 * configuration, the run's roots, race, checks and filesystems) and of everything else
 * the facts are a function of, as scenario/run.ts names it for the facts it shares in
 * one process: the scenario's CPU programs, the tables, the fields read as steps, the
 * filesystem and what of the layout the known values read. An edit to any listed file
 * changes the set's key, hence this one. The file is checked (checksum, shape) before
 * any of it is used; anything wrong is a miss, and the answers are worked out again.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeAtomically } from './atomic-write.js';
import { emptyAnswers, type BranchAnswer, type KeptAnswers } from '../sim/kept-facts.js';

const FACTS_MAGIC = 'racelens-facts-v2';

interface SavedAnswers {
  mayRemove?: boolean;
  branches: [string, [number, BranchAnswer][]][];
  indirect: [string, string[]][];
}

export interface FactsPlace { file: string }

/** Where the answers for these inputs are kept: the set's folder and key, and the run's own parts. */
export function factsPlace(set: { dir: string; key: string }, parts: readonly string[]): FactsPlace {
  const h = crypto.createHash('sha256').update(set.key);
  for (const p of parts) h.update('\0').update(p);
  return { file: path.join(set.dir, 'facts', `${h.digest('hex').slice(0, 32)}.json`) };
}

/** The answers kept at `place`, or none. */
export function loadAnswers(place: FactsPlace): KeptAnswers {
  let text: string;
  try {
    text = fs.readFileSync(place.file, 'utf8');
  } catch {
    return emptyAnswers();
  }
  const nl = text.indexOf('\n');
  const body = text.slice(nl + 1);
  if (nl < 0 || text.slice(0, nl) !== `${FACTS_MAGIC} ${crypto.createHash('sha256').update(body).digest('hex')}`) return emptyAnswers();
  let saved: unknown;
  try {
    saved = JSON.parse(body);
  } catch {
    return emptyAnswers();
  }
  if (!validSaved(saved)) return emptyAnswers();
  const kept = emptyAnswers();
  if (saved.mayRemove !== undefined) kept.mayRemove = saved.mayRemove;
  for (const [name, answers] of saved.branches) kept.branches.set(name, new Map(answers));
  for (const [field, targets] of saved.indirect) kept.indirect.set(field, targets);
  return kept;
}

/** Writes the answers back when this process added to them. */
export function saveAnswers(place: FactsPlace, kept: KeptAnswers): void {
  if (!kept.grown) return;
  const saved: SavedAnswers = {
    ...(kept.mayRemove !== undefined ? { mayRemove: kept.mayRemove } : {}),
    branches: [...kept.branches].map(([name, byPc]) => [name, [...byPc]]),
    indirect: [...kept.indirect].map(([field, targets]) => [field, [...targets]]),
  };
  const body = JSON.stringify(saved);
  if (writeAtomically(place.file, `${FACTS_MAGIC} ${crypto.createHash('sha256').update(body).digest('hex')}\n${body}`)) kept.grown = false;
}

function validSaved(s: unknown): s is SavedAnswers {
  if (typeof s !== 'object' || s === null) return false;
  const o = s as Record<string, unknown>;
  if (o.mayRemove !== undefined && typeof o.mayRemove !== 'boolean') return false;
  if (!Array.isArray(o.indirect) || !o.indirect.every((t) => Array.isArray(t) && t.length === 2 && typeof t[0] === 'string'
    && Array.isArray(t[1]) && t[1].every((n) => typeof n === 'string'))) return false;
  return Array.isArray(o.branches) && o.branches.every((b) => Array.isArray(b) && b.length === 2 && typeof b[0] === 'string'
    && Array.isArray(b[1]) && b[1].every((a) => Array.isArray(a) && a.length === 2 && Number.isInteger(a[0]) && (a[1] === 0 || a[1] === 1 || a[1] === 2)));
}
