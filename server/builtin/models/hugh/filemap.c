/*
 * Hugh Dickins' variant (seed 003): clear PG_writeback and wake its waiters together
 * under the i_pages lock, which __test_set_page_writeback() also takes, so that a
 * wake-up can no longer come from a writeback that has already been replaced.
 */
void end_page_writeback(struct page *page)
{
	struct address_space *mapping;
	unsigned long flags;
	int writeback;

	if (PageReclaim(page)) {
		ClearPageReclaim(page);
		rotate_reclaimable_page(page);
	}
	mapping = page_mapping(page);
	WARN_ON_ONCE(!mapping);
	if (mapping)
		xa_lock_irqsave(&mapping->i_pages, flags);
	writeback = TestClearPageWriteback(page);
	/* No need for smp_mb__after_atomic() after TestClear */
	if (PageWaiters(page))
		wake_up_page_bit(page, PG_writeback);
	if (mapping && mapping_use_writeback_tags(mapping)) {
		__xa_clear_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_WRITEBACK);
		if (!mapping_tagged(mapping, PAGECACHE_TAG_WRITEBACK))
			sb_clear_inode_writeback(mapping->host);
	}
	if (mapping)
		xa_unlock_irqrestore(&mapping->i_pages, flags);
	BUG_ON(!writeback);
}
