/*
 * "Why" variant of truncate-vs-writeback: a ->writepage that unlocks the page
 * before setting PG_writeback leaves a window in which neither bit protects it.
 */
int mpage_writepage(struct page *page, void *get_block, struct writeback_control *wbc)
{
	BUG_ON(!PageUptodate(page));
	unlock_page(page);
	set_page_writeback(page);
	submit_page_write(page);
	return 0;
}
