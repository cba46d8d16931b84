/**
 * Catalog entries of the pin's own path (issue 16, item 5): the harness's pin(U, P) is
 * pin_user_pages_fast(FOLL_WRITE), run from mm/gup.c on a tree and from the era's
 * built-in gup.c otherwise.
 */
import type { CatalogEntry } from './catalog-entry.js';

const FOLL_PIN = { version: '5.6', what: 'John Hubbard, "mm/gup: introduce pin_user_pages*() and FOLL_PIN" (the series "mm/gup: track dma-pinned pages: FOLL_PIN, FOLL_LONGTERM", Nov 2019): pins for DMA counted apart from plain references, GUP_PIN_COUNTING_BIAS on a small page\'s refcount (commit id not confirmed here).' };

export const GUP_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'pin_user_pages_fast', names: ['pin_user_pages_fast'], file: 'mm/gup.c', kind: 'model',
    description: 'Pins user pages for DMA (FOLL_PIN): the lockless page-table walk takes what it can, the slow path (__get_user_pages under the mmap_lock) faults the rest in and grabs them; a FOLL_WRITE pin of a read-only PTE write-faults it first (->page_mkwrite, the page dirty).',
    reads: ['PTE', 'task mm', 'page refcount'], writes: ['page refcount', 'PTE', 'PG_dirty'], history: [FOLL_PIN],
  },
  {
    id: '__get_user_pages', names: ['__get_user_pages'], file: 'mm/gup.c', kind: 'model',
    description: 'GUP\'s slow path, under the mmap_lock: per page, the VMA looked up and checked, the PTE followed (follow_page_mask → follow_page_pte, which grabs the page), and a PTE that cannot be used faulted in (faultin_page → handle_mm_fault) and followed again.',
    reads: ['PTE', 'i_mmap'], writes: ['page refcount'], history: [],
  },
  {
    id: 'faultin_page', names: ['faultin_page'], file: 'mm/gup.c', kind: 'model',
    description: 'GUP\'s fault: handle_mm_fault() with FAULT_FLAG_WRITE for FOLL_WRITE (and FAULT_FLAG_ALLOW_RETRY when the caller can take the mmap_lock back: *locked = 0 when the fault dropped it).',
    reads: ['PTE'], writes: ['PTE', 'PG_dirty'], history: [],
  },
  {
    id: 'try_grab_page', names: ['try_grab_page'], file: 'mm/gup.c', kind: 'model',
    description: 'Takes GUP\'s reference on a page it follows: one for FOLL_GET, GUP_PIN_COUNTING_BIAS for a FOLL_PIN pin of a small folio (a large one counts in _pincount); 6.12 does the same in try_grab_folio().',
    reads: ['page refcount'], writes: ['page refcount'], history: [FOLL_PIN],
  },
];
