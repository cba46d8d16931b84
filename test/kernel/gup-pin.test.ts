/**
 * GUP from the tree (issue 16, item 5): the harness's pin(U, P) is
 * pin_user_pages_fast(FOLL_WRITE) by the task of U's address space, run from mm/gup.c:
 * the lockless walk (a stated boundary, sim/ops/gup.ts) finds the read-only PTE unusable,
 * the slow path __get_user_pages() looks the VMA up among the scenario's mappings, keeps
 * its follow_page_context on the stack, finds no writable PTE (follow_page_pte,
 * can_follow_write_pte), write-faults through the tree's handle_mm_fault() (faultin_page),
 * retries, and try_grab_page() adds GUP_PIN_COUNTING_BIAS; pages[0] comes back to the
 * caller. The fixture pin-then-reclaim.race pins, writes back, reclaims and completes the
 * DMA on one CPU: reclaim sees the pin and leaves the buffers. The tree's try_grab_page()
 * edited to take a plain reference for FOLL_PIN lets reclaim strip them:
 * dirty-without-buffers. A sentinel BUG() in __get_user_pages() fires.
 *
 * On 6.12 the same: pin_user_pages_fast() first asks is_valid_gup_args(pages, NULL, ...),
 * whose `if (locked)` must see the NULL its caller passes (a NULL argument used to reach
 * the callee as 0, which ptr_given() took for a given pointer: -EINVAL, no pin), then
 * gup_fast_fallback() → __gup_longterm_locked() → __get_user_pages_locked() →
 * __get_user_pages(); try_grab_folio() adds the bias. The same edit (a plain reference
 * for FOLL_PIN) and sentinel per tree. Skipped, with the reason, when a tree is absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/run.js';
import { parseScenarioText } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { editedAt } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-gup-'));
const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'races', 'pin-then-reclaim.race');

function run(tree: string, extra: string[] = []): RunResult {
  const parsed = parseScenarioText(fs.readFileSync(FIXTURE, 'utf8'), FIXTURE);
  assert.ok(parsed.race, JSON.stringify(parsed.diagnostics));
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.era, '6.1');
  const models = sourceModelSet(era.era!, [tree, ...extra], { roots: scenarioRoots(parsed.race!), filesystems: ['ext4'], cache: CACHE });
  return runScenario({ race: parsed.race!, file: FIXTURE, eraSpec: era.era!, models });
}

// what runs from source on each tree (6.12 renamed the fast path and try_grab_page)
const GUP_FROM_SOURCE: Record<string, string[]> = {
  '6.1': ['pin_user_pages_fast', 'internal_get_user_pages_fast', 'lockless_pages_from_mm', '__get_user_pages_locked',
    '__get_user_pages', 'check_vma_flags', 'follow_page_mask', 'follow_page_pte', 'can_follow_write_pte', 'faultin_page', 'try_grab_page',
    'unpin_user_pages_dirty_lock', 'gup_put_folio'],
  '6.12': ['pin_user_pages_fast', 'is_valid_gup_args', 'gup_fast_fallback', '__gup_longterm_locked', '__get_user_pages_locked',
    '__get_user_pages', 'check_vma_flags', 'follow_page_mask', 'follow_page_pte', 'can_follow_write_pte', 'faultin_page', 'try_grab_folio',
    'unpin_user_pages_dirty_lock', 'gup_put_folio'],
};
// try_grab_page() (6.1) / try_grab_folio() (6.12) adding the pin's bias to a small folio
const BIAS: Record<string, [string, string]> = {
  '6.1': ['\t\t\tfolio_ref_add(folio, GUP_PIN_COUNTING_BIAS);', '\t\t\tfolio_ref_add(folio, 1);'],
  '6.12': ['\t\t\tfolio_ref_add(folio, refs * GUP_PIN_COUNTING_BIAS);', '\t\t\tfolio_ref_add(folio, refs);'],
};

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const skip = skipWithoutTree(tree, `GUP pins on the real ${release} tree`, release);
  describe(`GUP pins on the real ${release} tree`, { skip }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('a FOLL_WRITE pin write-faults through the tree and reclaim leaves the pinned page\'s buffers: holds', () => {
      const r = run(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      const from = (fn: string): string | undefined => r.models.find((m) => m.function === fn)?.from;
      for (const fn of GUP_FROM_SOURCE[release]) assert.equal(from(fn), 'source', fn);
      for (const fn of ['handle_mm_fault', 'do_wp_page', 'wp_page_shared', 'shrink_folio_list', 'folio_maybe_dma_pinned']) assert.equal(from(fn), 'source', fn);
      // the lockless walk is the stated boundary: the primitive runs in place of the tree's, said
      assert.ok(r.assumptions.some((a) => a.kind === 'builtin-over-source' && /^gup(_fast)?_pgd_range$/.test(a.function ?? '')));
    });

    it('the pin taking a plain reference for FOLL_PIN: reclaim strips the buffers, violated dirty-without-buffers', () => {
      const [from, to] = BIAS[release];
      const { copy } = editedAt(tree!, 'mm/gup.c', from, to);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'dirty-without-buffers');
    });

    it('a sentinel BUG() in the tree\'s __get_user_pages fires', () => {
      const open = 'static long __get_user_pages(struct mm_struct *mm,';
      const text = fs.readFileSync(path.join(tree!, 'mm/gup.c'), 'utf8');
      const head = text.slice(text.indexOf(open), text.indexOf('{\n', text.indexOf(open)) + 2);
      const { copy, line } = editedAt(tree!, 'mm/gup.c', head, `${head}\tBUG();\n`);
      const r = run(tree!, [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', /BUG\(\)/);
      assert.ok(line > 0);
    });
  });
}
