/*
 * ext4's ->writepage, 5.18: Ted Ts'o's cc5095747edf ("ext4: don't BUG if someone
 * dirty pages without asking ext4 first") warns about a dirty page without buffers,
 * cleans it and skips it: no BUG, but what was written into the page is dropped.
 */
int ext4_writepage(struct page *page, struct writeback_control *wbc)
{
	/* Should never happen but for bugs in other kernel subsystems */
	if (!page_has_buffers(page)) {
		/* ext4_warning_inode(inode, "page %lu does not have buffers attached", ...) */
		ClearPageDirty(page);
		unlock_page(page);
		return 0;
	}
	return block_write_full_page(page, ext4_get_block, wbc);
}
