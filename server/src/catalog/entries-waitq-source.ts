/**
 * Catalog entries of the page wait queues as the trees run them from source (issue 16,
 * issue 17's killable-lock-wakeup and thp-split-waiters): the waiter's and the waker's
 * helpers in mm/filemap.c and include/linux/pagemap.h, the queue operations of
 * kernel/sched/wait.c and include/linux/wait.h, and the list.h operations the
 * simulator answers on the queues' lists (sim/wait-objects.ts, sim/ops/waitlist.ts).
 */
import type { CatalogEntry } from './catalog-entry.js';

const WAITERS = { commit: '62906027091f', version: '4.10', what: '"mm: add PageWaiters indicating tasks are waiting for a page bit": page waits queue on hashed wait_page_queue lists.' };
const REWRITE = { commit: '2a9127fcf229', version: '5.9', what: '"mm: rewrite wait_on_page_bit_common() logic": the wake function checks (and for a lock, takes) the bit and sets WQ_FLAG_WOKEN; the waiter no longer re-queues.' };
const TREES = { version: '6.12', what: 'Debian\'s 6.12 tree: after finish_wait() a woken exclusive waiter without WQ_FLAG_DONE takes the bit if it is free (mm/filemap.c:1351-1363), so the one exclusive wake-up is not swallowed; Debian\'s 6.1 returns -EINTR there (killable-lock-wakeup: violated on 6.1, holds on 6.12; commit not confirmed).' };
/** Why the page wait and wake-up stay the era's model outside the races about them (catalog `lift.sourceIn`). */
export const PAGE_WAIT_BUILTIN = 'wait-queue internals run step by step from the tree (its hashed wait_queue_entry lists, WQ_FLAG_* words and wake functions as data, sim/wait-objects.ts) multiply the states of every race that takes a contended page lock or waits for writeback several times over (README, "Page-lock waiters and THP splits"); a race whose story is the page wait itself runs the tree\'s body, every other run the era\'s model of the same loop (per-(page, bit) queues of tasks, each critical section of the queue lock one step)';
/** The races whose story is the page wait itself: they run the tree's folio_wait_bit_common() and folio_wake_bit(). */
export const PAGE_WAIT_RACES: readonly string[] = ['killable-lock-wakeup', 'thp-split-waiters'];

const LIST = 'the queue\'s list as data: a head holds its entries in order, an entry\'s node the queue it is on';

export const WAITQ_SOURCE_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'wake_page_function', names: ['wake_page_function'], file: 'mm/filemap.c', kind: 'model',
    description: 'The wake function of a page waiter (wait->func, called by __wake_up_common() under the queue lock): skips another folio\'s or bit\'s entry; stops the walk at an exclusive waiter while the bit is set; hands the bit to a WQ_FLAG_CUSTOM waiter (WQ_FLAG_DONE); sets WQ_FLAG_WOKEN, wakes the task and unlinks the entry last.',
    reads: ['wait entry flags', 'PG_<bit>'], writes: ['wait entry flags', 'PG_<bit>', 'task state', 'wait list'],
    history: [WAITERS, REWRITE, TREES],
  },
  {
    id: 'folio_trylock_flag', names: ['folio_trylock_flag'], file: 'mm/filemap.c', kind: 'model',
    description: 'Under the queue lock, before a waiter queues: takes the bit (exclusive) or sees it clear, and marks the entry WQ_FLAG_WOKEN | WQ_FLAG_DONE so the waiter does not sleep.',
    reads: ['PG_<bit>', 'wait entry flags'], writes: ['PG_<bit>', 'wait entry flags'], history: [REWRITE],
  },
  {
    id: 'wake_page_match', names: ['wake_page_match'], file: 'include/linux/pagemap.h', kind: 'model',
    description: 'Whether a queued wait_page_queue waits for the woken folio and bit; sets key->page_match when the folio matches, which tells folio_wake_bit() that PG_waiters must stay.',
    reads: ['wait entry'], writes: ['wait_page_key'], history: [WAITERS],
  },
  {
    id: 'finish_wait', names: ['finish_wait'], file: 'kernel/sched/wait.c', kind: 'model',
    description: 'The waiter\'s end of a wait: TASK_RUNNING, then, when its entry is still queued (a lockless list_empty_careful()), unlinks it under the queue lock. From here on no waker reaches the entry: its WQ_FLAG_* word is stable.',
    reads: ['wait list'], writes: ['task state', 'wait list'], history: [REWRITE],
  },
  {
    id: '__wake_up_common', names: ['__wake_up_common', '__wake_up_locked_key_bookmark', '__wake_up_locked_key'], file: 'kernel/sched/wait.c', kind: 'model',
    description: 'The walk of a wait queue under its lock: calls each entry\'s wait->func through the pointer, stops at a negative answer or after nr_exclusive exclusive wake-ups (the page waker asks for one). 6.1 passes a bookmark that breaks up walks of more than 64 entries; 6.12 has no bookmark.',
    reads: ['wait list', 'wait entry flags'], writes: ['wait entry flags', 'task state', 'wait list'],
    history: [WAITERS],
  },
  {
    id: '__add_wait_queue_entry_tail', names: ['__add_wait_queue_entry_tail'], file: 'include/linux/wait.h', kind: 'model',
    description: 'Links a wait entry last on its queue (list_add_tail), as exclusive waiters are: a walk reaches the non-exclusive ones first.',
    reads: ['wait list'], writes: ['wait list'], history: [],
  },
  {
    id: 'waitqueue_active', names: ['waitqueue_active'], file: 'include/linux/wait.h', kind: 'model',
    description: 'Whether a wait queue has any entry (!list_empty(&q->head)); folio_wake_bit() clears PG_waiters when it has none, or none of the folio\'s.',
    reads: ['wait list'], writes: [], history: [WAITERS],
  },
  {
    id: 'init_wait', names: ['init_wait'], file: 'include/linux/wait.h', kind: 'model',
    description: 'A macro: the entry belongs to the current task, wakes through autoremove_wake_function(), is on no list and has no WQ_FLAG_* set. Its body is builtin/models/common/wait.c (a tree has no body of a macro).',
    reads: [], writes: ['wait entry'], history: [],
  },
  {
    id: 'folio_waitqueue', names: ['folio_waitqueue', 'page_waitqueue'], file: 'mm/filemap.c', kind: 'primitive',
    since: { folio_waitqueue: '5.16' },
    description: 'The hashed wait queue of a folio (one of 256, by the folio\'s address). The model gives each folio a queue of its own: a shared queue only adds entries of other folios, which wake_page_match() skips.',
    reads: [], writes: [], history: [WAITERS],
  },
  {
    id: 'list_add_tail', names: ['list_add_tail', 'list_add'], file: 'include/linux/list.h', kind: 'primitive',
    description: `Links a list_head last (first, for list_add) on a list. On a page wait queue: ${LIST}; one step (under the queue lock, local computation for the entry's own task). On reclaim's isolated lists, a folio's lru names its head and place, the reclaiming thread's own (sim/ops/list-kinds.ts tells the two apart).`,
    reads: ['wait list', 'folio lru'], writes: ['wait list', 'folio lru'], history: [],
  },
  {
    id: 'list_del', names: ['list_del', '__list_del_entry', 'list_del_init_careful', 'list_empty_careful'], file: 'include/linux/list.h', kind: 'primitive',
    description: `Unlinks a wait entry from its queue; list_del_init_careful() lets a lockless list_empty_careful() (finish_wait()) see it unlinked, so it is wake_page_function()'s last touch of the entry. ${LIST}. On reclaim's lists, list_del unlinks a folio's lru (the thread's own list).`,
    reads: ['wait list', 'folio lru'], writes: ['wait list', 'folio lru'], history: [REWRITE],
  },
  {
    id: 'INIT_LIST_HEAD', names: ['INIT_LIST_HEAD'], file: 'include/linux/list.h', kind: 'primitive',
    description: 'Points a list_head at itself: a fresh on-stack wait entry is on no list.', reads: [], writes: [], history: [],
  },
  {
    id: 'list_first_entry', names: ['list_first_entry', 'list_next_entry', 'list_entry', 'container_of'], file: 'include/linux/list.h', kind: 'primitive',
    description: 'Macros: the first entry of a list, the entry after one (the head itself seen as an entry at the end, which list_entry_is_head() tells), and the structure a member is embedded in (a wait entry\'s wait_page_queue). The lifter keeps their pointer arguments and compiles list_for_each_entry_safe(_from) as the loop it expands to.',
    reads: ['wait list'], writes: [], history: [],
  },
];
