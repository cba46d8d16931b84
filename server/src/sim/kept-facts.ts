/**
 * Answers of the program facts kept from one process to the next (catalog/facts-cache.ts
 * reads and writes them): whether anything can take a page out of the page cache, and
 * which way each branch the futures asked about always goes (the known values'
 * answers). Working the known values out is two passes over the whole reachable code
 * (0.1-0.6 s on a whole tree), and what a call through a pointer may reach walks it
 * again (indirect targets, ~0.1 s); a run over the same programs, scenario and layout asks
 * the same questions and gets the same answers, so a run whose inputs are named by the
 * same key (scenario/run.ts: the kept model set's digest, the scenario's programs and
 * layout, the build) reads them back. A question the kept answers do not hold is worked
 * out as before, and added.
 */

/** 1: always taken, 0: never taken, 2: either way (not decided) */
export type BranchAnswer = 0 | 1 | 2;

export interface KeptAnswers {
  /** per function name, per instruction index of a `br` */
  branches: Map<string, Map<number, BranchAnswer>>;
  mayRemove?: boolean;
  /** program-facts.ts indirectTargets: per field key (ALL_TARGETS: every function used as a value), in its order */
  indirect: Map<string, readonly string[]>;
  /** answers were added in this process: to be written back */
  grown: boolean;
}

export function emptyAnswers(): KeptAnswers {
  return { branches: new Map(), indirect: new Map(), grown: false };
}

/** The key of indirectTargets() without a field (no field key holds a NUL). */
export const ALL_TARGETS = '\u0000';

export function branchAnswer(v: boolean | undefined): BranchAnswer {
  return v === undefined ? 2 : v ? 1 : 0;
}

export function branchValue(a: BranchAnswer): boolean | undefined {
  return a === 2 ? undefined : a === 1;
}

/** Kept answers for a facts key (program-facts.ts sharedFacts), registered before the machine is built. */
const byFactsKey = new Map<string, KeptAnswers>();
/** a handful: the runs of one process (a review's races, a bench's rows) */
const KEPT_MAX = 16;

export function keepAnswers(factsKey: string, kept: KeptAnswers): void {
  byFactsKey.delete(factsKey);
  if (byFactsKey.size >= KEPT_MAX) byFactsKey.delete(byFactsKey.keys().next().value!);
  byFactsKey.set(factsKey, kept);
}

export function keptAnswers(factsKey: string | undefined): KeptAnswers | undefined {
  return factsKey === undefined ? undefined : byFactsKey.get(factsKey);
}
