/**
 * A page's mapcount as data: page->_mapcount (folio->_mapcount of a one-page folio),
 * -1 when no PTE maps the page, as the kernel keeps it. The setup's present PTEs set it
 * (world.ts), the rmap functions change it: a tree that defines page_add_file_rmap(),
 * page_remove_rmap(), folio_add_file_rmap_ptes(), folio_remove_rmap_ptes(),
 * folio_mapped(), folio_mapcount() runs its own bodies (SOURCE_OVER_PRIMITIVE), whose
 * atomic_inc_and_test()/atomic_add_negative()/atomic_read() on &page->_mapcount are
 * this location (ops/refcount.ts); these primitives serve the built-in eras and trees
 * that do not define a spelling.
 *
 * The count is not the PTEs: zap_pte_range() clears the PTE, and the rmap removal that
 * drops the count comes after, in 6.1 before the TLB flush, from 6.2 (5df397dec7c4)
 * after it (tlb_flush_rmaps). folio_mkclean()'s `if (!folio_mapped(folio)) return 0`
 * and the rmap walk's `rwc->done` read the count, not the PTE, so the order shows.
 */
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { livePage, num, shownValue } from './args.js';
import { stackObjectType } from '../stack-kinds.js';
import { arrayItems, arrayValue, EMPTY_ARRAY } from '../arrays.js';

const mapcountKey = key.pageMapcount;

/** Adds d to the page's _mapcount; a removal past -1 is the kernel's "Bad page map" (print_bad_pte). */
export function addMapcount(c: StepContext, page: string, d: number): number {
  const v = num(c.get(mapcountKey(page))) + d;
  if (v < -1) throw new PrimitiveError(`${page}: _mapcount drops below -1 (an rmap removed twice: the kernel's print_bad_pte)`);
  c.set(mapcountKey(page), v);
  return v;
}

function mapcountOf(c: StepContext, p: Value): number {
  return num(c.get(mapcountKey(livePage(c, p)))) + 1;
}

const COUNT = { reads: ['page mapcount'], writes: ['page mapcount'] } as const;

/** The mmu_gather on this CPU's stack (ops/zap.ts keeps its batch as a list of pages). */
function gatherId(v: Value): string {
  if (typeof v === 'string' && v.startsWith('stk:') && stackObjectType(v.slice(4)) === 'mmu_gather') return v.slice(4);
  throw new PrimitiveError(`expected a struct mmu_gather, got ${shownValue(v)}`);
}

export const mapcountPrimitives: Primitive[] = [
  {
    names: ['page_add_file_rmap', 'folio_add_file_rmap_ptes', 'folio_add_file_rmap_pte', 'folio_add_file_rmap_range'],
    doc: 'one more PTE maps the file page: atomic_inc_and_test(&page->_mapcount) (the memcg\'s NR_FILE_MAPPED and mlock are not modeled); the folio forms\' nr is 1 (single pages)',
    ...COUNT,
    run: (c, [p]) => { addMapcount(c, livePage(c, p), 1); return 0; },
  },
  {
    names: ['page_remove_rmap', 'folio_remove_rmap_pte', 'folio_remove_rmap_ptes'],
    doc: 'one PTE less maps the page: atomic_add_negative(-1, &page->_mapcount); the PTE itself was cleared by the caller',
    ...COUNT,
    run: (c, [p]) => { addMapcount(c, livePage(c, p), -1); return 0; },
  },
  {
    names: ['page_mapped', 'folio_mapped'],
    doc: 'whether any PTE maps the page by its rmap count: page->_mapcount >= 0',
    reads: ['page mapcount'],
    run: (c, [p]) => (mapcountOf(c, p) > 0 ? 1 : 0),
  },
  {
    names: ['page_mapcount', 'folio_mapcount'],
    doc: 'how many PTEs map the page by its rmap count: page->_mapcount + 1',
    reads: ['page mapcount'],
    run: (c, [p]) => mapcountOf(c, p),
  },
  {
    names: ['tlb_next_delayed_rmap'],
    doc: 'takes the next page of the gather\'s batch whose rmap removal waits for the TLB flush (ENCODED_PAGE_BIT_DELAY_RMAP, set by __tlb_remove_folio_pages with delay_rmap) off the delayed list and returns it, or NULL when none is left',
    // the gather's list of delayed pages: a field of the CPU's own mmu_gather
    reads: ['own stack structure'], writes: ['own stack structure'],
    run: (c, [t]) => {
      const k = key.field('stk', gatherId(t), 'delayed_pages');
      const [first, ...rest] = arrayItems(c.get(k) || EMPTY_ARRAY);
      if (first === undefined) return null;
      c.set(k, rest.length ? arrayValue(rest) : EMPTY_ARRAY);
      return first;
    },
  },
];
