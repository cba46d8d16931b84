/**
 * Catalog entries for the kernel functions the seed races reach from source on the 6.1
 * and 6.12 trees below the functions the races are about: the buffer layer under
 * writeback, the dirty accounting under set_page_dirty, the invalidation steps under
 * truncation and O_DIRECT. Each has one name: these are not renamed across the eras the
 * races name (an entry with several names would make the linker treat one era's call as
 * the other's). Data only, as functions.ts.
 */
import type { CatalogEntry } from './catalog-entry.js';

export const REACHED_ENTRIES: readonly CatalogEntry[] = [
  // ---- fs/buffer.c: buffer heads under block_write_full_page and the completions
  {
    id: '__lock_buffer', names: ['__lock_buffer'], file: 'fs/buffer.c', kind: 'model',
    description: 'The sleeping half of lock_buffer(): waits until BH_Lock is clear and sets it (wait_on_bit_lock_io on b_state), uninterruptibly.',
    reads: ['buffer locked'], writes: ['buffer locked'], history: [],
  },
  {
    id: 'unlock_buffer', names: ['unlock_buffer'], file: 'fs/buffer.c', kind: 'model',
    description: 'Clears BH_Lock with release ordering, then wakes the waiters of the bit (wake_up_bit). Writeback completions call it for each buffer as its I/O ends.',
    reads: ['buffer locked'], writes: ['buffer locked', 'bit wait queue'], history: [],
  },
  {
    id: '__wait_on_buffer', names: ['__wait_on_buffer'], file: 'fs/buffer.c', kind: 'model',
    description: 'The sleeping half of wait_on_buffer(): waits until BH_Lock is clear (wait_on_bit_io), without taking it.',
    reads: ['buffer locked'], writes: [], history: [],
  },
  {
    id: 'end_buffer_async_write', names: ['end_buffer_async_write'], file: 'fs/buffer.c', kind: 'model',
    description: 'Write completion of one buffer of a page written by block_write_full_page(): marks the buffer uptodate (or records the error), clears BH_Async_Write and unlocks it under the first buffer\'s b_uptodate_lock; the last buffer of the page to complete ends the page\'s writeback (end_page_writeback).',
    reads: ['buffer async_write', 'buffers of the page'], writes: ['buffer uptodate', 'buffer async_write', 'buffer locked', 'PG_writeback (last buffer)'],
    history: [],
  },
  {
    id: 'mark_buffer_async_write_endio', names: ['mark_buffer_async_write_endio'], file: 'fs/buffer.c', kind: 'model',
    description: 'Sets a buffer\'s completion handler and BH_Async_Write before it is submitted, so that its completion knows it is part of a page\'s asynchronous write.',
    reads: [], writes: ['buffer async_write', 'b_end_io'], history: [],
  },
  {
    id: 'mark_buffer_write_io_error', names: ['mark_buffer_write_io_error'], file: 'fs/buffer.c', kind: 'model',
    description: 'Records a failed buffer write: BH_Write_EIO on the buffer and the error on its mapping (and the associated mapping and the superblock\'s errseq), where fsync reports it.',
    reads: ['buffer\'s page mapping'], writes: ['buffer write_io_error', 'mapping error'], history: [],
  },
  {
    id: 'buffer_io_error', names: ['buffer_io_error'], file: 'fs/buffer.c', kind: 'model',
    description: 'Prints the rate-limited "Buffer I/O error on dev" message for a failed buffer, unless the buffer is marked quiet.',
    reads: ['buffer quiet'], writes: [], history: [],
  },
  {
    id: 'alloc_page_buffers', names: ['alloc_page_buffers'], file: 'fs/buffer.c', kind: 'model',
    description: 'Allocates the buffer heads covering a page at a block size, chained by b_this_page (not yet circular, not yet attached), each pointing at its part of the page.',
    reads: [], writes: ['new buffer heads'], history: [],
  },
  {
    id: 'create_page_buffers', names: ['create_page_buffers'], file: 'fs/buffer.c', kind: 'model',
    description: 'Returns a locked page\'s buffers, creating them at the inode\'s block size first when it has none (BUG_ON if the page is not locked).',
    reads: ['PG_locked', 'page buffers'], writes: ['page buffers'], history: [],
  },
  {
    id: 'clean_bdev_aliases', names: ['clean_bdev_aliases'], file: 'fs/buffer.c', kind: 'model',
    description: 'After a filesystem allocates blocks for file data, finds the block device\'s page-cache buffers aliasing those blocks (stale metadata buffers), waits for their I/O and clears their dirty bit so that no later writeback of the alias overwrites the new data.',
    reads: ['block device page cache', 'buffer dirty', 'buffer locked'], writes: ['buffer dirty'], history: [],
  },
  // ---- dirtying and the writeback loop (mm/page-writeback.c)
  {
    id: '__folio_mark_dirty', names: ['__folio_mark_dirty'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'The second half of dirtying a page whose PG_dirty was just set: under the i_pages lock, if the page is still in its mapping (not truncated meanwhile), accounts it dirty and sets the page-cache dirty tag that writeback searches.',
    reads: ['page->mapping'], writes: ['dirty tag', 'dirty counters'], history: [],
  },
  {
    id: 'folio_account_redirty', names: ['folio_account_redirty'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Takes back the dirtied-page counts of a page that writeback declines to write (so that dirtied and written counts balance); touches only counters, never PG_dirty.',
    reads: ['page->mapping'], writes: ['dirty counters'], history: [],
  },
  {
    id: '__folio_cancel_dirty', names: ['__folio_cancel_dirty'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Clears PG_dirty of a page that is being truncated or whose buffers were all cleaned behind the VM\'s back, and takes back its dirty accounting; it does not touch the dirty tag, which page-cache removal clears.',
    reads: ['PG_dirty'], writes: ['PG_dirty', 'dirty counters'], history: [],
  },
  {
    id: 'folio_wait_stable', names: ['folio_wait_stable'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'Waits for writeback of a page only when its backing device needs stable pages during I/O (checksumming or RAID devices); elsewhere a page under writeback may be modified.',
    reads: ['mapping stable_writes', 'PG_writeback'], writes: [], history: [],
  },
  {
    id: 'ext4_dirty_folio', names: ['ext4_dirty_folio'], file: 'fs/ext4/inode.c', kind: 'model',
    description: 'ext4\'s a_ops dirtying (data=ordered and writeback modes): warns once when the page is neither locked nor dirty, and once when it has no buffers — the state a page reaches when something dirties it after its buffers were stripped — then dirties every buffer and the page (block_dirty_folio).',
    reads: ['PG_locked', 'PG_dirty', 'page buffers'], writes: ['buffer dirty', 'PG_dirty', 'dirty tag'],
    history: [{ version: '5.18', what: 'ext4_set_page_dirty became ext4_dirty_folio with the a_ops ->dirty_folio conversion' }],
  },
  // ---- looking pages up (mm/filemap.c)
  {
    id: 'filemap_get_folios', names: ['filemap_get_folios'], file: 'mm/filemap.c', kind: 'model',
    description: 'Gathers up to a batch of the folios present in a range of the page cache, each with a reference taken, and advances the start index past the last one; shadow entries are skipped. Nothing is locked: a folio may be truncated or written back right after.',
    reads: ['page cache', 'page refcount'], writes: ['page refcount'], history: [{ version: '6.0', what: 'replaced pagevec_lookup() and find_get_pages_range()' }],
  },
  {
    id: 'folio_mapping', names: ['folio_mapping'], file: 'mm/util.c', kind: 'model',
    description: 'The address_space of a page-cache or swap-cache folio: NULL for an anonymous or slab page, the swap space for a swap-cache page, else folio->mapping with its flag bits masked off. A truncated page answers NULL.',
    reads: ['page->mapping', 'PG_swapcache'], writes: [], history: [],
  },
  // ---- truncation and invalidation below truncate_inode_pages_range (mm/truncate.c)
  {
    id: 'folio_invalidate', names: ['folio_invalidate'], file: 'mm/truncate.c', kind: 'model',
    description: 'Calls the filesystem\'s ->invalidate_folio for a range of a page that is going away, which drops the buffers of that range (block_invalidate_folio: clears their dirty bit and, for the whole page, tries to free them).',
    reads: ['a_ops->invalidate_folio'], writes: ['buffer dirty', 'page buffers'],
    history: [{ version: '5.18', what: 'do_invalidatepage() became folio_invalidate(), ->invalidatepage became ->invalidate_folio' }],
  },
  {
    id: 'truncate_cleanup_folio', names: ['truncate_cleanup_folio'], file: 'mm/truncate.c', kind: 'model',
    description: 'Prepares a locked page for removal by truncation: unmaps it if mapped, invalidates its private data, then cancels its dirty bit — after the invalidation, because some filesystems redirty a page when its buffers go.',
    reads: ['page mapped', 'PG_private'], writes: ['PTEs', 'page buffers', 'PG_dirty'], history: [],
  },
  {
    id: 'truncate_inode_partial_folio', names: ['truncate_inode_partial_folio'], file: 'mm/truncate.c', kind: 'model',
    description: 'Truncation of a page only partly inside the truncated range: waits for its writeback, then either removes it whole or zeroes the truncated part, invalidates that part\'s buffers, and splits a large folio.',
    reads: ['PG_writeback'], writes: ['page data', 'page buffers'], history: [],
  },
  {
    id: 'try_folio_split_or_unmap', names: ['try_folio_split_or_unmap'], file: 'mm/truncate.c', kind: 'model',
    description: 'Splits a large folio straddling the truncation point; if the split fails (and it is not shmem) unmaps it instead so the next access faults and sees the new size.',
    reads: ['folio size'], writes: ['PTEs'], history: [],
  },
  {
    id: 'invalidate_exceptional_entry2', names: ['invalidate_exceptional_entry2'], file: 'mm/truncate.c', kind: 'model',
    description: 'Invalidation of a value entry (shadow, swap or DAX) in the page cache: shadow entries are left for reclaim, DAX entries are removed with their lock.',
    reads: ['page cache'], writes: ['page cache'], history: [],
  },
  {
    id: 'clear_shadow_entry', names: ['clear_shadow_entry'], file: 'mm/truncate.c', kind: 'model',
    description: 'Removes a shadow entry (the workingset record of an evicted page) from the page cache under the inode\'s i_lock and the i_pages lock, if it is still the entry found.',
    reads: ['page cache'], writes: ['page cache'], history: [],
  },
  {
    id: 'folio_batch_remove_exceptionals', names: ['folio_batch_remove_exceptionals'], file: 'mm/swap.c', kind: 'model',
    description: 'Drops the value entries (shadow, swap, DAX) from a batch filled by find_get_entries(), keeping the folios in order.',
    reads: [], writes: [], history: [],
  },
  {
    id: 'inode_add_lru', names: ['inode_add_lru'], file: 'fs/inode.c', kind: 'model',
    description: 'Puts an unused, clean inode on its superblock\'s inode LRU (where the inode shrinker finds it) once its page cache has become shrinkable; needs the inode\'s i_lock.',
    reads: ['i_state', 'i_count'], writes: ['inode LRU'], history: [],
  },
  // ---- reverse mapping and reclaim
  {
    id: 'rmap_walk', names: ['rmap_walk'], file: 'mm/rmap.c', kind: 'model',
    description: 'Visits every VMA that maps a folio (the file\'s i_mmap tree or the anon_vma chain) and calls the walk\'s rmap_one for each, under the i_mmap or anon_vma lock; folio_mkclean, try_to_unmap and folio_referenced are built on it.',
    reads: ['i_mmap', 'PTEs'], writes: ['PTEs (through rmap_one)'], history: [],
  },
  {
    id: 'folio_putback_lru', names: ['folio_putback_lru'], file: 'mm/vmscan.c', kind: 'model',
    description: 'Returns a folio that reclaim (or migration) isolated to an LRU list and drops the reference isolation took.',
    reads: [], writes: ['LRU', 'page refcount'], history: [],
  },
];
