/*
 * mm/gup.c, 6.1: the end of a FOLL_PIN pin that wrote into the pages. The pinner
 * (an RDMA or io_uring fixed-buffer receive, a process_vm_writev target) dirties each
 * page through its filesystem unless it is already dirty, then drops the pin: one pin
 * of a small folio is GUP_PIN_COUNTING_BIAS references (gup_put_folio).
 * The scenarios' folios are single pages, so gup_folio_next() steps one page at a time.
 */
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		struct folio *folio = page_folio(pages[i]);

		/*
		 * Checking PG_dirty without the folio lock may race with
		 * folio_clear_dirty_for_io(); the kernel accepts that (see its comment).
		 */
		if (make_dirty && !folio_test_dirty(folio)) {
			folio_lock(folio);
			folio_mark_dirty(folio);
			folio_unlock(folio);
		}
		gup_put_folio(folio, 1, FOLL_PIN);
	}
}

void gup_put_folio(struct folio *folio, int refs, unsigned int flags)
{
	if (flags & FOLL_PIN)
		refs *= GUP_PIN_COUNTING_BIAS;
	folio_put_refs(folio, refs);
}

void folio_put_refs(struct folio *folio, int refs)
{
	if (folio_ref_sub_and_test(folio, refs))
		__folio_put(folio);
}
