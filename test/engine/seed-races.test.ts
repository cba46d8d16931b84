/**
 * The four seed races and their era variants, run against the built-in models: the
 * verdicts of DESIGN.md, and traces that tell each story the way its seed does.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findStep, preferenceSchedule, runBuiltin } from './fixtures.js';
import { builtinModelSet } from 'racelens-server/out/catalog/models.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';

describe('mmap-dirty-lost (seeds 000, 001)', () => {
  it('2.6.19 loses the store that only the PTE recorded', () => {
    const r = runBuiltin('mmap-dirty-lost', '2.6.19', undefined, { without: ['sync-durability'] });
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'lost-write');
    const lost = /block (\d) of page P: memory holds v1, disk v0/.exec(r.message ?? '');
    assert.ok(lost, r.message);
    const n = lost[1];
    const t = r.trace!;
    // the write fault dirties every buffer through __set_page_dirty_buffers
    const dirty0 = findStep(t, { cpu: 'P0', function: '__set_page_dirty_buffers', op: 'set_buffer_dirty(P.0)' });
    const dirty1 = findStep(t, { cpu: 'P0', function: '__set_page_dirty_buffers', op: 'set_buffer_dirty(P.1)' });
    assert.ok(dirty0 >= 0 && dirty1 > dirty0, 'the fault marks both buffers dirty');
    // the journal writes them on its own
    const journal = findStep(t, { cpu: 'P1', op: new RegExp(`^journal_write_buffer\\(P\\.${n}\\)`), state: new RegExp(`bh P\\.${n} -dirty`) });
    assert.ok(journal > dirty1, `the journal cleans buffer ${n} after the fault dirtied it`);
    // the store to the lost block goes only into the PTE: memory changes, nothing else is marked
    const store = findStep(t, { cpu: 'P0', op: `pte_store(U, P, ${n}) = 1` });
    assert.ok(store > journal, `the store to block ${n} comes after the journal wrote it`);
    // (the CPU's first store through the PTE also caches its translation: sim/tlb.ts)
    assert.match(t[store].state, new RegExp(`^(tlb:U/P →P0; )?mem P\\[${n}\\] =v1$`));
    // a writeback (the writeback CPU's or the final sync's) cleans the PTE in
    // clear_page_dirty_for_io and ignores what page_mkclean found
    const mkclean = findStep(t, { function: 'clear_page_dirty_for_io', op: 'page_mkclean(P)' });
    assert.ok(mkclean > store);
    const writer = t[mkclean].cpu;
    assert.ok(['P2', 'final'].includes(writer), writer);
    assert.match(t[mkclean].state, /pte U\/P -writable -dirty/);
    const testClear = findStep(t, { cpu: writer, function: 'clear_page_dirty_for_io', op: 'TestClearPageDirty(P) = 1' });
    assert.ok(testClear >= 0 && testClear < mkclean, '2.6.19 clears PG_dirty before page_mkclean');
    // writepage finds no dirty buffer, and ends writeback at once ("no IO underway")
    const after = t.slice(mkclean);
    assert.ok(findStep(after, { cpu: writer, function: '__block_write_full_page', op: 'test_clear_buffer_dirty(P.0) = 0' }) >= 0);
    assert.ok(findStep(after, { cpu: writer, function: '__block_write_full_page', op: 'test_clear_buffer_dirty(P.1) = 0' }) >= 0);
    assert.equal(findStep(t, { op: /^submit_bh/ }), -1, 'no buffer is submitted');
    assert.ok(findStep(after, { cpu: writer, function: 'test_clear_page_writeback', op: 'TestClearPageWriteback(P) = 1' }) >= 0);
  });

  for (const era of ['2.6.20', '6.1']) {
    it(`${era} keeps the write (lost-write holds), over many interleavings`, () => {
      const r = runBuiltin('mmap-dirty-lost', era, undefined, { without: ['sync-durability'] });
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1);
    });
  }

  it('6.1 holds with sync-durability: the fault dirties the page under the page lock', () => {
    const r = runBuiltin('mmap-dirty-lost', '6.1');
    assert.equal(r.verdict, 'holds', r.message);
    assert.equal(r.asExpected, true);
  });

  it('2.6.20 breaks the fsync contract: a fault between page_mkclean and TestClearPageDirty leaves the data only behind a dirty PTE', () => {
    const r = runBuiltin('mmap-dirty-lost', '2.6.20');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'sync-durability');
    assert.equal(r.asExpected, true);
    assert.match(r.message ?? '', /block \d of page P: v1 was stored before the sync started, but the disk holds v0/);
    const t = r.trace!;
    const mkclean = findStep(t, { cpu: 'P2', function: 'clear_page_dirty_for_io', op: /^page_mkclean\(P\)/ });
    const fault = findStep(t, { cpu: 'P0', op: 'pte_mkwrite_dirty(U, P)' });
    const clear = findStep(t, { cpu: 'P2', function: 'clear_page_dirty_for_io', op: 'TestClearPageDirty(P) = 1' });
    assert.ok(mkclean >= 0 && mkclean < fault && fault < clear, `mkclean ${mkclean}, fault ${fault}, TestClearPageDirty ${clear}`);
    // the final sync started after every store and returned with the PTE still dirty
    assert.ok(findStep(t, { cpu: 'final', op: /^sync_end/ }) > clear);
  });

  it('6.1 runs the folio generation of every function', () => {
    const names = runBuiltin('mmap-dirty-lost', '6.1').models.map((m) => m.function);
    for (const fn of ['folio_clear_dirty_for_io', 'folio_mark_dirty', 'block_dirty_folio']) {
      assert.ok(names.includes(fn), `${fn} is among the models run`);
    }
    // folio_mkclean is a primitive (one atomic step), so it is not a model: the 6.1
    // folio_clear_dirty_for_io calls it by its folio name
    assert.ok(primitives.get('folio_mkclean'), 'folio_mkclean is a simulator primitive');
    const clear = builtinModelSet('6.1').functions.get('folio_clear_dirty_for_io');
    assert.ok(clear, 'a 6.1 model of folio_clear_dirty_for_io');
    assert.ok(clear.program.code.some((i) => i.op === 'call' && i.callee === 'folio_mkclean'), 'it calls folio_mkclean');
    assert.ok(!names.includes('__set_page_dirty_buffers'));
  });
});

describe('writeback-stale-wake (seed 003)', () => {
  it('5.10 fires BUG_ON(PageWriteback) after a stale wake-up, as in Linus\'s three columns', () => {
    const r = runBuiltin('writeback-stale-wake', '5.10');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.match(r.message ?? '', /BUG_ON\(PageWriteback\(page\)\) fired in write_cache_pages/);
    const t = r.trace!;
    const cleared = findStep(t, { cpu: 'P0', op: 'TestClearPageWriteback(P) = 1' });
    const setAgain = findStep(t, { cpu: 'P1', op: 'TestSetPageWriteback(P) = 0' });
    const sleeps = findStep(t, { cpu: 'P2', op: 'page_wait_queue_add(P, writeback) = 1' });
    const wakes = findStep(t, { cpu: 'P0', op: 'wake_up_page_bit(P, writeback)' });
    assert.ok(cleared >= 0 && cleared < setAgain, 'CPU0 clears PG_writeback, then CPU1 sets it again');
    assert.ok(setAgain < sleeps, 'CPU2 sleeps on the new writeback');
    assert.ok(sleeps < wakes, 'CPU0\'s delayed wake-up comes after');
    assert.match(t[wakes].remarks.join(' '), /wakes P2/);
    assert.equal(t[t.length - 1].cpu, 'P2', 'CPU2 takes the last step and hits the BUG_ON');
  });

  for (const era of ['5.11', '6.1', '5.10+hugh']) {
    it(`${era} holds`, () => {
      const r = runBuiltin('writeback-stale-wake', era);
      assert.equal(r.verdict, 'holds', r.message);
      assert.ok(r.executions > 1);
    });
  }
});

describe('dio-mmap-uptodate (seed 002)', () => {
  it('2.6.9 is violated', () => {
    const r = runBuiltin('dio-mmap-uptodate', '2.6.9');
    assert.equal(r.verdict, 'violated');
    assert.ok(['not-uptodate-dirty', 'bug-on', 'stale-overwrite', 'stale-read'].includes(r.invariant!));
  });

  it('2.6.9 also loses the O_DIRECT data when munmap comes between write-back and invalidation', () => {
    const r = runBuiltin('dio-mmap-uptodate', '2.6.9', undefined, { stopAtFirstViolation: false });
    assert.equal(r.verdict, 'violated');
    assert.ok(r.violations > 1);
  });

  it('2.6.11 holds', () => {
    const r = runBuiltin('dio-mmap-uptodate', '2.6.11');
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.executions > 1);
  });

  for (const order of [['P0', 'io', 'P1', 'final'], ['P1', 'P0', 'io', 'final']]) {
    it(`2.6.11: the final read returns the O_DIRECT data (${order[0]} first)`, () => {
      const r = preferenceSchedule('dio-mmap-uptodate', '2.6.11', order);
      assert.equal(r.verdict, 'holds');
      const direct = r.trace!.find((s) => s.op.startsWith('direct_io_write_block('));
      const version = /disk F\.0\.0 =(v\d+)/.exec(direct?.state ?? '')?.[1];
      assert.ok(version, 'the O_DIRECT write reached the disk');
      const read = r.trace!.find((s) => s.op.startsWith('read_block('));
      assert.ok(read, 'the final read ran');
      assert.match(read!.remarks.join(' '), new RegExp(`read F\\.0\\.0 = ${version} from disk`));
    });
  }
});

describe('truncate-vs-writeback (seeds 003, 004)', () => {
  it('6.1 holds: PG_locked and PG_writeback together protect the page', () => {
    const r = runBuiltin('truncate-vs-writeback', '6.1');
    assert.equal(r.verdict, 'holds', r.message);
    assert.ok(r.executions > 1);
  });

  it('5.9 frees the page between clearing PG_writeback and the wake-up', () => {
    const r = runBuiltin('truncate-vs-writeback', '5.9');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'freed-under-writeback');
    const t = r.trace!;
    const cleared = findStep(t, { op: 'TestClearPageWriteback(P) = 1' });
    const freed = findStep(t, { state: /P .*FREED/ });
    assert.ok(cleared >= 0 && freed > cleared, 'truncation frees the page after PG_writeback is cleared');
    assert.equal(t[t.length - 1].function, 'wake_up_page', 'the wake-up touches the freed page');
  });

  it('5.10 holds with the reference taken around clear-and-wake', () => {
    assert.equal(runBuiltin('truncate-vs-writeback', '5.10').verdict, 'holds');
  });

  for (const variant of ['6.1+no-writeback-wait', '6.1+early-unlock']) {
    it(`${variant} frees a page under writeback`, () => {
      const r = runBuiltin('truncate-vs-writeback', variant);
      assert.equal(r.verdict, 'violated');
      assert.equal(r.invariant, 'freed-under-writeback');
    });
  }
});

describe('reclaim-writepage-refused (seed 004)', () => {
  it('ext4 delalloc writepage refuses every page: no progress', () => {
    const r = runBuiltin('reclaim-writepage-refused', '2.6.34');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'no-progress');
    assert.ok(findStep(r.trace!, { function: 'ext4_da_writepage' }) >= 0 || r.trace!.some((s) => s.function === 'redirty_page_for_writepage'));
  });

  it('ext3 writepage writes the pages and a later pass frees them', () => {
    const r = runBuiltin('reclaim-writepage-refused', '2.6.34', 'ext3');
    assert.equal(r.verdict, 'holds', r.message);
  });
});
