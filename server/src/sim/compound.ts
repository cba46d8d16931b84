/**
 * Compound pages (large folios) as data. A scenario declares one with a head page and
 * its tails (`page H index 0 ...`, `page P index 1 tail H`): the layout lists the head's
 * pages in order (layout.ts `compound`), and the world keeps what a split rewrites:
 *
 *   pg:H.head   PG_head of the head's flags word: 1 while the pages form one folio
 *   pg:T.tail   bit 0 of the tail's page->compound_head: 1 while T is a tail of H
 *
 * A tail starts with no references (a tail's _refcount is 0: the folio's count is the
 * head's), no page->mapping of its own and no flags; the head holds one reference per
 * page for the page cache (a large folio in the page cache has folio_nr_pages() of them)
 * and, when it starts locked, the reference of the thread that locked it (truncation
 * looks the folio up with a reference before it locks it: find_lock_entries()).
 *
 * The geometry (which page is head + i, folio_nr_pages(), folio_order()) is fixed; what
 * changes is whether the pages still form the folio: clear_compound_head() on a tail
 * and ClearPageHead() on the head, as __split_huge_page_tail() and __split_huge_page()
 * do. page_folio()/compound_head() read the tail bit (ops/compound.ts).
 */
import type { Value } from './program.js';
import type { Layout, PageInfo } from './layout.js';
import type { World } from './world.js';
import { key } from './world.js';
import { PrimitiveError } from './primitive.js';
import { FOLIO_GEOMETRY_FIELDS } from './folio-geometry.js';

export const headKey = (page: string): string => key.pageFlag(page, 'head');
export const tailKey = (page: string): string => key.pageFlag(page, 'tail');

/** The compound state of one page at the start of every interleaving (world.ts initialWorld). */
export function compoundWorld(w: World, page: PageInfo, locked: boolean): void {
  if (page.compound !== undefined) {
    w[headKey(page.id)] = 1;
    w[key.pageRef(page.id)] = page.compound.length + (locked ? 1 : 0);
  }
  if (page.head !== undefined) {
    // mapped by no PTE: _mapcount -1 (page_mapcount_reset), which __split_huge_page_tail()
    // checks (VM_BUG_ON_PAGE); where _mapcount is plain memory its default 0 would say mapped once
    const mapcount = key.field('page', page.id, '_mapcount');
    if (mapcount in w) w[mapcount] = -1;
    w[tailKey(page.id)] = 1;
    w[key.pageRef(page.id)] = 0;
    w[key.pageMapping(page.id)] = null;
  }
}

/** The folio page `id` belongs to now: its head while it is a tail, else itself. */
export function folioOf(layout: Layout, get: (k: string) => Value, id: string): string {
  const head = layout.pages.get(id)?.head;
  return head !== undefined && get(tailKey(id)) ? head : id;
}

/** Whether page `id` is the head of a compound page now (PG_head). */
export function isHeadNow(layout: Layout, get: (k: string) => Value, id: string): boolean {
  return layout.pages.get(id)?.compound !== undefined && !!get(headKey(id));
}

/** The pages of the folio headed by `id` now: the whole compound while PG_head is set, else one. */
export function folioPages(layout: Layout, get: (k: string) => Value, id: string): number {
  return isHeadNow(layout, get, id) ? layout.pages.get(id)!.compound!.length : 1;
}

/**
 * `page + n` for a struct page pointer (head + i, &page[n], nth_page): the page n places
 * after `id` in its compound page. Pointer arithmetic past the compound page is outside
 * the model: an error naming it.
 */
export function pageAt(layout: Layout, id: string, n: number): string {
  if (n === 0) return id;
  const info = layout.pages.get(id);
  const headId = info?.head ?? (info?.compound !== undefined ? id : undefined);
  const pages = headId !== undefined ? layout.pages.get(headId)!.compound! : undefined;
  const at = pages ? pages.indexOf(id) + n : -1;
  if (!pages || at < 0 || at >= pages.length) {
    throw new PrimitiveError(`page arithmetic: ${id} + ${n} is outside ${pages ? `the compound page ${headId} (${pages.length} pages)` : 'any compound page (the page is a single page)'}`);
  }
  return pages[at]!;
}

/**
 * Fields of struct folio that hold a large folio's geometry in the head's first tail
 * (6.1: _folio_order, _folio_nr_pages; 6.12: _flags_1's low byte is the order, _nr_pages),
 * read through the head: fixed for the scenario, valid while PG_head is set (the kernel
 * reads them only after folio_test_large()).
 */
export function folioGeometryField(layout: Layout, id: string, field: string): Value | undefined {
  const pages = layout.pages.get(id)?.compound;
  if (!FOLIO_GEOMETRY_FIELDS.includes(field)) return undefined;
  const nr = pages?.length ?? 1;
  const order = Math.log2(nr);
  if (!Number.isInteger(order)) throw new PrimitiveError(`compound page ${id} has ${nr} pages, not a power of two`);
  return field === '_folio_nr_pages' || field === '_nr_pages' || field === 'compound_nr' ? nr : order;
}
