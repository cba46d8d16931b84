/**
 * The reductions must not lose an outcome. A plain search (every step its own
 * transition, every enabled thread tried, a visited set and nothing else) and the full
 * reduction (lock movers, steps no other CPU can see folded into the step before,
 * stubborn sets, sleep sets, dead locals left out of the state) must reach the same
 * end states of a scenario: the same worlds when every CPU has finished, the same
 * deadlocks, and the same violated invariants. Checked on every built-in scenario
 * shape, the largest included.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Machine, SimState, StepEvent } from 'racelens-server/out/sim/machine.js';
import { scenarioMachine } from 'racelens-server/out/scenario/run.js';
import { explore, type TransitionSystem } from 'racelens-server/out/explore/index.js';
import { builtinRace } from './fixtures.js';

interface Ends {
  worlds: Set<string>;
  invariants: Set<string>;
  /** distinct states the search visited */
  states: number;
}

function worldOf(s: SimState): string {
  return `${s.world.h1}:${s.world.h2}`;
}

/** The machine a scenario run builds: every step its own transition (none), or fused (full). */
function machineOf(name: string, era: string, reduction: 'none' | 'full', fs?: string): Machine {
  const { race, file } = builtinRace(name);
  return scenarioMachine({ race, file, eraSpec: era, ...(fs ? { fs } : {}), reduction }).machine;
}

/** Every reachable end of the unreduced machine, by a depth-first search with a visited set. */
function plainEnds(m: Machine, budget: number): Ends {
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
    if (enabled.length === 0) {
      ends.invariants.add('deadlock');
      continue;
    }
    for (const t of enabled) {
      const r = m.step(s, t);
      if (r.violation) ends.invariants.add(r.violation.invariant);
      else stack.push(r.state);
    }
  }
  ends.states = seen.size;
  return ends;
}

/** The ends the full reduction reaches: the explorer runs over the machine, seen through a recorder. */
function reducedEnds(m: Machine): Ends {
  const ends: Ends = { worlds: new Set(), invariants: new Set(), states: 0 };
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

const CASES: [string, string, string?][] = [
  ['truncate-vs-writeback', '6.1'],
  ['truncate-vs-writeback', '5.9'],
  ['truncate-vs-writeback', '6.1+early-unlock'],
  ['writeback-stale-wake', '5.10+hugh'],
  ['writeback-stale-wake', '5.10'],
  ['dio-mmap-uptodate', '2.6.11'],
  ['dio-mmap-uptodate', '2.6.9'],
  // the largest: the plain search takes 70-145 k states, a few seconds each
  ['mmap-dirty-lost', '2.6.19'],
  ['mmap-dirty-lost', '2.6.20'],
  ['mmap-dirty-lost', '6.1'],
  ['reclaim-writepage-refused', '2.6.34', 'ext3'],
];

describe('the full reduction reaches every end the plain search reaches', () => {
  for (const [name, era, fs] of CASES) {
    it(`${name} ${era}${fs ? ` fs ${fs}` : ''}`, () => {
      const plain = plainEnds(machineOf(name, era, 'none', fs), 400_000);
      const reduced = reducedEnds(machineOf(name, era, 'full', fs));
      console.log(`${name} ${era}${fs ? ` fs ${fs}` : ''}: plain ${plain.states} states, reduced ${reduced.states}; ${plain.worlds.size} end worlds`);
      assert.ok(plain.worlds.size + plain.invariants.size > 0);
      assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), 'violated invariants');
      assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), 'final worlds');
    });
  }
});
