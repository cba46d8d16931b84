/**
 * folio_mkclean() from the tree down to the PTE, and the TLBs (issue 16, items 2 and 3).
 * On the whole 6.1 and 6.12 trees (skipped without them) writeback's
 * folio_clear_dirty_for_io() runs the tree's folio_mkclean() → rmap_walk() →
 * rmap_walk_file() over the file's i_mmap tree → rwc->rmap_one = page_mkclean_one() →
 * page_vma_mkclean_one(), whose per-PTE work (ptep_clear_flush(), pte_wrprotect(),
 * pte_mkclean(), set_pte_at()) is the tree's; page_vma_mapped_walk() is the stated
 * boundary. The user's stores go through its CPU's TLB: an edit that clears the PTE
 * without the flush leaves the CPU a writable entry, and the store it makes through it
 * after the clean is lost to the fsync (sync-durability), as is one that skips the clean.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RunResult } from 'racelens-server/out/scenario/index.js';
import { findStep, runBuiltin } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { runOnTree as runTree } from './run-on-tree.js';
import { edited } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-unmap-'));

function runOnTree(scenario: string, tree: string, extra: string[] = []): RunResult {
  return runTree(scenario, tree, CACHE, extra);
}

function editedRmap(tree: string, from: string | RegExp, to: string): string {
  return edited(tree, 'mm/rmap.c', from, to);
}

/** A BUG() as the first statement of a function of the file (its signature may span lines). */
function sentinel(tree: string, file: string, fn: string): string {
  const def = new RegExp(`\\n((?:static )?(?:inline )?(?:int|bool|void|unsigned long) ${fn}\\([^{;]*\\)\\n\\{\\n)`);
  return edited(tree, file, def, '\n$1\tBUG();\n');
}

/** The chain from the file's unmapping entry down to the PTEs, run from the tree (6.1 and 6.12 alike). */
const ZAP = ['unmap_mapping_range_tree', 'unmap_mapping_range_vma', 'zap_page_range_single', 'unmap_single_vma', 'unmap_page_range',
  'zap_p4d_range', 'zap_pud_range', 'zap_pmd_range', 'zap_pte_range', 'tlb_gather_mmu', 'tlb_finish_mmu', 'tlb_flush_mmu', 'ptep_clear_flush'];

const MKCLEAN = ['folio_mkclean', 'rmap_walk', 'rmap_walk_file', 'invalid_mkclean_vma', 'page_mkclean_one', 'page_vma_mkclean_one'];

describe('the built-in eras keep their verdicts with TLBs', () => {
  it('mmap-dirty-lost: 2.6.20 violates sync-durability, 6.1 holds', () => {
    const old = runBuiltin('mmap-dirty-lost', '2.6.20');
    assert.equal(old.verdict, 'violated', old.message);
    assert.equal(old.invariant, 'sync-durability');
    assert.equal(runBuiltin('mmap-dirty-lost', '6.1').verdict, 'holds');
  });

  it('dio-mmap-uptodate: munmap\'s zap flushes the user\'s TLB entry (2.6.11 holds)', () => {
    assert.equal(runBuiltin('dio-mmap-uptodate', '2.6.11').verdict, 'holds');
  });
});

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const why = skipWithoutTree(tree, `folio_mkclean from the real ${release} tree`, release);
  describe(`folio_mkclean from the real ${release} tree`, { skip: why }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('mmap-dirty-lost holds with the tree\'s rmap walk and per-PTE clean', () => {
      const r = runOnTree('mmap-dirty-lost', tree!);
      assert.equal(r.verdict, 'holds', r.message);
      for (const fn of [...MKCLEAN, 'ptep_clear_flush']) assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${fn} from source`);
      assert.ok(!r.assumptions.some((a) => a.kind === 'unknown-call' && /rmap_walk|mkclean/.test(a.message)), JSON.stringify(r.assumptions.filter((a) => a.kind === 'unknown-call')));
    });

    it('page_vma_mkclean_one() clearing the PTE without the TLB flush loses a store made through the stale entry', () => {
      const copy = editedRmap(tree!, '\t\t\tentry = ptep_clear_flush(vma, address, pte);\n', '\t\t\tentry = ptep_get_and_clear(vma->vm_mm, address, pte);\n');
      const r = runOnTree('mmap-dirty-lost', tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'sync-durability');
      const trace = r.trace ?? [];
      // writeback write-protects and cleans the PTE; the user's next store needs no PTE: its TLB still has one
      const clean = findStep(trace, { cpu: 'P2', function: 'page_vma_mkclean_one', op: /^set_pte_at\(/ });
      const store = findStep(trace, { cpu: 'P0', op: /^pte_store\(U, P, 1\) = 1/ }, clean + 1);
      assert.ok(clean >= 0 && store > clean, JSON.stringify(trace.map((t) => `${t.cpu} ${t.function} ${t.op}`)));
    });

    it('page_vma_mkclean_one() skipping the per-PTE clean loses the store recorded in the dirty PTE', () => {
      const skip = release === '6.1' ? /\t\t\tif \(!pte_dirty\(\*pte\) && !pte_write\(\*pte\)\)\n\t\t\t\tcontinue;\n/ : /\t\t\tif \(!pte_dirty\(entry\) && !pte_write\(entry\)\)\n\t\t\t\tcontinue;\n/;
      const r = runOnTree('mmap-dirty-lost', tree!, [editedRmap(tree!, skip, '\t\t\tcontinue;\n')]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'sync-durability');
    });

    it('a sentinel BUG() in each function of the walk fires', () => {
      for (const fn of MKCLEAN) {
        const r = runOnTree('mmap-dirty-lost', tree!, [sentinel(tree!, 'mm/rmap.c', fn)]);
        assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
        assert.equal(r.invariant, 'bug-on', fn);
        assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
      }
    });

    it('dio-mmap-uptodate and fault-vs-invalidate hold with the tree\'s unmapping down to zap_pte_range', () => {
      for (const scenario of ['dio-mmap-uptodate', 'fault-vs-invalidate']) {
        const r = runOnTree(scenario, tree!);
        assert.equal(r.verdict, 'holds', `${scenario}: ${r.message}`);
        for (const fn of [...ZAP.filter((f) => f !== 'ptep_clear_flush'), 'unmap_mapping_pages']) {
          assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', `${scenario}: ${fn} from source`);
        }
        assert.ok(!r.assumptions.some((a) => a.kind === 'unknown-call' && /zap|tlb|unmap/.test(a.message)), JSON.stringify(r.assumptions.filter((a) => a.kind === 'unknown-call')));
      }
    });

    it('a sentinel BUG() in zap_pte_range and zap_page_range_single fires when O_DIRECT unmaps the file', () => {
      for (const fn of ['zap_pte_range', 'zap_page_range_single', 'unmap_page_range']) {
        const r = runOnTree('dio-mmap-uptodate', tree!, [sentinel(tree!, 'mm/memory.c', fn)]);
        assert.equal(r.verdict, 'violated', `${fn}: ${r.message}`);
        assert.equal(r.invariant, 'bug-on', fn);
        assert.match(r.message ?? '', new RegExp(`BUG\\(\\) fired in ${fn}`));
      }
    });
  });
}
