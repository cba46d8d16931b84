/**
 * The race window of a counterexample: the pairs of steps of different threads whose
 * order decides the verdict. Two steps are ordered only when the dependence relation
 * (dependence.ts, the one partial-order reduction trusts) says they conflict; every
 * other reordering of the trace is the same run to the explorer. So the candidates are
 * the trace's conflicting cross-thread pairs (i before j) that no step in between
 * orders already — or only steps of i's own CPU, a run that j then moves in front of
 * whole — and a candidate decides the verdict when the schedule with j in front of i no
 * longer ends in the same violation: the steps between them that the trace orders after
 * i move behind j with i, the others stay in front.
 */
import { classify } from './classify.js';
import { dependent } from './dependence.js';
import { parseSchedule } from './schedule.js';
import type { Footprint, TransitionSystem } from './system.js';

export interface WindowPair {
  /** 0-based positions in the schedule; `first` ran before `then` in the counterexample */
  first: number;
  then: number;
  /** the locations both touch, at least one of them writing */
  on: string[];
}

export interface RaceWindowResult {
  /** the pairs whose reversal removes the violation, in trace order */
  pairs: WindowPair[];
  /** conflicting cross-thread pairs tried */
  candidates: number;
  /** the trace had more candidates than MAX_CANDIDATES: the later ones were not tried */
  capped: boolean;
}

/** Which invariant a schedule ends in, following it greedily where it no longer fits. */
type Ending = { invariant?: string; complete: boolean };

export const MAX_CANDIDATES = 400;

/**
 * The window of `schedule`, which must end in a violation of `invariant`. Undefined
 * when the schedule cannot be followed or ends otherwise (it does not come from this
 * system).
 */
export function raceWindow<S, E>(sys: TransitionSystem<S, E>, schedule: string, invariant: string): RaceWindowResult | undefined {
  const tids = parseSchedule(schedule);
  const feet: Footprint[] = [];
  let state = sys.initial();
  let ended: string | undefined;
  for (const tid of tids) {
    const kind = classify(sys, state);
    if (kind.kind !== 'running' || !kind.enabled.includes(tid)) return undefined;
    feet.push(sys.footprint(state, tid));
    const r = sys.step(state, tid);
    if (r.violation) {
      ended = r.violation.invariant;
      break;
    }
    state = r.state;
  }
  const n = feet.length;
  if (ended === undefined) {
    const end = classify(sys, state);
    if (end.kind !== 'running') ended = end.violation?.invariant;
  }
  // the schedule must be this system's and end in the violation asked about
  if (n !== tids.length || ended !== invariant) return undefined;
  const ordered = (a: number, b: number): boolean => tids[a] === tids[b] || dependent(feet[a]!, feet[b]!);
  // after[i]: the steps the trace orders after step i (the transitive closure of `ordered`)
  const after: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      if (after[i]!.has(k) || !ordered(i, k)) continue;
      after[i]!.add(k);
      for (const m of after[k]!) after[i]!.add(m);
    }
  }
  const pairs: WindowPair[] = [];
  let candidates = 0;
  let capped = false;
  for (let j = 0; j < n && !capped; j++) {
    for (let i = j - 1; i >= 0 && !capped; i--) {
      if (tids[i] === tids[j] || !dependent(feet[i]!, feet[j]!)) continue;
      // a step in between ordered after i and before j orders the pair already, unless all
      // such steps are i's own CPU's: then j moves in front of that run of steps whole
      let direct = true;
      let ownRun = true;
      for (let k = i + 1; k < j; k++) {
        if (!after[i]!.has(k)) continue;
        if (after[k]!.has(j)) direct = false;
        if (tids[k] !== tids[i]) ownRun = false;
      }
      if (!direct && !ownRun) continue;
      if (candidates === MAX_CANDIDATES) {
        capped = true;
        break;
      }
      candidates++;
      const flipped = [...tids.slice(0, i)];
      const moved: string[] = [];
      for (let k = i + 1; k < j; k++) (after[i]!.has(k) ? moved : flipped).push(tids[k]!);
      flipped.push(tids[j]!, tids[i]!, ...moved, ...tids.slice(j + 1));
      const end = follow(sys, flipped, n * 4 + 64);
      if (end.complete && end.invariant !== invariant) pairs.push({ first: i, then: j, on: shared(feet[i]!, feet[j]!) });
    }
  }
  pairs.sort((a, b) => a.first - b.first || a.then - b.then);
  return { pairs, candidates, capped };
}

/** Locations of a conflict: written by one step and read or written by the other. */
function shared(a: Footprint, b: Footprint): string[] {
  const out = new Set<string>();
  for (const x of a.writes) if (b.writes.includes(x) || b.reads.includes(x)) out.add(x);
  for (const x of b.writes) if (a.reads.includes(x)) out.add(x);
  return [...out];
}

/**
 * Runs `order` from the initial state: each step takes the first thread of the
 * remaining order that can run (a thread the reversal left blocked waits its turn),
 * and once the order is spent the live threads run lowest first. Incomplete when the
 * run does not end within `limit` steps.
 */
function follow<S, E>(sys: TransitionSystem<S, E>, order: readonly string[], limit: number): Ending {
  const rest = [...order];
  let state = sys.initial();
  for (let taken = 0; taken < limit; taken++) {
    const kind = classify(sys, state);
    if (kind.kind !== 'running') return { invariant: kind.violation?.invariant, complete: true };
    const at = rest.findIndex((t) => kind.enabled.includes(t));
    const tid = at >= 0 ? rest.splice(at, 1)[0]! : kind.enabled[0]!;
    const r = sys.step(state, tid);
    if (r.violation) return { invariant: r.violation.invariant, complete: true };
    state = r.state;
  }
  return { complete: false };
}
