/**
 * What machines over the same programs share in one process (the facts, the futures, the
 * compiled code), by a key naming every input of the facts; and the answers kept from an
 * earlier process for that key (kept-facts.ts).
 */
import type { ProgramFacts } from './program-facts.js';
import { keptAnswers } from './kept-facts.js';

const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number for an object, the same as long as it lives: a model set or a program in a facts key. */
export function objectId(o: object): number {
  let id = ids.get(o);
  if (id === undefined) ids.set(o, (id = nextId++));
  return id;
}

/** What machines over the same programs share: the facts, and what is kept per thread position from them (the futures). */
export interface SharedFacts {
  facts: ProgramFacts;
  /** the machine's cache of futures, which depend only on `facts.classes` */
  futures: object;
  /** the runner's compiled functions (host-relay.ts SharedCode), which depend only on the programs and what their names resolve to */
  code: object;
}

/** Sets of programs a process keeps facts for at once (the bench's rows, an editor's scenarios and eras). */
const SHARED_MAX = 8;
const shared = new Map<string, SharedFacts>();

/**
 * The facts of a machine's programs: without a key its own, with one those of the last
 * machine built under that key (the key must name every input of the facts: the
 * programs, the ops tables, the fields read as steps, the threads' roots; scenario/run.ts
 * builds it). A bench's repetitions, a rerun of the same scenario and era, an editor's
 * runs over unchanged code build machine after machine over the same programs; their
 * whole-program analyses, the per-function classes of their futures and their compiled
 * functions are the same answers each time. Only `layout.ops` of the layout is read
 * here, and the key names it.
 */
export function sharedFacts(key: string | undefined, make: () => ProgramFacts): SharedFacts {
  if (key === undefined) return { facts: make(), futures: {}, code: {} };
  let entry = shared.get(key);
  if (entry) {
    // most recently used last: the oldest goes first
    shared.delete(key);
  } else {
    entry = { facts: make(), futures: {}, code: {} };
    entry.facts.kept = keptAnswers(key);
    if (shared.size >= SHARED_MAX) shared.delete(shared.keys().next().value!);
  }
  shared.set(key, entry);
  return entry;
}
