/**
 * Catalog entries of the page-lock wait-queue race (killable-lock-wakeup) and of the
 * THP split race (thp-split-waiters): the lock's slow paths, the wake-up walk, the
 * scheduler and signal vocabulary they are written in. Kernel facts only.
 */
import type { CatalogEntry } from './catalog-entry.js';
import { PAGE_WAIT_BUILTIN, PAGE_WAIT_RACES } from './entries-waitq-source.js';

const WAITERS = { commit: '62906027091f', version: '4.10', what: '"mm: add PageWaiters indicating tasks are waiting for a page bit": page locks and waits queue on hashed wait_page_queue lists, PG_waiters tells the unlock whether to walk them.' };
const KILLABLE_FIX = { commit: 'a8b169afbf06', version: '4.13', what: '"Avoid page waitqueue race leaving possible page locker waiting": a woken exclusive waiter tries the bit before it looks at a fatal signal, so it cannot swallow the one wake-up.' };
const REWRITE = { commit: '2a9127fcf229', version: '5.9', what: '"mm: rewrite wait_on_page_bit_common() logic": the wake function checks (and for a lock, takes) the bit and sets WQ_FLAG_WOKEN; the waiter no longer re-queues.' };

const SPLIT_FIX = { commit: '2d077d4b5992', version: '4.18', what: '"mm/huge_memory.c: __split_huge_page() use atomic ClearPageDirty()": the non-atomic __ClearPageDirty() on tails beyond i_size could erase PG_waiters set by a page locker (release not confirmed: mail of 2018-05-29).' };
const NONATOMIC = 'x86 inline assembly (bts/btr without LOCK) and the instrumented wrappers around it: modeled as a load of the whole flag word and a store of it, two steps, so an atomic bit set by another CPU between them is lost as on the hardware';

export const WAITQ_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'lock_page_killable', names: ['lock_page_killable', 'folio_lock_killable'], file: 'include/linux/pagemap.h', kind: 'model',
    since: { folio_lock_killable: '5.16' },
    description: 'Takes the page lock unless a fatal signal ends the wait: a trylock, then __lock_page_killable(); 0 with the lock held, -EINTR without it.',
    reads: ['PG_locked', 'fatal signal'], writes: ['PG_locked', 'wait queue'],
    history: [WAITERS, KILLABLE_FIX],
  },
  {
    id: '__lock_page_killable', names: ['__lock_page_killable', '__folio_lock_killable'], file: 'mm/filemap.c', kind: 'model',
    since: { __folio_lock_killable: '5.16' },
    description: 'The killable slow path of the page lock: an exclusive TASK_KILLABLE wait on PG_locked (wait_on_page_bit_common / folio_wait_bit_common).',
    reads: ['PG_locked', 'fatal signal'], writes: ['PG_locked', 'wait queue', 'PG_waiters'],
    history: [WAITERS, KILLABLE_FIX, REWRITE, { version: '6.12', what: 'Debian\'s 6.12 tree: after finish_wait() a woken exclusive waiter without WQ_FLAG_DONE takes the bit if it is free (mm/filemap.c:1351-1363); 6.1 returns -EINTR there (commit not confirmed).' }],
  },
  {
    id: 'wake_up_page_bit', names: ['wake_up_page_bit', 'folio_wake_bit'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: PAGE_WAIT_BUILTIN, sourceIn: PAGE_WAIT_RACES },
    description: 'Under the page\'s wait-queue lock: runs each queued entry\'s wake function (wake_page_function, through wait->func in __wake_up_common) and stops after one exclusive waiter is woken; clears PG_waiters when no waiter of the page is left. On a tree it runs from source.',
    reads: ['wait queue', 'PG_<bit>'], writes: ['wait queue', 'PG_waiters', 'task state', 'wait entry flags'],
    history: [WAITERS, REWRITE],
  },
  {
    id: 'wait_on_page_bit_killable', names: ['wait_on_page_bit_killable', 'folio_wait_bit_killable'], file: 'mm/filemap.c', kind: 'model',
    description: 'A shared TASK_KILLABLE wait until the bit is clear; -EINTR if a fatal signal ends it first.',
    reads: ['the bit', 'fatal signal'], writes: ['wait queue', 'PG_waiters'], history: [WAITERS],
  },
  {
    id: 'kill', names: ['kill'], file: 'kernel/signal.c', kind: 'primitive',
    description: 'The scenario\'s SIGKILL to a CPU\'s task (send_sig → signal_wake_up(t, true)): the fatal signal is pending, and a TASK_KILLABLE or TASK_INTERRUPTIBLE sleep ends.',
    reads: ['task state'], writes: ['fatal signal', 'task state'], history: [KILLABLE_FIX],
  },
  {
    id: 'signal_pending_state', names: ['signal_pending_state'], file: 'include/linux/sched/signal.h', kind: 'primitive',
    description: 'Whether a pending signal interrupts a sleep in the given state: SIGKILL does for TASK_KILLABLE and TASK_INTERRUPTIBLE.',
    reads: ['fatal signal'], writes: [], history: [KILLABLE_FIX],
  },
  {
    id: 'fatal_signal_pending', names: ['fatal_signal_pending', '__fatal_signal_pending'], file: 'include/linux/sched/signal.h', kind: 'primitive',
    description: 'Whether SIGKILL is pending for the task.', reads: ['fatal signal'], writes: [], history: [],
  },
  {
    id: 'io_schedule', names: ['io_schedule', 'schedule'], file: 'kernel/sched/core.c', kind: 'primitive',
    description: 'Sleeps until the task is TASK_RUNNING again: a wake-up, or SIGKILL for a killable sleep (__schedule() does not sleep when such a signal is pending).',
    reads: ['task state', 'fatal signal'], writes: ['task state'], history: [],
  },
  {
    id: 'set_current_state', names: ['set_current_state', '__set_current_state'], file: 'include/linux/sched.h', kind: 'primitive',
    description: 'Sets the current task\'s state before it checks its condition and sleeps.', reads: [], writes: ['task state'], history: [],
  },
  {
    id: 'wake_up_state', names: ['wake_up_state', 'try_to_wake_up', 'wake_up_process'], file: 'kernel/sched/core.c', kind: 'primitive',
    description: 'Wakes a task sleeping in one of the given states; returns 0 when it was running already (autoremove_wake_function then leaves it queued, and before 5.9 it did not count as the exclusive wake-up).',
    reads: ['task state'], writes: ['task state'], history: [REWRITE],
  },
  {
    id: '__folio_lock', names: ['__folio_lock'], file: 'mm/filemap.c', kind: 'model',
    since: { __folio_lock: '5.16' },
    description: 'The sleeping slow path of folio_lock()/lock_page(): an exclusive TASK_UNINTERRUPTIBLE wait on PG_locked through folio_wait_bit_common() (__lock_page before the folio names).',
    reads: ['PG_locked'], writes: ['PG_locked', 'wait queue', 'PG_waiters'], history: [WAITERS, REWRITE],
  },
  {
    id: 'trylock_page', names: ['trylock_page', 'folio_trylock'], file: 'include/linux/pagemap.h', kind: 'primitive',
    since: { folio_trylock: '5.16' },
    description: 'test_and_set_bit_lock(PG_locked): takes the page lock if it is free, never sleeps; the lock paths try it before they queue.',
    reads: ['PG_locked'], writes: ['PG_locked'], history: [],
  },
  {
    id: '__delete_from_page_cache', names: ['__delete_from_page_cache', '__filemap_remove_folio'], file: 'mm/filemap.c', kind: 'primitive',
    description: 'Under the i_pages lock: takes the page out of the mapping (page->mapping = NULL, tags cleared); the caller drops the page cache\'s reference.',
    reads: ['page->mapping'], writes: ['page->mapping', 'page-cache tags'],
    history: [{ commit: 'baa355fd3314', version: '4.8', what: '__split_huge_page() drops a file THP\'s tails beyond i_size with it.' }],
  },
  {
    id: 'ClearPageDirty', names: ['ClearPageDirty', 'folio_clear_dirty'], file: 'include/linux/page-flags.h', kind: 'primitive',
    description: 'clear_bit(PG_dirty, &page->flags): atomic, so bits other CPUs set in the same word meanwhile (PG_waiters) stay set.',
    reads: ['PG_dirty'], writes: ['PG_dirty'], history: [SPLIT_FIX],
  },
  {
    id: 'page_ref_inc', names: ['page_ref_inc', 'folio_ref_inc'], file: 'include/linux/page_ref.h', kind: 'primitive',
    description: 'atomic_inc(&page->_refcount). The split models use it for the tail\'s page_ref_unfreeze(), which gives the tail its references back.',
    reads: ['refcount'], writes: ['refcount'], history: [],
  },
  {
    id: 'find_get_entry', names: ['find_get_entry', 'find_get_page_from'], file: 'mm/filemap.c', kind: 'primitive',
    description: 'Looks a page up in the page cache and takes a reference (page_cache_get_speculative under RCU); find_lock_page() then locks it and checks it is still in the mapping.',
    reads: ['page cache'], writes: ['refcount'], history: [SPLIT_FIX],
  },
  {
    id: '__set_bit', names: ['__set_bit', 'arch___set_bit', 'generic___set_bit'], file: 'include/asm-generic/bitops/instrumented-non-atomic.h', kind: 'model',
    lift: { use: 'builtin', why: NONATOMIC },
    description: 'Sets a bit non-atomically: the word is read and written back whole, so a bit another CPU set meanwhile is lost.',
    reads: ['flag word'], writes: ['flag word (every bit)'], history: [SPLIT_FIX],
  },
  {
    id: '__clear_bit', names: ['__clear_bit', 'arch___clear_bit', 'generic___clear_bit'], file: 'include/asm-generic/bitops/instrumented-non-atomic.h', kind: 'model',
    lift: { use: 'builtin', why: NONATOMIC },
    description: 'Clears a bit non-atomically: the word is read and written back whole, so a bit another CPU set meanwhile is lost.',
    reads: ['flag word'], writes: ['flag word (every bit)'], history: [SPLIT_FIX],
  },
  {
    id: '__test_and_set_bit', names: ['__test_and_set_bit', 'arch___test_and_set_bit', '__test_and_clear_bit', 'arch___test_and_clear_bit', '__change_bit', 'arch___change_bit'],
    file: 'include/asm-generic/bitops/instrumented-non-atomic.h', kind: 'model',
    lift: { use: 'builtin', why: NONATOMIC },
    description: 'The other non-atomic bit operations: a load and a store of the whole word.',
    reads: ['flag word'], writes: ['flag word (every bit)'], history: [],
  },
  {
    id: '__ClearPageDirty', names: ['__ClearPageDirty', '__folio_clear_dirty'], file: 'include/linux/page-flags.h', kind: 'model',
    description: '__CLEARPAGEFLAG(Dirty): __clear_bit(PG_dirty, &page->flags), for a page nobody else can see. __split_huge_page() used it on tails beyond i_size, which a page locker could already be waiting on.',
    reads: ['page->flags'], writes: ['page->flags (every bit)'], history: [WAITERS, SPLIT_FIX],
  },
  {
    id: '__split_huge_page', names: ['__split_huge_page'], file: 'mm/huge_memory.c', kind: 'model',
    description: 'Splits a frozen huge page: each tail, from the last, gets the head\'s flags (__split_huge_page_tail()), tails beyond i_size leave the page cache with their dirty bit cleared, the head loses PG_head and gets its references back, then every subpage but the caller\'s is unlocked and put. On the 6.1 and 6.12 trees it runs from source over compound pages as data (sim/compound.ts); memcg, lruvec and page-owner bookkeeping are stated no-ops (catalog/noops-thp.ts), the anonymous and swap-cache branches are not taken (folio_test_anon() is 0: a file\'s page->mapping has bit 0 clear).',
    reads: ['i_size', 'PG_dirty'], writes: ['PG_dirty', 'page->mapping', 'refcount', 'PG_locked'],
    history: [
      { commit: 'baa355fd3314', version: '4.8', what: '"thp: file pages support for split_huge_page()": tails beyond i_size are dropped from the page cache, with __ClearPageDirty().' },
      WAITERS, SPLIT_FIX,
      { version: '6.1', what: 'Debian\'s 6.1 and 6.12 trees: folio_test_clear_dirty() on the tail, then folio_account_cleaned() (when it replaced ClearPageDirty() is not confirmed here); thp-split-waiters runs it from both trees (holds), and a copy with __folio_clear_dirty() deadlocks.' },
    ],
  },
];
