/**
 * The page wait queues since PG_waiters (4.10): entries that are the waiting tasks'
 * on-stack wait_page_queue, each with its WQ_FLAG_* word (`task:T.wflags`, read by the
 * waiter without the queue lock) and its wake function, kept in the queue entry as the
 * kernel keeps wait->func. Everything done under the hashed queue's spinlock is one
 * step: queueing (with PG_waiters set), finish_wait()'s removal, and a whole wake-up
 * walk (__wake_up_common with one exclusive wake-up, then PG_waiters cleared when no
 * waiter of the page is left). The model keeps one queue per (page, bit): the kernel's
 * queue is hashed per page and its wake function skips entries of the other bit, which
 * neither count as woken nor stop the walk, so the two orders agree.
 *
 * Two wake functions, as the kernel's wake_page_function() was written:
 *  - WAKE_PAGE_AUTOREMOVE (4.10 to 5.8): skip the waiter while the bit is set again,
 *    else autoremove_wake_function(): the waiter counts as woken only if
 *    try_to_wake_up() found it asleep, and only then leaves the queue;
 *  - WAKE_PAGE_FLAGS (5.9 on): an exclusive waiter stops the walk while the bit is set;
 *    a WQ_FLAG_CUSTOM one gets the bit from the waker (WQ_FLAG_DONE); every waiter the
 *    walk reaches gets WQ_FLAG_WOKEN, is woken and leaves the queue, and an exclusive
 *    one counts whatever try_to_wake_up() said.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { bitArg, livePage, num } from './args.js';
import { TASK_NORMAL, taskArg, tryToWakeUp } from './sched.js';

/** include/linux/wait.h (6.1): wait_queue_entry flags. */
export const WQ_FLAG_EXCLUSIVE = 0x01;
export const WQ_FLAG_WOKEN = 0x02;
export const WQ_FLAG_CUSTOM = 0x08;
export const WQ_FLAG_DONE = 0x10;

/** Which wake_page_function() an entry was queued with (wait->func), as numbers C code passes. */
export const WAKE_PAGE_AUTOREMOVE = 1;
export const WAKE_PAGE_FLAGS = 2;
const WAKE_FUNCTIONS: Readonly<Record<number, string>> = { [WAKE_PAGE_AUTOREMOVE]: 'a', [WAKE_PAGE_FLAGS]: 'f' };

const QUEUED_BITS = ['locked', 'writeback'];

interface Entry { tid: string; fn: string }

function entries(c: StepContext, page: string, bit: string): Entry[] {
  const s = c.get(key.waitq(page, bit));
  if (typeof s !== 'string' || !s) return [];
  return s.split(',').map((e) => {
    const slash = e.indexOf('/');
    if (slash < 0) throw new PrimitiveError(`wait queue of ${page} (${bit}) holds an entry of the older queue model: '${e}'`);
    return { tid: e.slice(0, slash), fn: e.slice(slash + 1) };
  });
}

function setEntries(c: StepContext, page: string, bit: string, list: readonly Entry[]): void {
  c.set(key.waitq(page, bit), list.map((e) => `${e.tid}/${e.fn}`).join(','));
}

function wakeFunction(v: Value): string {
  const fn = typeof v === 'number' ? WAKE_FUNCTIONS[v] : undefined;
  if (!fn) throw new PrimitiveError(`unknown wake function ${String(v)} (WAKE_PAGE_AUTOREMOVE or WAKE_PAGE_FLAGS)`);
  return fn;
}

const flagsOf = (c: StepContext, tid: string): number => num(c.get(key.taskWaitFlags(tid)));

/** __add_wait_queue() puts a non-exclusive entry first, __add_wait_queue_entry_tail() an exclusive one last. */
function enqueue(c: StepContext, page: string, bit: string, tid: string, fn: string, exclusive: boolean): void {
  const list = entries(c, page, bit);
  setEntries(c, page, bit, exclusive ? [...list, { tid, fn }] : [{ tid, fn }, ...list]);
}

/** One wake function call on one entry: <0 stops the walk, >0 counts as a wake-up. */
function wakeOne(c: StepContext, page: string, bit: string, e: Entry, remove: () => void): number {
  const bitSet = c.get(key.pageFlag(page, bit)) === 1;
  let flags = flagsOf(c, e.tid);
  if (e.fn === 'a') {
    if (bitSet) return 0;
    const woke = tryToWakeUp(c, e.tid, TASK_NORMAL);
    if (woke) remove();
    c.remark(woke ? `wakes ${e.tid}` : `${e.tid} is running already: not counted as woken, stays queued`);
    return woke;
  }
  if (flags & WQ_FLAG_EXCLUSIVE) {
    if (bitSet) return -1;
    if (flags & WQ_FLAG_CUSTOM) {
      c.set(key.pageFlag(page, bit), 1);
      flags |= WQ_FLAG_DONE;
      c.remark(`hands PG_${bit} over to ${e.tid}`);
    }
  }
  c.set(key.taskWaitFlags(e.tid), flags | WQ_FLAG_WOKEN);
  tryToWakeUp(c, e.tid, TASK_NORMAL);
  remove();
  c.remark(`wakes ${e.tid} (WQ_FLAG_WOKEN)`);
  return flags & WQ_FLAG_EXCLUSIVE ? 1 : 0;
}

// a page is waited on for PG_locked or PG_writeback: a bit given as a variable is one of the two
const QUEUE_READS = ['wait queue', 'PG_<wait bit>', 'PG_waiters', 'task state', 'wait entry flags'];

/** Those handed a page touch its bits and its wait queues alone (objectArg); the tasks they wake are any. */
export const pageWaitPrimitives: Primitive[] = [
  {
    names: ['page_wait_queue_enter'],
    doc: '4.10 to 5.8, under the queue lock: queues the caller (exclusive ones last) unless it is queued already, sets PG_waiters and the task state',
    objectArg: 0,
    reads: QUEUE_READS, writes: ['wait queue', 'PG_waiters', 'task state', 'wait entry flags'],
    run: (c, [p, b, wflags, fn, state]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      if (!entries(c, page, bit).some((e) => e.tid === c.tid)) {
        enqueue(c, page, bit, c.tid, wakeFunction(fn), (num(wflags) & WQ_FLAG_EXCLUSIVE) !== 0);
        c.set(key.taskWaitFlags(c.tid), num(wflags));
        c.set(key.pageFlag(page, 'waiters'), 1);
      }
      c.set(key.taskState(c.tid), num(state));
      return 0;
    },
  },
  {
    names: ['folio_wait_queue_add'],
    doc: '5.9 on, under the queue lock: sets PG_waiters, takes (exclusive) or checks the bit once more (folio_trylock_flag: WQ_FLAG_WOKEN | WQ_FLAG_DONE), else queues the caller last',
    objectArg: 0,
    reads: QUEUE_READS, writes: ['wait queue', 'PG_waiters', 'PG_<wait bit>', 'wait entry flags'],
    run: (c, [p, b, wflags, fn]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      let flags = num(wflags);
      c.set(key.pageFlag(page, 'waiters'), 1);
      const k = key.pageFlag(page, bit);
      if (c.get(k) !== 1) {
        if (flags & WQ_FLAG_EXCLUSIVE) c.set(k, 1);
        flags |= WQ_FLAG_WOKEN | WQ_FLAG_DONE;
      } else {
        enqueue(c, page, bit, c.tid, wakeFunction(fn), true);
      }
      c.set(key.taskWaitFlags(c.tid), flags);
      return 0;
    },
  },
  {
    names: ['prepare_to_sleep_flags'],
    doc: 'set_current_state(state), then smp_load_acquire(&wait->flags), as one step: a waker sets WQ_FLAG_WOKEN before it wakes the task, so a wake-up between the two is seen by the load exactly as one just before the store',
    reads: ['task state', 'wait entry flags'], writes: ['task state'],
    run: (c, [w, state]) => {
      const tid = taskArg(c, w);
      if (tid !== c.tid) throw new PrimitiveError(`prepare_to_sleep_flags: ${tid}'s wait entry used by ${c.tid}`);
      c.set(key.taskState(tid), num(state));
      return flagsOf(c, tid);
    },
  },
  {
    names: ['test_wait_bit'],
    doc: 'test_bit(bit_nr, &page->flags) on the bit a page wait is for (PG_locked or PG_writeback)',
    objectArg: 1,
    reads: ['PG_<wait bit>'],
    run: (c, [b, p]) => (c.get(key.pageFlag(livePage(c, p), bitArg(b))) === 1 ? 1 : 0),
  },
  {
    names: ['test_and_set_wait_bit'],
    doc: 'test_and_set_bit(_lock)(bit_nr, &page->flags) on the bit a page wait is for: sets it, returns its old value',
    objectArg: 1,
    reads: ['PG_<wait bit>'], writes: ['PG_<wait bit>'],
    run: (c, [b, p]) => {
      const k = key.pageFlag(livePage(c, p), bitArg(b));
      const old = c.get(k) === 1 ? 1 : 0;
      c.set(k, 1);
      return old;
    },
  },
  {
    names: ['wait_entry_flags'],
    doc: 'smp_load_acquire(&wait->flags): the WQ_FLAG_* word of the task\'s wait entry, which a waker may set',
    reads: ['wait entry flags'],
    run: (c, [w]) => flagsOf(c, taskArg(c, w)),
  },
  {
    names: ['wait_entry_set_flags'],
    doc: 'wait->flags = v, by the waiting task itself',
    reads: ['wait entry flags'], writes: ['wait entry flags'],
    run: (c, [w, v]) => { c.set(key.taskWaitFlags(taskArg(c, w)), num(v)); return 0; },
  },
  {
    names: ['page_wait_finish'],
    doc: 'finish_wait(): the task runs again and leaves the queue if a waker has not removed it already; returns wait->flags, stable from then on (no waker can reach the entry)',
    objectArg: 0,
    reads: ['wait queue', 'task state', 'wait entry flags'], writes: ['wait queue', 'task state'],
    run: (c, [p, b]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      c.set(key.taskState(c.tid), 0);
      const list = entries(c, page, bit);
      if (list.some((e) => e.tid === c.tid)) setEntries(c, page, bit, list.filter((e) => e.tid !== c.tid));
      return flagsOf(c, c.tid);
    },
  },
  {
    names: ['page_wake_bit_locked'],
    doc: 'under the queue lock: __wake_up_common() over (page, bit) with each entry\'s wake function and one exclusive wake-up, then clears PG_waiters when no waiter of the page is left',
    objectArg: 0,
    reads: [...QUEUE_READS, 'all wait queues of the page'], writes: ['wait queue', 'PG_waiters', 'PG_<wait bit>', 'task state', 'wait entry flags'],
    run: (c, [p, b]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      let list = entries(c, page, bit);
      let nrExclusive = 1;
      for (const e of [...list]) {
        const exclusive = (flagsOf(c, e.tid) & WQ_FLAG_EXCLUSIVE) !== 0;
        const ret = wakeOne(c, page, bit, e, () => { list = list.filter((x) => x.tid !== e.tid); });
        if (ret < 0) break;
        if (ret && exclusive && --nrExclusive === 0) break;
      }
      setEntries(c, page, bit, list);
      if (!QUEUED_BITS.some((x) => entries(c, page, x).length > 0)) c.set(key.pageFlag(page, 'waiters'), 0);
      return 0;
    },
  },
];
