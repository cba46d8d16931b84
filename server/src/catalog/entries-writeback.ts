/**
 * Catalog entries of the writeback races (wcp-integrity): fsync's path from
 * filemap_write_and_wait() down to write_cache_pages() and its page lookups, under
 * each era's names. Facts from the commits named; what each reads and writes is the
 * simulator's view of it.
 */
import type { CatalogEntry } from './functions.js';

/**
 * The stand-ins of functions.ts's BUILTIN_OVER_SOURCE keep running in place of the
 * tree's body when the catalog names them (a named function is taken by its entry,
 * which reads `lift`, not that table): the same reasons, word for word.
 */
const STAND_IN = {
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
];
