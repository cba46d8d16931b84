/** Budgets, cancellation, stopping early and the preemption bound. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explore } from 'racelens-server/out/explore/index.js';
import { independentCounters, lockedIncrement, racyIncrement } from './toys.js';

// 12! / (3!)^4 = 369600 interleavings: far more than any test should wait for.
const big = () => independentCounters(4, 3);

test('maxExecutions stops a naive search exactly at the budget', () => {
  const r = explore(big(), { reduction: 'none', maxExecutions: 100 });
  assert.equal(r.verdict, 'incomplete');
  assert.equal(r.budgetHit, 'executions');
  assert.equal(r.executions, 100);
});

test('a search that finishes exactly at maxExecutions is complete', () => {
  const r = explore(independentCounters(3, 2), { reduction: 'none', maxExecutions: 90 });
  assert.equal(r.verdict, 'holds');
  assert.equal(r.budgetHit, undefined);
  assert.equal(r.executions, 90);
});

test('time limit', () => {
  const started = Date.now();
  const r = explore(big(), { reduction: 'none', timeLimitMs: 20 });
  assert.equal(r.verdict, 'incomplete');
  assert.equal(r.budgetHit, 'time');
  assert.ok(r.ms >= 20);
  assert.ok(Date.now() - started < 2000);
});

test('cancellation is polled and honoured', () => {
  let polls = 0;
  const r = explore(big(), { reduction: 'none', shouldCancel: () => ++polls >= 3 });
  assert.equal(r.verdict, 'incomplete');
  assert.equal(r.budgetHit, 'cancelled');
  assert.equal(polls, 3);
  // Polled every 256 loop iterations (steps and backtracks), not every step.
  assert.ok(r.transitions > 256 && r.transitions <= 3 * 256, `${r.transitions}`);
});

test('maxStates is a hard budget in full mode', () => {
  const r = explore(big(), { reduction: 'full', maxStates: 50 });
  assert.equal(r.verdict, 'incomplete');
  assert.equal(r.budgetHit, 'states');
  assert.equal(r.states, 50);
});

test('maxStates only caps the statistic in stateless modes', () => {
  const r = explore(independentCounters(3, 2), { reduction: 'none', maxStates: 10 });
  assert.equal(r.verdict, 'holds');
  assert.equal(r.budgetHit, undefined);
  assert.equal(r.statesCapped, true);
  assert.equal(r.states, 10);
  assert.equal(r.executions, 90);
});

test('a violation found before the budget ran out still makes the verdict violated', () => {
  // Naive DFS meets a lost update in its second execution.
  const r = explore(racyIncrement(), { reduction: 'none', maxExecutions: 2 });
  assert.equal(r.violations, 1);
  assert.equal(r.budgetHit, 'executions');
  assert.equal(r.verdict, 'violated');
  assert.ok(r.firstViolation);
});

test('by default every violating path is counted; stopAtFirstViolation stops at one', () => {
  const all = explore(racyIncrement(), { reduction: 'none' });
  assert.equal(all.violations, 4);
  const first = explore(racyIncrement(), { reduction: 'none', stopAtFirstViolation: true });
  assert.equal(first.verdict, 'violated');
  assert.equal(first.violations, 1);
  assert.equal(first.budgetHit, undefined);
  assert.ok(first.executions < all.executions);
});

test('preemption bound 0 only runs threads to completion or blocking', () => {
  for (const reduction of ['none', 'full'] as const) {
    const r = explore(racyIncrement(), { reduction, preemptionBound: 0 });
    assert.equal(r.verdict, 'holds', reduction);
    assert.equal(r.executions, 2, reduction);
    assert.ok((r.preemptionCuts ?? 0) > 0);
  }
});

test('preemption bound 1 is enough for the lost update', () => {
  for (const reduction of ['none', 'sleep-sets', 'full'] as const) {
    const r = explore(racyIncrement(), { reduction, preemptionBound: 1 });
    assert.equal(r.verdict, 'violated', reduction);
    assert.equal(r.firstViolation!.trace.length, 4);
  }
});

test('switching away from a blocked thread is not a preemption', () => {
  // Once one thread holds the lock the others are blocked, and it finishes after
  // unlocking, so all 3! orders of the critical sections need no preemption.
  const r = explore(lockedIncrement(3), { reduction: 'none', preemptionBound: 0 });
  assert.equal(r.verdict, 'holds');
  assert.equal(r.executions, 6);
});
