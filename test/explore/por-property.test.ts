/**
 * The evidence that partial-order reduction is sound here: on random small systems
 * (shared cells, blocking locks and awaits, assertions, cycles, spawned threads) all
 * three reduction modes agree with a brute-force oracle on the verdict, the set of
 * reachable final states and the number of reachable states (sleep sets prune
 * transitions, never states), and every counterexample replays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore, replay, type Reduction } from 'racelens-server/out/explore/index.js';
import { groundTruth, randomSystem } from './toys.js';

const MODES: readonly Reduction[] = ['none', 'sleep-sets', 'full'];

/**
 * The first 50 seeds from 1000 whose systems have at most 130 reachable states: naive
 * search is exponential in path length, and larger systems add time, not coverage.
 */
const SEEDS: number[] = [];
for (let seed = 1000; SEEDS.length < 50; seed++) {
  if (groundTruth(randomSystem(seed)).states <= 130) SEEDS.push(seed);
}

test('all reduction modes agree with brute force on random systems', () => {
  const verdicts = new Set<string>();
  let reduced = 0;
  let cyclic = 0;
  for (const seed of SEEDS) {
    const oracle = groundTruth(randomSystem(seed));
    const expected = oracle.invariants.size > 0 ? 'violated' : 'holds';
    verdicts.add(expected);
    if (JSON.stringify(randomSystem(seed).spec).includes('jumpIf')) cyclic++;
    const transitions: number[] = [];
    for (const reduction of MODES) {
      const sys = randomSystem(seed);
      const r = explore(sys, { reduction });
      const what = `seed ${seed}, ${reduction}`;
      assert.equal(r.budgetHit, undefined, what);
      assert.equal(r.verdict, expected, what);
      assert.equal(r.states, oracle.states, what);
      assert.deepEqual([...sys.finals].sort(), [...oracle.finals].sort(), what);
      assert.equal(r.violations > 0, oracle.invariants.size > 0, what);
      if (r.firstViolation) {
        assert.ok(oracle.invariants.has(r.firstViolation.violation.invariant), what);
        const again = replay(randomSystem(seed), r.firstViolation.schedule);
        assert.equal(again.ok, true, `${what}: ${again.error}`);
        assert.deepEqual(again.trace, r.firstViolation.trace, what);
        assert.deepEqual(again.violation, r.firstViolation.violation, what);
      }
      transitions.push(r.transitions);
    }
    // Reduction never does more work than naive search.
    assert.ok(transitions[1]! <= transitions[0]!, `seed ${seed}: ${transitions}`);
    if (transitions[2]! < transitions[0]!) reduced++;
  }
  // The sample must be interesting: both verdicts, real pruning, real cycles.
  assert.deepEqual([...verdicts].sort(), ['holds', 'violated']);
  assert.ok(reduced >= SEEDS.length / 3, `reduction helped in only ${reduced} systems`);
  assert.ok(cyclic >= 5, `only ${cyclic} systems have backward jumps`);
});

test('every reachable violation kind is found by every mode when exploring everything', () => {
  // The counterexample's invariant may differ between modes, but each invariant the
  // oracle reaches must be reachable by a shortest search seeded from any mode.
  for (const seed of SEEDS.slice(0, 30)) {
    const oracle = groundTruth(randomSystem(seed));
    for (const reduction of MODES) {
      const r = explore(randomSystem(seed), { reduction });
      if (oracle.invariants.size === 0) assert.equal(r.firstViolation, undefined);
      else assert.ok(r.firstViolation && oracle.invariants.has(r.firstViolation.violation.invariant));
    }
  }
});

test('reduced modes agree with brute force on larger random systems', () => {
  // Too big for naive search in a unit test, which is where reduction matters.
  let tested = 0;
  let skipped = 0;
  for (let seed = 5000; tested < 40; seed++) {
    const oracle = groundTruth(randomSystem(seed));
    if (oracle.states <= 130 || oracle.states > 2000) continue;
    tested++;
    for (const reduction of ['sleep-sets', 'full'] as const) {
      const sys = randomSystem(seed);
      // Stateless search is exponential on some cyclic systems; those are skipped
      // (deterministically: the budget counts executions, not time).
      const r = explore(sys, { reduction, maxExecutions: 2000 });
      const what = `seed ${seed}, ${reduction}`;
      if (r.budgetHit) {
        assert.equal(reduction, 'sleep-sets', what);
        skipped++;
        continue;
      }
      assert.equal(r.verdict, oracle.invariants.size > 0 ? 'violated' : 'holds', what);
      assert.equal(r.states, oracle.states, what);
      assert.deepEqual([...sys.finals].sort(), [...oracle.finals].sort(), what);
    }
  }
  assert.ok(skipped <= 5, `${skipped} systems skipped`);
});
