/**
 * The page's mapcount as data (issue 16): page->_mapcount is a location the setup's PTEs
 * set and the rmap functions change, run from the trees (page_add_file_rmap,
 * page_remove_rmap, folio_add_file_rmap_ptes, folio_remove_rmap_ptes, folio_mapped,
 * folio_mapcount). folio_mkclean() reads the count, not the PTE, so the order of
 * zap_pte_range()'s rmap removal and its TLB flush shows (dontneed-rmap-flush,
 * 5df397dec7c4): 6.1 removes the rmap first and loses the store made through the stale
 * TLB entry; 6.12 delays it until after the flush (tlb_flush_rmaps) and holds; edits to
 * temporary copies of the trees flip each.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResult } from 'racelens-server/out/scenario/index.js';
import { findStep, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { runOnTree as runTree } from './run-on-tree.js';
import { editedAll as edited } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-mapcount-'));

function runOnTree(scenario: string, tree: string, extra: string[] = []): RunResult {
  return runTree(scenario, tree, CACHE, extra);
}

/** A BUG() as the first statement of a function of the file (its signature may span lines). */
function sentinel(tree: string, file: string, fn: string): string {
  const def = new RegExp(`\\n((?:static )?(?:inline )?(?:long|int|bool|void|unsigned long) ${fn}\\([^{;]*\\)\\n\\{\\n)`);
  return edited(tree, file, [[def, '\n$1\tBUG();\n']]);
}

function models(r: RunResult, fns: string[]): void {
  for (const fn of fns) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
}

/**
 * The story of the lost store in a violating trace: the zapping CPU drops the rmap
 * (_mapcount to -1) with the PTE cleared but not yet flushed; writeback cleans the page;
 * the user's CPU stores through its TLB entry after that; the flush comes later.
 */
function assertStaleStore(r: RunResult, remove: RegExp): void {
  assert.equal(r.verdict, 'violated', r.message);
  assert.equal(r.invariant, 'lost-write');
  const trace = r.trace ?? [];
  const rows = JSON.stringify(trace.map((t) => `${t.cpu} ${t.function} ${t.op} | ${t.state}`));
  const unmapped = findStep(trace, { cpu: 'P1', state: /_mapcount 0→-1/ });
  const removal = findStep(trace, { cpu: 'P1', op: remove });
  const cleaned = findStep(trace, { cpu: 'P2', op: /^folio_test_clear_dirty\(P\) = 1|^TestClearPageDirty\(P\) = 1/ }, unmapped + 1);
  const store = findStep(trace, { cpu: 'P0', op: /^pte_store\(U, P, 0\) = 1/ }, cleaned + 1);
  const flush = findStep(trace, { cpu: 'P1', op: /^flush_tlb_mm_range\(/ }, unmapped + 1);
  assert.ok(removal >= 0 && unmapped >= removal, `the rmap removal drops _mapcount: ${rows}`);
  assert.ok(cleaned > unmapped, `writeback cleans the page after the rmap is gone: ${rows}`);
  assert.ok(store > cleaned, `the user stores through its TLB after the clean: ${rows}`);
  assert.ok(flush > store, `the TLB flush comes after the store: ${rows}`);
}

describe('the built-in eras: dontneed-rmap-flush', () => {
  it('6.1 (the rmap removed before the flush) loses the store made through the stale TLB entry', () => {
    assertStaleStore(runBuiltin('dontneed-rmap-flush', '6.1'), /^page_remove_rmap\(P, U, 0\)/);
  });

  it('6.1+delayed-rmap (5df397dec7c4) holds', () => {
    assert.equal(runBuiltin('dontneed-rmap-flush', '6.1+delayed-rmap').verdict, 'holds');
  });

  it('the setup\'s PTEs set _mapcount: mmap-dirty-lost and dio-mmap-uptodate keep their era verdicts', () => {
    assert.equal(runBuiltin('mmap-dirty-lost', '2.6.20').invariant, 'sync-durability');
    assert.equal(runBuiltin('mmap-dirty-lost', '6.1').verdict, 'holds');
    assert.equal(runBuiltin('dio-mmap-uptodate', '2.6.11').verdict, 'holds');
    assert.equal(runBuiltin('fault-vs-invalidate', '2.6.23').verdict, 'holds');
  });
});

/** 6.1's zap_pte_range() with 5df397dec7c4's order: a dirty PTE's rmap removed after the forced flush. */
const DELAY_61: [string, string][] = [
  ['\tint force_flush = 0;\n\tint rss[NR_MM_COUNTERS];\n', '\tint force_flush = 0;\n\tstruct page *delayed = NULL;\n\tint rss[NR_MM_COUNTERS];\n'],
  ['\t\t\trss[mm_counter(page)]--;\n\t\t\tpage_remove_rmap(page, vma, false);\n',
    '\t\t\trss[mm_counter(page)]--;\n\t\t\tif (force_flush)\n\t\t\t\tdelayed = page;\n\t\t\telse\n\t\t\t\tpage_remove_rmap(page, vma, false);\n'],
  ['\tif (force_flush)\n\t\ttlb_flush_mmu_tlbonly(tlb);\n\tpte_unmap_unlock(start_pte, ptl);\n',
    '\tif (force_flush)\n\t\ttlb_flush_mmu_tlbonly(tlb);\n\tif (delayed)\n\t\tpage_remove_rmap(delayed, vma, false);\n\tpte_unmap_unlock(start_pte, ptl);\n'],
];

const tree61 = findKernelTree('6.1');
describe('the mapcount from the real 6.1 tree', { skip: skipWithoutTree(tree61, 'the mapcount from the real 6.1 tree', '6.1') }, () => {
  it('dontneed-rmap-flush is violated: Debian\'s 6.1.192 removes the rmap before the flush (no 5df397dec7c4)', () => {
    const r = runOnTree('dontneed-rmap-flush', tree61!);
    assertStaleStore(r, /^atomic_add_negative\(-1, /);
    models(r, ['madvise_dontneed_single_vma', 'zap_pte_range', 'page_remove_rmap', 'page_remove_file_rmap', 'folio_mkclean', 'folio_mapped', 'page_mapcount']);
    // writeback's folio_mkclean() left at its folio_mapped() test: no walk to the PTE
    assert.equal(findStep(r.trace ?? [], { cpu: 'P2', function: 'rmap_walk_file' }), -1);
  });

  it('a copy of mm/memory.c with the rmap removal moved after the flush holds; dropping that flush too is violated', () => {
    assert.equal(runOnTree('dontneed-rmap-flush', tree61!, [edited(tree61!, 'mm/memory.c', DELAY_61)]).verdict, 'holds');
    const noFlush: [string, string] = ['\tif (force_flush)\n\t\ttlb_flush_mmu_tlbonly(tlb);\n\tif (delayed)', '\tif (delayed)'];
    const r = runOnTree('dontneed-rmap-flush', tree61!, [edited(tree61!, 'mm/memory.c', [...DELAY_61, noFlush])]);
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'lost-write');
  });

  it('a sentinel BUG() fires in page_add_file_rmap, page_remove_rmap, folio_mapped and madvise_dontneed_single_vma', () => {
    for (const [scenario, file, fn] of [['fault-vs-invalidate', 'mm/rmap.c', 'page_add_file_rmap'], ['dio-mmap-uptodate', 'mm/rmap.c', 'page_remove_rmap'],
      ['mmap-dirty-lost', 'mm/util.c', 'folio_mapped'], ['dontneed-rmap-flush', 'mm/madvise.c', 'madvise_dontneed_single_vma']] as const) {
      const r = runOnTree(scenario, tree61!, [sentinel(tree61!, file, fn)]);
      assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
      assert.equal(r.invariant, 'bug-on', fn);
      assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
    }
  });
});

/** Reclaim's unmapping of the mapped folio in pinned-page-buffers: the tree's try_to_unmap() → rmap_walk() → try_to_unmap_one(). */
for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  describe(`try_to_unmap from the real ${release} tree`, { skip: skipWithoutTree(tree, `try_to_unmap from the real ${release} tree`, release) }, () => {
    it('pinned-page-buffers holds with try_to_unmap_one from the tree; a sentinel BUG() in it fires', () => {
      const r = runOnTree('pinned-page-buffers', tree!);
      assert.equal(r.verdict, 'holds', r.message);
      models(r, ['try_to_unmap', 'try_to_unmap_one', 'rmap_walk', 'rmap_walk_file', 'shrink_folio_list']);
      assert.ok((r.coverage ?? []).some((c) => c.function === 'try_to_unmap_one'), 'try_to_unmap_one executed');
      const bug = runOnTree('pinned-page-buffers', tree!, [sentinel(tree!, 'mm/rmap.c', 'try_to_unmap_one')]);
      assert.equal(bug.verdict, 'violated', bug.message);
      assert.equal(bug.invariant, 'bug-on');
      assert.match(bug.message ?? '', /BUG\(\) fired in try_to_unmap_one/);
    });
  });
}

const tree612 = findKernelTree('6.12');
describe('the mapcount from the real 6.12 tree', { skip: skipWithoutTree(tree612, 'the mapcount from the real 6.12 tree', '6.12') }, () => {
  it('dontneed-rmap-flush holds: zap_present_folio_ptes() delays the rmap until tlb_flush_rmaps() after the flush', () => {
    const r = runOnTree('dontneed-rmap-flush', tree612!);
    assert.equal(r.verdict, 'holds', r.message);
    models(r, ['madvise_dontneed_single_vma', 'zap_pte_range', 'zap_present_folio_ptes', 'folio_remove_rmap_ptes', '__folio_remove_rmap', 'folio_mkclean', 'folio_mapped', 'folio_mapcount']);
  });

  it('a copy of mm/memory.c without the delayed rmap (5df397dec7c4 undone) is violated', () => {
    const undo: [string, string] = ['\t\t\tif (tlb_delay_rmap(tlb)) {\n\t\t\t\tdelay_rmap = true;\n\t\t\t\t*force_flush = true;\n\t\t\t}\n', '\t\t\t*force_flush = true;\n'];
    assertStaleStore(runOnTree('dontneed-rmap-flush', tree612!, [edited(tree612!, 'mm/memory.c', [undo])]), /^atomic_add_negative\(-1, /);
  });

  it('zap_pte_range() dropping its flush before tlb_flush_rmaps() is violated', () => {
    const drop: [string, string] = ['\t\ttlb_flush_mmu_tlbonly(tlb);\n\t\ttlb_flush_rmaps(tlb, vma);\n', '\t\ttlb_flush_rmaps(tlb, vma);\n'];
    const r = runOnTree('dontneed-rmap-flush', tree612!, [edited(tree612!, 'mm/memory.c', [drop])]);
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'lost-write');
  });

  it('a sentinel BUG() fires in folio_add_file_rmap_ptes, folio_remove_rmap_ptes, folio_mapped and madvise_dontneed_single_vma', () => {
    for (const [scenario, file, fn] of [['fault-vs-invalidate', 'mm/rmap.c', 'folio_add_file_rmap_ptes'], ['dio-mmap-uptodate', 'mm/rmap.c', 'folio_remove_rmap_ptes'],
      ['mmap-dirty-lost', 'include/linux/mm.h', 'folio_mapped'], ['dontneed-rmap-flush', 'mm/madvise.c', 'madvise_dontneed_single_vma']] as const) {
      const r = runOnTree(scenario, tree612!, [sentinel(tree612!, file, fn)]);
      assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
      assert.equal(r.invariant, 'bug-on', fn);
      assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
    }
  });
});
