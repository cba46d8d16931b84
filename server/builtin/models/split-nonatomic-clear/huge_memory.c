/*
 * 2d077d4b5992 reverted in 6.1's __split_huge_page(): a tail beyond EOF loses its dirty
 * bit through the non-atomic __folio_clear_dirty() (a load and a store of the whole
 * flags word) instead of folio_test_clear_dirty(). For the revert test only; otherwise
 * 6.1's model.
 */
static void __split_huge_page(struct page *page, struct list_head *list, pgoff_t end, struct address_space *mapping)
{
	struct folio *folio = page_folio(page);
	struct page *head = &folio->page;
	unsigned int nr = folio_nr_pages(folio);
	int i;

	for (i = nr - 1; i >= 1; i--) {
		__split_huge_page_tail(head, i, NULL, list);
		/* Some pages can be beyond EOF: drop them from page cache */
		if (head[i].index >= end) {
			struct folio *tail = page_folio(head + i);

			if (folio_test_dirty(tail)) {
				__folio_clear_dirty(tail);
				folio_account_cleaned(tail, inode_to_wb(folio->mapping->host));
			}
			__filemap_remove_folio(tail, NULL);
			folio_put(tail);
		}
	}

	ClearPageCompound(head);
	page_ref_add(head, 2);
	xa_unlock(&head->mapping->i_pages);

	if (mapping)
		i_mmap_unlock_read(mapping);

	for (i = 0; i < nr; i++) {
		struct page *subpage = head + i;
		if (subpage == page)
			continue;
		unlock_page(subpage);
		put_page(subpage);
	}
}
