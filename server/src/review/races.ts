/**
 * Which races a patch reaches and what it does to them: every race whose runs reach a
 * function the patch changes, on either side, runs before and after, per invariant of
 * its `check` line.
 */
import type { RunResult } from '../scenario/run.js';
import { parseEraSpec, type ModelSet } from '../catalog/models.js';
import { compareReleases } from '../catalog/tree.js';
import type { RaceFile } from '../scenario/ast.js';
import { modelsFor, reachedFunctions, runPerInvariant, type Budget, type InvariantRuns, type InvariantVerdict, type Race, type Side } from './run-adapter.js';
export { loadRaces } from './run-adapter.js';

export type Change = 'breaks' | 'fixes' | 'still violated' | 'holds' | 'incomplete';

export interface InvariantChange { name: string; before: InvariantVerdict; after: InvariantVerdict; change: Change }

export interface RaceReport {
  scenario: string;
  era: string;
  change: Change;
  invariants: InvariantChange[];
  before: RunResult;
  after: RunResult;
  /** a new violation's run (breaks) or the removed one's (fixes), per invariant */
  traces: { invariant: string; change: 'breaks' | 'fixes'; run: RunResult }[];
  /** the changed functions this race reaches */
  reaches: string[];
}

/** A race that reaches the patch but is not judged in this era, and why. */
export interface NotRun { scenario: string; era: string; reason: string; reaches: string[] }

/**
 * Why a race is not judged in `era`, or undefined when it is: a scenario's expect lines
 * name the releases it was written and checked for, and a release older than all of them
 * may not have the code it models at all (truncate-vs-writeback's expect lines start at
 * 5.9; its run at 2.6.19 says "violated" about a truncation that did not wait in that way).
 * A review reports verdicts only from the oldest release a scenario names on: later
 * releases keep its code shape (the tree's own release included, 6.12 for a 6.1
 * scenario); a scenario with no expect line is run in any era.
 */
export function eraOutsideRace(race: RaceFile, era: string): string | undefined {
  const eras = [...new Set(race.expects.map((e) => parseEraSpec(e.eraSpec).era))].filter((e) => /^\d+(\.\d+)*$/.test(e)).sort(compareReleases);
  const base = parseEraSpec(era).era;
  if (!eras.length || !/^\d+(\.\d+)*$/.test(base) || compareReleases(base, eras[0]!) >= 0) return undefined;
  return `its expect lines start at ${eras[0]} (${eras.join(', ')}): ${base} is older than every release the scenario was written for`;
}

const ORDER: Change[] = ['breaks', 'incomplete', 'fixes', 'still violated', 'holds'];

function changeOf(before: InvariantVerdict, after: InvariantVerdict): Change {
  if (before === 'incomplete' || after === 'incomplete' || before === 'error' || after === 'error') return 'incomplete';
  if (before === 'holds') return after === 'holds' ? 'holds' : 'breaks';
  return after === 'holds' ? 'fixes' : 'still violated';
}

/**
 * What runs found, by the state of the source they ran on: a series, or several reviews
 * in one process (a patch and its reverse), run each state once. It is valid while the
 * files outside the patches do not change on disk.
 */
export interface RunMemo {
  runs: Map<string, InvariantRuns>;
  reach: Map<string, string[]>;
}

export function newRunMemo(): RunMemo {
  return { runs: new Map(), reach: new Map() };
}

/** Runs of one side. `key` names the side's source: the era or tree and the text of every file the patches touch. */
export class SideRuns {
  /** a race's model set on this side, built once for its reach and its runs */
  private readonly sets = new Map<string, ModelSet>();
  constructor(readonly side: Side, private readonly key: string, private readonly budget: Budget, private readonly memo: RunMemo) {}

  private models(race: Race): ModelSet {
    let m = this.sets.get(race.file);
    if (!m) this.sets.set(race.file, (m = modelsFor(this.side, race)));
    return m;
  }

  /** The race's model set is no longer needed on this side (its runs and reach stay in the memo). */
  forget(race: Race): void {
    this.sets.delete(race.file);
  }

  reached(race: Race): string[] {
    const k = `${this.key}\0${race.file}\0${race.race.checks.map((c) => c.id).join(' ')}`;
    let r = this.memo.reach.get(k);
    if (!r) this.memo.reach.set(k, (r = reachedFunctions(race, this.side.era, this.models(race)).functions));
    return r;
  }

  run(race: Race): InvariantRuns {
    const k = `${this.key}\0${race.file}\0${JSON.stringify(this.budget)}\0${race.race.checks.map((c) => c.id).join(' ')}`;
    let r = this.memo.runs.get(k);
    if (!r) this.memo.runs.set(k, (r = runPerInvariant(race, this.side.era, this.models(race), this.budget)));
    return r;
  }
}

/** The races one step reaches (`changed` on either side), judged before → after. */
export function judgeStep(races: readonly Race[], changed: readonly string[], before: SideRuns, after: SideRuns): { races: RaceReport[]; reachedNames: Set<string>; notRun: NotRun[] } {
  const reports: RaceReport[] = [];
  const notRun: NotRun[] = [];
  const reachedNames = new Set<string>();
  for (const race of races) {
    const reach = new Set([...before.reached(race), ...after.reached(race)]);
    const hits = changed.filter((f) => reach.has(f));
    if (!hits.length) continue;
    hits.forEach((h) => reachedNames.add(h));
    const outside = eraOutsideRace(race.race, before.side.era);
    if (outside) {
      notRun.push({ scenario: race.name, era: before.side.era, reason: outside, reaches: hits });
      continue;
    }
    const b = before.run(race);
    const a = after.run(race);
    const invariants = race.race.checks.map((c): InvariantChange => {
      const bv = b.verdicts.get(c.id) ?? 'error';
      const av = a.verdicts.get(c.id) ?? 'error';
      return { name: c.id, before: bv, after: av, change: changeOf(bv, av) };
    });
    const change = ORDER.find((o) => invariants.some((i) => i.change === o)) ?? 'holds';
    const traces = invariants.flatMap((i): RaceReport['traces'] => {
      if (i.change === 'breaks' && a.traces.get(i.name)) return [{ invariant: i.name, change: 'breaks' as const, run: a.traces.get(i.name)! }];
      if (i.change === 'fixes' && b.traces.get(i.name)) return [{ invariant: i.name, change: 'fixes' as const, run: b.traces.get(i.name)! }];
      return [];
    });
    reports.push({ scenario: race.name, era: before.side.era, change, invariants, before: b.first, after: a.first, traces, reaches: hits });
  }
  return { races: reports, reachedNames, notRun };
}
