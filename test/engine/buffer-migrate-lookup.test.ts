/**
 * buffer-migrate-lookup (issue 17, item 3) on the built-in eras: 5.2's
 * buffer_migrate_page_norefs() drops private_lock between its check that no buffer is
 * referenced and the move; __find_get_block() takes a reference in between, and the
 * update its user makes through the buffer is lost to the copy of the old page.
 * ebdf4de5642f (5.3; 6.1's __buffer_migrate_folio) keeps the lock; the overlay
 * migrate-unlocked reverts it in 6.1's model.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findStep, runBuiltin } from './fixtures.js';

const RACE = 'buffer-migrate-lookup';

describe('buffer-migrate-lookup on the built-in eras', () => {
  for (const era of ['5.2', '6.1+migrate-unlocked']) {
    it(`${era}: violated update-lost-to-migration, the lookup between the check and the move`, () => {
      const r = runBuiltin(RACE, era);
      assert.equal(r.verdict, 'violated', r.message);
      assert.equal(r.invariant, 'update-lost-to-migration');
      assert.equal(r.asExpected, true);
      assert.match(r.message ?? '', /the update v1 made through buffer P\.0 is not in page N, which the cache holds \(it has v0\)/);
      const t = r.trace!;
      // migration finds no buffer referenced and drops private_lock
      const check = findStep(t, { cpu: 'P0', op: 'atomic_read(bh/P.0.b_count) = 0' });
      assert.ok(check >= 0, 'migration reads b_count 0');
      // the lookup takes private_lock and a reference after the check
      const ref = findStep(t, { cpu: 'P1', op: 'atomic_inc(bh/P.0.b_count)' });
      assert.ok(ref > check, 'the lookup takes its reference after the check');
      // the page moves, the buffer points into the new page, the user writes there, the copy overwrites it
      const moved = findStep(t, { cpu: 'P0', op: /^(migrate_page_move_mapping|folio_migrate_mapping)\(B, N, P, .*\) = 0$/ });
      assert.ok(moved > check);
      const write = findStep(t, { cpu: 'P1', op: 'buffer_write_data(P.0)' });
      const copy = findStep(t, { cpu: 'P0', op: /^(migrate_page_copy|folio_migrate_copy)\(N, P\)$/ });
      assert.ok(write > ref && copy > write, 'the copy of the old page comes after the update');
    });
  }

  for (const era of ['5.3', '6.1']) {
    it(`${era}: holds, private_lock kept from the check until the page has moved`, () => {
      const r = runBuiltin(RACE, era);
      assert.equal(r.verdict, 'holds', r.message);
      assert.equal(r.asExpected, true);
      assert.ok(r.executions > 1);
    });
  }

  it('5.3: every interleaving ends with the update in the cached page, and some migrate', () => {
    const r = runBuiltin(RACE, '5.3', undefined, { stopAtFirstViolation: false });
    assert.equal(r.verdict, 'holds');
    assert.equal(r.violations, 0);
  });
});
