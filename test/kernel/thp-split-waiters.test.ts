/**
 * thp-split-waiters: truncation splits a file THP (a head H and its tail P, compound
 * pages as data: sim/compound.ts); a PFN walker gets P with get_page_unless_zero() once
 * __split_huge_page_tail() unfroze it and sleeps on its lock (PG_waiters set); the split
 * clears P's PG_dirty with the non-atomic __ClearPageDirty() (a load and a store of the
 * whole flags word) and erases PG_waiters, so the unlock wakes nobody. 4.10 violates
 * deadlock, 4.18 (2d077d4b5992, atomic ClearPageDirty) holds; 6.1's
 * folio_test_clear_dirty() holds, and the fix reverted in 6.1's model (overlay
 * split-nonatomic-clear) violates again. On the whole 6.1 and 6.12 trees the tree's
 * __split_huge_page() and __split_huge_page_tail() run from source over the compound
 * page, with the locker's lock, wait and wake-up: holds; a copy of the tree's
 * mm/huge_memory.c with the fix reverted deadlocks, and a sentinel BUG() in
 * __split_huge_page() fires.
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
import { edited } from './tree-copy.js';

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

/**
 * How both trees clean a tail beyond EOF in __split_huge_page() (6.1 mm/huge_memory.c:2586,
 * 6.12 :3363), and 2d077d4b5992 reverted in that shape: the test with
 * __folio_clear_dirty(), a load and a store of the whole flags word.
 */
const ATOMIC_CLEAN = '\t\t\telse if (folio_test_clear_dirty(tail))\n\t\t\t\tfolio_account_cleaned(tail,\n\t\t\t\t\tinode_to_wb(folio->mapping->host));\n';
const NONATOMIC_CLEAN = '\t\t\telse if (folio_test_dirty(tail)) {\n\t\t\t\t__folio_clear_dirty(tail);\n\t\t\t\tfolio_account_cleaned(tail,\n\t\t\t\t\tinode_to_wb(folio->mapping->host));\n\t\t\t}\n';

for (const release of ['6.1', '6.12']) {
  const TREE = findKernelTree(release);
  const why = skipWithoutTree(TREE, `thp-split-waiters on the ${release} tree`, release);
  const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-thp-'));

  const run = (extra: string[] = [], eraSpec?: string): RunResult => {
    const { race, file } = builtinRace(ID);
    const era = sourceEra(eraSpec, [TREE!]);
    assert.equal(era.problem, undefined);
    const models = sourceModelSet(era.era!, [TREE!, ...extra], { roots: scenarioRoots(race), race: ID, filesystems: ['nobh'], cache: CACHE });
    return runScenario({ race, file, eraSpec: era.era!, models });
  };

  describe(`thp-split-waiters on the whole ${release} tree`, { skip: why }, () => {
    it('the split from the tree over the compound page, the locker\'s wait and wake-up too: holds', () => {
      const r = run();
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1);
      for (const fn of ['__split_huge_page', '__split_huge_page_tail', 'clear_compound_head', 'ClearPageCompound', 'page_ref_freeze',
        'page_ref_unfreeze', 'split_huge_page', 'lock_page', '__folio_lock', 'folio_unlock', 'unlock_page', 'i_size_write', 'page_offset',
        'put_page', 'folio_wait_bit_common', 'folio_wake_bit', 'wake_page_function', '__wake_up_common', 'finish_wait']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
      }
      // the preparation (xarray split, deferred queue, memcg, rmap) is the built-in, said so
      const prep = release === '6.1' ? 'split_huge_page_to_list' : 'split_huge_page_to_list_to_order';
      assert.equal(r.models.find((m) => m.function === prep)?.from, 'builtin');
      assert.ok(r.assumptions.some((a) => a.kind === 'builtin-over-source' && a.function === prep && /multi-index entry/.test(a.message)));
      assert.ok(r.assumptions.some((a) => a.kind === 'builtin-over-source' && a.function === 'split_page_memcg'), 'the memcg bookkeeping is a stated no-op');
    });

    it('a copy of the tree\'s mm/huge_memory.c cleaning the tail with __folio_clear_dirty() (2d077d4b5992 reverted): deadlock', () => {
      const r = run([edited(TREE!, 'mm/huge_memory.c', ATOMIC_CLEAN, NONATOMIC_CLEAN)]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'deadlock');
      assert.match(r.message ?? '', /every live thread is blocked \(P1\)/);
      const rows = r.trace ?? [];
      const load = rows.findIndex((t) => t.cpu === 'P0' && t.op.startsWith('flags_word_load(P)'));
      const store = rows.findIndex((t) => t.cpu === 'P0' && t.op.startsWith('flags_word_store(P') && t.state.includes('-waiters'));
      assert.ok(load >= 0 && store > load, rows.map((t) => `${t.cpu} ${t.function} ${t.op} | ${t.state}`).join('\n'));
      assert.ok(rows.slice(load, store).some((t) => t.cpu === 'P1'), 'the walker sets PG_waiters between the load and the store');
    });

    it('a sentinel BUG() in the tree\'s __split_huge_page() fires', () => {
      const copy = edited(TREE!, 'mm/huge_memory.c', /(static void __split_huge_page\(struct page \*page, struct list_head \*list,\n[^{]*\{\n)/, '$1\tBUG();\n');
      const r = run([copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', /__split_huge_page/);
    });

    it('with the fix reverted in the built-in 6.1 split over the same tree (overlay): the tree\'s split runs, holds', () => {
      // the overlay's __split_huge_page is replaced by the tree's, which is atomic
      const r = run([], '6.1+split-nonatomic-clear');
      assert.equal(r.models.find((m) => m.function === '__split_huge_page')?.from, 'source');
      assert.equal(r.verdict, 'holds', r.message);
    });
  });
}
