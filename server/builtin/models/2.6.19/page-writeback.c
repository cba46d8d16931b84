/* mm/page-writeback.c, 2.6.19 */

void set_page_dirty_balance(struct page *page)
{
	if (set_page_dirty(page))
		balance_dirty_pages_ratelimited(page_mapping(page));
}

/*
 * 2.6.19: clear PG_dirty first, then clean the page tables and ignore what
 * page_mkclean() found: a dirty PTE's data is no longer recorded anywhere
 * (seed 000).
 */
int clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (!mapping)
		return TestClearPageDirty(page);

	if (TestClearPageDirty(page)) {
		if (mapping_cap_account_dirty(mapping)) {
			page_mkclean(page);
			dec_zone_page_state(page, NR_FILE_DIRTY);
		}
		return 1;
	}
	return 0;
}
