/**
 * The race window on toy systems (explore/window.ts): the conflicting cross-thread
 * pairs whose reversal removes the violation, judged by the dependence relation alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raceWindow } from 'racelens-server/out/explore/window.js';
import { lockedIncrement, racyIncrement } from './toys.js';

test('racy increment P0 P1 P0 P1: each write lands after the other thread read', () => {
  const w = raceWindow(racyIncrement(), 'P0 P1 P0 P1', 'lost-update');
  assert.ok(w);
  // P1's read before P0's write (steps 1, 2) decides: reversed, P1 reads 1 and c ends 2.
  // P0's read before P1's write (0, 3), with P0's write between them (P0's own run, moved
  // behind with it): reversed, P1 runs whole first and c ends 2. P0's write before P1's
  // write (2, 3): reversed, c still ends 1.
  assert.equal(w.candidates, 3);
  assert.deepEqual(w.pairs.map((p) => [p.first, p.then]), [[0, 3], [1, 2]]);
  for (const p of w.pairs) assert.deepEqual(p.on, ['c']);
});

test('a schedule that does not end in the violation has no window', () => {
  // the serial run holds: there is no violation to remove
  assert.equal(raceWindow(racyIncrement(), 'P0 P0 P1 P1', 'lost-update'), undefined);
});

test('a schedule the system cannot follow has no window', () => {
  assert.equal(raceWindow(lockedIncrement(2), 'P0 P1', 'lost-update'), undefined);
});
