/**
 * The list_head operations of include/linux/list.h on the page wait queues
 * (sim/wait-objects.ts): a queue's head holds its entries in list order, an entry's
 * node the queue it is on. Each is one step, as the kernel's few pointer stores are
 * under the queue's spinlock, which the code around them takes as it does; the
 * lockless tests (list_empty_careful() in finish_wait()) read one location. The
 * iteration macros are the lifter's (lift/list-macros.ts), over list_first_entry() and
 * list_next_entry(); a queue's end is the head itself seen as an entry, "wqe:head/P",
 * whose `&pos->entry` is the head's address, as container_of() of the head would be.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Value } from '../program.js';
import { refKind, refId } from '../program.js';
import { containerOf, entryKey } from '../wait-objects.js';
import { livePage } from './args.js';

/** Whether an address is a wait queue's list head or an entry's node. */
export function isWaitListAddress(v: Value): boolean {
  const k = refKind(v);
  return k === 'lhead' || k === 'lnode';
}

const headKey = (p: string): string => `wqh:${p}.head`;

function members(c: StepContext, p: string): string[] {
  const s = c.get(headKey(p));
  return typeof s === 'string' && s ? s.split(',') : [];
}

function setMembers(c: StepContext, p: string, list: readonly string[]): void {
  c.set(headKey(p), list.join(','));
}

function nodeId(v: Value, what: string): string {
  if (refKind(v) !== 'lnode') throw new PrimitiveError(`${what}: expected a wait entry's list node (&wait->entry), got ${String(v)}`);
  return refId(v)!;
}

function headPage(v: Value, what: string): string {
  if (refKind(v) !== 'lhead') throw new PrimitiveError(`${what}: expected a wait queue's list head (&q->head), got ${String(v)}`);
  return refId(v)!;
}

/** The queue an entry is on, or '' (its node points to itself). */
function queueOf(c: StepContext, id: string): string {
  const q = c.get(entryKey(id));
  return typeof q === 'string' ? q : '';
}

function add(c: StepContext, node: Value, head: Value, tail: boolean, what: string): number {
  const id = nodeId(node, what);
  const p = headPage(head, what);
  if (queueOf(c, id) !== '') throw new PrimitiveError(`${what}: ${id}'s entry is already on a list (list corruption)`);
  const list = members(c, p);
  setMembers(c, p, tail ? [...list, id] : [id, ...list]);
  c.set(entryKey(id), p);
  return 0;
}

/** list_del() and the _init forms: the entry leaves its queue (a no-op for an entry on none, as __list_del on a self-pointing node is). */
export function waitListDel(c: StepContext, node: Value): number {
  const id = nodeId(node, 'list_del');
  const p = queueOf(c, id);
  if (p === '') return 0;
  setMembers(c, p, members(c, p).filter((e) => e !== id));
  c.set(entryKey(id), '');
  return 0;
}

/** list_empty()/list_empty_careful(): a head with no entries, or a node on no list. */
export function waitListEmpty(c: StepContext, v: Value): number {
  if (refKind(v) === 'lhead') return members(c, refId(v)!).length === 0 ? 1 : 0;
  return queueOf(c, nodeId(v, 'list_empty')) === '' ? 1 : 0;
}

/** The entry after `id` on queue p, or the queue's head seen as an entry. */
function after(c: StepContext, p: string, id: string | undefined): Value {
  const list = members(c, p);
  const i = id === undefined ? -1 : list.indexOf(id);
  if (id !== undefined && i < 0) throw new PrimitiveError(`list_next_entry: ${id} is not on the queue of ${p}`);
  return i + 1 < list.length ? `wqe:${list[i + 1]}` : `wqe:head/${p}`;
}

const LIST = ['wait list'];

/** The queue a list address or entry belongs to ('' when it is a node on no queue), read outside the step. */
function queueAt(c: StepContext, v: Value): string {
  const kind = refKind(v);
  const id = refId(v) ?? '';
  if (kind === 'lhead') return id;
  if (kind === 'wqe' && id.startsWith('head/')) return id.slice(5);
  const node = kind === 'lnode' || kind === 'wqe' ? id : undefined;
  if (node === undefined) return '';
  const q = c.peek ? c.peek(entryKey(node)) : c.get(entryKey(node));
  return typeof q === 'string' ? q : '';
}

function holdsQueueLock(c: StepContext, p: string): boolean {
  const k = `lock:wqh/${p}.lock`;
  return p !== '' && (c.peek ? c.peek(k) : c.get(k)) === c.tid;
}

const ownNode = (c: StepContext, v: Value): boolean => refKind(v) === 'lnode' && (refId(v) ?? '').split('.')[0] === c.tid;

/**
 * Whether a list operation is local computation (a both-mover, Lipton): a queue's list
 * is read and written only under the queue's lock, and an entry's membership is read
 * without it only by the entry's owner (finish_wait()'s list_empty_careful()). So under
 * the lock, reading the list, and linking or unlinking one's own entry, commute with
 * every step another thread can take meanwhile; unlinking another thread's entry (the
 * waker's list_del_init_careful()) does not.
 */
export function waitListLocal(c: StepContext, op: 'read' | 'write', args: readonly Value[]): boolean {
  const [a, b] = args;
  if (!isWaitListAddress(a) && refKind(a) !== 'wqe') return false;
  // one's own entry on no list stays there until one queues it again: reading that is stable
  if (op === 'read' && ownNode(c, a) && queueAt(c, a) === '') return true;
  const p = queueAt(c, a) || (b !== undefined ? queueAt(c, b) : '');
  if (!holdsQueueLock(c, p)) return false;
  return op === 'read' || ownNode(c, a) || (refKind(a) === 'lnode' && woken(c, refId(a)!));
}

const WQ_FLAG_WOKEN = 0x02;

function woken(c: StepContext, id: string): boolean {
  const f = c.peek ? c.peek(`wqe:${id}.flags`) : c.get(`wqe:${id}.flags`);
  return typeof f === 'number' && (f & WQ_FLAG_WOKEN) !== 0;
}

/**
 * A waker's steps on an entry after it set WQ_FLAG_WOKEN in it, while it holds the
 * queue's lock (wake_page_function()'s wake_up_state() and list_del_init_careful()):
 * one step with that store. The woken task reads them without the lock, but whatever
 * it sees in between ends the same: it sees WQ_FLAG_WOKEN already, so it does not
 * sleep on the state the wake-up sets (and a page waker does not use what
 * wake_up_state() returns), and finish_wait() finds the entry queued and waits for the
 * queue lock, or finds it unlinked; the waker unlinks it last, so the task cannot leave
 * the wait and sleep elsewhere before the wake-up is done.
 */
/**
 * Whether the current task has an entry on a page wait queue: then its own state
 * change (set_current_state() before it loads its WQ_FLAG_* word, finish_wait()'s
 * TASK_RUNNING before its list_empty_careful()) is one step with the read after it. A
 * waker sets WQ_FLAG_WOKEN before it wakes the task, and unlinks it after, so a wake-up
 * (or SIGKILL) between the two is seen by the read exactly as one just before the state
 * change: the task does not sleep on it either way.
 */
export function queuedTask(c: StepContext): boolean {
  for (const p of c.layout.pages.keys()) {
    const s = c.peek ? c.peek(headKey(p)) : c.get(headKey(p));
    if (typeof s === 'string' && s && s.split(',').some((e) => e.split('.')[0] === c.tid)) return true;
  }
  return false;
}

export function wokenEntryOfTask(c: StepContext, task: Value): boolean {
  const t = refKind(task) === 'task' ? refId(task)! : undefined;
  if (t === undefined) return false;
  for (const p of c.layout.pages.keys()) {
    if (!holdsQueueLock(c, p)) continue;
    const s = c.peek ? c.peek(headKey(p)) : c.get(headKey(p));
    const list = typeof s === 'string' && s ? s.split(',') : [];
    if (list.some((e) => e.split('.')[0] === t && woken(c, e))) return true;
  }
  return false;
}

export const waitListPrimitives: Primitive[] = [
  {
    names: ['folio_waitqueue', 'page_waitqueue'],
    doc: 'the hashed wait queue of a folio (folio_wait_table[hash_ptr(folio, 8)]): here each folio has a queue of its own',
    pure: true,
    run: (c, [f]) => `wqh:${livePage(c, f)}`,
  },
  {
    names: ['list_add_tail'],
    doc: 'links a wait entry last on a wait queue (__add_wait_queue_entry_tail: an exclusive waiter)',
    reads: LIST, writes: LIST,
    localWhen: (c, args) => waitListLocal(c, 'write', args),
    run: (c, [node, head]) => add(c, node, head, true, 'list_add_tail'),
  },
  {
    names: ['list_add'],
    doc: 'links a wait entry first on a wait queue (__add_wait_queue: a non-exclusive waiter)',
    reads: LIST, writes: LIST,
    localWhen: (c, args) => waitListLocal(c, 'write', args),
    run: (c, [node, head]) => add(c, node, head, false, 'list_add'),
  },
  {
    names: ['list_del', '__list_del_entry', 'list_del_init_careful'],
    doc: 'unlinks a wait entry from its queue (list_del_init_careful: the node is then seen empty by a lockless list_empty_careful())',
    reads: LIST, writes: LIST,
    localWhen: (c, args) => waitListLocal(c, 'write', args),
    run: (c, [node]) => waitListDel(c, node),
  },
  {
    names: ['INIT_LIST_HEAD'],
    doc: 'points a fresh on-stack wait entry\'s node at itself: it is on no list already, as every modeled entry starts',
    pure: true,
    run: (_c, [node]) => {
      nodeId(node, 'INIT_LIST_HEAD');
      return 0;
    },
  },
  {
    names: ['list_first_entry'],
    doc: 'the first entry of a wait queue, or the head itself seen as an entry when the queue is empty (list_first_entry(&q->head, wait_queue_entry_t, entry))',
    reads: LIST,
    localWhen: (c, args) => waitListLocal(c, 'read', args),
    run: (c, [head]) => after(c, headPage(head, 'list_first_entry'), undefined),
  },
  {
    names: ['list_next_entry'],
    doc: 'the entry after pos on its wait queue, or the queue\'s head seen as an entry after the last',
    reads: LIST,
    localWhen: (c, args) => waitListLocal(c, 'read', args),
    run: (c, [pos]) => {
      const id = refKind(pos) === 'wqe' ? refId(pos)! : '';
      if (id.startsWith('head/')) return after(c, id.slice(5), undefined);
      const p = id ? queueOf(c, id) : '';
      if (p === '') throw new PrimitiveError(`list_next_entry of ${String(pos)}, which is on no wait queue`);
      return after(c, p, id);
    },
  },
  {
    names: ['container_of', 'list_entry'],
    doc: 'container_of(wait, struct wait_page_queue, wait): the wait_page_queue a wait entry is embedded in (the same stack object); a filesystem\'s inode info around a VFS inode (EXT4_I(inode): its fields are plain fields of the inode)',
    pure: true,
    run: (_c, [ptr]) => {
      if (refKind(ptr) === 'inode') return ptr;
      const v = containerOf(ptr);
      if (v === undefined) throw new PrimitiveError(`container_of(${String(ptr)}): only a wait entry embedded in a wait_page_queue is modeled`);
      return v;
    },
  },
];
