/* mm/filemap.c, 5.10 (073861ed77b6, 5.10-rc6) */

/*
 * Writeback does not hold a page reference of its own, relying on truncation to
 * wait for the clearing of PG_writeback. But here we must make sure that the page
 * is not freed and reused before the wake_up_page().
 */
void end_page_writeback(struct page *page)
{
	if (PageReclaim(page)) {
		ClearPageReclaim(page);
		rotate_reclaimable_page(page);
	}
	get_page(page);
	if (!test_clear_page_writeback(page))
		BUG();
	smp_mb__after_atomic();
	wake_up_page(page, PG_writeback);
	put_page(page);
}
