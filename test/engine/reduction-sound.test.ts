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
import { Machine, type SimState } from 'racelens-server/out/sim/machine.js';
import { runScenario } from 'racelens-server/out/scenario/run.js';
import { builtinRace } from './fixtures.js';

interface Ends {
  worlds: Set<string>;
  invariants: Set<string>;
}

function worldOf(s: SimState): string {
  return `${s.world.h1}:${s.world.h2}`;
}

/** The machine a scenario run builds, taken from a one-execution run. */
function machineOf(name: string, era: string, reduction: 'none' | 'full', fs?: string): Machine {
  const { race, file } = builtinRace(name);
  let machine: Machine | undefined;
  const initial = Machine.prototype.initial;
  Machine.prototype.initial = function (this: Machine) {
    machine = this;
    return initial.call(this);
  };
  try {
    runScenario({ race, file, eraSpec: era, ...(fs ? { fs } : {}), reduction, maxExecutions: 1 });
  } finally {
    Machine.prototype.initial = initial;
  }
  assert.ok(machine, `${name} ${era} built a machine`);
  return machine;
}

/** Every reachable end of the unreduced machine, by a depth-first search with a visited set. */
function plainEnds(m: Machine, budget: number): Ends {
  const ends: Ends = { worlds: new Set(), invariants: new Set() };
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
  return ends;
}

/** The ends the full reduction reaches, seen through the machine it explores. */
function reducedEnds(name: string, era: string, fs?: string): Ends {
  const { race, file } = builtinRace(name);
  const ends: Ends = { worlds: new Set(), invariants: new Set() };
  const finish = Machine.prototype.finish;
  const step = Machine.prototype.step;
  Machine.prototype.finish = function (this: Machine, s: SimState) {
    const v = finish.call(this, s);
    if (v) ends.invariants.add(v.invariant);
    else ends.worlds.add(worldOf(s));
    return v;
  };
  Machine.prototype.step = function (this: Machine, s: SimState, tid: string) {
    const r = step.call(this, s, tid);
    if (r.violation) ends.invariants.add(r.violation.invariant);
    return r;
  };
  try {
    const r = runScenario({ race, file, eraSpec: era, ...(fs ? { fs } : {}), stopAtFirstViolation: false, shortest: false });
    if (r.verdict === 'error' || r.verdict === 'incomplete') assert.fail(`${name} ${era}: ${r.verdict} ${r.message ?? ''}`);
    if (r.verdict === 'violated' && r.invariant === 'deadlock') ends.invariants.add('deadlock');
  } finally {
    Machine.prototype.finish = finish;
    Machine.prototype.step = step;
  }
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
      const reduced = reducedEnds(name, era, fs);
      assert.ok(plain.worlds.size + plain.invariants.size > 0);
      assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), 'violated invariants');
      assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), 'final worlds');
    });
  }
});
