/*
 * include/linux/pagemap.h, 2.6.29: sleep until the page is unlocked, without taking
 * the lock. wait_on_page_bit(page, PG_locked) sleeps on the page's hashed wait queue
 * until unlock_page()'s wake_up_page(); the model's unlock_page() is one step on the
 * bit, so the sleep is the bit wait: runnable again once PG_locked is clear.
 */
void wait_on_page_locked(struct page *page)
{
	if (PageLocked(page))
		wait_on_bit(&page->flags, PG_locked, TASK_UNINTERRUPTIBLE);
}

/*
 * mm/filemap.c, 2.6.29: ask the filesystem to release the page's private data (its
 * buffers). Never while the page is under writeback; without ->releasepage the
 * buffers go through try_to_free_buffers(), which keeps dirty or locked ones.
 */
int try_to_release_page(struct page *page, gfp_t gfp_mask)
{
	struct address_space * const mapping = page->mapping;

	BUG_ON(!PageLocked(page));
	if (PageWriteback(page))
		return 0;
	if (mapping && mapping->a_ops->releasepage)
		return mapping->a_ops->releasepage(page, gfp_mask);
	return try_to_free_buffers(page);
}
