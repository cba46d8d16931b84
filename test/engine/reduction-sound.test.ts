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
import type { Machine } from 'racelens-server/out/sim/machine.js';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { builtinRace } from './fixtures.js';
import { plainEnds, reducedEnds } from './ends.js';



/** The machine a scenario run builds: every step its own transition (none), or fused (full). */
function machineOf(name: string, era: string, reduction: 'none' | 'full', fs?: string): Machine {
  const { race, file } = builtinRace(name);
  return scenarioMachine({ race, file, eraSpec: era, ...(fs ? { fs } : {}), reduction }).machine;
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
  // four CPUs on one page lock, one of them killed: a few thousand states each
  ['killable-lock-wakeup', '4.10'],
  ['killable-lock-wakeup', '4.13'],
  ['killable-lock-wakeup', '6.1'],
  // a split's non-atomic flags store against a page locker: about a hundred states
  ['thp-split-waiters', '4.10'],
  ['thp-split-waiters', '6.1'],
  // pinned-page-buffers: a few hundred states each
  ['pinned-page-buffers', '5.17'],
  ['pinned-page-buffers', '6.1'],
  ['pinned-page-buffers', '6.1+pin-unchecked'],
  // buffer-migrate-lookup: under two hundred states each
  ['buffer-migrate-lookup', '5.2'],
  ['buffer-migrate-lookup', '5.3'],
  ['buffer-migrate-lookup', '6.1'],
  // page insertion by write(), fsync's budget: the reverted fix and the fixed era
  ['wcp-integrity', '2.6.28+wcp-early-break'],
  ['wcp-integrity', '2.6.29'],
  // the inode writeback lists as data: both stories of the bug and the fix
  ['inode-writeback-lists', '5.8'],
  ['inode-writeback-lists', '5.18+wsi-no-requeue'],
  ['inode-writeback-lists', '5.18'],
  // a read fault against invalidate_inode_pages2: tens of states each
  ['fault-vs-invalidate', '2.6.22'],
  ['fault-vs-invalidate', '2.6.23'],
  // page_mkwrite against writeback and try_to_release_page: a few thousand states each
  ['mkwrite-vs-release', '2.6.29'],
  ['mkwrite-vs-release', '2.6.30'],
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
