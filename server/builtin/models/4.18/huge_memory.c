/*
 * mm/huge_memory.c after 2d077d4b5992 "mm/huge_memory.c: __split_huge_page() use
 * atomic ClearPageDirty()": a tail beyond i_size loses its dirty bit through an atomic
 * clear_bit(), which leaves a PG_waiters set by a locker alone. Otherwise as 4.10's
 * model (__split_huge_page_tail() and split_huge_page_to_list() come from it).
 */
static void __split_huge_page(struct page *page, struct list_head *list, unsigned long flags)
{
	struct page *head = compound_head(page);
	struct address_space *mapping = head->mapping;
	pgoff_t end = (i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	/* HPAGE_PMD_NR in the kernel: the scenario's compound page may be smaller */
	int nr = hpage_nr_pages(head);
	int i;

	for (i = nr - 1; i >= 1; i--) {
		__split_huge_page_tail(head, i, NULL, list);
		/* Some pages can be beyond i_size: drop them from page cache */
		if (head[i].index >= end) {
			ClearPageDirty(head + i);
			__delete_from_page_cache(head + i, NULL);
			put_page(head + i);
		}
	}

	ClearPageCompound(head);
	/* Additional pin to radix tree */
	page_ref_add(head, 2);
	spin_unlock(&mapping->tree_lock);

	for (i = 0; i < nr; i++) {
		struct page *subpage = head + i;
		if (subpage == page)
			continue;
		unlock_page(subpage);
		put_page(subpage);
	}
}
