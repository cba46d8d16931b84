/**
 * Local arrays, folio batches and unsigned comparisons, on the kernel-style fixture
 * test/fixtures/kernel/lift-arrays/arrays.c: the listing the lifter produces and its
 * behaviour under the reference evaluator with fake primitives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commonType, intTypeNamed } from 'racelens-server/out/lift/types.js';
import type { Value } from 'racelens-server/out/sim/program.js';
import { evaluate } from './evaluator.js';
import { lift, noteTexts, ops } from './helpers.js';

const FIXTURE = fs.readFileSync(path.resolve(__dirname, '..', '..', 'fixtures', 'kernel', 'lift-arrays', 'arrays.c'), 'utf8');

const arr = (...items: Value[]): string => `arr:${JSON.stringify(items)}`;

test('a local batch and index array: declared empty, filled through &fbatch and indices, read by subscript', () => {
  const f = lift(FIXTURE, 'last_cached_index');
  assert.equal(f.status, 'clean', noteTexts(f.program).join('; '));
  const listing = ops(f.program);
  assert.ok(listing.includes('fbatch = {}'));
  assert.ok(listing.includes('indices = {}'));
  assert.ok(listing.includes('$t0 = find_get_entries(mapping, start, end - 1, &fbatch, &indices)'), listing.join('\n'));
  assert.ok(listing.includes('folio_mark_accessed(fbatch[i])'));
  assert.ok(listing.includes('start = indices[$t2 - 1]'));

  const r = evaluate(f.program, ['mapping:F', 0], {
    calls: {
      folio_batch_init: (_a, out) => { out(0, arr()); return 0; },
      find_get_entries: (_a, out) => { out(3, arr('page:P', 'page:Q')); out(4, arr(0, 3)); return 2; },
      folio_batch_count: ([b]) => (JSON.parse(String(b).slice(4)) as Value[]).length,
      folio_batch_release: (_a, out) => { out(0, arr()); return 0; },
    },
  });
  assert.equal(r.ret, 3, 'the last index found');
  assert.deepEqual(r.callArgs.filter((_, i) => r.calls[i] === 'folio_mark_accessed'), [['page:P'], ['page:Q']]);
});

test('pgoff_t end = -1 is the highest index: index < end compares unsigned', () => {
  const f = lift(FIXTURE, 'index_below_end');
  assert.equal(f.status, 'clean');
  assert.ok(ops(f.program).includes('return index <u end'), ops(f.program).join('\n'));
  assert.equal(evaluate(f.program, [5, -1]).ret, 1, 'whole file: every index is below the end');
  assert.equal(evaluate(f.program, [5, 4095], { syms: { PAGE_SHIFT: 12 } }).ret, 0, 'end = 1 page');
  assert.equal(evaluate(f.program, [0, 4095], { syms: { PAGE_SHIFT: 12 } }).ret, 1);
});

test('C conversions decide signedness: long vs int signed, int vs unsigned int unsigned', () => {
  const s = lift(FIXTURE, 'long_below_int');
  assert.ok(ops(s.program).includes('return a < b'));
  assert.equal(evaluate(s.program, [-1, 0]).ret, 1);
  const u = lift(FIXTURE, 'int_below_unsigned');
  assert.ok(ops(u.program).includes('return a <u b'));
  assert.equal(evaluate(u.program, [-1, 0]).ret, 0, '-1 converts to UINT_MAX');
});

test('a cast to u64 and a loff_t plus size_t sum make the comparison unsigned', () => {
  const c = lift(FIXTURE, 'fits_below_cast');
  assert.ok(ops(c.program).includes('return pos + 4096 <=u end'), ops(c.program).join('\n'));
  assert.equal(evaluate(c.program, [0, -1]).ret, 1, '(u64)-1 is the largest offset');
  const m = lift(FIXTURE, 'before_folio_end');
  // long long + unsigned long is unsigned long long in C: lend = -1 is not below it
  assert.ok(ops(m.program).includes('return lend <u $t0 + $t1'), ops(m.program).join('\n'));
  assert.equal(evaluate(m.program, [-1, 'page:P'], { calls: { folio_pos: 0, folio_size: 4096 } }).ret, 0);
});

test('a batch pointer parameter: ->nr through the count helper, ->folios[i] and a pointer subscript', () => {
  const f = lift(FIXTURE, 'matching_indices');
  const listing = ops(f.program);
  assert.ok(listing.includes('$t0 = folio_batch_count(fbatch)'), listing.join('\n'));
  assert.ok(listing.includes('if (indices[i] == fbatch[i]->index) goto 6 else 7'), listing.join('\n'));
  assert.deepEqual(noteTexts(f.program), ["'indices[...]' reads an element of the local array passed in 'indices'"]);
  const r = evaluate(f.program, [arr('page:P', 'page:Q'), arr(0, 7)], {
    calls: { folio_batch_count: 2 },
    fields: { 'page:P.index': 0, 'page:Q.index': 1 },
  });
  assert.equal(r.ret, 1);
});

test('an initialized local array', () => {
  const f = lift(FIXTURE, 'first_of_three');
  assert.equal(f.status, 'clean');
  assert.deepEqual(ops(f.program), ['vals = {7, 8, 9}', 'return vals[0] + vals[2]']);
  assert.equal(evaluate(f.program, []).ret, 16);
});

test('integer types by name and the usual arithmetic conversions', () => {
  assert.deepEqual(intTypeNamed('pgoff_t'), { bits: 64, unsigned: true, rank: 4 });
  assert.deepEqual(intTypeNamed('unsigned long int'), { bits: 64, unsigned: true, rank: 4 });
  assert.deepEqual(intTypeNamed('const loff_t'), { bits: 64, unsigned: false, rank: 5 });
  assert.deepEqual(intTypeNamed('short'), { bits: 16, unsigned: false, rank: 2 });
  assert.equal(intTypeNamed('struct folio'), undefined);
  // long long + unsigned long: unsigned long long; long + unsigned int: long
  assert.equal(commonType(intTypeNamed('loff_t'), intTypeNamed('size_t')).unsigned, true);
  assert.equal(commonType(intTypeNamed('long'), intTypeNamed('unsigned int')).unsigned, false);
  assert.equal(commonType(intTypeNamed('u8'), intTypeNamed('int')).unsigned, false, 'u8 promotes to int');
});
