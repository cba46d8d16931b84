/**
 * Catalog entries of the reverse-map walk below folio_mkclean(), of the TLBs and of
 * unmapping (issue 16, items 2 and 3): what each is, what it reads and writes, its names
 * across releases and its history.
 */
import type { CatalogEntry } from './catalog-entry.js';

export const UNMAP_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'rmap_walk_file', names: ['rmap_walk_file'], file: 'mm/rmap.c', kind: 'model',
    description: 'The file side of rmap_walk(): under the i_mmap lock (a trylock first), visits each VMA of the file\'s i_mmap interval tree that covers the folio\'s page range and calls rwc->rmap_one through the walk\'s control block, skipping those rwc->invalid_vma refuses. In the simulator the tree is the scenario\'s mappings of the file (vma_interval_tree_foreach over vma_interval_tree_iter_first/next).',
    reads: ['i_mmap', 'PTEs (through rmap_one)'], writes: ['PTEs (through rmap_one)'], history: [],
  },
  {
    id: 'page_mkclean_one', names: ['page_mkclean_one'], file: 'mm/rmap.c', kind: 'model',
    description: 'folio_mkclean()\'s rmap_one: sets up a page_vma_mapped_walk over one VMA (DEFINE_FOLIO_VMA_WALK with PVMW_SYNC) and adds what page_vma_mkclean_one() cleaned to the caller\'s count.',
    reads: ['PTE'], writes: ['PTE writable/dirty', 'TLB'], history: [],
  },
  {
    id: 'page_vma_mkclean_one', names: ['page_vma_mkclean_one'], file: 'mm/rmap.c', kind: 'model',
    description: 'The per-PTE work of folio_mkclean(): for each PTE the walk finds mapping the folio, under the page-table lock, a writable or dirty PTE is cleared and flushed from every TLB (ptep_clear_flush), then set back write-protected and clean (pte_wrprotect, pte_mkclean, set_pte_at). The flush is what stops a CPU from storing through a writable translation it cached before the clean.',
    reads: ['page-table lock', 'PTE'], writes: ['PTE', 'TLB'],
    history: [{ version: '5.18', what: 'split out of page_mkclean_one() (pfn_mkclean_range shares it); 6.12 reads the PTE with ptep_get() instead of *pte.' }],
  },
  {
    id: 'page_vma_mapped_walk', names: ['page_vma_mapped_walk'], file: 'mm/page_vma_mapped.c', kind: 'primitive',
    description: 'Finds the next PTE of a VMA that maps the walk\'s folio and returns with its page-table lock held; false (the lock dropped) when there is none left. A stated boundary in the simulator: the page-table levels are below the model, so one call takes the lock and checks the slot\'s PTE (map_pte, check_pte) for the one-page folios of the scenarios.',
    reads: ['page-table lock', 'PTE present'], writes: ['page-table lock'], history: [],
  },
  {
    id: 'vma_interval_tree_iter_first', names: ['vma_interval_tree_iter_first', 'vma_interval_tree_iter_next'], file: 'mm/interval_tree.c', kind: 'primitive',
    description: 'The i_mmap interval tree\'s iteration (vma_interval_tree_foreach): the VMAs of the file whose page range meets [start, last]. In the simulator, the scenario\'s mappings of the file still linked, in order.',
    reads: ['i_mmap'], writes: [], history: [],
  },
  {
    id: 'ptep_clear_flush', names: ['ptep_clear_flush'], file: 'mm/pgtable-generic.c', kind: 'model',
    description: 'Clears a PTE (ptep_get_and_clear) and, if a CPU may have cached it (pte_accessible), flushes the page from every TLB (flush_tlb_page) before returning the old value: two steps, between which a CPU can still store through its cached entry.',
    reads: ['PTE'], writes: ['PTE', 'TLB'], history: [],
  },
  {
    id: 'flush_tlb_page', names: ['flush_tlb_page', 'flush_tlb_range', 'flush_tlb_mm_range'], file: 'arch/x86/mm/tlb.c', kind: 'primitive',
    description: 'Drops every CPU\'s cached translation of a page (of a range) of the mm: on x86 flush_tlb_mm_range() flushes locally and sends IPIs to the other CPUs in mm_cpumask, and returns once they are done. In the simulator each CPU\'s writable entries are data (sim/tlb.ts).',
    reads: [], writes: ['TLB'], history: [],
  },
  {
    id: 'pte_store', names: ['pte_store'], file: 'server/src/sim/ops/pte.ts', kind: 'primitive',
    description: 'A user store through a mapping: through the CPU\'s cached writable translation when it has one (the PTE is not looked at), else through a present writable PTE, whose dirty bit the CPU sets and whose translation it caches; else the store faults.',
    reads: ['TLB', 'PTE present/writable'], writes: ['TLB', 'PTE dirty', 'page memory'], history: [],
  },
];
