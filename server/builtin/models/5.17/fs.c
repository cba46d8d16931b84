/*
 * ext4's ->writepage, 5.17 (before cc5095747edf): page_buffers() of a page whose
 * buffers were stripped is BUG_ON(!PagePrivate(page)) (include/linux/buffer_head.h).
 */
int ext4_writepage(struct page *page, struct writeback_control *wbc)
{
	/* page_bufs = page_buffers(page): the macro's own check */
	BUG_ON(!PagePrivate(page));
	return block_write_full_page(page, ext4_get_block, wbc);
}
