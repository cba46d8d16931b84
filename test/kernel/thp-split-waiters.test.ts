/**
 * thp-split-waiters: truncation splits a file THP; a locker holding a tail beyond the
 * new EOF sleeps on its lock (PG_waiters set); the split clears the tail's PG_dirty
 * with the non-atomic __ClearPageDirty() (a load and a store of the whole flags word)
 * and erases PG_waiters, so the unlock wakes nobody. 4.10 violates deadlock, 4.18
 * (2d077d4b5992, atomic ClearPageDirty) holds; 6.1's folio_test_clear_dirty() holds,
 * and the fix reverted in 6.1's model (overlay split-nonatomic-clear) violates again.
 * On the whole 6.1 and 6.12 trees the locker's lock, wait and wake-up run from the
 * tree (the wait queue as data) and the built-in 6.1 model stands for
 * __split_huge_page() (compound pages are outside the model), which the run says.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';

const ID = 'thp-split-waiters';

describe('thp-split-waiters on the built-in eras', () => {
  it('4.10: the locker sets PG_waiters between the split\'s load and store of the flags word; the store erases it, the unlock wakes nobody', () => {
    const r = runBuiltin(ID, '4.10');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'deadlock');
    assert.match(r.message ?? '', /every live thread is blocked \(P1\)/);
    const rows = r.trace ?? [];
    const load = rows.findIndex((t) => t.cpu === 'P0' && t.op.startsWith('flags_word_load(P)'));
    const waiters = rows.findIndex((t) => t.cpu === 'P1' && t.state.includes('P +waiters'));
    const store = rows.findIndex((t) => t.cpu === 'P0' && t.op.startsWith('flags_word_store(P') && t.state.includes('-waiters'));
    const noWake = rows.findIndex((t) => t.cpu === 'P0' && t.op === 'PageWaiters(P) = 0');
    assert.ok(load >= 0 && waiters > load && store > waiters && noWake > store, rows.map((t) => `${t.cpu} ${t.op} | ${t.state}`).join('\n'));
    assert.equal(rows[store].function, 'arch___clear_bit', 'the store is the non-atomic bit operation\'s');
  });

  it('4.18 (atomic ClearPageDirty) and 6.1 (folio_test_clear_dirty) hold', () => {
    for (const era of ['4.18', '6.1']) assert.equal(runBuiltin(ID, era).verdict, 'holds', era);
  });

  it('the fix reverted in 6.1\'s model (__folio_clear_dirty): deadlock again', () => {
    const r = runBuiltin(ID, '6.1+split-nonatomic-clear');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'deadlock');
    assert.ok((r.trace ?? []).some((t) => t.function === 'arch___clear_bit' && t.state.includes('-waiters')));
  });
});

for (const release of ['6.1', '6.12']) {
  const TREE = findKernelTree(release);
  const why = skipWithoutTree(TREE, `thp-split-waiters on the ${release} tree`, release);
  const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-thp-'));

  const run = (eraSpec?: string): RunResult => {
    const { race, file } = builtinRace(ID);
    const era = sourceEra(eraSpec, [TREE!]);
    assert.equal(era.problem, undefined);
    const models = sourceModelSet(era.era!, [TREE!], { roots: scenarioRoots(race), race: ID, filesystems: ['nobh'], cache: CACHE });
    return runScenario({ race, file, eraSpec: era.era!, models });
  };

  describe(`thp-split-waiters on the whole ${release} tree`, { skip: why }, () => {
    it('the locker\'s path and its wait from source, the split from the 6.1 built-in model, said so: holds', () => {
      const r = run();
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1);
      // the page lock's wait and wake-up too, over the wait queue as data (sim/wait-objects.ts)
      for (const fn of ['lock_page', '__folio_lock', 'folio_unlock', 'unlock_page', 'i_size_write', 'page_offset', 'put_page',
        'folio_wait_bit_common', 'folio_wake_bit', 'wake_page_function', '__wake_up_common', 'finish_wait']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
      }
      assert.equal(r.models.find((m) => m.function === '__split_huge_page')?.from, 'builtin');
      const note = r.assumptions.find((a) => a.kind === 'builtin-over-source' && a.function === '__split_huge_page');
      assert.ok(note, 'the run says why the tree\'s __split_huge_page() does not run');
      assert.match(note.message, /compound pages are outside the model/);
    });

    it('with the fix reverted in the built-in split over the same tree: deadlock', () => {
      const r = run('6.1+split-nonatomic-clear');
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'deadlock');
    });
  });
}
