/**
 * The explorer on hand-written toys whose answers are known: independent threads,
 * a lost update, a lock, a lock-order deadlock and thread spawning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
// The server package is linked into node_modules by the workspace, so this path
// resolves both for tsc (declarations of the referenced project) and for node at
// run time from test/out/.
import { explore, replay, type Reduction } from 'racelens-server/out/explore/index.js';
import { independentCounters, lockedIncrement, lockInversion, ProgramSystem, racyIncrement, spawnAndJoin } from './toys.js';

const MODES: readonly Reduction[] = ['none', 'sleep-sets', 'full'];

test('independent counters: naive search enumerates every interleaving', () => {
  const r = explore(independentCounters(3, 2), { reduction: 'none' });
  assert.equal(r.verdict, 'holds');
  assert.equal(r.executions, 90); // 6! / (2! 2! 2!)
  assert.equal(r.states, 27); // 3^3 counter vectors
  assert.equal(r.violations, 0);
});

test('independent counters: sleep sets collapse them to one execution', () => {
  for (const reduction of ['sleep-sets', 'full'] as const) {
    const r = explore(independentCounters(3, 2), { reduction });
    assert.equal(r.verdict, 'holds', reduction);
    assert.equal(r.executions, 1, reduction);
    assert.equal(r.states, 27, reduction);
    // Every state is entered exactly once: a spanning tree of the 27 states.
    assert.equal(r.transitions, 26, reduction);
  }
});

test('independent counters: reduction is the default and larger systems stay at one execution', () => {
  const r = explore(independentCounters(4, 3));
  assert.equal(r.executions, 1);
  assert.equal(r.states, 256);
  assert.equal(r.transitions, 255);
});

test('lost update: violated in every mode with a 4-step counterexample', () => {
  for (const reduction of MODES) {
    const sys = racyIncrement();
    const r = explore(sys, { reduction });
    assert.equal(r.verdict, 'violated', reduction);
    assert.ok(r.violations >= 1, reduction);
    const cx = r.firstViolation!;
    assert.equal(cx.violation.invariant, 'lost-update');
    assert.equal(cx.violation.message, 'c == 1, expected 2');
    assert.equal(cx.trace.length, 4);
    assert.deepEqual(cx.trace.map((s) => s.index), [0, 1, 2, 3]);
    // Both reads must precede both writes.
    assert.deepEqual(cx.trace.map((s) => s.event.split(': ')[1]!.slice(0, 1)), ['r', 'r', 'c', 'c']);
    assert.equal(cx.schedule, cx.trace.map((s) => s.tid).join(' '));
    assert.equal(sys.finals.size, 2, reduction); // c == 1 and c == 2
  }
});

test('lost update: naive search counts every violating interleaving', () => {
  // 4!/(2!2!) = 6 interleavings; only P0P0P1P1 and P1P1P0P0 are serial.
  const r = explore(racyIncrement(), { reduction: 'none' });
  assert.equal(r.executions, 6);
  assert.equal(r.violations, 4);
});

test('locked increment: holds in every mode, visiting the same states', () => {
  const states = new Set<number>();
  for (const reduction of MODES) {
    const sys = lockedIncrement(3);
    const r = explore(sys, { reduction });
    assert.equal(r.verdict, 'holds', reduction);
    assert.equal(r.violations, 0);
    assert.equal(r.firstViolation, undefined);
    assert.equal(r.budgetHit, undefined);
    assert.equal(sys.finals.size, 1);
    states.add(r.states);
  }
  assert.equal(states.size, 1);
});

test('locked increment: every order of the critical sections is a distinct execution', () => {
  const none = explore(lockedIncrement(3), { reduction: 'none' });
  const sleep = explore(lockedIncrement(3), { reduction: 'sleep-sets' });
  const full = explore(lockedIncrement(3), { reduction: 'full' });
  // All lock steps conflict, so sleep sets cannot merge the 3! orders...
  assert.equal(none.executions, 6);
  assert.equal(sleep.executions, 6);
  assert.equal(sleep.transitions, none.transitions);
  // ...but the visited set shares the suffixes after equal states.
  assert.ok(full.transitions < none.transitions);
  assert.equal(full.states, none.states);
});

test('lock inversion: deadlock with the shortest trace, in every mode', () => {
  for (const reduction of MODES) {
    const r = explore(lockInversion(), { reduction });
    assert.equal(r.verdict, 'violated', reduction);
    const cx = r.firstViolation!;
    assert.equal(cx.violation.invariant, 'deadlock');
    assert.match(cx.violation.message, /P0/);
    assert.match(cx.violation.message, /P1/);
    assert.equal(cx.trace.length, 2);
    assert.deepEqual(new Set(cx.trace.map((s) => s.tid)), new Set(['P0', 'P1']));
    assert.equal(cx.shortest, true);
    const again = replay(lockInversion(), cx.schedule);
    assert.equal(again.ok, true);
    assert.deepEqual(again.violation, cx.violation);
  }
});

test('lock inversion: only the interleavings that take both first locks deadlock', () => {
  const r = explore(lockInversion(), { reduction: 'none' });
  // Deadlocks: P0 takes a and P1 takes b, in either order.
  assert.equal(r.violations, 2);
  // Sleep sets see that those two orders are one: two serial runs plus one deadlock.
  const s = explore(lockInversion(), { reduction: 'sleep-sets' });
  assert.equal(s.violations, 1);
  assert.equal(s.executions, 3);
});

test('spawned threads are explored: final x is 1 or 2 and y is always bumped', () => {
  for (const reduction of MODES) {
    const sys = spawnAndJoin();
    const r = explore(sys, { reduction });
    assert.equal(r.verdict, 'holds', reduction);
    assert.deepEqual([...sys.finals].sort(), ['x=1,y=1||P0,P0.w,P1', 'x=2,y=1||P0,P0.w,P1'], reduction);
  }
});

test('a spawned thread shows up in schedules and replays', () => {
  const sys = spawnAndJoin();
  const r = explore(sys, { reduction: 'none' });
  assert.ok(r.executions > 1);
  const run = replay(spawnAndJoin(), 'P0 P0.w P0 P0 P0 P1');
  assert.equal(run.ok, true, run.error);
  assert.deepEqual(run.trace.map((s) => s.event), [
    'P0: spawn P0.w',
    'P0.w: x = 2',
    'P0: x = 1',
    'P0: join P0.w',
    'P0: r = x (1)',
    'P1: y++',
  ]);
  const blocked = replay(spawnAndJoin(), 'P0 P0 P0');
  assert.equal(blocked.ok, false);
  assert.match(blocked.error!, /P0 is blocked/);
});

test('the shortest counterexample replaces a longer depth-first one', () => {
  // P0 sets x the long way, P2 the short way; P1 asserts x != 1.
  const sys = () =>
    new ProgramSystem({
      programs: {
        long: [{ op: 'inc', loc: 'y' }, { op: 'inc', loc: 'y' }, { op: 'inc', loc: 'y' }, { op: 'write', loc: 'x', add: 1 }],
        check: [{ op: 'assert', loc: 'x', bad: 1 }],
        short: [{ op: 'write', loc: 'x', add: 1 }],
      },
      start: { P0: 'long', P1: 'check', P2: 'short' },
    });
  const dfs = explore(sys(), { reduction: 'none', shortest: false });
  assert.equal(dfs.firstViolation!.schedule, 'P0 P0 P0 P0 P1');
  for (const reduction of MODES) {
    const r = explore(sys(), { reduction });
    assert.equal(r.firstViolation!.schedule, 'P2 P1', reduction);
    assert.equal(r.firstViolation!.shortest, true);
    assert.deepEqual(r.firstViolation!.trace, [
      { index: 0, tid: 'P2', event: 'P2: x = 1' },
      { index: 1, tid: 'P1', event: 'P1: assert x != 1' },
    ]);
  }
  // With no room to search, the depth-first trace is kept.
  const kept = explore(sys(), { reduction: 'none', shortestMaxStates: 1 });
  assert.equal(kept.firstViolation!.schedule, 'P0 P0 P0 P0 P1');
  assert.equal(kept.firstViolation!.shortest, undefined);
});
