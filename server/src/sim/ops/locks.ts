/**
 * Sleeping and spinning locks. A thread that cannot take a lock is simply not
 * runnable until the holder lets go, which is what both PG_locked sleepers and
 * spinners look like to the other CPUs.
 */
import type { Primitive } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { key } from '../world.js';
import type { Value } from '../program.js';
import { bhStateLock } from '../objects.js';
import { bhArg, livePage, lockArg } from './args.js';

/**
 * The lock a bit lock names: BH_Uptodate_Lock in a buffer's b_state (before 5.8) is
 * the page's buffer-completion lock, the one b_uptodate_lock is since.
 */
function bitLock(nr: Value, word: Value): string {
  if (typeof word === 'string' && word.startsWith('bh:') && nr === 'bhbit:uptodate_lock') return bhStateLock(word.slice(3));
  return lockArg(word);
}

export const lockPrimitives: Primitive[] = [
  {
    names: ['lock_page', '__lock_page', 'folio_lock'],
    doc: 'sleeps until PG_locked is clear, then sets it',
    // PG_locked of this page alone
    objectArg: 0,
    reads: ['PG_locked'], writes: ['PG_locked'],
    blocks: (c, [p]) => !!c.get(key.pageFlag(livePage(c, p), 'locked')),
    run: (c, [p]) => { c.set(key.pageFlag(livePage(c, p), 'locked'), 1); return 0; },
  },
  {
    names: ['trylock_page', 'folio_trylock'],
    doc: 'sets PG_locked if it was clear; returns whether it did',
    // PG_locked of this page alone
    objectArg: 0,
    reads: ['PG_locked'], writes: ['PG_locked'],
    run: (c, [p]) => {
      const k = key.pageFlag(livePage(c, p), 'locked');
      if (c.get(k)) return 0;
      c.set(k, 1);
      return 1;
    },
  },
  {
    names: ['unlock_page', 'folio_unlock'],
    doc: 'clears PG_locked and wakes its sleepers',
    // PG_locked of this page alone
    objectArg: 0,
    reads: ['PG_locked'], writes: ['PG_locked'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      if (!c.get(key.pageFlag(page, 'locked'))) c.violate('bug-on', `unlock_page(${page}) on an unlocked page (VM_BUG_ON_PAGE(!PageLocked))`);
      c.set(key.pageFlag(page, 'locked'), 0);
      return 0;
    },
  },
  {
    names: [
      'spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'spin_lock_bh', 'write_lock_irq', 'read_lock_irq',
      'write_lock', 'read_lock', 'xa_lock', 'xa_lock_irq', 'xa_lock_irqsave', 'mutex_lock', 'down_write', 'down_read',
      'i_mmap_lock_write', 'i_mmap_lock_read',
    ],
    doc: 'spins (or sleeps) until the lock is free, then holds it (reader-writer locks are taken exclusively)',
    reads: ['lock'], writes: ['lock'], mover: 'acquire',
    blocks: (c, [l]) => c.get(key.lock(lockArg(l))) !== null,
    run: (c, [l]) => { c.set(key.lock(lockArg(l)), c.tid); return 0; },
  },
  {
    names: [
      'spin_unlock', 'spin_unlock_irq', 'spin_unlock_irqrestore', 'spin_unlock_bh', 'write_unlock_irq', 'read_unlock_irq',
      'write_unlock', 'read_unlock', 'xa_unlock', 'xa_unlock_irq', 'xa_unlock_irqrestore', 'mutex_unlock', 'up_write', 'up_read',
      'i_mmap_unlock_write', 'i_mmap_unlock_read',
    ],
    doc: 'releases the lock',
    reads: ['lock'], writes: ['lock'], mover: 'release',
    run: (c, [l]) => {
      const k = key.lock(lockArg(l));
      if (c.get(k) !== c.tid) throw new PrimitiveError(`${c.tid} releases ${lockArg(l)} which it does not hold`);
      c.set(k, null);
      return 0;
    },
  },
  {
    names: ['bit_spin_lock'],
    doc: 'spins until the bit lock is free, then holds it',
    reads: ['lock'], writes: ['lock'], mover: 'acquire',
    blocks: (c, [nr, l]) => c.get(key.lock(bitLock(nr, l))) !== null,
    run: (c, [nr, l]) => { c.set(key.lock(bitLock(nr, l)), c.tid); return 0; },
  },
  {
    names: ['bit_spin_unlock', '__bit_spin_unlock'],
    doc: 'releases the bit lock',
    reads: ['lock'], writes: ['lock'], mover: 'release',
    run: (c, [nr, l]) => { c.set(key.lock(bitLock(nr, l)), null); return 0; },
  },
  {
    names: ['lock_buffer'],
    doc: 'sleeps until BH_Lock is clear, then sets it',
    // BH_Lock of this buffer alone
    objectArg: 0,
    reads: ['BH_Lock'], writes: ['BH_Lock'],
    blocks: (c, [b]) => !!c.get(key.bhFlag(bhArg(c, b), 'locked')),
    run: (c, [b]) => { c.set(key.bhFlag(bhArg(c, b), 'locked'), 1); return 0; },
  },
  {
    names: ['trylock_buffer'],
    doc: 'sets BH_Lock if clear; returns whether it did',
    // BH_Lock of this buffer alone
    objectArg: 0,
    reads: ['BH_Lock'], writes: ['BH_Lock'],
    run: (c, [b]) => {
      const k = key.bhFlag(bhArg(c, b), 'locked');
      if (c.get(k)) return 0;
      c.set(k, 1);
      return 1;
    },
  },
  {
    names: ['buffer_locked'],
    doc: 'tests BH_Lock',
    // BH_Lock of this buffer alone
    objectArg: 0,
    reads: ['BH_Lock'],
    run: (c, [b]) => (c.get(key.bhFlag(bhArg(c, b), 'locked')) ? 1 : 0),
  },
  {
    names: ['unlock_buffer'],
    doc: 'clears BH_Lock and wakes its sleepers',
    // BH_Lock of this buffer alone
    objectArg: 0,
    reads: ['BH_Lock'], writes: ['BH_Lock'],
    run: (c, [b]) => { c.set(key.bhFlag(bhArg(c, b), 'locked'), 0); return 0; },
  },
];
