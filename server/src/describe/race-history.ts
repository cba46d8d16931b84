/**
 * One line of history per built-in race: when it was found and what broke. The fixing
 * commit and version come from the scenario's `fixed-by` line; `fix` here is only for
 * races whose fix predates git (no commit id to write on a `fixed-by` line) or was
 * never merged. Facts from the seed threads (/work/shared/seeds) and the commits named.
 */
export interface RaceHistory {
  /** the year the race was reported */
  year: number;
  /** what broke, in one sentence */
  broke: string;
  /** a fix the scenario's fixed-by line cannot carry */
  fix?: { version: string; what: string };
  /** the functions the fix changed (any era's name): an editor shows this race first above them */
  fixTouched: readonly string[];
}

export const RACE_HISTORY: Readonly<Record<string, RaceHistory>> = {
  'wcp-integrity': {
    year: 2008,
    broke: 'fsync gave write_cache_pages a budget of twice the cached pages and WB_SYNC_ALL obeyed it: pages dirtied during the sync used it up and the page written before it was left dirty',
    fixTouched: ['write_cache_pages'],
  },
  'inode-writeback-lists': {
    year: 2020,
    broke: 'an inode dirtied while writeback_single_inode() had it under I_SYNC stayed on b_dirty_time (timestamps only) with dirty pages: background writeback left them alone and dirtiers stalled in balance_dirty_pages',
    fixTouched: ['__mark_inode_dirty', 'writeback_single_inode'],
  },
  'mmap-dirty-lost': {
    year: 2006,
    broke: 'a store through a shared mapping, recorded only in a dirty PTE, was cleaned away by clear_page_dirty_for_io and never reached the disk (ext3 data=ordered)',
    fixTouched: ['clear_page_dirty_for_io'],
  },
  'dio-mmap-uptodate': {
    year: 2004,
    broke: 'an O_DIRECT write left a mapped page in the cache clean and not uptodate; a dirty PTE then marked it dirty and old data overwrote the direct write',
    fix: { version: '2.6.11-rc1', what: 'akpm\'s invalidate_inode_pages-mmap-coherency-fix (before git): unmap first, never leave a mapped page not uptodate, return -EIO' },
    fixTouched: ['invalidate_inode_pages2_range', 'invalidate_inode_pages2'],
  },
  'writeback-stale-wake': {
    year: 2021,
    broke: 'a wake-up left over from the previous writeback let wait_on_page_writeback return with PG_writeback set again, and write_cache_pages hit BUG_ON(PageWriteback)',
    fixTouched: ['wait_on_page_writeback', 'folio_wait_writeback'],
  },
  'truncate-vs-writeback': {
    year: 2020,
    broke: 'truncation freed a page between end_page_writeback clearing PG_writeback and waking its waiters (VM_BUG_ON(PageTail), BUG_ON(PageWriteback))',
    fixTouched: ['end_page_writeback', 'folio_end_writeback'],
  },
  'reclaim-writepage-refused': {
    year: 2010,
    broke: 'ext4 refused ->writepage for delayed-allocation pages without AOP_WRITEPAGE_ACTIVATE, so reclaim scanned every page and freed none',
    fix: { version: 'none', what: 'not fixed in writepage: reclaim stopped calling ->writepage for file pages from direct reclaim later' },
    fixTouched: ['pageout'],
  },
  'killable-lock-wakeup': {
    year: 2017,
    broke: 'a lock_page_killable() waiter chosen by the unlock\'s one exclusive wake-up saw SIGKILL first and returned -EINTR without the lock, leaving the next page locker asleep on an unlocked page',
    fixTouched: ['wait_on_page_bit_common', 'folio_wait_bit_common'],
  },
  'thp-split-waiters': {
    year: 2018,
    broke: 'splitting a file THP cleared the dirty bit of tails beyond i_size with the non-atomic __ClearPageDirty(), erasing the PG_waiters a page locker had just set, so the unlock woke nobody and the locker hung',
    fixTouched: ['__split_huge_page'],
  },
  'pinned-page-buffers': {
    year: 2018,
    broke: 'reclaim stripped the buffers of a page pinned for DMA; the pinner\'s set_page_dirty_lock() then dirtied a page with no buffers and ext4 hit BUG_ON(!page_has_buffers) in writeback (a warning and lost data after cc5095747edf)',
    fixTouched: ['shrink_page_list', 'shrink_folio_list'],
  },
  'dontneed-rmap-flush': {
    year: 2022,
    broke: 'zap_pte_range() dropped a file page\'s rmap before its TLB flush, so folio_mkclean() saw the page unmapped and writeback cleaned it while another thread still wrote through a stale TLB entry: the write was left in a clean page',
    fixTouched: ['zap_pte_range', 'zap_present_folio_ptes', 'tlb_flush_rmaps', '__tlb_remove_page_size', 'tlb_flush_mmu'],
  },
  'buffer-migrate-lookup': {
    year: 2019,
    broke: 'buffer_migrate_page_norefs() dropped private_lock between finding no buffer referenced and moving the page; __find_get_block() took a reference in between and its user\'s update to the buffer was lost to the page copy (metadata corruption)',
    fixTouched: ['__buffer_migrate_page', '__buffer_migrate_folio'],
  },
  'fault-vs-invalidate': {
    year: 2007,
    broke: 'a fault mapped a page that invalidate_inode_pages2 had taken out of the page cache between the fault\'s unlocked lookup and its set_pte_at: a PTE mapping an orphan page',
    fixTouched: ['do_no_page', '__do_fault', 'filemap_nopage', 'filemap_fault', 'invalidate_inode_pages2_range'],
  },
};
