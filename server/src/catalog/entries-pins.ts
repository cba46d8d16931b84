/**
 * Catalog entries of the pin and buffer-migration races (issue 17, items 1 and 3):
 * pinned-page-buffers and buffer-migrate-lookup.
 */
import type { CatalogEntry } from './functions.js';

const D824 = { commit: 'd824ec2a1546', version: '6.4', what: 'Jan Kara, "mm: do not reclaim private data from pinned page": shrink_folio_list() skips a folio that folio_maybe_dma_pinned() once it is unmapped, so its buffers stay (7273da3cfde7 in 6.1.y).' };
const GUP2018 = { version: '4.15', what: 'Jan Kara, Jan 2018 ("get_user_pages() and filesystems"): a page pinned by GUP is written back and loses its buffers to reclaim; set_page_dirty_lock() at the end of the DMA dirties a page with no buffers and ext4 BUGs in writeback.' };

export const PIN_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'unpin_user_pages_dirty_lock', names: ['unpin_user_pages_dirty_lock'], file: 'mm/gup.c', kind: 'model',
    description: 'Ends FOLL_PIN pins that wrote into the pages: each page not yet dirty is locked and marked dirty through its filesystem (set_page_dirty_lock / folio_mark_dirty), then the pin (GUP_PIN_COUNTING_BIAS references) is dropped.',
    reads: ['PG_dirty', 'page refcount'], writes: ['PG_dirty', 'PG_locked', 'buffer dirty', 'page refcount'],
    history: [GUP2018, D824],
  },
  {
    id: 'put_compound_head', names: ['put_compound_head', 'gup_put_folio'], file: 'mm/gup.c', kind: 'model',
    since: { gup_put_folio: '5.19' },
    description: 'Drops GUP references: for FOLL_PIN a small page\'s pin is GUP_PIN_COUNTING_BIAS references; the last reference frees the page.',
    reads: ['page refcount'], writes: ['page refcount'], history: [],
  },
  {
    id: 'set_page_dirty_lock', names: ['set_page_dirty_lock'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'set_page_dirty() for a caller that does not hold the page lock: locks the page around it.',
    reads: ['page->mapping'], writes: ['PG_locked', 'PG_dirty', 'buffer dirty'], history: [GUP2018],
  },
  {
    id: 'try_to_unmap', names: ['try_to_unmap'], file: 'mm/rmap.c', kind: 'model',
    lift: { use: 'builtin', why: 'the reverse-map walk (rmap_walk over the i_mmap tree with a struct rmap_walk_control, page_vma_mapped_walk through the page tables, mmu notifiers, batched TLB flushes) is modeled as clearing the folio\'s PTE in each of the file\'s mappings under the page-table lock, as try_to_unmap_one() does to a file PTE' },
    description: 'Reclaim\'s unmapping of a folio from every mapping: each PTE cleared, a dirty PTE\'s bit moved to the folio, the mapping\'s reference dropped. A pin does not stop it.',
    reads: ['PTEs'], writes: ['PTEs', 'PG_dirty', 'page refcount'], history: [D824],
  },
];
