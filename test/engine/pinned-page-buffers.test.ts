/**
 * pinned-page-buffers (issue 17, item 1) on the built-in eras: reclaim strips the
 * buffers of a page a FOLL_PIN pin holds, and the pinner's unpin_user_pages_dirty_lock()
 * then dirties a page with no buffers. 5.17's ext4 BUGs on it, 5.18's drops the data,
 * and d824ec2a1546's folio_maybe_dma_pinned() test in reclaim (6.1 as Debian ships it)
 * keeps the buffers; the overlay pin-unchecked takes that test out again. The pin comes
 * first, as in Jan Kara's report: pin(U, P) is the era's pin_user_pages_fast(FOLL_WRITE),
 * whose slow path finds the read-only PTE, write-faults it (->page_mkwrite: the page
 * dirty) and adds GUP_PIN_COUNTING_BIAS; the writeback follows on the same CPU.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findStep, replayBuiltin, runBuiltin } from './fixtures.js';

const RACE = 'pinned-page-buffers';

describe('pinned-page-buffers on the built-in eras', () => {
  for (const era of ['5.17', '5.18', '6.1+pin-unchecked']) {
    it(`${era}: violated dirty-without-buffers, the buffers stripped under the pin`, () => {
      const r = runBuiltin(RACE, era);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'dirty-without-buffers');
      assert.equal(r.asExpected, true);
      assert.match(r.message ?? '', /page P of F \(a buffer-backed mapping\) is dirty with no buffers attached/);
      const t = r.trace!;
      // reclaim unmaps the pinned page, frees its clean buffers, cannot free the page (the pin)
      // (5.x: the try_to_release_page step; 6.1: try_to_free_buffers' folio_detach_private)
      const strip = findStep(t, { cpu: 'P1', state: /P -private/ });
      assert.ok(strip >= 0, 'reclaim strips the buffers');
      const keep = findStep(t, { cpu: 'P1', op: /^__remove_mapping\(F, P, .*\) = 0$/ });
      assert.ok(keep > strip, 'the pin keeps the page in the cache');
      // then the pinner's DMA lands and it dirties the page through ext4's dirty method
      const dma = findStep(t, { cpu: 'P0', op: 'device_write_page(P, 0)' });
      assert.ok(dma >= 0);
      const dirty = findStep(t, { cpu: 'P0', op: /^(TestSetPageDirty|folio_test_set_dirty)\(P\) = 0$/, state: /P \+dirty/ });
      assert.ok(dirty > strip && dirty === t.length - 1, 'the violation is the dirtying, after the strip');
    });
  }

  it('5.17: the final writeback then hits page_buffers()\' BUG_ON in ext4_writepage', () => {
    const r = runBuiltin(RACE, '5.17', undefined, { without: ['dirty-without-buffers'] });
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'bug-on');
    assert.equal(r.trace!.at(-1)!.function, 'ext4_writepage');
  });

  it('5.18: ext4 warns and cleans the page instead, and the DMA\'s data never reaches the disk', () => {
    const r = runBuiltin(RACE, '5.18', undefined, { without: ['dirty-without-buffers'] });
    assert.equal(r.verdict, 'violated', r.message);
    assert.equal(r.invariant, 'lost-write');
    assert.match(r.message ?? '', /block 0 of page P: memory holds v1, disk v0/);
  });

  it('6.1 (with the stable backport of d824ec2a1546): holds, reclaim keeps a pinned folio\'s buffers', () => {
    const r = runBuiltin(RACE, '6.1');
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.asExpected, true);
    assert.ok(r.executions > 1);
    // the overlay's violating schedule, replayed on 6.1: reclaim stops at the pin test
    // and activates the folio with its buffers (the schedule then runs out early)
    const bad = runBuiltin(RACE, '6.1+pin-unchecked').schedule!.split(' ');
    let again = replayBuiltin(RACE, '6.1', bad.join(' '));
    // reclaim's path is shorter with the test: the longest prefix that still replays
    for (let k = bad.length - 1; again.verdict === 'error' && k > 0; k--) again = replayBuiltin(RACE, '6.1', bad.slice(0, k).join(' '));
    const pinned = findStep(again.trace!, { cpu: 'P1', op: 'folio_maybe_dma_pinned(P) = 1' });
    assert.ok(pinned >= 0, 'reclaim sees the pin');
    assert.equal(findStep(again.trace!, { state: /P -private/ }), -1, 'the buffers stay');
  });

  // the write fault: 5.x's do_wp_page(), 6.1's wp_page_shared() (do_wp_page() takes no step of its own there)
  for (const [era, add, wp] of [['5.17', 'page_ref_add', 'do_wp_page'], ['6.1+pin-unchecked', 'folio_ref_add', 'wp_page_shared']]) {
    it(`${era}: the pin write-faults the read-only PTE through the era's GUP slow path, then takes the bias, before the writeback`, () => {
      const r = runBuiltin(RACE, era);
      const t = r.trace!;
      const fast = findStep(t, { cpu: 'P0', function: 'internal_get_user_pages_fast', op: /^gup_pgd_range\(/ });
      const refused = findStep(t, { cpu: 'P0', function: 'follow_page_pte', op: 'pte_writable(U, P) = 0' });
      const fault = findStep(t, { cpu: 'P0', function: wp });
      const bias = findStep(t, { cpu: 'P0', function: 'try_grab_page', op: `${add}(P, 1024)` });
      const sync = findStep(t, { cpu: 'P0', op: /^sync_begin\(F\)/ });
      assert.ok(fast >= 0 && fast < refused && refused < fault && fault < bias && bias < sync, `${fast} ${refused} ${fault} ${bias} ${sync}`);
      assert.equal(r.models.find((m) => m.function === 'pin_user_pages_fast')?.from, 'builtin');
    });
  }
});
