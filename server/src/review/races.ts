/**
 * Which races a patch reaches and what it does to them: every race whose runs reach a
 * function the patch changes, on either side, runs before and after, per invariant of
 * its `check` line.
 */
import type { RunResult } from '../scenario/run.js';
import type { ModelSet } from '../catalog/models.js';
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
export function judgeStep(races: readonly Race[], changed: readonly string[], before: SideRuns, after: SideRuns): { races: RaceReport[]; reachedNames: Set<string> } {
  const reports: RaceReport[] = [];
  const reachedNames = new Set<string>();
  for (const race of races) {
    const reach = new Set([...before.reached(race), ...after.reached(race)]);
    const hits = changed.filter((f) => reach.has(f));
    if (!hits.length) continue;
    hits.forEach((h) => reachedNames.add(h));
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
  return { races: reports, reachedNames };
}
