/* mm/filemap.c, 5.11 (c2407cf7d22d, 5.11-rc3): loop while the page is under writeback again */

void wait_on_page_writeback(struct page *page)
{
	while (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}
