/**
 * The ends of a scenario's machine, for tests that hold a reduction against a plain
 * search: the worlds when every CPU has finished, the deadlocks, and the violated
 * invariants. A reduction may take fewer steps to them, never reach other ones.
 */
import assert from 'node:assert/strict';
import type { Machine, SimState, StepEvent } from 'racelens-server/out/sim/machine.js';
import { explore, type TransitionSystem } from 'racelens-server/out/explore/index.js';

export interface Ends {
  worlds: Set<string>;
  invariants: Set<string>;
  /** distinct states the search visited */
  states: number;
}

function worldOf(s: SimState): string {
  return `${s.world.h1}:${s.world.h2}`;
}

/** Every reachable end of the machine, by a depth-first search with a visited set and nothing else. */
export function plainEnds(m: Machine, budget = 300_000): Ends {
  const ends: Ends = { worlds: new Set(), invariants: new Set(), states: 0 };
  const seen = new Set<string>();
  const stack: SimState[] = [m.initial()];
  while (stack.length > 0) {
    const s = stack.pop()!;
    const k = m.key(s);
    if (seen.has(k)) continue;
    seen.add(k);
    assert.ok(seen.size <= budget, 'the plain search stays within its budget');
    const threads = m.threads(s);
    if (threads.length === 0) {
      const v = m.finish(s);
      if (v) ends.invariants.add(v.invariant);
      else ends.worlds.add(worldOf(s));
      continue;
    }
    const enabled = threads.filter((t) => m.enabled(s, t));
    if (enabled.length === 0) ends.invariants.add('deadlock');
    for (const t of enabled) {
      const r = m.step(s, t);
      if (r.violation) ends.invariants.add(r.violation.invariant);
      else stack.push(r.state);
    }
  }
  ends.states = seen.size;
  return ends;
}

/** The ends the full reduction reaches (the explorer over the machine, seen through a recorder), and the steps it took. */
export function reducedEnds(m: Machine): Ends & { events: StepEvent[] } {
  const ends = { worlds: new Set<string>(), invariants: new Set<string>(), states: 0, events: [] as StepEvent[] };
  const seen: TransitionSystem<SimState, StepEvent> = {
    initial: () => m.initial(),
    key: (s) => m.key(s),
    threads: (s) => m.threads(s),
    enabled: (s, t) => m.enabled(s, t),
    footprint: (s, t) => m.footprint(s, t),
    persistent: (s, enabled) => m.persistent(s, enabled),
    release: (s) => m.release(s),
    step: (s, t) => {
      const r = m.step(s, t);
      ends.events.push(r.event);
      if (r.violation) ends.invariants.add(r.violation.invariant);
      return r;
    },
    finish: (s) => {
      const v = m.finish(s);
      if (v) ends.invariants.add(v.invariant);
      else ends.worlds.add(worldOf(s));
      return v;
    },
  };
  const r = explore(seen, { reduction: 'full', stopAtFirstViolation: false, shortest: false });
  assert.ok(r.verdict === 'holds' || r.verdict === 'violated', `reduced search: ${r.verdict}`);
  if (r.verdict === 'violated' && r.firstViolation?.violation.invariant === 'deadlock') ends.invariants.add('deadlock');
  ends.states = r.states;
  return ends;
}
