/**
 * Catalog entries of the writeback races (wcp-integrity): fsync's path from
 * filemap_write_and_wait() down to write_cache_pages() and its page lookups, under
 * each era's names. Facts from the commits named; what each reads and writes is the
 * simulator's view of it.
 */
import type { CatalogEntry } from './catalog-entry.js';

/**
 * The stand-ins of functions.ts's BUILTIN_OVER_SOURCE keep running in place of the
 * tree's body when the catalog names them (a named function is taken by its entry,
 * which reads `lift`, not that table): the same reasons, word for word.
 */
const STAND_IN = {
  redirty_tail_locked: 'the real one keeps wb->b_dirty in dirtied_when order (wb_inode(wb->b_dirty.next), time_before() against jiffies); the model keeps which list an inode is on, not the order, and no clock: it moves the inode to b_dirty and clears I_SYNC_QUEUED, as the real one then does',
  do_writepages: 'the real one also estimates the bdi\'s write bandwidth (wb_bandwidth_estimate_start on the inode\'s bdi_writeback) and retries on -ENOMEM; the model calls ->writepages when the table has one, else generic_writepages()',
  filemap_fdatawrite: 'the real one builds a writeback_control over the whole file and attaches cgroup writeback (wbc_attach_fdatawrite_inode, inode->i_wb) around do_writepages(); the model calls do_writepages() in WB_SYNC_ALL mode, which runs the real write_cache_pages()',
  filemap_fdatawait: 'the real one walks the writeback tag with folio batches and collects errors from mapping->flags (filemap_check_errors, AS_EIO/AS_ENOSPC); the model waits on each page tagged writeback, one lookup at a time',
  filemap_write_and_wait: 'as filemap_fdatawrite, then filemap_fdatawait: the model writes with do_writepages() and waits on each page under writeback',
};

export const WRITEBACK_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'generic_writepages', names: ['generic_writepages'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'The ->writepages of a filesystem that has only ->writepage: write_cache_pages() with __writepage() as the per-page callback. Gone in 6.12, where do_writepages() calls writeback_iter() itself.',
    reads: ['mapping->a_ops'], writes: [],
    history: [{ version: '2.6.28', what: 'write_cache_pages() takes the per-page callback (writepage_t) since 2.6.22; generic_writepages() passes __writepage.' }],
  },
  {
    id: '__writepage', names: ['__writepage'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'write_cache_pages()\'s callback for generic_writepages(): calls mapping->a_ops->writepage() and records an error in mapping->flags (mapping_set_error).',
    reads: ['mapping->a_ops'], writes: ['AS_EIO/AS_ENOSPC'], history: [],
  },
  {
    id: 'do_writepages', names: ['do_writepages'], file: 'mm/page-writeback.c', kind: 'model',
    lift: { use: 'builtin', why: STAND_IN.do_writepages },
    description: 'Starts writeback of a file\'s dirty pages under a writeback_control: ->writepages when the filesystem has one, else generic_writepages(). Returns at once when wbc->nr_to_write is already spent.',
    reads: ['wbc->nr_to_write', 'mapping->a_ops'], writes: [],
    history: [{ version: '2.6.28', what: 'if (wbc->nr_to_write <= 0) return 0; the budget it checks is the one fsync gave write_cache_pages (wcp-integrity).' }],
  },
  {
    id: '__filemap_fdatawrite_range', names: ['__filemap_fdatawrite_range'], file: 'mm/filemap.c', kind: 'model',
    // 6.x: filemap_write_and_wait_range() from the tree calls it (O_DIRECT through iomap, entries-dio.ts)
    lift: { use: 'builtin', why: 'the real one fills a writeback_control on its stack (.sync_mode, .nr_to_write = LONG_MAX, the byte range) and hands it to filemap_fdatawrite_wbc(), which attaches cgroup writeback (wbc_attach_fdatawrite_inode) around do_writepages(); the model calls do_writepages() with the thread\'s writeback_control of that mode over the whole file (builtin/models/6.1/ext4-dio.c), which runs the real write_cache_pages()' },
    description: 'fsync\'s writeout of a byte range: a writeback_control on the stack (sync mode, range, budget) handed to do_writepages(). The budget was mapping->nrpages * 2 until 2.6.29\'s series; 6.1 passes LONG_MAX.',
    reads: ['mapping->nrpages'], writes: ['wbc'],
    history: [
      { version: '2.6.28', what: '.nr_to_write = mapping->nrpages * 2: twice the pages cached when the fsync starts, whatever is dirtied meanwhile.' },
      { commit: '05fe478dd04e', version: '2.6.29', what: 'Nick Piggin, "mm: write_cache_pages integrity fix": write_cache_pages() ignores the budget in WB_SYNC_ALL mode, so this budget no longer ends a sync.' },
    ],
  },
  {
    id: 'filemap_fdatawrite', names: ['filemap_fdatawrite'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: STAND_IN.filemap_fdatawrite },
    description: 'Starts WB_SYNC_ALL writeback of the whole file (__filemap_fdatawrite_range from 0 to LLONG_MAX).',
    reads: ['mapping->nrpages'], writes: [], history: [],
  },
  {
    id: 'filemap_fdatawait', names: ['filemap_fdatawait'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: STAND_IN.filemap_fdatawait },
    description: 'Waits for every page of the file tagged writeback (wait_on_page_writeback_range / __filemap_fdatawait_range) and collects the I/O errors.',
    reads: ['writeback tags', 'PG_writeback'], writes: [], history: [],
  },
  {
    id: 'filemap_write_and_wait', names: ['filemap_write_and_wait'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: STAND_IN.filemap_write_and_wait },
    description: 'fsync\'s data part: filemap_fdatawrite(), then filemap_fdatawait() unless the writeout returned -EIO. Only pages written or under writeback when the wait runs are waited for.',
    reads: ['mapping->nrpages'], writes: [],
    history: [{ version: '2.6.28', what: 'Skips everything when mapping->nrpages is 0.' }],
  },
  {
    id: 'pagevec_lookup_tag', names: ['pagevec_lookup_tag', 'pagevec_lookup_range_tag', 'filemap_get_folios_tag'], file: 'mm/swap.c', kind: 'primitive',
    since: { pagevec_lookup_range_tag: '4.14', filemap_get_folios_tag: '6.2' },
    description: 'The gang lookup of write_cache_pages(): up to a pagevec of pages carrying a tag from *index on, a reference on each, *index moved past them. 2.6 takes the number wanted; 4.14 an end index; 6.2 fills a folio batch.',
    reads: ['page-cache tags', 'page->mapping'], writes: ['page refcount'],
    history: [{ version: '2.6.28', what: 'A whole pagevec (up to PAGEVEC_SIZE, 14) is looked up at once: 2.6.28\'s loop wrote all of it even after its budget ran out, so fsync lost a page only behind 14 newly dirtied ones.' }],
  },
  {
    id: 'mapping_cap_writeback_dirty', names: ['mapping_cap_writeback_dirty', 'mapping_can_writeback'], file: 'include/linux/backing-dev.h', kind: 'primitive',
    since: { mapping_can_writeback: '5.10' },
    description: 'Whether the file\'s backing device does dirty-page writeback (not a RAM-backed or no-writeback bdi): always, for the files modeled.',
    reads: [], writes: [], history: [],
  },
  // inode-writeback-lists: the inode writeback lists (fs/fs-writeback.c)
  {
    id: '__mark_inode_dirty', names: ['__mark_inode_dirty'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'Sets I_DIRTY_* bits in inode->i_state (a lockless test first) and, when the inode was clean, puts it on its wb\'s b_dirty list (b_dirty_time for timestamps only) under wb->list_lock. Leaves the lists alone while writeback has the inode: under I_SYNC until 5.8, under I_SYNC_QUEUED (queued by the flusher) since 5.9.',
    reads: ['inode->i_state', 'inode->i_io_list'], writes: ['inode->i_state', 'inode->i_io_list (b_dirty, b_dirty_time)'],
    history: [
      { version: '5.8', what: 'if (inode->i_state & I_SYNC) goto out_unlock_inode: "the unlocker will place the inode on the appropriate superblock list", and writeback_single_inode() did not (Martijn Coenen\'s analysis).' },
      { commit: '5afced3bf281', version: '5.9', what: 'Jan Kara, "writeback: Avoid skipping inode writeback": I_SYNC_QUEUED, set while the flusher has the inode on b_io/b_more_io, replaces I_SYNC in that test.' },
    ],
  },
  {
    id: 'writeback_single_inode', names: ['writeback_single_inode'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'Writes one inode on demand (write_inode_now, sync_inode_metadata), apart from the flusher: sets I_SYNC, runs __writeback_single_inode(), then takes a clean inode off its list and, since 5.18, puts a still-dirty one not queued by the flusher back on b_dirty.',
    reads: ['inode->i_state'], writes: ['inode->i_state (I_SYNC)', 'inode->i_io_list'],
    history: [
      { commit: '5afced3bf281', version: '5.9', what: 'Jan Kara: an inode under I_SYNC no longer keeps __mark_inode_dirty() from queueing it; a still-dirty inode is still left where it is.' },
      { commit: '846a3351ddfe', version: '5.18', what: 'Jing Xia, "writeback: Avoid skipping inode writeback": writeback itself sets I_DIRTY_PAGES back from the dirty tag, so the dirtier\'s lockless test returns early; the inode is now requeued with redirty_tail_locked() (inode-writeback-lists).' },
    ],
  },
  {
    id: '__writeback_single_inode', names: ['__writeback_single_inode'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'Writes an inode\'s pages (do_writepages, and waits for them in a data-integrity write), then clears its I_DIRTY bits under i_lock and sets I_DIRTY_PAGES again if the mapping is still tagged dirty; writes the inode itself when more than its pages was dirty.',
    reads: ['inode->i_state', 'dirty tag'], writes: ['inode->i_state'], history: [],
  },
  {
    id: 'inode_io_list_move_locked', names: ['inode_io_list_move_locked'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'Moves inode->i_io_list onto one of the wb\'s lists (b_dirty, b_io, b_more_io, b_dirty_time) under wb->list_lock (and i_lock since 5.9); returns whether the wb now has dirty I/O to wake the flusher for.',
    reads: ['inode->i_io_list'], writes: ['inode->i_io_list'], history: [],
  },
  {
    id: 'redirty_tail_locked', names: ['redirty_tail', 'redirty_tail_locked'], file: 'fs/fs-writeback.c', kind: 'model',
    since: { redirty_tail_locked: '5.9' },
    lift: { use: 'builtin', why: STAND_IN.redirty_tail_locked },
    description: 'Puts an inode back on b_dirty, keeping the list in dirtied_when order, and clears I_SYNC_QUEUED.',
    reads: ['inode->i_io_list'], writes: ['inode->i_io_list', 'inode->i_state'],
    history: [{ commit: '846a3351ddfe', version: '5.18', what: 'Called by writeback_single_inode() for a still-dirty inode the flusher has not queued.' }],
  },
  {
    id: 'inode_cgwb_move_to_attached', names: ['inode_io_list_del_locked', 'inode_cgwb_move_to_attached'], file: 'fs/fs-writeback.c', kind: 'model',
    since: { inode_cgwb_move_to_attached: '5.16' },
    description: 'Takes a clean inode off the writeback lists (onto its cgroup wb\'s b_attached list, or off every list for the root wb) and clears I_SYNC_QUEUED.',
    reads: [], writes: ['inode->i_io_list', 'inode->i_state'], history: [],
  },
  {
    id: 'locked_inode_to_wb_and_lock_list', names: ['locked_inode_to_wb_and_lock_list'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'The inode\'s wb with wb->list_lock held; called with i_lock held, which it drops first (list_lock nests outside i_lock), then checks that the inode did not switch wbs meanwhile.',
    reads: ['inode->i_wb'], writes: ['wb->list_lock', 'inode->i_lock'], history: [],
  },
  {
    id: 'inode_to_wb_and_lock_list', names: ['inode_to_wb_and_lock_list'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'locked_inode_to_wb_and_lock_list() for a caller that does not hold i_lock: takes it first.',
    reads: ['inode->i_wb'], writes: ['wb->list_lock'], history: [],
  },
  {
    id: 'inode_sync_complete', names: ['inode_sync_complete'], file: 'fs/fs-writeback.c', kind: 'model',
    description: 'Clears I_SYNC and wakes whoever waits for the inode\'s writeback (__inode_wait_for_writeback).',
    reads: ['inode->i_state'], writes: ['inode->i_state (I_SYNC)'], history: [],
  },
  {
    id: 'list_move', names: ['list_move', 'list_move_tail'], file: 'include/linux/list.h', kind: 'primitive',
    description: 'Unlinks a list_head and links it on another list (at the head, or the tail): for inode->i_io_list, which wb list the inode is on is data, one step to change (sim/ops/io-lists.ts).',
    reads: ['inode->i_io_list'], writes: ['inode->i_io_list'], history: [],
  },
  {
    id: 'list_del_init', names: ['list_del_init'], file: 'include/linux/list.h', kind: 'primitive',
    description: 'Unlinks a list_head and points it at itself: for inode->i_io_list, the inode is on no wb list.',
    reads: ['inode->i_io_list'], writes: ['inode->i_io_list'], history: [],
  },
  {
    id: 'list_empty', names: ['list_empty'], file: 'include/linux/list.h', kind: 'primitive',
    description: 'Whether a list has no entry, or a list_head is on no list.',
    reads: ['inode->i_io_list'], writes: [], history: [],
  },
];
