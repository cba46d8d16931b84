/**
 * Lipton's movers in traces: a spin lock taken with the step after it and released
 * with the step before it is one atomic step, shown as rows with one step number.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findStep, runBuiltin } from './fixtures.js';

describe('lock movers', () => {
  const r = runBuiltin('mmap-dirty-lost', '2.6.19');
  const t = r.trace!;

  it('spin_lock(private_lock) shares its step with the step after it', () => {
    const lock = findStep(t, { cpu: 'P0', op: 'spin_lock(F.private_lock)' });
    assert.ok(lock >= 0);
    assert.equal(t[lock + 1]!.op, 'page_has_buffers(P) = 1');
    assert.equal(t[lock + 1]!.step, t[lock]!.step);
    // the buffer dirtying under the lock is a step of its own: the journal may run between
    const dirty = findStep(t, { cpu: 'P0', op: 'set_buffer_dirty(P.0)' });
    assert.equal(t[dirty]!.step, t[lock]!.step + 1);
  });

  it('spin_unlock shares its step with the step before it', () => {
    const unlock = findStep(t, { cpu: 'P0', op: 'spin_unlock(F.private_lock)' });
    assert.ok(unlock > 0);
    assert.equal(t[unlock]!.step, t[unlock - 1]!.step);
    assert.equal(t[unlock - 1]!.cpu, 'P0');
  });

  it('the schedule has one entry per step, not per row', () => {
    const steps = new Set(t.map((row) => row.step));
    assert.equal(r.schedule!.split(' ').length, steps.size);
    assert.ok(steps.size < t.length);
  });
});
