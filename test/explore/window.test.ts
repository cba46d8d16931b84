/**
 * The race window on toy systems (explore/window.ts): the conflicting cross-thread
 * pairs whose reversal removes the violation, judged by the dependence relation alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { raceWindow } from 'racelens-server/out/explore/window.js';
import { lockedIncrement, racyIncrement } from './toys.js';

test('racy increment P0 P1 P0 P1: P0 writes after P1 read', () => {
  const w = raceWindow(racyIncrement(), 'P0 P1 P0 P1', 'lost-update');
  assert.ok(w);
  // P1's read before P0's write (steps 1, 2) decides: reversed, P1 reads 1 and c ends 2.
  // P0's write before P1's write (2, 3): reversed, c still ends 1. P0's read before P1's
  // write (0, 3) is ordered already through P0's write (step 2): no candidate of its own.
  assert.deepEqual(w.candidates, 2);
  assert.deepEqual(w.pairs.map((p) => [p.first, p.then]), [[1, 2]]);
  for (const p of w.pairs) assert.deepEqual(p.on, ['c']);
});

test('a serial schedule of the racy increment holds, so no pair is looked at for a violation it lacks', () => {
  const w = raceWindow(racyIncrement(), 'P0 P0 P1 P1', 'lost-update');
  assert.ok(w);
  // reversing P0's write and P1's read gives the lost update: the serial run is not violated, nothing removes it
  assert.deepEqual(w.pairs, []);
});

test('a schedule the system cannot follow has no window', () => {
  assert.equal(raceWindow(lockedIncrement(2), 'P0 P1', 'lost-update'), undefined);
});
