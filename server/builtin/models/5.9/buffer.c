/* fs/buffer.c and fs/mpage.c, 5.x */

int __set_page_dirty_buffers(struct page *page)
{
	int newly_dirty;
	unsigned long flags;
	struct address_space *mapping = page_mapping(page);

	if (unlikely(!mapping))
		return !TestSetPageDirty(page);

	spin_lock(&mapping->private_lock);
	if (page_has_buffers(page)) {
		struct buffer_head *head = page_buffers(page);
		struct buffer_head *bh = head;

		do {
			set_buffer_dirty(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
	lock_page_memcg(page);
	newly_dirty = !TestSetPageDirty(page);
	spin_unlock(&mapping->private_lock);

	if (newly_dirty) {
		xa_lock_irqsave(&mapping->i_pages, flags);
		if (page->mapping)
			__xa_set_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_DIRTY);
		xa_unlock_irqrestore(&mapping->i_pages, flags);
	}
	unlock_page_memcg(page);
	if (newly_dirty)
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	return newly_dirty;
}

/* a whole-page bio write of a page without buffers (the mpage path) */
int mpage_writepage(struct page *page, void *get_block, struct writeback_control *wbc)
{
	BUG_ON(!PageUptodate(page));
	set_page_writeback(page);
	unlock_page(page);
	submit_page_write(page);
	return 0;
}
