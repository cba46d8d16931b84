/*
 * mm/truncate.c, 2.6.29: cancel_dirty_page(), for a page whose buffers were all cleaned
 * behind the VM's back (try_to_free_buffers) or that truncation is removing: the dirty
 * flag goes, and with it the dirty accounting (not modeled).
 */
void cancel_dirty_page(struct page *page, unsigned int account_size)
{
	if (TestClearPageDirty(page)) {
		struct address_space *mapping = page->mapping;
		if (mapping && mapping_cap_account_dirty(mapping)) {
			/* dec_zone_page_state(page, NR_FILE_DIRTY), task_io_account_cancelled_write() */
		}
	}
}
