/**
 * pinned-page-buffers (issue 17, item 1) on the real 6.1 and 6.12 trees. The pinner's
 * side runs from source: unpin_user_pages_dirty_lock() and gup_put_folio() (mm/gup.c),
 * folio_mark_dirty(), ext4_dirty_folio() and block_dirty_folio(), and reclaim's pin test
 * folio_maybe_dma_pinned() and its release of the buffers, filemap_release_folio() →
 * try_to_free_buffers() → drop_buffers() (ext4's ->release_folio, which asks the journal,
 * left out and said). Reclaim itself is the tree's: shrink_folio_list(), pageout() and
 * __remove_mapping() over an isolated list (issue 16, item 4); Debian's 6.1.192 carries
 * the stable backport of d824ec2a1546 and 6.12 has it: the trees hold. A copy of the
 * tree's mm/vmscan.c without that test (6.1 as released) violates dirty-without-buffers,
 * with the tree's ext4_dirty_folio() warning on the way; a sentinel BUG() in the tree's
 * unpin_user_pages_dirty_lock() fires. The pin itself is the tree's too (issue 16, item 5):
 * pin(U, P) is pin_user_pages_fast(FOLL_WRITE) through mm/gup.c's slow path and a write
 * fault; a copy of mm/gup.c whose pin is a plain reference (try_grab_page()/try_grab_folio()
 * and gup_put_folio() without GUP_PIN_COUNTING_BIAS, as a FOLL_GET user's) lets reclaim
 * strip the buffers: violated dirty-without-buffers.
 *
 * Skipped, with the reason, when a tree is absent.
 */
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/run.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { sourceEra } from 'racelens-server/out/catalog/tree.js';
import { builtinRace, findStep } from '../engine/fixtures.js';
import { findKernelTree, skipWithoutTree } from './tree.js';
import { editedAll } from './tree-copy.js';

const CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-lift-pins-'));
const RACE = 'pinned-page-buffers';

function run(tree: string, overlay = '', extra: string[] = []): RunResult {
  const { race, file } = builtinRace(RACE);
  const era = sourceEra(undefined, [tree]);
  assert.equal(era.era, '6.1');
  const spec = `${era.era!}${overlay}`;
  const models = sourceModelSet(spec, [tree, ...extra], { roots: scenarioRoots(race), filesystems: ['ext4'], cache: CACHE });
  return runScenario({ race, file, eraSpec: spec, models });
}

// the pin's path (6.12 renamed the fast path and try_grab_page)
const PIN_FROM_SOURCE: Record<string, string[]> = {
  '6.1': ['pin_user_pages_fast', 'internal_get_user_pages_fast', 'lockless_pages_from_mm', 'get_user_pages_unlocked', '__get_user_pages_locked',
    '__get_user_pages', 'follow_page_mask', 'follow_page_pte', 'faultin_page', 'try_grab_page'],
  '6.12': ['pin_user_pages_fast', 'is_valid_gup_args', 'gup_fast_fallback', '__gup_longterm_locked', '__get_user_pages_locked',
    '__get_user_pages', 'follow_page_mask', 'follow_page_pte', 'faultin_page', 'try_grab_folio'],
};
const BIAS: Record<string, [string, string]> = {
  '6.1': ['\t\t\tfolio_ref_add(folio, GUP_PIN_COUNTING_BIAS);', '\t\t\tfolio_ref_add(folio, 1);'],
  '6.12': ['\t\t\tfolio_ref_add(folio, refs * GUP_PIN_COUNTING_BIAS);', '\t\t\tfolio_ref_add(folio, refs);'],
};
const FROM_SOURCE = ['unpin_user_pages_dirty_lock', 'gup_put_folio', 'folio_mark_dirty', 'ext4_dirty_folio', 'block_dirty_folio', 'folio_maybe_dma_pinned'];
const UNPIN = 'void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages,\n\t\t\t\t bool make_dirty)\n{\n';

for (const release of ['6.1', '6.12']) {
  const tree = findKernelTree(release);
  const skip = skipWithoutTree(tree, `pinned-page-buffers on the real ${release} tree`, release);
  describe(`pinned-page-buffers on the real ${release} tree`, { skip }, () => {
    afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));

    it('holds, with the pinner\'s path and reclaim from the tree', () => {
      const r = run(tree!);
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1 && r.states > 100, `${r.executions} executions, ${r.states} states`);
      const from = (fn: string): string | undefined => r.models.find((m) => m.function === fn)?.from;
      for (const fn of FROM_SOURCE) assert.equal(from(fn), 'source', fn);
      for (const fn of ['shrink_folio_list', 'pageout', '__remove_mapping', 'folio_check_references']) assert.equal(from(fn), 'source', fn);
      assert.equal(from('shrink_inactive_list'), 'builtin');
      // reclaim's unmapping of the mapped page: the tree's rmap walk (test/kernel/mapcount.test.ts)
      for (const fn of ['try_to_unmap', 'try_to_unmap_one']) assert.equal(from(fn), 'source', fn);
      // the pin: mm/gup.c's slow path, and the write fault it takes, from the tree
      for (const fn of [...PIN_FROM_SOURCE[release], 'handle_mm_fault', 'do_wp_page', 'wp_page_shared', 'do_page_mkwrite']) assert.equal(from(fn), 'source', fn);
      assert.ok(r.models.filter((m) => m.from === 'source' && /mm\/gup\.c$/.test(m.file ?? '')).length >= 6);
    });

    it('the tree\'s pin counted as a plain reference (a copy of mm/gup.c without the bias, taken and dropped): violated dirty-without-buffers', () => {
      // the reference try_grab_page()/try_grab_folio() takes and the one gup_put_folio() drops
      const copy = editedAll(tree!, 'mm/gup.c', [BIAS[release], ['\t\t\trefs *= GUP_PIN_COUNTING_BIAS;', '\t\t\trefs *= 1;']]);
      const r = run(tree!, '', [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'dirty-without-buffers');
      const t = r.trace!;
      // no step adds the bias, and reclaim strips the buffers the plain reference does not protect
      const bias = t.findIndex((row) => [...(row.state ?? '').matchAll(/P ref (\d+)→(\d+)/g)].some(([, a, b]) => Number(b) - Number(a) === 1024));
      assert.equal(bias, -1, 'no GUP_PIN_COUNTING_BIAS on the refcount');
      assert.ok(findStep(t, { cpu: 'P1', function: 'drop_buffers', op: /^folio_detach_private\(P\)/ }) >= 0, 'reclaim strips the buffers');
    });

    it('the tree\'s shrink_folio_list without the pin test (d824ec2a1546 reverted in a copy): violated dirty-without-buffers', () => {
      const text = fs.readFileSync(path.join(tree!, 'mm/vmscan.c'), 'utf8');
      // the test after try_to_unmap() (the anonymous branch's own, which goes to keep_locked, stays)
      const check = /\n\t\tif \(folio_maybe_dma_pinned\(folio\)\)\n\t\t\tgoto activate_locked;/.exec(text);
      assert.ok(check, 'the pin test in shrink_folio_list');
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-pins-edit-')), 'vmscan.c');
      fs.writeFileSync(copy, text.replace(check[0], ''));
      const r = run(tree!, '', [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'dirty-without-buffers');
      const t = r.trace!;
      const strip = findStep(t, { cpu: 'P1', function: 'drop_buffers', op: /^folio_detach_private\(P\)/ });
      const warn = findStep(t, { cpu: 'P0', function: 'ext4_dirty_folio', op: 'folio_buffers(P) = NULL' });
      assert.ok(strip >= 0 && warn > strip, 'the tree\'s ext4_dirty_folio finds no buffers after reclaim stripped them');
      assert.match(t.at(-1)!.file ?? '', /fs\/buffer\.c$/);
      assert.equal(t.at(-1)!.function, 'block_dirty_folio');
      // the buffers go through the tree's own release path (ext4's journal entry left out, said)
      for (const fn of ['filemap_release_folio', 'try_to_free_buffers', 'drop_buffers', 'buffer_busy']) {
        assert.equal(r.models.find((m) => m.function === fn)?.from, 'source', fn);
      }
      assert.ok(r.assumptions.some((a) => /ext4_da_aops\.release_folio = ext4_release_folio is left out/.test(a.message)));
    });

    it('a sentinel BUG() in the tree\'s unpin_user_pages_dirty_lock fires', () => {
      const text = fs.readFileSync(path.join(tree!, 'mm/gup.c'), 'utf8');
      const at = text.indexOf(UNPIN);
      assert.ok(at >= 0, 'the edit applies to mm/gup.c');
      const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'racelens-pins-edit-')), 'gup.c');
      fs.writeFileSync(copy, text.replace(UNPIN, `${UNPIN}\tBUG();\n`));
      const r = run(tree!, '', [copy]);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'bug-on');
      assert.match(r.message ?? '', /fired in unpin_user_pages_dirty_lock/);
    });
  });
}
