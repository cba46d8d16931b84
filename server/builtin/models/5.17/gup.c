/*
 * mm/gup.c, 5.17: the end of a FOLL_PIN pin that wrote into the pages: each page
 * (a compound head; the scenarios' pages are single pages) is dirtied with
 * set_page_dirty_lock() unless PG_dirty is already set, then its pin of
 * GUP_PIN_COUNTING_BIAS references is dropped (put_compound_head).
 */
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		struct page *head = compound_head(pages[i]);

		if (make_dirty && !PageDirty(head))
			set_page_dirty_lock(head);
		put_compound_head(head, 1, FOLL_PIN);
	}
}

void put_compound_head(struct page *page, int refs, unsigned int flags)
{
	if (flags & FOLL_PIN)
		refs *= GUP_PIN_COUNTING_BIAS;
	if (page_ref_sub_and_test(page, refs))
		__put_page(page);
}

/* mm/page-writeback.c: set_page_dirty() for a caller that does not hold the page lock */
int set_page_dirty_lock(struct page *page)
{
	int ret;

	lock_page(page);
	ret = set_page_dirty(page);
	unlock_page(page);
	return ret;
}
