/* mm/truncate.c, 2.6.11: mapped pages are unmapped, then invalidated; failure is -EIO. */

int invalidate_inode_pages2(struct address_space *mapping)
{
	struct page *page;
	pgoff_t next = 0;
	int ret = 0;
	int did_full_unmap = 0;

	while (!ret && (page = find_get_page_from(mapping, next))) {
		next = page_index(page) + 1;
		lock_page(page);
		if (page->mapping != mapping) {	/* truncate race? */
			unlock_page(page);
			page_cache_release(page);
			continue;
		}
		wait_on_page_writeback(page);
		while (page_mapped(page)) {
			if (!did_full_unmap) {
				/* Zap the rest of the file in one hit. */
				unmap_mapping_range(mapping, page_index(page) << PAGE_CACHE_SHIFT, -1, 0);
				did_full_unmap = 1;
			} else {
				/* Just zap this page */
				unmap_mapping_range(mapping, page_index(page) << PAGE_CACHE_SHIFT,
						    (page_index(page) << PAGE_CACHE_SHIFT) + 1, 0);
			}
		}
		clear_page_dirty(page);
		if (!invalidate_complete_page(mapping, page))
			ret = -EIO;
		unlock_page(page);
		page_cache_release(page);
	}
	return ret;
}
