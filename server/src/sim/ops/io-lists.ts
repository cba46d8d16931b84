/**
 * The writeback lists an inode is on (wb->b_dirty, b_io, b_more_io, b_dirty_time),
 * held as data: an inode's `i_io_list` is plain memory naming the list head it is
 * linked on ("wb/F.b_dirty"), or 0 when the list_head points to itself (off every
 * list). A head holds nothing of its own: it is empty when no inode names it. So
 * list_move()/list_move_tail() and list_del_init() are one write each, and the kernel
 * takes them under wb->list_lock (and, from 5.9, the inode's i_lock), which the code
 * around them locks as it does. The order of the inodes on a list is not kept: the
 * modeled scenarios have one inode per wb, and what a race can lose is membership.
 * Only inodes' i_io_list are list nodes here.
 */
import type { Value } from '../program.js';
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { key } from '../world.js';
import { lockArg, plainAddressKey } from './args.js';
import { isWaitListAddress, waitListDel, waitListEmpty, waitListLocal } from './waitlist.js';
import { isListHead, members } from '../lru-lists.js';
import { lruListArgs } from './list-kinds.js';

/** The list_head at an address: its own location and its name ("wb/F.b_dirty"). */
function listHead(v: Value): { at: string; name: string } {
  const at = plainAddressKey(v);
  if (!at) throw new PrimitiveError(`expected the address of a list_head in a modeled object, got ${v === null ? 'NULL' : String(v)}`);
  return { at, name: at.slice('fld:'.length) };
}

/** The list node at the address, which must be an inode's i_io_list. */
function node(v: Value): string {
  const h = listHead(v);
  if (!h.name.startsWith('inode/') || !h.name.endsWith('.i_io_list')) {
    throw new PrimitiveError(`${h.name} is not a list node the model keeps (only inode->i_io_list is)`);
  }
  return h.at;
}

/** Whether some inode is linked on the head. */
function occupied(c: StepContext, head: string): boolean {
  for (const f of c.layout.files.keys()) {
    if (c.get(key.field('inode', f, 'i_io_list')) === head) return true;
  }
  return false;
}

function move(c: StepContext, entry: Value, head: Value): number {
  const at = node(entry);
  const to = listHead(head);
  if (to.name.endsWith('.i_io_list')) throw new PrimitiveError(`list_move onto ${to.name}, a node, not a list head`);
  c.set(at, to.name);
  return 0;
}

export const ioListPrimitives: Primitive[] = [
  {
    names: ['list_move', 'list_move_tail'],
    doc: 'unlinks the inode\'s i_io_list from the list it is on (if any) and links it on the head (the inode is on that wb list now)',
    reads: ['plain field'], writes: ['plain field'],
    run: (c, [entry, head]) => move(c, entry, head),
  },
  {
    names: ['list_del_init'],
    doc: 'unlinks the inode\'s i_io_list from its list and points it at itself (the inode is on no wb list); a wait entry leaves its queue (ops/waitlist.ts)',
    reads: ['writeback list', 'wait list'], writes: ['writeback list', 'wait list'],
    localWhen: (c, args) => waitListLocal(c, 'write', args),
    run: (c, [entry]) => {
      if (isWaitListAddress(entry)) return waitListDel(c, entry);
      c.set(node(entry), 0);
      return 0;
    },
  },
  {
    names: ['list_empty', 'list_empty_careful'],
    doc: 'whether a list head has no entry, or a node is on no list (its list_head points to itself): an inode\'s i_io_list and the wb lists, a wait queue and its entries (ops/waitlist.ts), or reclaim\'s lists of folios (lru-lists.ts)',
    reads: ['writeback list', 'wait list', 'folio lru'],
    // reclaim's lists are handed over as list heads in locals, not as &obj->field: the thread's own (ops/lru.ts)
    pureFor: lruListArgs,
    localWhen: (c, args) => waitListLocal(c, 'read', args),
    run: (c, [v]) => {
      if (isWaitListAddress(v)) return waitListEmpty(c, v);
      if (isListHead(v)) return members(c, v).length ? 0 : 1;
      const h = listHead(v);
      if (h.name.endsWith('.i_io_list')) return c.get(h.at) ? 0 : 1;
      return occupied(c, h.name) ? 0 : 1;
    },
  },
  {
    names: ['assert_spin_locked'],
    doc: 'BUG unless the spinlock is held (by any CPU: the kernel\'s check cannot tell which)',
    reads: ['lock'],
    run: (c, [l]) => {
      const lock = lockArg(l);
      if (c.get(key.lock(lock)) === null) c.violate('bug-on', `assert_spin_locked(${lock}) fired: the lock is not held`);
      return 0;
    },
  },
  {
    names: ['hlist_unhashed'],
    doc: 'whether an hlist node is on no hash chain: a modeled file\'s inode is hashed (iget_locked put it in the inode hash), so 0',
    pure: true,
    run: (_c, [n]) => {
      const at = plainAddressKey(n);
      if (!at?.startsWith('fld:inode/') || !at.endsWith('.i_hash')) throw new PrimitiveError(`hlist_unhashed of ${String(n)}: only an inode's i_hash is modeled`);
      return 0;
    },
  },
  // the wait for I_SYNC to clear (__inode_wait_for_writeback): a bit of a plain word, inode->i_state
  {
    names: ['bit_waitqueue'],
    doc: 'the wait queue of a bit of a word in memory: here, a name for the word and the bit',
    pure: true,
    run: (_c, [word, bit]) => {
      const at = plainAddressKey(word);
      if (!at || typeof bit !== 'number') throw new PrimitiveError(`bit_waitqueue of ${String(word)} bit ${String(bit)}: only a bit of a plain word (inode->i_state) is modeled`);
      return `bitwq:${at}#${bit}`;
    },
  },
  {
    names: ['wake_up_var'],
    doc: 'wakes the sleepers of wait_var_event() on an address (6.12\'s inode_wake_up_bit): a modeled sleeper waits until its condition holds, so there is nothing to do',
    pure: true,
    run: () => 0,
  },
  {
    names: ['__wait_on_bit'],
    doc: 'sleeps until the bit of the wait queue\'s word is clear (wake_up_bit wakes the sleepers; a sleeper that finds the bit clear returns)',
    reads: ['plain field'],
    blocks: (c, [wq]) => bitSet(c, wq),
    run: () => 0,
  },
];

function bitSet(c: StepContext, wq: Value): boolean {
  const m = typeof wq === 'string' ? /^bitwq:(.*)#(\d+)$/.exec(wq) : null;
  if (!m) throw new PrimitiveError(`expected a bit wait queue (bit_waitqueue), got ${String(wq)}`);
  const v = c.get(m[1]);
  return typeof v === 'number' && (v & (1 << Number(m[2]))) !== 0;
}
