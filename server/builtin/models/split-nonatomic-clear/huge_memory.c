/*
 * 2d077d4b5992 reverted in 6.1's __split_huge_page(): the tail beyond EOF loses its
 * dirty bit through the non-atomic __folio_clear_dirty() (a load and a store of the
 * whole flags word) instead of folio_test_clear_dirty(). For the revert test only.
 */
void __split_huge_page(struct page *page)
{
	struct folio *tail = page_folio(page);
	struct address_space *mapping = tail->mapping;
	pgoff_t end = (i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT;

	page_ref_inc(page);

	xa_lock(&mapping->i_pages);
	if (page->index >= end) {
		if (folio_test_dirty(tail)) {
			__folio_clear_dirty(tail);
			folio_account_cleaned(tail, inode_to_wb(mapping->host));
		}
		__filemap_remove_folio(tail, NULL);
		folio_put(tail);
	}
	xa_unlock(&mapping->i_pages);

	unlock_page(page);
	put_page(page);
}
