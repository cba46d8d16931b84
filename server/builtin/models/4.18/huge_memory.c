/*
 * mm/huge_memory.c after 2d077d4b5992 "mm/huge_memory.c: __split_huge_page() use
 * atomic ClearPageDirty()": the tail beyond i_size loses its dirty bit through an
 * atomic clear_bit(), which leaves a PG_waiters set by a locker alone. Otherwise as
 * 4.10's model (one tail page, after __split_huge_page_tail()).
 */
void __split_huge_page(struct page *page)
{
	struct address_space *mapping = page->mapping;
	pgoff_t end = (i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT;

	/* page_ref_unfreeze(page_tail, 1 + !PageAnon(head)) in __split_huge_page_tail() */
	page_ref_inc(page);

	spin_lock(&mapping->tree_lock);
	/* Some pages can be beyond i_size: drop them from page cache */
	if (page->index >= end) {
		ClearPageDirty(page);
		__delete_from_page_cache(page, NULL);
		put_page(page);
	}
	spin_unlock(&mapping->tree_lock);

	unlock_page(page);
	put_page(page);
}
