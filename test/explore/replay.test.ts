/** Schedules: their format, replaying counterexamples, and bad schedules. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore, formatSchedule, parseSchedule, replay, type Reduction } from 'racelens-server/out/explore/index.js';
import { lockInversion, ProgramSystem, racyIncrement, randomSystem, spawnAndJoin } from './toys.js';

const MODES: readonly Reduction[] = ['none', 'sleep-sets', 'full'];

test('schedule format: space-separated ids, any other characters allowed', () => {
  assert.equal(formatSchedule(['P0', 'P1', 'P1.io1', 'cpu#2[x]']), 'P0 P1 P1.io1 cpu#2[x]');
  assert.deepEqual(parseSchedule('  P0\tP1 \n P1.io1  '), ['P0', 'P1', 'P1.io1']);
  assert.deepEqual(parseSchedule(''), []);
  assert.deepEqual(parseSchedule('   '), []);
  assert.throws(() => formatSchedule(['a b']), /whitespace/);
  assert.throws(() => formatSchedule(['']), /non-empty/);
});

test('replaying a counterexample reproduces its trace and violation exactly', () => {
  for (const reduction of MODES) {
    for (const make of [racyIncrement, lockInversion]) {
      const r = explore(make(), { reduction });
      const cx = r.firstViolation!;
      const again = replay(make(), cx.schedule);
      assert.equal(again.ok, true, again.error);
      assert.equal(again.error, undefined);
      assert.deepEqual(again.trace, cx.trace);
      assert.deepEqual(again.violation, cx.violation);
    }
  }
});

test('replaying the depth-first counterexample (no shortest search) reproduces it too', () => {
  const r = explore(racyIncrement(), { reduction: 'none', shortest: false });
  const cx = r.firstViolation!;
  assert.equal(cx.shortest, undefined);
  const again = replay(racyIncrement(), cx.schedule);
  assert.deepEqual(again.trace, cx.trace);
  assert.deepEqual(again.violation, cx.violation);
});

test('replay of step violations from random systems', () => {
  let checked = 0;
  for (let seed = 1; seed <= 60; seed++) {
    const r = explore(randomSystem(seed), { reduction: 'full' });
    if (!r.firstViolation) continue;
    const again = replay(randomSystem(seed), r.firstViolation.schedule);
    assert.equal(again.ok, true, `seed ${seed}: ${again.error}`);
    assert.deepEqual(again.trace, r.firstViolation.trace, `seed ${seed}`);
    assert.deepEqual(again.violation, r.firstViolation.violation, `seed ${seed}`);
    checked++;
  }
  assert.ok(checked >= 10, `only ${checked} random systems had a violation`);
});

test('a complete violation-free schedule replays ok with no violation', () => {
  const run = replay(racyIncrement(), 'P0 P0 P1 P1');
  assert.equal(run.ok, true);
  assert.equal(run.violation, undefined);
  assert.equal(run.trace.length, 4);
});

test('a prefix replays ok as a partial run', () => {
  const run = replay(racyIncrement(), 'P1');
  assert.deepEqual(run, { ok: true, trace: [{ index: 0, tid: 'P1', event: 'P1: r = c (0)' }], finished: false });
  assert.deepEqual(replay(racyIncrement(), ''), { ok: true, trace: [], finished: false });
});

test('a thread that is not live is an error, with the trace up to there', () => {
  const run = replay(racyIncrement(), 'P0 P7');
  assert.equal(run.ok, false);
  assert.match(run.error!, /entry 2 of 2 \(P7\): thread P7 is not live here \(live: P0 P1\)/);
  assert.equal(run.trace.length, 1);
});

test('a finished thread is not live', () => {
  const run = replay(racyIncrement(), 'P0 P0 P0');
  assert.equal(run.ok, false);
  assert.match(run.error!, /thread P0 is not live/);
});

test('a blocked thread is an error', () => {
  const run = replay(lockInversion(), 'P0 P0 P1');
  assert.equal(run.ok, false);
  assert.match(run.error!, /entry 3 of 3 \(P1\): thread P1 is blocked here \(enabled: P0\)/);
});

test('a schedule that goes on past the end of the run is an error', () => {
  const finished = replay(racyIncrement(), 'P0 P0 P1 P1 P0');
  assert.equal(finished.ok, false);
  assert.match(finished.error!, /already finished/);
  const deadlocked = replay(lockInversion(), 'P0 P1 P0');
  assert.equal(deadlocked.ok, false);
  assert.match(deadlocked.error!, /already deadlocked/);
});

test('a malformed schedule is an error, not an exception', () => {
  const run = replay(spawnAndJoin(), 42 as unknown as string);
  assert.equal(run.ok, false);
  assert.match(run.error!, /malformed schedule/);
});

test('a schedule that goes on after a violating step is an error that still reports the violation', () => {
  const sys = () => new ProgramSystem({ programs: { a: [{ op: 'assert', loc: 'x', bad: 0 }, { op: 'inc', loc: 'x' }] }, start: { P0: 'a' } });
  const run = replay(sys(), 'P0 P0');
  assert.equal(run.ok, false);
  assert.match(run.error!, /violates assert/);
  assert.equal(run.violation?.invariant, 'assert');
  assert.deepEqual(replay(sys(), 'P0').violation, { invariant: 'assert', message: 'P0: x == 0' });
});
