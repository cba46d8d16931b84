/**
 * Catalog entries of the THP split as the trees run it (thp-split-waiters, issue 17):
 * mm/huge_memory.c's __split_huge_page_tail() and the compound-page vocabulary of
 * include/linux/page-flags.h, page_ref.h and huge_mm.h over compound pages as data
 * (sim/compound.ts, sim/ops/compound.ts). Kernel facts only.
 */
import type { CatalogEntry } from './catalog-entry.js';

const FILE_THP = { commit: 'baa355fd3314', version: '4.8', what: '"thp: file pages support for split_huge_page()": a file THP\'s tails take the head\'s mapping and index, and those beyond i_size leave the page cache.' };
const SPLIT_FIX = { commit: '2d077d4b5992', version: '4.18', what: '"mm/huge_memory.c: __split_huge_page() use atomic ClearPageDirty()": a tail\'s flags word may already carry PG_waiters from a locker that got it once it was unfrozen (release not confirmed: mail of 2018-05-29).' };
const TREES = { version: '6.1', what: 'Debian\'s 6.1 and 6.12 trees: __split_huge_page_tail() copies the head\'s flags into the tail with a plain read-modify-write while the tail\'s count is frozen, clears compound_head, then unfreezes; __split_huge_page() cleans a tail beyond EOF with the atomic folio_test_clear_dirty() (thp-split-waiters holds on both; a copy with __folio_clear_dirty() deadlocks).' };
const DATA = 'compound pages as data (sim/compound.ts): a scenario declares a head and its tails (`page P index 1 tail H`)';

export const THP_ENTRIES: readonly CatalogEntry[] = [
  {
    id: '__split_huge_page_tail', names: ['__split_huge_page_tail'], file: 'mm/huge_memory.c', kind: 'model',
    description: `Turns one tail of a frozen large folio into a page of its own: its flags word rewritten from the head's (PG_locked, PG_dirty, PG_uptodate, ...; a plain read-modify-write, safe only because the tail's count is 0), its mapping and index set, page->private cleared, compound_head cleared, then its count unfrozen (1 + the page cache's reference for a file page). From here on get_page_unless_zero() succeeds on it. Runs from the trees over ${DATA}; 6.12 adds the new order and hwpoison handling (new_order 0 for truncation).`,
    reads: ['head flags', 'head mapping'], writes: ['page->flags (every bit)', 'page->mapping', 'compound_head', 'refcount'],
    history: [FILE_THP, { commit: '605ca5ede764', version: '4.17', what: 'the tail\'s count is unfrozen after its flags are written, not before (title and release not confirmed here).' }, SPLIT_FIX, TREES],
  },
  {
    id: 'clear_compound_head', names: ['clear_compound_head'], file: 'include/linux/page-flags.h', kind: 'model',
    description: `WRITE_ONCE(page->compound_head, 0): the tail leaves its compound page, so page_folio() of it is itself again (${DATA}).`,
    reads: [], writes: ['compound_head'], history: [TREES],
  },
  {
    id: 'ClearPageCompound', names: ['ClearPageCompound', 'ClearPageHead'], file: 'include/linux/page-flags.h', kind: 'model',
    description: 'BUG_ON(!PageHead(page)), then clear_bit(PG_head): the head of a split compound page is a single page again; folio_test_large() and folio_nr_pages() of it say so from here on.',
    reads: ['PG_head'], writes: ['PG_head'], history: [TREES],
  },
  {
    id: 'page_ref_freeze', names: ['page_ref_freeze', 'folio_ref_freeze'], file: 'include/linux/page_ref.h', kind: 'model',
    description: 'atomic_cmpxchg(&page->_refcount, count, 0) == count: only when exactly the expected references are held, the count becomes 0, so every speculative get (get_page_unless_zero, folio_try_get) fails until it is unfrozen. The split freezes the folio at 1 + folio_nr_pages() (the caller\'s and the page cache\'s).',
    reads: ['refcount'], writes: ['refcount'], history: [TREES],
  },
  {
    id: 'page_ref_unfreeze', names: ['page_ref_unfreeze', 'folio_ref_unfreeze'], file: 'include/linux/page_ref.h', kind: 'model',
    description: 'atomic_set_release(&page->_refcount, count): the frozen page is reachable again; __split_huge_page_tail() does it last, after the tail\'s flags and compound_head are written.',
    reads: [], writes: ['refcount'], history: [SPLIT_FIX, TREES],
  },
  {
    id: 'split_huge_page', names: ['split_huge_page', 'split_folio'], file: 'include/linux/huge_mm.h', kind: 'model',
    description: 'Splits the huge page into order-0 pages: split_huge_page_to_list(page, NULL) (6.1); 6.12 first asks min_order_for_split() and calls split_huge_page_to_list_to_order(). Runs from the trees\' header.',
    reads: ['refcount'], writes: ['refcount', 'compound_head', 'PG_head'], history: [FILE_THP],
  },
  {
    id: 'page_folio', names: ['page_folio', 'compound_head', '_compound_head'], file: 'include/linux/page-flags.h', kind: 'primitive',
    description: `The folio of a page: its head while it is a tail of a compound page (compound_head bit 0), else the page itself; ${DATA}.`,
    reads: ['compound_head'], writes: [], history: [TREES],
  },
  {
    id: 'folio_page', names: ['folio_page', 'nth_page'], file: 'include/linux/page-flags.h', kind: 'primitive',
    description: 'The page n places after the folio\'s first (the lifter reads `head + i` and `head[i]` of a struct page pointer the same way): a page of the compound page, an error past its end.',
    reads: [], writes: [], history: [],
  },
  {
    id: 'folio_test_large', names: ['folio_test_large', 'PageTransHuge', 'PageCompound'], file: 'include/linux/page-flags.h', kind: 'primitive',
    description: 'Whether the folio is larger than a page: PG_head of a compound page\'s head (PageCompound: its head or a tail). Clear on every other modeled page.',
    reads: ['PG_head'], writes: [], history: [],
  },
];
