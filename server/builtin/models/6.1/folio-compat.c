/* mm/folio-compat.c and the page-named wrappers of 6.1 */

void end_page_writeback(struct page *page)
{
	return folio_end_writeback(page_folio(page));
}

void set_page_writeback(struct page *page)
{
	folio_start_writeback(page_folio(page));
}

bool set_page_dirty(struct page *page)
{
	return folio_mark_dirty(page_folio(page));
}

bool clear_page_dirty_for_io(struct page *page)
{
	return folio_clear_dirty_for_io(page_folio(page));
}

void wait_on_page_writeback(struct page *page)
{
	return folio_wait_writeback(page_folio(page));
}

bool redirty_page_for_writepage(struct writeback_control *wbc, struct page *page)
{
	return folio_redirty_for_writepage(wbc, page_folio(page));
}

void unlock_page(struct page *page)
{
	return folio_unlock(page_folio(page));
}

/* the page-named wait of the models layered under 6.1 (5.9) */
void wait_on_page_bit(struct page *page, int bit_nr)
{
	folio_wait_bit(page_folio(page), bit_nr);
}
