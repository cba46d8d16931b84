/*
 * mm/huge_memory.c, 6.1: splitting a large folio. The simulator's folios are single
 * pages (folio_test_large() is 0), so truncation and reclaim never reach a split; the
 * real split (freezing the reference count, the xarray's multi-index entries, memcg,
 * swap and LRU bookkeeping) stays outside the model, and a split asked of a single
 * page fails as the kernel's does for a folio it cannot split.
 */
int split_huge_page_to_list(struct page *page, struct list_head *list)
{
	return -EBUSY;
}

/* 6.8 and later: the same, with the order to split to. */
int split_huge_page_to_list_to_order(struct page *page, struct list_head *list, unsigned int new_order)
{
	return -EBUSY;
}

/*
 * __split_huge_page() of 6.1 (and 6.12) as one tail page of a file THP sees it: as in
 * 4.18's model, after __split_huge_page_tail() copied the head's flags into the tail
 * and unfroze its reference count. A tail beyond EOF loses its dirty bit through the
 * atomic folio_test_clear_dirty(), its dirty accounting is undone, it leaves the page
 * cache under the i_pages lock, and it is unlocked and put with the other subpages.
 */
void __split_huge_page(struct page *page)
{
	struct folio *tail = page_folio(page);
	struct address_space *mapping = tail->mapping;
	pgoff_t end = (i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT;

	/* page_ref_unfreeze(page_tail, 1 + (!PageAnon(head) || PageSwapCache(head))) */
	page_ref_inc(page);

	xa_lock(&mapping->i_pages);
	/* Some pages can be beyond EOF: drop them from page cache */
	if (page->index >= end) {
		if (folio_test_clear_dirty(tail))
			folio_account_cleaned(tail, inode_to_wb(mapping->host));
		__filemap_remove_folio(tail, NULL);
		folio_put(tail);
	}
	xa_unlock(&mapping->i_pages);

	unlock_page(page);
	/* free_page_and_swap_cache(): free_swap_cache() has nothing to do for page cache */
	put_page(page);
}
