/* fs/ext4/inode.c, 2.6.34: delayed allocation refuses ->writepage for unallocated blocks (seed 004). */

int ext4_bh_delay_or_unwritten(struct buffer_head *bh)
{
	return buffer_delay(bh);
}

int ext4_da_writepage(struct page *page, struct writeback_control *wbc)
{
	struct buffer_head *bh, *head;

	if (page_has_buffers(page)) {
		head = page_buffers(page);
		bh = head;
		do {
			if (ext4_bh_delay_or_unwritten(bh)) {
				/*
				 * We don't want to do block allocation, so redirty
				 * the page and return (no AOP_WRITEPAGE_ACTIVATE).
				 */
				redirty_page_for_writepage(wbc, page);
				unlock_page(page);
				return 0;
			}
			bh = bh->b_this_page;
		} while (bh != head);
	}
	return block_write_full_page(page, ext4_get_block, wbc);
}

static const struct address_space_operations ext4_da_aops = {
	.writepage	= ext4_da_writepage,
	.set_page_dirty	= __set_page_dirty_buffers,
};
