/**
 * Compound pages as data (sim/compound.ts): the head a tail belongs to while it is one
 * (page_folio, compound_head), the page n places after another (head + i, folio_page,
 * nth_page) and a folio's page count. Each reads whether the pages still form one folio,
 * which only a split changes, by the thread that froze the folio's reference count; a
 * thread that reaches a page through a reference of its own (get_page_unless_zero()
 * fails on a tail and on a frozen head) reads it after the split has written it. So
 * these are local computation, not steps (the reduction-sound test checks the claim on
 * thp-split-waiters against a plain search).
 */
import type { Primitive } from '../primitive.js';
import { folioOf, folioPages, headKey, isHeadNow, pageAt } from '../compound.js';
import { PrimitiveError } from '../primitive.js';
import { num, pageArg } from './args.js';

export const compoundPrimitives: Primitive[] = [
  {
    names: ['page_folio', 'compound_head', '_compound_head'],
    doc: 'the folio of a page: its head while it is a tail of a compound page, else the page itself',
    pure: true, folioOfArg: 0,
    run: (c, [p]) => `page:${folioOf(c.layout, (k) => c.get(k), pageArg(c, p))}`,
  },
  {
    names: ['folio_page', 'nth_page', 'page_nth'],
    doc: 'the page n places after this one in its compound page (folio_page(folio, n), head + n)',
    pure: true,
    run: (c, [p, n]) => `page:${pageAt(c.layout, pageArg(c, p), num(n))}`,
  },
  {
    names: ['folio_next'],
    doc: 'the page after the folio\'s last page (folio_page(folio, folio_nr_pages(folio)))',
    pure: true,
    run: (c, [p]) => { const id = pageArg(c, p); return `page:${pageAt(c.layout, id, folioPages(c.layout, (k) => c.get(k), id))}`; },
  },
  {
    names: ['folio_test_large', 'PageTransHuge'],
    doc: 'whether the folio is larger than a page: PG_head of a compound page the setup declares',
    pure: true,
    run: (c, [p]) => (isHeadNow(c.layout, (k) => c.get(k), pageArg(c, p)) ? 1 : 0),
  },
  {
    names: ['PageCompound'],
    doc: 'whether the page is part of a compound page: its head (PG_head) or one of its tails',
    pure: true,
    run: (c, [p]) => { const id = pageArg(c, p); return isHeadNow(c.layout, (k) => c.get(k), id) || folioOf(c.layout, (k) => c.get(k), id) !== id ? 1 : 0; },
  },
  {
    names: ['folio_nr_pages', 'compound_nr', 'thp_nr_pages', 'hpage_nr_pages'],
    doc: 'pages in the folio: the compound page\'s while PG_head is set on its head, else 1',
    pure: true,
    run: (c, [p]) => folioPages(c.layout, (k) => c.get(k), pageArg(c, p)),
  },
  {
    // CLEARPAGEFLAG(Head, head, PF_ANY): a macro-made clear_bit(PG_head, &page->flags)
    names: ['ClearPageHead'],
    doc: 'clears PG_head: the head of a split compound page is a single page again',
    reads: ['PG_head'], writes: ['PG_head'],
    run: (c, [p]) => {
      const id = pageArg(c, p);
      if (c.layout.pages.get(id)?.compound === undefined) throw new PrimitiveError(`ClearPageHead(${id}): not the head of a compound page`);
      c.set(headKey(id), 0);
      return 0;
    },
  },
];
