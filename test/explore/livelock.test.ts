/**
 * A thread that cycles forever while no other thread can run is a livelock, reported
 * as `deadlock` (it never finishes), never a vacuous `holds`: the search meets a state
 * it has seen and would otherwise end the path there as if it were done.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { explore, replay, type Reduction } from 'racelens-server/out/explore/index.js';
import { groundTruth, ProgramSystem } from './toys.js';

const MODES: readonly Reduction[] = ['none', 'sleep-sets', 'full'];

/** P0 spins while y == 2; P1 sets y to `value` and then reads x (independent of the spin). */
const spinner = (value: number): ProgramSystem => new ProgramSystem({
  programs: {
    t0: [{ op: 'jumpIf', loc: 'y', value: 2, to: 0 }],
    t1: [{ op: 'write', loc: 'y', add: value }, { op: 'read', loc: 'x', reg: 'r' }],
  },
  start: { P0: 't0', P1: 't1' },
});

describe('livelock', () => {
  for (const reduction of MODES) {
    it(`${reduction}: a thread left spinning alone is a livelock, and its trace replays to it`, () => {
      const r = explore(spinner(2), { reduction });
      assert.equal(r.verdict, 'violated');
      const v = r.firstViolation!.violation;
      assert.equal(v.invariant, 'deadlock');
      assert.match(v.message, /^livelock: P0 is back in a state it was in 1 step ago/);
      // P1 has finished before P0 spins alone: the trace ends with P0's step back to where it was
      const tids = r.firstViolation!.trace.map((s) => s.tid);
      assert.deepEqual(tids.slice(-1), ['P0']);
      assert.ok(tids.includes('P1'));
      const again = replay(spinner(2), r.firstViolation!.schedule);
      assert.equal(again.ok, true, again.error);
      assert.deepEqual(again.violation, v);
    });

    it(`${reduction}: a spin another thread ends is no livelock`, () => {
      const r = explore(spinner(1), { reduction });
      assert.equal(r.verdict, 'holds');
    });
  }

  it('the sleep set does not hide it: the only thread left is asleep where it spins (full reduction)', () => {
    // after P1's write, P0's spin commutes with P1's read: P0 sleeps in the state P1 ends in
    const r = explore(spinner(2), { reduction: 'full' });
    assert.ok((r.sleepBlocked ?? 0) > 0, 'the spinning state is reached with P0 asleep');
    assert.equal(r.verdict, 'violated');
  });

  it('the brute-force oracle agrees: a cycle of states where one thread alone can run', () => {
    assert.ok(groundTruth(spinner(2)).invariants.has('deadlock'));
    assert.ok(!groundTruth(spinner(1)).invariants.has('deadlock'));
  });

  it('a replay that stops on a one-thread cycle reports it; one that stops before does not', () => {
    const full = explore(spinner(2), { reduction: 'none' }).firstViolation!.schedule;
    const cut = replay(spinner(2), full.split(' ').slice(0, -1).join(' '));
    assert.equal(cut.ok, true);
    assert.equal(cut.violation, undefined);
  });
});
