/**
 * Page wait queues, per (page, bit). A waiter queues itself and re-checks the bit in
 * one step (as wait_on_page_bit_common does under the queue lock), then sleeps until
 * a wake-up marks its entry. Whether it then re-checks the bit is up to the era's
 * model of wait_on_page_bit: the queue itself wakes non-exclusive waiters on any
 * wake-up of their bit, as 5.10's wake_page_function does.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { key } from '../world.js';
import { bitArg, livePage } from './args.js';

function entries(c: StepContext, page: string, bit: string): string[] {
  const s = c.get(key.waitq(page, bit));
  return typeof s === 'string' && s ? s.split(',') : [];
}

function setEntries(c: StepContext, page: string, bit: string, list: string[]): void {
  c.set(key.waitq(page, bit), list.join(','));
}

const WAIT_BITS = ['locked', 'writeback'];

export const waitQueuePrimitives: Primitive[] = [
  {
    names: ['page_wait_queue_add'],
    doc: 'under the wait-queue lock: sets PG_waiters, and queues the caller if the bit is still set; returns whether it queued',
    reads: ['PG_<bit>', 'wait queue'], writes: ['PG_waiters', 'wait queue'],
    run: (c, [p, b]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      c.set(key.pageFlag(page, 'waiters'), 1);
      if (!c.get(key.pageFlag(page, bit))) return 0;
      setEntries(c, page, bit, [...entries(c, page, bit), c.tid]);
      return 1;
    },
  },
  {
    names: ['wait_queue_add_bit'],
    doc: 'under the wait-queue lock: queues the caller if the bit is still set (no PG_waiters before 4.10); returns whether it queued',
    reads: ['PG_<bit>', 'wait queue'], writes: ['wait queue'],
    run: (c, [p, b]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      if (!c.get(key.pageFlag(page, bit))) return 0;
      setEntries(c, page, bit, [...entries(c, page, bit), c.tid]);
      return 1;
    },
  },
  {
    names: ['page_wait_sleep'],
    doc: 'sleeps until a wake-up of the bit marks the caller woken, then leaves the queue',
    reads: ['wait queue'], writes: ['wait queue'],
    blocks: (c, [p, b]) => !entries(c, livePage(c, p), bitArg(b)).includes(`${c.tid}*`),
    run: (c, [p, b]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      setEntries(c, page, bit, entries(c, page, bit).filter((e) => e !== `${c.tid}*`));
      return 0;
    },
  },
  {
    names: ['wake_up_page_bit', '__wake_up_bit'],
    doc: 'wakes every waiter on (page, bit); clears PG_waiters when nobody is left waiting on the page',
    reads: ['wait queue', 'all wait queues of the page', 'PG_waiters'], writes: ['wait queue', 'PG_waiters'],
    run: (c, [p, b]) => {
      const page = livePage(c, p);
      const bit = bitArg(b);
      const woken = entries(c, page, bit).map((e) => (e.endsWith('*') ? e : `${e}*`));
      setEntries(c, page, bit, woken);
      if (woken.length) c.remark(`wakes ${woken.map((e) => e.slice(0, -1)).join(', ')}`);
      const stillWaiting = WAIT_BITS.some((x) => entries(c, page, x).some((e) => !e.endsWith('*')));
      if (!stillWaiting) c.set(key.pageFlag(page, 'waiters'), 0);
      return 0;
    },
  },
];
