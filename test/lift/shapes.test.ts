/**
 * The kernel shapes the races are about: the lifted listing, and its behaviour under
 * the reference evaluator with fake primitives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, sequence } from './evaluator.js';
import {
  CLEAR_PAGE_DIRTY_2620, INVALIDATE_ONE, SET_DIRTY_BUFFERS, SET_PAGE_DIRTY, WAIT_ON_WRITEBACK,
} from './fixtures.js';
import { code, lift } from './helpers.js';

test('2.6.20 clear_page_dirty_for_io: listing', () => {
  const f = lift(CLEAR_PAGE_DIRTY_2620, 'clear_page_dirty_for_io');
  assert.equal(f.status, 'clean');
  assert.deepEqual(f.program.params, ['page']);
  assert.equal(code(f.program), [
    ' 0 *  4  $t0 = page_mapping(page)',
    ' 1    4  mapping = $t0',
    ' 2       if (mapping) goto 3 else 13',
    ' 3 *  6  $t1 = mapping_cap_account_dirty(mapping)',
    ' 4       if ($t1) goto 5 else 13',
    ' 5 *  7  $t2 = page_mkclean(page)',
    ' 6       if ($t2) goto 7 else 8',
    ' 7 *  8  set_page_dirty(page)',
    ' 8 *  9  $t3 = TestClearPageDirty(page)',
    ' 9       if ($t3) goto 10 else 12',
    '10 * 10  dec_zone_page_state(page, NR_FILE_DIRTY)',
    '11   11  return 1',
    '12   13  return 0',
    '13 * 15  $t4 = TestClearPageDirty(page)',
    '14   15  return $t4',
  ].join('\n'));
});

test('2.6.20 clear_page_dirty_for_io: behaviour with page_mkclean -> 1', () => {
  const f = lift(CLEAR_PAGE_DIRTY_2620, 'clear_page_dirty_for_io');
  const r = evaluate(f.program, ['page:P'], {
    calls: { page_mapping: 'mapping:F', mapping_cap_account_dirty: 1, page_mkclean: 1, TestClearPageDirty: 1 },
  });
  assert.deepEqual(r.calls, [
    'page_mapping', 'mapping_cap_account_dirty', 'page_mkclean', 'set_page_dirty', 'TestClearPageDirty',
    'dec_zone_page_state',
  ]);
  assert.equal(r.ret, 1);
  assert.deepEqual(r.callArgs[5], ['page:P', 'NR_FILE_DIRTY']);
});

test('2.6.20 clear_page_dirty_for_io: other paths', () => {
  const f = lift(CLEAR_PAGE_DIRTY_2620, 'clear_page_dirty_for_io');
  // No mapping: the && short-circuits, mapping_cap_account_dirty never runs.
  const anon = evaluate(f.program, ['page:P'], { calls: { page_mapping: null, TestClearPageDirty: 1 } });
  assert.deepEqual(anon.calls, ['page_mapping', 'TestClearPageDirty']);
  assert.equal(anon.ret, 1);
  // Mapping without dirty accounting: falls to the final TestClearPageDirty.
  const noAcct = evaluate(f.program, ['page:P'], { calls: { page_mapping: 'mapping:F', mapping_cap_account_dirty: 0 } });
  assert.deepEqual(noAcct.calls, ['page_mapping', 'mapping_cap_account_dirty', 'TestClearPageDirty']);
  assert.equal(noAcct.ret, 0);
  // page_mkclean finds nothing and the page was clean: no set_page_dirty, returns 0.
  const clean = evaluate(f.program, ['page:P'], { calls: { page_mapping: 'mapping:F', mapping_cap_account_dirty: 1 } });
  assert.deepEqual(clean.calls, ['page_mapping', 'mapping_cap_account_dirty', 'page_mkclean', 'TestClearPageDirty']);
  assert.equal(clean.ret, 0);
});

test('while (PageWriteback(page)) wait_on_page_bit(page, PG_writeback)', () => {
  const f = lift(WAIT_ON_WRITEBACK, 'wait_on_page_writeback');
  assert.equal(f.status, 'clean');
  assert.equal(code(f.program), [
    '0 * 4  $t0 = PageWriteback(page)',
    '1      if ($t0) goto 2 else 4',
    '2 * 5  wait_on_page_bit(page, PG_writeback)',
    '3      goto 0',
    '4   6  return',
  ].join('\n'));
  const r = evaluate(f.program, ['page:P'], { calls: { PageWriteback: sequence(1, 1, 0) } });
  assert.deepEqual(r.calls, [
    'PageWriteback', 'wait_on_page_bit', 'PageWriteback', 'wait_on_page_bit', 'PageWriteback',
  ]);
  assert.deepEqual(r.callArgs[1], ['page:P', 'PG_writeback']);
  assert.equal(r.ret, undefined);
});

test('mapping->a_ops->set_page_dirty(page) calls through a callee expression', () => {
  const f = lift(SET_PAGE_DIRTY, 'set_page_dirty');
  const call = f.program.code.find((i) => i.op === 'call' && typeof i.callee !== 'string');
  assert.ok(call && call.op === 'call');
  // field reads carry their place (for assumptions about unmodeled structures); the shape is what counts here
  const shape = JSON.parse(JSON.stringify(call.callee, (k, v: unknown) => (k === 'at' ? undefined : v)));
  assert.deepEqual(shape, {
    k: 'field', obj: { k: 'field', obj: { k: 'local', name: 'mapping' }, field: 'a_ops', tag: 'address_space' }, field: 'set_page_dirty',
  });
  assert.deepEqual(call.args, [{ k: 'local', name: 'page' }]);
  assert.equal(call.at?.text, 'mapping->a_ops->set_page_dirty(page)');
  const r = evaluate(f.program, ['page:P'], {
    calls: { page_mapping: 'mapping:F', __set_page_dirty_buffers: 1 },
    fields: { 'mapping:F.a_ops': 'aops:ext3', 'aops:ext3.set_page_dirty': 'fn:__set_page_dirty_buffers' },
  });
  assert.deepEqual(r.calls, ['page_mapping', '__set_page_dirty_buffers']);
  assert.equal(r.ret, 1);
});

test('function pointer in a local: (*spd)(page)', () => {
  const f = lift(SET_PAGE_DIRTY, 'set_page_dirty_fp');
  assert.match(code(f.program), /spd = mapping->a_ops->set_page_dirty\n.*if \(spd\) goto 5 else 4\n.*spd = __set_page_dirty_buffers\n.*\$t1 = spd\(page\)/);
  const r = evaluate(f.program, ['page:P'], {
    calls: { page_mapping: 'mapping:F' },
    fields: { 'mapping:F.a_ops': 'aops:A', 'aops:A.set_page_dirty': null },
    syms: { __set_page_dirty_buffers: 'fn:__set_page_dirty_buffers' },
  });
  assert.deepEqual(r.calls, ['page_mapping', '__set_page_dirty_buffers']);
});

test('&mapping->private_lock is an addr Expr; do/while over buffers', () => {
  const f = lift(SET_DIRTY_BUFFERS, '__set_page_dirty_buffers');
  assert.equal(f.status, 'clean');
  const lock = f.program.code.find((i) => i.op === 'call' && i.callee === 'spin_lock');
  assert.ok(lock && lock.op === 'call');
  assert.deepEqual(lock.args, [{ k: 'addr', obj: { k: 'local', name: 'mapping' }, field: 'private_lock', tag: 'address_space' }]);
  // Three buffers in a ring: set_buffer_dirty runs once per buffer.
  const r = evaluate(f.program, ['page:P'], {
    calls: { page_mapping: 'mapping:F', page_has_buffers: 1, page_buffers: 'bh:1' },
    fields: { 'bh:1.b_this_page': 'bh:2', 'bh:2.b_this_page': 'bh:3', 'bh:3.b_this_page': 'bh:1' },
  });
  assert.deepEqual(r.calls, [
    'page_mapping', 'spin_lock', 'page_has_buffers', 'page_buffers',
    'set_buffer_dirty', 'set_buffer_dirty', 'set_buffer_dirty', 'spin_unlock', 'TestSetPageDirty',
  ]);
  assert.deepEqual(r.callArgs.slice(4, 7).map((a) => a[0]), ['bh:1', 'bh:2', 'bh:3']);
  assert.deepEqual(r.callArgs[1], ['&mapping:F->private_lock']);
  assert.equal(r.ret, 1);
});

test('page->mapping != mapping is a load step; gotos forward and backward', () => {
  const f = lift(INVALIDATE_ONE, 'invalidate_one_page');
  assert.equal(f.status, 'clean');
  assert.equal(code(f.program), [
    ' 0    4  ret = 0',
    ' 1    5  tries = 0',
    ' 2 *  8  lock_page(page)',
    ' 3 *  9  $t0 = load page->mapping',
    ' 4       if ($t0 != mapping) goto 5 else 6',
    ' 5       goto 15',
    ' 6 * 11  $t1 = PageWriteback(page)',
    ' 7       if ($t1) goto 8 else 13',
    ' 8 * 12  unlock_page(page)',
    ' 9   13  tries = tries + 1',
    '10       if (tries < 3) goto 11 else 12',
    '11       goto 2',
    '12   15  return -EBUSY',
    '13 * 17  $t2 = remove_mapping(mapping, page)',
    '14   17  ret = $t2',
    '15 * 19  unlock_page(page)',
    '16   20  return ret',
  ].join('\n'));
  const load = f.program.code[3];
  assert.deepEqual(load, {
    op: 'load', dst: '$t0', obj: { k: 'local', name: 'page' }, field: 'mapping',
    at: { line: 9, column: 6, text: 'page->mapping' }, tag: 'page',
  });

  // Truncated under us: page->mapping no longer matches.
  const gone = evaluate(f.program, ['mapping:F', 'page:P'], { fields: { 'page:P.mapping': null } });
  assert.deepEqual(gone.calls, ['lock_page', 'unlock_page']);
  assert.equal(gone.ret, 0);
  // Under writeback three times: retries via the backward goto, then -EBUSY.
  const busy = evaluate(f.program, ['mapping:F', 'page:P'], {
    fields: { 'page:P.mapping': 'mapping:F' }, calls: { PageWriteback: 1 }, syms: { EBUSY: 16 },
  });
  assert.deepEqual(busy.calls, [
    'lock_page', 'PageWriteback', 'unlock_page', 'lock_page', 'PageWriteback', 'unlock_page',
    'lock_page', 'PageWriteback', 'unlock_page',
  ]);
  assert.equal(busy.ret, -16);
  const ok = evaluate(f.program, ['mapping:F', 'page:P'], {
    fields: { 'page:P.mapping': 'mapping:F' }, calls: { remove_mapping: 1 },
  });
  assert.deepEqual(ok.calls, ['lock_page', 'PageWriteback', 'remove_mapping', 'unlock_page']);
  assert.equal(ok.ret, 1);
});
