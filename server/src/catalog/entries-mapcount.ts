/**
 * Catalog entries of the page's mapcount as data, the rmap functions that change it,
 * MADV_DONTNEED's unmapping and reclaim's try_to_unmap() with its batched TLB flush
 * (issue 16): what each is, what it reads and writes, its names across releases and its
 * history.
 */
import type { CatalogEntry } from './catalog-entry.js';

const DELAY_RMAP = {
  commit: '5df397dec7c4', version: '6.2',
  what: 'Linus Torvalds, "mm: delay page_remove_rmap() until after the TLB has been flushed": zap_pte_range() keeps a dirty file PTE\'s rmap until after its forced TLB flush (tlb_flush_rmaps()), so folio_mkclean() cannot see the folio unmapped while another CPU still writes through a stale TLB entry (merged for 6.2 with the mm-stable tree, December 2022; Debian\'s 6.1.192 does not carry it).',
};

export const MAPCOUNT_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'page_add_file_rmap', names: ['page_add_file_rmap', 'folio_add_file_rmap_range', 'folio_add_file_rmap_ptes', 'folio_add_file_rmap_pte'], file: 'mm/rmap.c', kind: 'model',
    description: 'One more PTE maps the file folio: atomic_inc_and_test(&page->_mapcount) (6.12: __folio_add_rmap() at RMAP_LEVEL_PTE), with NR_FILE_MAPPED and mlock accounting beside it. The fault calls it with the PTE lock held, just before set_pte_at(). page->_mapcount is a location of the simulator (-1: unmapped); the trees\' bodies run from source.',
    reads: ['page mapcount'], writes: ['page mapcount'], history: [],
  },
  {
    id: 'page_remove_rmap', names: ['page_remove_rmap', 'folio_remove_rmap_ptes', 'folio_remove_rmap_pte'], file: 'mm/rmap.c', kind: 'model',
    description: 'One PTE less maps the folio: atomic_add_negative(-1, &page->_mapcount) (6.12: __folio_remove_rmap()). Once it reaches -1, folio_mapped() is false and the rmap walks leave the folio alone, whatever TLB entries still point at it: callers that clear a PTE must flush before, or hold the PTE lock across both (5df397dec7c4).',
    reads: ['page mapcount'], writes: ['page mapcount'], history: [DELAY_RMAP],
  },
  {
    id: 'page_mapped', names: ['page_mapped', 'folio_mapped'], file: 'mm/util.c', kind: 'model',
    description: 'Whether any page table maps the folio, by its rmap count (page->_mapcount >= 0 for a small folio; 6.12: folio_mapcount() >= 1, an inline in mm.h). folio_mkclean() returns at once when it is false, truncation and reclaim unmap only when it is true.',
    reads: ['page mapcount'], writes: [], history: [],
  },
  {
    id: 'page_mapcount', names: ['page_mapcount', 'folio_mapcount'], file: 'include/linux/mm.h', kind: 'model',
    description: 'How many PTEs map the page by its rmap count: atomic_read(&page->_mapcount) + 1 (6.12: a page type\'s negative value reads 0).',
    reads: ['page mapcount'], writes: [], history: [],
  },
  {
    id: 'tlb_flush_rmaps', names: ['tlb_flush_rmaps'], file: 'mm/mmu_gather.c', kind: 'model',
    lift: { use: 'builtin', why: 'the real one walks the gather\'s batches of encoded page pointers (tlb_flush_rmap_batch over tlb->local and tlb->active); the model keeps the delayed pages as a list on the gather and runs folio_remove_rmap_ptes() (the tree\'s) on each (builtin/models/6.1/memory.c)' },
    description: 'After zap_pte_range()\'s forced TLB flush, under the PTE lock: removes the rmap of each page whose removal __tlb_remove_folio_pages() delayed (a dirty file PTE: tlb_delay_rmap()).',
    reads: ['page mapcount'], writes: ['page mapcount'], history: [DELAY_RMAP],
  },
  {
    id: 'tlb_next_delayed_rmap', names: ['tlb_next_delayed_rmap'], file: 'mm/mmu_gather.c', kind: 'primitive',
    description: 'The model\'s iterator over the gather\'s delayed-rmap pages (ENCODED_PAGE_BIT_DELAY_RMAP), for the built-in tlb_flush_rmaps(): takes the next one off, or NULL.',
    reads: [], writes: [], history: [DELAY_RMAP],
  },
  {
    id: 'madvise_dontneed_single_vma', names: ['madvise_dontneed_single_vma'], file: 'mm/madvise.c', kind: 'model',
    description: 'MADV_DONTNEED of one VMA: zap_page_range_single() over the range (6.1 and 6.12 alike), whose zap_pte_range() clears the PTEs, moves a dirty PTE\'s bit to the folio, removes the rmap (6.1: at once; 6.2+: a dirty PTE\'s after the TLB flush) and flushes. The harness\'s madvise_dontneed(U) calls it under the mmap_lock; the built-in 6.1 model is zap_pte_range()\'s order on one PTE (6.1/madvise.c), the delayed-rmap overlay 5df397dec7c4\'s.',
    reads: ['PTE'], writes: ['PTE', 'PG_dirty', 'page mapcount', 'TLB'], history: [DELAY_RMAP],
  },
  {
    id: 'try_to_unmap_one', names: ['try_to_unmap_one'], file: 'mm/rmap.c', kind: 'model',
    description: 'try_to_unmap()\'s rmap_one, per VMA that maps the folio: page_vma_mapped_walk() to the PTE (without PVMW_SYNC unless TTU_SYNC), the PTE cleared (with TTU_BATCH_FLUSH its flush left to the task\'s batch: should_defer_flush, set_tlb_ubc_flush_pending), a dirty PTE\'s bit moved to the folio, the rmap removed and the mapping\'s reference dropped. Runs from the trees; the built-in eras\' try_to_unmap() clears each PTE with its flush.',
    reads: ['PTE', 'page mapcount'], writes: ['PTE', 'PG_dirty', 'page mapcount', 'page refcount', 'TLB batch'], history: [],
  },
  {
    id: 'set_tlb_ubc_flush_pending', names: ['set_tlb_ubc_flush_pending', 'should_defer_flush', 'arch_tlbbatch_should_defer'], file: 'mm/rmap.c', kind: 'primitive',
    description: 'Reclaim\'s deferred flush: whether to defer (TTU_BATCH_FLUSH and another CPU in the mm\'s cpumask), and recording the mm in current->tlb_ubc (writable when the cleared PTE was dirty) and in mm->tlb_flush_batched. The CPUs\' cached entries stay until try_to_unmap_flush(_dirty)() or flush_tlb_batched_pending().',
    reads: ['TLB batch'], writes: ['TLB batch'], history: [],
  },
  {
    id: 'flush_tlb_batched_pending', names: ['flush_tlb_batched_pending'], file: 'mm/rmap.c', kind: 'primitive',
    description: 'Called by zap_pte_range() (and mprotect, mremap) under the PTE lock: if reclaim may have left a batch of this mm unflushed, flushes the mm on every CPU first, so that the unmapping\'s own flush ordering holds.',
    reads: ['TLB batch'], writes: ['TLB batch', 'TLB'], history: [],
  },
];
