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
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { scenarioRoots } from 'racelens-server/out/scenario/run.js';
import type { RaceFile } from 'racelens-server/out/scenario/index.js';
import { findKernelTree, skipWithoutTree } from '../kernel/tree.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { TWO_PAGES } from './two-pages.js';



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
  // the compound page as data (sim/compound.ts): the fixed era and 6.1 with the fix reverted
  ['thp-split-waiters', '4.18'],
  ['thp-split-waiters', '6.1+split-nonatomic-clear'],
  // pinned-page-buffers, the pin through GUP before the writeback: plain 10,000-42,000 states each (110,000 on the 6.1 tree)
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
  // MADV_DONTNEED's rmap removal against a store through the TLB and writeback: a few thousand states each
  ['dontneed-rmap-flush', '6.1'],
  ['dontneed-rmap-flush', '6.1+delayed-rmap'],
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

/**
 * On the whole 6.1 tree the futures rest on what the tree's code can reach: calls
 * through pointers (a field nothing fills, a local set from a number), parameters whose
 * constants come from their call sites (a flag bit handed down), `x->flags` stores on a
 * thread's own struct vm_fault, counters at `&x->FIELD`. The same comparison there, on
 * races small enough for the plain search, and on a write fault from the tree against
 * writeback and its I/O completions (the shape of mmap-dirty-lost with one store and no
 * journal: some 24,000 plain states).
 */
const FAULT_VS_WRITEBACK = `race fault-vs-writeback "a write fault from the tree against writeback"
era 6.1
setup {
  fs ext3 data=ordered
  file F { page P index 0 uptodate buffers 2 }
  mmap U = F shared { P present readonly clean }
}
P0 user      { store(U, P, 0) }
P1 writeback { lock_page(P); write_locked_page(P) }
final { sync(F) }
check lost-write sync-durability bug-on deadlock
expect 6.1 holds
`;

const TREE_CASES: [name: string, text?: string, release?: string][] = [
  ['fault-vs-invalidate'],
  ['pinned-page-buffers'],
  ['truncate-vs-writeback'],
  ['fault-vs-writeback', FAULT_VS_WRITEBACK],
  // 6.12: the fault's future without fput (filemap_fault's fpin, sanitize_fault_flags' &flags), xor masks, bound bits
  ['fault-vs-writeback', FAULT_VS_WRITEBACK, '6.12'],
  ['truncate-vs-writeback', undefined, '6.12'],
  // futures per object: two pages, one CPU writing back each (object-futures.test.ts)
  ['two-pages', TWO_PAGES],
];

function treeMachine(tree: string, name: string, text: string | undefined, reduction: 'none' | 'full', release = '6.1'): Machine {
  let race: RaceFile;
  let file: string;
  if (text) {
    const parsed = parseScenarioText(text, `${name}.race`);
    if (!parsed.race) throw new Error(`${name}: ${JSON.stringify(parsed.diagnostics)}`);
    race = parsed.race;
    file = `${name}.race`;
  } else ({ race, file } = builtinRace(name));
  const era = release === '6.1' ? '6.1' : sourceEra(undefined, [tree]).era!;
  const models = sourceModelSet(era, [tree], { roots: scenarioRoots(race), filesystems: [race.setup.fs?.name ?? 'nobh'] });
  return scenarioMachine({ race, file, eraSpec: era, models, reduction }).machine;
}

const tree = findKernelTree('6.1');
const why = skipWithoutTree(tree, 'the full reduction on the whole 6.1 tree');
describe('the full reduction reaches every end the plain search reaches, on the whole 6.1 tree', { skip: why }, () => {
  for (const [name, text, release = '6.1'] of TREE_CASES) {
    const at = findKernelTree(release);
    it(`${name}${release === '6.1' ? '' : ` on ${release}`}`, { skip: skipWithoutTree(at, `the full reduction on the whole ${release} tree`, release) }, () => {
      const plain = plainEnds(treeMachine(at!, name, text, 'none', release), 400_000);
      const reduced = reducedEnds(treeMachine(at!, name, text, 'full', release));
      console.log(`${name} on the ${release} tree: plain ${plain.states} states, reduced ${reduced.states}; ${plain.worlds.size} end worlds`);
      assert.ok(plain.worlds.size + plain.invariants.size > 0);
      assert.deepEqual([...reduced.invariants].sort(), [...plain.invariants].sort(), 'violated invariants');
      assert.deepEqual([...reduced.worlds].sort(), [...plain.worlds].sort(), 'final worlds');
    });
  }
});
