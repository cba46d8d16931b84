/**
 * The rule for combining sleep sets with the visited set, on the smallest system where
 * it matters. P0: y++ then read x. P1: assert y != 2.
 *
 * Depth-first order: P0 P0 P1 reaches the final state. Back at [y=1, P0 before its
 * read], P1 runs with P0 asleep (the read of x commutes with the assert), reaching
 * S = [y=1, P0 before its read, P1 done] with sleep set {P0}: nothing to do there.
 * Then P1 first from the root (it conflicts with y++, so P0 is awake), and P0's y++
 * reaches S again, now with an empty sleep set. Pruning S merely because it was seen
 * would skip P0's read from S; the rule explores exactly {P0} \ {} there.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore, type ExploreResult } from 'racelens-server/out/explore/index.js';
import { ProgramSystem } from './toys.js';

const S = 'y=1|P0:t0@1[]|P1';

function runFull(): { steps: string[]; result: ExploreResult<string> } {
  const sys = new ProgramSystem({
    programs: {
      t0: [{ op: 'inc', loc: 'y' }, { op: 'read', loc: 'x', reg: 'r' }],
      t1: [{ op: 'assert', loc: 'y', bad: 2 }],
    },
    start: { P0: 't0', P1: 't1' },
  });
  const steps: string[] = [];
  const step = sys.step.bind(sys);
  sys.step = (s, tid) => {
    steps.push(`${sys.key(s)} # ${tid}`);
    return step(s, tid);
  };
  return { steps, result: explore(sys, { reduction: 'full' }) };
}

test('a state revisited with a thread awake that slept on the first visit explores that thread', () => {
  const { steps, result } = runFull();
  assert.deepEqual(steps, [
    '|P0:t0@0[] P1:t1@0[]| # P0',
    'y=1|P0:t0@1[] P1:t1@0[]| # P0',
    'y=1|P1:t1@0[]|P0 # P1',
    'y=1|P0:t0@1[] P1:t1@0[]| # P1', // reaches S with P0 asleep
    `${S} # P0`, // P0 is the only thread left there: the livelock check runs it alone (it ends)
    '|P0:t0@0[] P1:t1@0[]| # P1',
    '|P0:t0@0[]|P1 # P0', // reaches S again, P0 awake
    `${S} # P0`, // ...so P0 runs from S
  ]);
  // the livelock check's step is not a transition of the search
  assert.equal(result.transitions, 7);
  assert.equal(result.sleepBlocked, 1);
  // Two leaves: the first final state, and the second arrival at it (already explored).
  assert.equal(result.executions, 2);
});

test('the livelock check runs a sleeping only thread once: a second state on the same way is not followed again', () => {
  const { steps } = runFull();
  assert.equal(steps.filter((s) => s === `${S} # P0`).length, 2, 'once by the check, once by the search when P0 is awake there');
});
