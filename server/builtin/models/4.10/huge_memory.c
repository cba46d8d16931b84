/*
 * mm/huge_memory.c, 4.10 to 4.17: __split_huge_page() as one tail page of a file THP
 * sees it. The simulator's pages are single pages: the scenario's page stands for
 * head + i, a tail that __split_huge_page_tail() has just given the head's PG_locked
 * and PG_dirty, and whose reference count it has unfrozen (the page cache's reference
 * and the split's: the setup's one, plus one here), so a page-cache lookup can hold it
 * and wait for its lock. The head, the other tails, the radix tree's slots, LRU and
 * memcg are outside the model, and so is 4.10's unfreeze-before-flags order that
 * 605ca5ede764 (4.17) reversed: the model starts after the flags were copied.
 *
 * A tail beyond i_size leaves the page cache; its dirty bit is cleared with the
 * non-atomic __ClearPageDirty() that baa355fd3314 (4.8) wrote, safe until PG_waiters
 * (4.10) let a locker set a bit in a tail's flags word at any time.
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
		__ClearPageDirty(page);
		__delete_from_page_cache(page, NULL);
		put_page(page);
	}
	spin_unlock(&mapping->tree_lock);

	/* the loop over the subpages other than the one the caller keeps locked */
	unlock_page(page);
	put_page(page);
}
