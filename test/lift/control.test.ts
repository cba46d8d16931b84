/** Control flow and expression lowering: switch, loops, short circuit, ++/--, checks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, sequence } from './evaluator.js';
import { CHECKS, EXPRESSIONS, INCREMENTS, LOOPS, SHORT_CIRCUIT, SWITCH_FALLTHROUGH } from './fixtures.js';
import { code, lift, ops } from './helpers.js';

test('switch: one comparison per case in order, then default; fallthrough and break', () => {
  const f = lift(SWITCH_FALLTHROUGH, 'sync_score');
  assert.equal(f.status, 'clean', JSON.stringify(f.program.notes));
  assert.equal(code(f.program), [
    ' 0    4  score = 0',
    ' 1       if (mode == WB_SYNC_ALL) goto 7 else 2',
    ' 2       if (mode == WB_SYNC_NONE) goto 8 else 3',
    ' 3       if (mode == 7) goto 10 else 4',
    ' 4       if (mode == 8) goto 10 else 5',
    ' 5       if (mode >= 10 && mode <= 12) goto 13 else 6',
    ' 6       goto 15',
    ' 7    8  score = score + 4',
    ' 8   11  score = score + 2',
    ' 9       goto 16',
    '10 * 15  $t0 = note_mode(mode)',
    '11   15  score = $t0',
    '12       goto 16',
    '13   18  score = 50',
    '14       goto 16',
    '15   21  score = -1',
    '16   23  return score',
  ].join('\n'));
  const syms = { WB_SYNC_ALL: 1, WB_SYNC_NONE: 0 };
  const run = (mode: number) => evaluate(f.program, [mode], { syms, calls: { note_mode: 70 } }).ret;
  assert.equal(run(1), 6, 'WB_SYNC_ALL falls through into WB_SYNC_NONE');
  assert.equal(run(0), 2);
  assert.equal(run(7), 70);
  assert.equal(run(8), 70);
  assert.equal(run(11), 50, 'GNU case range');
  assert.equal(run(3), -1);
});

test('for (;;) with break, for with continue, do/while', () => {
  const f = lift(LOOPS, 'scan_pages');
  assert.equal(f.status, 'clean');
  const r = evaluate(f.program, ['mapping:F'], { calls: { find_get_page: sequence('page:A', 'page:B', null) } });
  assert.deepEqual(r.calls, [
    'find_get_page', 'put_page', 'find_get_page', 'put_page', 'find_get_page', 'touch_index', 'touch_index',
  ]);
  assert.deepEqual(r.callArgs.slice(5).map((a) => a[0]), [0, 2], 'continue skips i == 1');
  // done = 2 after the first loop; the do/while body runs at least once: 12, 22, 32.
  assert.equal(r.ret, 32);
  const listing = ops(f.program);
  assert.equal(listing[listing.length - 2], 'if (done < 25) goto 16 else 18');
});

test('short circuit: the second call does not run when the first decides', () => {
  const busy = lift(SHORT_CIRCUIT, 'page_busy');
  assert.equal(code(busy.program), [
    '0 * 4  $t0 = PageDirty(page)',
    '1      if ($t0) goto 4 else 2',
    '2 * 4  $t1 = PageWriteback(page)',
    '3      if ($t1) goto 4 else 5',
    '4   5  return 1',
    '5   6  return 0',
  ].join('\n'));
  const dirty = evaluate(busy.program, ['page:P'], { calls: { PageDirty: 1, PageWriteback: 1 } });
  assert.deepEqual(dirty.calls, ['PageDirty']);
  assert.equal(dirty.ret, 1);
  const wb = evaluate(busy.program, ['page:P'], { calls: { PageWriteback: 1 } });
  assert.deepEqual(wb.calls, ['PageDirty', 'PageWriteback']);
  assert.equal(wb.ret, 1);

  // && as a value: 0/1 into a temporary, right side only when the left is true.
  const tb = lift(SHORT_CIRCUIT, 'try_busy');
  assert.deepEqual(ops(tb.program), [
    '$t0 = trylock_page(page)',
    '$t2 = 0',
    'if ($t0) goto 3 else 5',
    '$t1 = PageWriteback(page)',
    '$t2 = !$t1',
    'got = $t2',
    'return got',
  ]);
  const locked = evaluate(tb.program, ['page:P'], { calls: { trylock_page: 0 } });
  assert.deepEqual(locked.calls, ['trylock_page']);
  assert.equal(locked.ret, 0);
  const free = evaluate(tb.program, ['page:P'], { calls: { trylock_page: 1 } });
  assert.deepEqual(free.calls, ['trylock_page', 'PageWriteback']);
  assert.equal(free.ret, 1);

  // ?: with calls in both arms: only the chosen arm's call runs.
  const pick = lift(SHORT_CIRCUIT, 'pick');
  const mapped = evaluate(pick.program, ['page:P'], { calls: { page_mapped: 1, zap_page: 5, drop_page: 6 } });
  assert.deepEqual(mapped.calls, ['page_mapped', 'zap_page']);
  assert.equal(mapped.ret, 5);
  const unmapped = evaluate(pick.program, ['page:P'], { calls: { zap_page: 5, drop_page: 6 } });
  assert.deepEqual(unmapped.calls, ['page_mapped', 'drop_page']);
  assert.equal(unmapped.ret, 6);
});

test('pre/post increment values on locals and fields', () => {
  const f = lift(INCREMENTS, 'counters');
  assert.equal(f.status, 'clean');
  assert.deepEqual(ops(f.program).slice(4, 16), [
    '$t0 = a',
    'a = a + 1',
    'b = $t0',
    'a = a + 1',
    'c = a',
    '$t1 = load page->_refcount',
    'store page->_refcount = $t1 + 1',
    'old = $t1',
    '$t2 = load page->_refcount',
    'store page->_refcount = $t2 - 1',
    'a = a + 10',
    'a = a - 3',
  ]);
  const r = evaluate(f.program, ['page:P'], { fields: { 'page:P._refcount': 2 } });
  // b = 5, c = 7, a = 7 + 10 - 3 = 14, old = 2.
  assert.equal(r.ret, 5 * 100 + 7 * 10 + 14 + 2 * 1000);
  assert.deepEqual(r.stores, [{ key: 'page:P._refcount', v: 3 }, { key: 'page:P._refcount', v: 2 }]);
  assert.deepEqual(r.loads, ['page:P._refcount', 'page:P._refcount']);
});

test('BUG_ON/VM_BUG_ON_PAGE/WARN_ON/WARN_ONCE/BUG: checks, and WARN_ON as a value', () => {
  const f = lift(CHECKS, 'end_page_writeback');
  assert.equal(f.status, 'clean');
  assert.deepEqual(ops(f.program), [
    '$t0 = PageLocked(page)',
    'BUG_ON(!$t0)',
    '$t1 = test_clear_page_writeback(page)',
    'WARN_ON(!$t1)',
    'if (!$t1) goto 5 else 6',
    'return',
    '$t2 = PageWriteback(page)',
    'BUG_ON($t2)',
    '$t3 = page_count(page)',
    'WARN_ON($t3 == 0)',
    'if ($t3 == 0) goto 11 else 12',
    'BUG_ON(1)',
    'wake_up_page(page, PG_writeback)',
    'return',
  ]);
  const kinds = f.program.code.filter((i) => i.op === 'check').map((i) => (i.op === 'check' ? i.kind : ''));
  assert.deepEqual(kinds, ['bug', 'warn', 'bug', 'warn', 'bug']);

  const good = evaluate(f.program, ['page:P'], { calls: { PageLocked: 1, test_clear_page_writeback: 1, page_count: 1 } });
  assert.equal(good.bug, false);
  assert.deepEqual(good.calls.at(-1), 'wake_up_page');
  // Not under writeback: WARN_ON fires and, as a value, makes the function return.
  const warned = evaluate(f.program, ['page:P'], { calls: { PageLocked: 1 } });
  assert.deepEqual(warned.checks, [{ kind: 'bug', fired: false }, { kind: 'warn', fired: true }]);
  assert.deepEqual(warned.calls, ['PageLocked', 'test_clear_page_writeback']);
  // Unlocked page: the VM_BUG_ON_PAGE fires first.
  const unlocked = evaluate(f.program, ['page:P'], { calls: {} });
  assert.equal(unlocked.bug, true);
  assert.deepEqual(unlocked.calls, ['PageLocked']);
  // Zero refcount: WARN_ONCE fires and BUG() follows.
  const zero = evaluate(f.program, ['page:P'], { calls: { PageLocked: 1, test_clear_page_writeback: 1 } });
  assert.equal(zero.bug, true);
});

test('literals, casts, pass-through macros, WRITE_ONCE, GNU ?:, comma', () => {
  const f = lift(EXPRESSIONS, 'exprs');
  assert.equal(f.status, 'clean');
  assert.deepEqual(ops(f.program), [
    'flags = 16 | 1',
    'c = 10',
    'x = wbc->nr_to_write',
    'p = NULL',
    't = 1',
    'f = 0',
    'store wbc->nr_to_write = x - 1',
    'x = flags & 1 ? 3 : 4',
    '$t0 = page_count(page)',
    'x = $t0 ? $t0 : 9',
    'touch_index(1)',
    '$t1 = touch_index(2)',
    'x = $t1',
    'if (x > 4) goto 14 else 16',
    'if (t) goto 15 else 16',
    'x = x << 2',
    'return x + c + f + (p == NULL)',
  ]);
  const r = evaluate(f.program, ['page:P', 'wbc:W'], {
    fields: { 'wbc:W.nr_to_write': 8 }, calls: { page_count: 0, touch_index: (a) => a[0] },
  });
  // x = 2 from the comma expression, not > 4; 2 + 10 + 0 + 1.
  assert.equal(r.ret, 13);
  assert.deepEqual(r.stores, [{ key: 'wbc:W.nr_to_write', v: 7 }]);
});

test('check macro family, zero initializers, plain fp(args), unused results get no dst', () => {
  const src = `
int more_checks(struct folio *folio, struct vm_area_struct *vma, int (*cb)(struct folio *))
{
	struct wb_lock_cookie cookie = {};
	int zero = { 0 };

	VM_BUG_ON_VMA(vma_busy(vma), vma);
	VM_BUG_ON_FOLIO(folio_test_large(folio), folio);
	VM_WARN_ON_ONCE_FOLIO(folio_test_lru(folio), folio);
	WARN(folio_ref_count(folio) < 0, "bad ref %d\\n", 1);
	cb(folio);
	return cb(folio) + zero;
}
`;
  const f = lift(src, 'more_checks');
  assert.equal(f.status, 'clean', JSON.stringify(f.program.notes));
  assert.deepEqual(ops(f.program), [
    'cookie = 0',
    'zero = 0',
    '$t0 = vma_busy(vma)',
    'BUG_ON($t0)',
    '$t1 = folio_test_large(folio)',
    'BUG_ON($t1)',
    '$t2 = folio_test_lru(folio)',
    'WARN_ON($t2)',
    '$t3 = folio_ref_count(folio)',
    'WARN_ON($t3 < 0)',
    'cb(folio)',
    '$t4 = cb(folio)',
    'return $t4 + zero',
  ]);
  const calls = f.program.code.filter((i) => i.op === 'call');
  assert.deepEqual(calls[4], {
    op: 'call', callee: { k: 'local', name: 'cb' }, args: [{ k: 'local', name: 'folio' }],
    at: { line: 11, column: 2, text: 'cb(folio)' },
  });
});

test('smp_store_release(&x->f, v) is a store to x->f, smp_load_acquire(&x->f) a load of it; another address is said', () => {
  const f = lift(`void publish(struct folio *folio, unsigned long *p)
{
\tsmp_store_release(&folio->private, 1);
\tif (smp_load_acquire(&folio->private))
\t\tfolio_set_dirty(folio);
\tsmp_store_release(p, 2);
}
`, 'publish');
  const listed = ops(f.program);
  assert.ok(listed.includes('store folio->private = 1'), listed.join('\n'));
  assert.ok(listed.some((o) => /= load folio->private$/.test(o)), listed.join('\n'));
  assert.ok(f.program.notes.some((n) => /smp_store_release not on an address the lifter follows/.test(n.what)));
});

