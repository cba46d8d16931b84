/* mm/page-writeback.c, 2.6.20 (7658cc289288, seed 001) */

int clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (mapping && mapping_cap_account_dirty(mapping)) {
		/*
		 * Tell the filesystem to mark the whole page dirty if it was dirty in
		 * a page table, then clean the page again and return 1 to cause the
		 * writeback: the page's dirty bit is the serialisation point.
		 */
		if (page_mkclean(page))
			set_page_dirty(page);
		if (TestClearPageDirty(page)) {
			dec_zone_page_state(page, NR_FILE_DIRTY);
			return 1;
		}
		return 0;
	}
	return TestClearPageDirty(page);
}
