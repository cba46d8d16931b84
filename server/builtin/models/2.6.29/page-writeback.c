/* mm/page-writeback.c, 2.6.29: write_cache_pages() after Nick Piggin's series */

/*
 * write_cache_pages() as the 2.6.29 series left it: a data-integrity sync neither
 * counts nor obeys the budget (05fe478dd04e), so pages dirtied behind its back cannot
 * use it up before the old ones are written; a real error or a spent WB_SYNC_NONE
 * budget leaves the loop at once, keeping the first error; a page somebody else
 * cleaned is skipped, and only a WB_SYNC_NONE caller skips a page under writeback.
 */
int write_cache_pages(struct address_space *mapping,
		      struct writeback_control *wbc, writepage_t writepage,
		      void *data)
{
	int ret = 0;
	int done = 0;
	struct pagevec pvec;
	int nr_pages;
	pgoff_t index;
	pgoff_t end;		/* Inclusive */
	pgoff_t done_index;
	int range_whole = 0;
	long nr_to_write = wbc->nr_to_write;

	pagevec_init(&pvec, 0);
	index = wbc->range_start >> PAGE_CACHE_SHIFT;
	end = wbc->range_end >> PAGE_CACHE_SHIFT;
	if (wbc->range_start == 0 && wbc->range_end == LLONG_MAX)
		range_whole = 1;

	done_index = index;
	while (!done && (index <= end)) {
		int i;

		nr_pages = pagevec_lookup_tag(&pvec, mapping, &index,
			      PAGECACHE_TAG_DIRTY,
			      min(end - index, (pgoff_t)PAGEVEC_SIZE - 1) + 1);
		if (nr_pages == 0)
			break;

		for (i = 0; i < nr_pages; i++) {
			struct page *page = pvec.pages[i];

			if (page->index > end) {
				/* can't be range_cyclic (1st pass) because end == -1 there */
				done = 1;
				break;
			}

			done_index = page->index + 1;

			lock_page(page);

			/*
			 * Truncated or invalidated meanwhile: skip it, even for a
			 * data-integrity sync, which cannot have promised anything
			 * about a page that left the file.
			 */
			if (unlikely(page->mapping != mapping)) {
continue_unlock:
				unlock_page(page);
				continue;
			}

			if (!PageDirty(page)) {
				/* someone wrote it for us */
				goto continue_unlock;
			}

			if (PageWriteback(page)) {
				if (wbc->sync_mode != WB_SYNC_NONE)
					wait_on_page_writeback(page);
				else
					goto continue_unlock;
			}

			BUG_ON(PageWriteback(page));
			if (!clear_page_dirty_for_io(page))
				goto continue_unlock;

			ret = (*writepage)(page, wbc, data);
			if (unlikely(ret)) {
				if (ret == AOP_WRITEPAGE_ACTIVATE) {
					unlock_page(page);
					ret = 0;
				} else {
					/* keep the first error and leave at once */
					done = 1;
					break;
				}
			}

			if (nr_to_write > 0)
				nr_to_write--;
			else if (wbc->sync_mode == WB_SYNC_NONE) {
				/*
				 * Only writeback that is not a data-integrity sync
				 * stops on its budget: somebody may be dirtying
				 * new pages as fast as a sync writes them, and the
				 * old ones must still be written.
				 */
				done = 1;
				break;
			}
		}
		pagevec_release(&pvec);
		cond_resched();
	}
	if (range_whole && nr_to_write > 0)
		mapping->writeback_index = done_index;
	wbc->nr_to_write = nr_to_write;

	return ret;
}
