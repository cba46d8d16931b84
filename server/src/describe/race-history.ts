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
  'fault-vs-invalidate': {
    year: 2007,
    broke: 'a fault mapped a page that invalidate_inode_pages2 had taken out of the page cache between the fault\'s unlocked lookup and its set_pte_at: a PTE mapping an orphan page',
    fixTouched: ['do_no_page', '__do_fault', 'filemap_nopage', 'filemap_fault', 'invalidate_inode_pages2_range'],
  },
};
