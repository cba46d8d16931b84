/**
 * The catalog: every kernel function of the seed races, under each era's name, with
 * what it does to page state and where its history is told. Hovers, code lenses,
 * `racelens explain` and the linker read this table; nothing here is code. Which races
 * a function takes part in is not written here: describe/races-per-function.ts derives
 * it from the scenario library.
 */

import { DIO_ENTRIES } from './entries-dio.js';
import { RECLAIM_ENTRIES } from './entries-reclaim.js';
import { REACHED_ENTRIES } from './entries-reached.js';
import { WAITQ_ENTRIES } from './entries-waitq.js';
import { PAGE_WAIT_BUILTIN, PAGE_WAIT_RACES, WAITQ_SOURCE_ENTRIES } from './entries-waitq-source.js';
import { MIGRATE_ENTRIES, PIN_ENTRIES } from './entries-pins.js';
import { WRITEBACK_ENTRIES } from './entries-writeback.js';
import { FAULT_ENTRIES } from './entries-fault.js';
import { MKWRITE_ENTRIES } from './entries-mkwrite.js';
import { UNMAP_ENTRIES } from './entries-unmap.js';
import { READFAULT_ENTRIES } from './entries-readfault.js';
import { MAPCOUNT_ENTRIES } from './entries-mapcount.js';
import { THP_ENTRIES } from './entries-thp.js';
import { GUP_ENTRIES } from './entries-gup.js';

export type { CatalogEntry, Provenance } from './catalog-entry.js';
import type { CatalogEntry } from './catalog-entry.js';

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'clear_page_dirty_for_io', names: ['clear_page_dirty_for_io', 'folio_clear_dirty_for_io'], file: 'mm/page-writeback.c', kind: 'model',
    since: { folio_clear_dirty_for_io: '5.18' },
    description: 'Clears the dirty flag of a locked page before ->writepage. Since 2.6.20 it first write-protects and cleans the PTEs (page_mkclean) and re-marks the page dirty through the filesystem if any PTE was dirty, so that the filesystem dirties every buffer before the flag is cleared.',
    reads: ['PG_dirty', 'PTE dirty/writable'], writes: ['PG_dirty', 'PTE dirty/writable', 'buffer dirty (via set_page_dirty)'],
    history: [
      { version: '2.6.19', seed: '000', what: 'TestClearPageDirty, then page_mkclean with its result ignored: a store recorded only in a dirty PTE is lost when the buffers were already written by the journal.' },
      { commit: '7658cc289288', version: '2.6.20', seed: '001', what: '"VM: Fix nasty and subtle race in shared mmap\'ed page writeback": if (page_mkclean(page)) set_page_dirty(page); before TestClearPageDirty. Backported to 2.6.19.2.' },
      { version: '5.18', what: 'folio_clear_dirty_for_io, same order.' },
    ],
  },
  {
    id: 'set_page_dirty', names: ['set_page_dirty', 'folio_mark_dirty'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Marks a page dirty through its filesystem: mapping->a_ops->set_page_dirty (->dirty_folio since 5.18). For buffer-backed files that marks every buffer dirty at that moment.',
    reads: ['page->mapping'], writes: ['PG_dirty', 'dirty tag', 'buffer dirty'],
    history: [{ version: '2.6.19', seed: '000', what: 'Linus: set_page_dirty() means "the next writepage() needs to write back the whole page", which __set_page_dirty_buffers did not give.' }],
  },
  {
    id: '__set_page_dirty_buffers', names: ['__set_page_dirty_buffers', 'block_dirty_folio'], file: 'fs/buffer.c', kind: 'model',
    since: { block_dirty_folio: '5.18' },
    description: 'a_ops dirtying for buffer-backed files: under private_lock marks every buffer of the page dirty, then sets PG_dirty and the page-cache dirty tag.',
    reads: ['buffers'], writes: ['buffer dirty', 'PG_dirty', 'dirty tag'],
    history: [{ version: '2.6.19', seed: '000', what: 'Dirties the buffers at the time of the call: a journal that cleans some of them later makes the next writepage write less than the whole page.' }, { version: '5.18', what: 'renamed block_dirty_folio' }],
  },
  {
    id: '__set_page_dirty_nobuffers', names: ['__set_page_dirty_nobuffers', 'filemap_dirty_folio'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'a_ops dirtying for files without buffers: sets PG_dirty and, under the i_pages lock, the dirty tag.',
    reads: ['page->mapping'], writes: ['PG_dirty', 'dirty tag'], history: [],
  },
  {
    id: 'page_mkclean', names: ['page_mkclean', 'folio_mkclean'], file: 'mm/rmap.c', kind: 'primitive',
    description: 'Write-protects and cleans every PTE that maps the page, flushing each from the TLBs; returns 1 if any was writable or dirty. On a tree that defines it (6.1, 6.12) the tree\'s folio_mkclean runs: rmap_walk() → rmap_walk_file() → page_mkclean_one() → page_vma_mkclean_one() per PTE; the primitive serves the built-in eras.',
    reads: ['PTE dirty/writable'], writes: ['PTE dirty/writable'],
    history: [{ version: '2.6.19', seed: '000', what: 'Linus\'s trace: "cleaning PTE b7fa6000" right after clean_for_io.' }],
  },
  {
    id: 'TestClearPageDirty', names: ['TestClearPageDirty', 'folio_test_clear_dirty'], file: 'include/linux/page-flags.h', kind: 'primitive',
    description: 'Atomically clears PG_dirty and returns its old value.', reads: ['PG_dirty'], writes: ['PG_dirty'], history: [],
  },
  {
    id: '__test_set_page_writeback', names: ['__test_set_page_writeback', '__folio_start_writeback'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Sets PG_writeback and the writeback tag, and clears the dirty tag of a clean page, under the i_pages lock; keep_write keeps the towrite tag.',
    reads: ['PG_dirty'], writes: ['PG_writeback', 'writeback tag', 'dirty tag'],
    history: [],
  },
  {
    id: 'set_page_writeback', names: ['set_page_writeback', 'test_set_page_writeback', 'folio_start_writeback'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Sets PG_writeback and the writeback tag (clearing the dirty tag if the page is clean), under the i_pages lock.',
    reads: ['PG_dirty'], writes: ['PG_writeback', 'writeback tag', 'dirty tag'],
    history: [{ version: '5.11-rc2', seed: '003', what: 'Linus: "I don\'t see where set_page_writeback() would always be done with the page lock held."' }],
  },
  {
    id: 'end_page_writeback', names: ['end_page_writeback', 'folio_end_writeback'], file: 'mm/filemap.c', kind: 'model',
    description: 'I/O completion: clears PG_writeback (test_clear_page_writeback) and then, in a separate step, wakes the PG_writeback waiters. Since 5.10-rc6 it holds a page reference across the two.',
    reads: ['PG_writeback', 'PG_waiters'], writes: ['PG_writeback', 'writeback tag', 'wait queue'],
    history: [
      { commit: '073861ed77b6', version: '5.10-rc6', seed: '003', what: '"mm: fix VM_BUG_ON(PageTail) and BUG_ON(PageWriteback)": get_page/put_page around the clear-and-wake, so truncation cannot free the page before wake_up_page.' },
      { version: '5.11-rc2', seed: '003', what: 'Linus: "the wakeup is not atomic with the bit clearing": a stale wake-up from the previous writeback reaches a waiter on the next one. Hugh\'s variant clears and wakes under the i_pages lock.' },
    ],
  },
  {
    id: 'test_clear_page_writeback', names: ['test_clear_page_writeback', '__folio_end_writeback'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Clears PG_writeback and the writeback tag under the i_pages lock; returns whether it was set.',
    reads: ['PG_writeback'], writes: ['PG_writeback', 'writeback tag'], history: [],
  },
  {
    id: 'wait_on_page_writeback', names: ['wait_on_page_writeback', 'folio_wait_writeback'], file: 'include/linux/pagemap.h', kind: 'model',
    description: 'Waits until the page is not under writeback. 5.10 waited once ("if"): a stale wake-up could return with PG_writeback set again. 5.11 loops ("while").',
    reads: ['PG_writeback'], writes: ['wait queue'],
    history: [{ commit: 'c2407cf7d22d', version: '5.11-rc3', seed: '003', what: '"mm: make wait_on_page_writeback() wait for multiple pending writebacks": if → while.' }],
  },
  {
    id: 'wait_on_page_bit', names: ['wait_on_page_bit', 'folio_wait_bit', 'wait_on_page_bit_common', 'folio_wait_bit_common'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: PAGE_WAIT_BUILTIN, sourceIn: PAGE_WAIT_RACES },
    description: 'Queues on the page\'s wait queue and re-checks the bit under the queue lock; sleeps until woken. On a tree it runs from source over the queue as data (sim/wait-objects.ts); the built-in eras model the queue as per-(page, bit) lists of tasks. Before the 5.9 rewrite it looped until the bit was clear (and, 4.10 to 4.12, a killable lock waiter looked at a fatal signal before the bit); since, the waker sets WQ_FLAG_WOKEN, a non-exclusive waiter returns after any wake-up and an exclusive one takes the bit or is handed it.',
    reads: ['the bit', 'wait queue'], writes: ['PG_waiters', 'wait queue'],
    history: [
      { version: '5.9', seed: '003', what: '"The old code would basically _loop_ if it was woken up and the writeback bit was set again."' },
      { commit: 'a8b169afbf06', version: '4.13', what: 'an exclusive (lock) waiter tries the bit before it looks at a fatal signal (killable-lock-wakeup)' },
    ],
  },
  {
    id: 'wake_up_page', names: ['wake_up_page', 'folio_wake'], file: 'mm/filemap.c', kind: 'model',
    description: 'If PG_waiters is set, wakes the waiters on (page, bit).', reads: ['PG_waiters'], writes: ['wait queue'], history: [],
  },
  {
    id: 'lock_page', names: ['lock_page', '__lock_page', 'folio_lock'], file: 'include/linux/pagemap.h', kind: 'primitive',
    description: 'Sleeps until PG_locked is clear, then sets it.', reads: ['PG_locked'], writes: ['PG_locked'], history: [],
  },
  {
    id: 'unlock_page', names: ['unlock_page', 'folio_unlock'], file: 'mm/filemap.c', kind: 'primitive',
    description: 'Clears PG_locked and wakes its sleepers.', reads: ['PG_locked'], writes: ['PG_locked'], history: [],
  },
  {
    id: 'redirty_page_for_writepage', names: ['redirty_page_for_writepage', 'folio_redirty_for_writepage'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'A ->writepage that will not write the page marks it dirty again.', reads: [], writes: ['PG_dirty', 'dirty tag'],
    history: [{ version: '2.6.34', seed: '004', what: 'ext4 refuses writepage for delalloc pages without AOP_WRITEPAGE_ACTIVATE, so reclaim keeps retrying them.' }],
  },
  {
    id: 'truncate_inode_page', names: ['truncate_inode_page', 'truncate_inode_folio', 'truncate_complete_page'], file: 'mm/truncate.c', kind: 'model',
    description: 'Removes a locked page from the page cache and drops the cache\'s reference.', reads: ['page->mapping'], writes: ['page->mapping', 'tags', 'refcount'], history: [],
  },
  {
    id: 'truncate_inode_pages_range', names: ['truncate_inode_pages_range', 'truncate_inode_pages'], file: 'mm/truncate.c', kind: 'model',
    description: 'Truncation: a first pass over pages it can lock at once and that are not under writeback, then a pass that locks each page and waits for its writeback before removing it.',
    reads: ['PG_locked', 'PG_writeback'], writes: ['page cache'],
    history: [{ version: '2.6.34', seed: '004', what: 'KOSAKI: "PG_lock and/or PG_writeback protect against remove_from_page_cache()."' }],
  },
  {
    id: 'block_write_full_page', names: ['block_write_full_page', '__block_write_full_page'], file: 'fs/buffer.c', kind: 'model',
    description: '->writepage of buffer-backed files: writes only the buffers that are dirty now, sets PG_writeback, unlocks the page, submits; with nothing underway ends writeback at once.',
    reads: ['buffer dirty'], writes: ['buffer dirty', 'PG_writeback', 'PG_locked'],
    history: [{ version: '2.6.19', seed: '000', what: 'Linus\'s trace: "fs/buffer.c:1713 no IO underway" — writepage found no dirty buffer.' }],
  },
  {
    id: 'write_cache_pages', names: ['write_cache_pages', 'mpage_writepages'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'The writeback loop over dirty-tagged pages: lock, skip truncated or clean pages, wait for writeback in WB_SYNC_ALL mode, BUG_ON(PageWriteback), clear dirty for io, ->writepage.',
    reads: ['dirty tags', 'PG_dirty', 'PG_writeback'], writes: ['PG_locked'],
    history: [
      { version: '5.10', seed: '003', what: 'The BUG_ON(PageWriteback(page)) that fired after a stale wake-up.' },
      { commit: '05fe478dd04e', version: '2.6.29', what: 'Nick Piggin, "mm: write_cache_pages integrity fix": WB_SYNC_ALL ignores wbc->nr_to_write, so pages dirtied during an fsync cannot use up its budget before the old ones are written (wcp-integrity).' },
    ],
  },
  {
    id: 'write_one_page', names: ['write_one_page', 'folio_write_one'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Writes one locked page: clear_page_dirty_for_io, then ->writepage (which unlocks it); optionally waits for the write.',
    reads: ['PG_dirty'], writes: ['PG_dirty', 'PG_locked'], history: [],
  },
  {
    id: 'invalidate_inode_pages2', names: ['invalidate_inode_pages2'], file: 'mm/truncate.c', kind: 'model',
    description: 'Drops a file\'s cached pages after an O_DIRECT write. 2.6.9 left mapped pages in place, marked clean and not uptodate; 2.6.11 unmaps them first and reports -EIO when a page cannot be invalidated.',
    reads: ['PTEs', 'PG_dirty', 'refcount'], writes: ['page cache', 'PG_uptodate', 'PG_dirty'],
    history: [{ version: '2.6.11-rc1', seed: '002', what: 'akpm: "invalidate_inode_pages-mmap-coherency-fix": shoot down PTEs, never leave a mapped page not uptodate, return -EIO.' }],
  },
  {
    id: 'generic_file_direct_IO', names: ['generic_file_direct_IO'], file: 'mm/filemap.c', kind: 'model',
    description: 'O_DIRECT: write back and wait for cached pages, write the disk directly, then invalidate the cache. Since 2.6.11 a write first unmaps every mapping of the file so that dirty PTEs reach the pages before the write-back.',
    reads: ['PTEs', 'page cache'], writes: ['disk', 'page cache'],
    history: [{ version: '2.6.11-rc1', seed: '002', what: 'unmap_mapping_range(mapping, 0, -1, 0) before filemap_write_and_wait().' }],
  },
  {
    id: 'zap_pte_range', names: ['zap_pte_range', 'unmap_mapping_range', 'zap_page_range', 'unmap_mapping_folio', 'unmap_mapping_pages'], file: 'mm/memory.c', kind: 'model',
    description: 'Clears PTEs; a dirty PTE\'s bit moves to the page with set_page_dirty, under the page-table lock, and the TLBs are flushed (6.1: before the lock is dropped when a PTE was dirty). On the 6.1 and 6.12 trees the whole chain runs from source (unmap_mapping_pages/unmap_mapping_folio → unmap_mapping_range_tree → zap_page_range_single → unmap_single_vma → unmap_page_range → zap_p4d/pud/pmd_range → zap_pte_range with its mmu_gather); the built-in eras\' models clear each PTE and flush it in one step (common/memory.c).',
    reads: ['PTE dirty'], writes: ['PTE', 'PG_dirty', 'buffer dirty'],
    history: [{ version: '2.6.9', seed: '002', what: '"zap_pte_range should not mark non-uptodate pages dirty" (Andrea Arcangeli\'s patch, not merged).' }],
  },
  {
    id: 'filemap_alloc_folio', names: ['filemap_alloc_folio', 'filemap_alloc_folio_noprof', 'filemap_add_folio'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: 'making a new page-cache folio (the page allocator, the xarray insertion with its memcg charge and LRU placement) is outside the model, whose pages are set up before the CPUs start; an allocation asked for fails as under memory pressure' },
    description: 'Allocates a folio for the page cache, and inserts one into a mapping. In the simulator the scenario\'s pages exist from the start: allocating fails (NULL), inserting fails (-ENOMEM).',
    reads: [], writes: [], history: [],
  },
  {
    id: 'split_huge_page', names: ['split_huge_page_to_list', 'split_huge_page_to_list_to_order'], file: 'mm/huge_memory.c', kind: 'model',
    lift: { use: 'builtin', why: 'its preparation is outside the model: the xarray\'s multi-index entry (xas_split_alloc/xas_split), the deferred split queue, memcg, anon_vma and unmap_folio()/can_split_folio() over the rmap (the scenario\'s THP is mapped by no PTE); the built-in model (builtin/models/6.1/huge_memory.c) does what a file THP goes through: i_mmap_lock_read, the end of the file, the reference count frozen under the i_pages lock, then the tree\'s __split_huge_page()' },
    description: 'Splits a large folio into single pages: freezes its reference count under the i_pages lock and calls __split_huge_page(). Compound pages are data (sim/compound.ts): a scenario declares a head and its tails (`tail H`); a folio that is not large cannot be split (-EBUSY).',
    reads: ['refcount'], writes: [], history: [],
  },
  {
    id: 'do_wp_page', names: ['do_wp_page'], file: 'mm/memory.c', kind: 'model',
    description: 'Write fault on a present read-only PTE of a shared mapping: makes the PTE writable and dirty and marks the page dirty (since 2.6.19\'s dirty tracking). Up to 2.6.29 the page was dirtied after the PTE lock was dropped, without the page lock; since b827e496c893 (2.6.30) ->page_mkwrite returns it locked and it is dirtied under the lock; 6.1: wp_page_shared() → do_page_mkwrite() → finish_mkwrite_fault() → fault_dirty_shared_page(), run from the tree on struct vm_fault and PTE words (sim/vm-fault.ts).',
    reads: ['PTE'], writes: ['PTE writable/dirty', 'PG_dirty', 'buffers'], history: [],
  },
  {
    id: 'shrink_page_list', names: ['shrink_page_list', 'shrink_folio_list'], file: 'mm/vmscan.c', kind: 'model',
    since: { shrink_folio_list: '6.1' },
    description: 'Reclaim of an isolated list of folios: unmaps them, writes dirty ones through ->writepage (only kswapd, since 6.1 only for folios it meets again with PG_reclaim on a node flagged PGDAT_DIRTY), releases buffers and frees clean ones; since 6.1 it runs from the tree over lists as data (sim/lru-lists.ts), its scan_control from a table (sim/reclaim-objects.ts).', reads: ['PG_dirty', 'PG_writeback'], writes: ['page cache'],
    history: [
      { version: '2.6.34', seed: '004', what: 'Ted Ts\'o and KOSAKI Motohiro on AOP_WRITEPAGE_ACTIVATE: nobody uses it, ext4 refuses writepage for delalloc pages.' },
      { version: '6.1', what: 'renamed shrink_folio_list (Debian\'s 6.1 tree defines shrink_folio_list in mm/vmscan.c)' },
    ],
  },
  {
    id: 'pageout', names: ['pageout'], file: 'mm/vmscan.c', kind: 'model',
    description: 'Reclaim\'s write of one dirty page: clears its dirty state for I/O and calls ->writepage with PG_reclaim set.', reads: ['PG_dirty'], writes: ['PG_dirty', 'PG_reclaim'],
    history: [{ version: '2.6.34', seed: '004', what: 'A ->writepage that redirties without AOP_WRITEPAGE_ACTIVATE leaves the page on the inactive list for the next pass.' }],
  },
  ...REACHED_ENTRIES,
  ...WAITQ_ENTRIES,
  ...PIN_ENTRIES,
  ...MIGRATE_ENTRIES,
  ...WRITEBACK_ENTRIES,
  ...FAULT_ENTRIES,
  ...MKWRITE_ENTRIES,
  ...WAITQ_SOURCE_ENTRIES,
  ...RECLAIM_ENTRIES,
  ...UNMAP_ENTRIES,
  ...READFAULT_ENTRIES,
  ...MAPCOUNT_ENTRIES,
  ...THP_ENTRIES,
  ...DIO_ENTRIES,
  ...GUP_ENTRIES,
];

/**
 * Built-in models that run instead of the source of the same name, and why: the
 * source's body works at a level the simulator models differently. Each use is said in
 * the run's assumptions ('builtin-over-source').
 */
export const BUILTIN_OVER_SOURCE: Readonly<Record<string, string>> = {
  filemap_fdatawrite: 'the real one builds a writeback_control over the whole file and attaches cgroup writeback (wbc_attach_fdatawrite_inode, inode->i_wb) around do_writepages(); the model calls do_writepages() in WB_SYNC_ALL mode, which runs the real write_cache_pages()',
  filemap_write_and_wait: 'as filemap_fdatawrite, then filemap_fdatawait: the model writes with do_writepages() and waits on each page under writeback',
  filemap_fdatawait: 'the real one walks the writeback tag with folio batches and collects errors from mapping->flags (filemap_check_errors, AS_EIO/AS_ENOSPC); the model waits on each page tagged writeback, one lookup at a time',
  ext4_writepage: 'the real one submits through ext4_bio_write_page() (io_end, bio, the journal\'s data=ordered list); the model writes the page\'s dirty buffers as block_write_full_page() does, which is what data=ordered writeback of allocated blocks comes to',
  filemap_remove_folio: 'the real one deletes from the xarray (page_cache_delete, xas_store, shadow entries) and drops the cache\'s references with folio_put_refs(); the model removes the page from the cache and puts the cache\'s reference, where dropping the last one frees the page',
  filemap_free_folio: 'as filemap_remove_folio: the cache\'s references are put by the model, so that the last one frees the page',
  delete_from_page_cache_batch: 'as filemap_remove_folio, for a batch: the real one walks the xarray with page_cache_delete_batch()',
  do_writepages: 'the real one also estimates the bdi\'s write bandwidth (wb_bandwidth_estimate_start on the inode\'s bdi_writeback) and retries on -ENOMEM; the model calls ->writepages when the table has one, else generic_writepages()',
  redirty_tail_locked: 'the real one keeps wb->b_dirty in dirtied_when order (wb_inode(wb->b_dirty.next), time_before() against jiffies); the model keeps which list an inode is on, not the order, and no clock: it moves the inode to b_dirty and clears I_SYNC_QUEUED, as the real one then does',
  ext4_page_mkwrite: 'its allocating path runs under a journal handle (ext4_journal_start, ext4_meta_trans_blocks over the superblock\'s group descriptors, ext4_walk_page_buffers with do_journal_get_write_access) and the delayed-allocation reservation, which are below the model; the model keeps its 6.1 order: the page locked and rechecked, returned locked at once when every buffer is mapped, else block_page_mkwrite() (the tree\'s, with the model\'s ext4_get_block) attaches, maps and dirties the buffers and returns it locked',
  block_page_mkwrite: 'the real one maps the page\'s blocks through __block_write_begin_int(), which reads or zeroes blocks it has to (ll_rw_block, the buffer cache\'s __getblk and its page allocations, bdev aliases) below the model; the model attaches, maps (the model\'s get_block) and dirties the page\'s own buffers, dirties the page and returns 0 with it locked, as 6.1\'s does (builtin/models/6.1/buffer.c)',
  create_empty_buffers: 'the real one allocates a new ring of buffer_heads (alloc_page_buffers, a NULL-terminated list it then closes into a ring) and attaches it; the model\'s buffer_heads are the page\'s own, set up before the CPUs start, so attaching is modeled on them: each reset clean and unmapped, uptodate with the page, and PG_private set (builtin/models/6.1/buffer.c)',
  folio_create_empty_buffers: 'as create_empty_buffers (its name since 6.8), returning the ring\'s head',
};

/**
 * Entries of a source a_ops table the model does not follow, and why: the table is used
 * without them (the operation falls back as the kernel does when the entry is NULL).
 * Each is said in the run's assumptions ('builtin-over-source').
 */
export const OPS_ENTRIES_NOT_FOLLOWED: Readonly<Record<string, string>> = {
  'ext4_aops.writepages': 'ext4_writepages (the journal handle, extent mapping, mpage_da_data, ext4_io_submit) is outside the model: writeback goes through generic_writepages() and ->writepage, as ext3 in data=ordered mode did',
  'ext4_da_aops.writepages': 'as ext4_aops.writepages: delayed-allocation writeback goes through ->writepage, which refuses pages whose blocks are not allocated yet',
  // fs/libfs.c: "While this is a required method, the read/write paths never call it" (returns -EINVAL)
  'ext4_aops.direct_IO': 'noop_direct_IO only marks that open(O_DIRECT) is allowed: ext4\'s O_DIRECT write goes through iomap (ext4_dio_write_iter() → iomap_dio_rw()), which the model does not follow',
  'ext4_da_aops.direct_IO': 'as ext4_aops.direct_IO',
  // fs/ext4/inode.c: ext4_release_folio() asks the journal first, else try_to_free_buffers()
  'ext4_aops.release_folio': 'ext4_release_folio() hands the folio to the journal (jbd2_journal_try_to_free_buffers: journal heads, the checkpoint lists), which the model does not follow: the buffers are released as ext4 without a journal does, by try_to_free_buffers(), which runs from the tree',
  'ext4_da_aops.release_folio': 'as ext4_aops.release_folio',
};

const byName = new Map<string, CatalogEntry>();
for (const e of CATALOG) for (const n of e.names) byName.set(n, e);

export function entryByName(name: string): CatalogEntry | undefined {
  return byName.get(name);
}
