/* fs/buffer.c, 2.6.9 to 2.6.20: dirtying a page marks every buffer dirty now. */

int __set_page_dirty_buffers(struct page *page)
{
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
	spin_unlock(&mapping->private_lock);

	if (TestSetPageDirty(page))
		return 0;

	write_lock_irq(&mapping->tree_lock);
	if (page->mapping)
		radix_tree_tag_set(&mapping->page_tree, page_index(page), PAGECACHE_TAG_DIRTY);
	write_unlock_irq(&mapping->tree_lock);
	__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	return 1;
}

/* fs/mpage.c: a whole-page bio write of a page without buffers. */
int mpage_writepage(struct page *page, void *get_block, struct writeback_control *wbc)
{
	BUG_ON(!PageUptodate(page));
	set_page_writeback(page);
	unlock_page(page);
	submit_page_write(page);
	return 0;
}
