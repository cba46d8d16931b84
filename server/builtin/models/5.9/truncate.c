/* mm/truncate.c, 5.9 */

void cancel_dirty_page(struct page *page)
{
	TestClearPageDirty(page);
}

void truncate_cleanup_page(struct address_space *mapping, struct page *page)
{
	if (page_has_private(page))
		try_to_release_page(page, 0);
	cancel_dirty_page(page);
	ClearPageMappedToDisk(page);
}

int truncate_inode_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return -EIO;
	truncate_cleanup_page(mapping, page);
	xa_lock_irq(&mapping->i_pages);
	__delete_from_page_cache(page);
	xa_unlock_irq(&mapping->i_pages);
	put_page(page);	/* the page cache's reference */
	return 0;
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	struct page *page;
	pgoff_t index;
	pgoff_t next;

	/* first pass: pagevec_lookup_entries() + trylock_page(), skipping pages under writeback */
	for (index = 0; (page = find_get_page_from(mapping, index)); index = next) {
		next = page_index(page) + 1;
		if (trylock_page(page)) {
			if (PageWriteback(page)) {
				unlock_page(page);
			} else {
				truncate_inode_page(mapping, page);
				unlock_page(page);
			}
		}
		put_page(page);
	}
	/* second pass: lock and wait for every page still there */
	for (index = 0; (page = find_get_page_from(mapping, index)); index = next) {
		next = page_index(page) + 1;
		lock_page(page);
		wait_on_page_writeback(page);
		truncate_inode_page(mapping, page);
		unlock_page(page);
		put_page(page);
	}
}

int invalidate_complete_page2(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;
	if (page_has_private(page) && !try_to_release_page(page, 0))
		return 0;
	xa_lock_irq(&mapping->i_pages);
	if (PageDirty(page) || page_count(page) != 2) {
		xa_unlock_irq(&mapping->i_pages);
		return 0;
	}
	__delete_from_page_cache(page);
	xa_unlock_irq(&mapping->i_pages);
	put_page(page);
	return 1;
}

int invalidate_inode_pages2(struct address_space *mapping)
{
	struct page *page;
	pgoff_t next = 0;
	int ret = 0;

	while ((page = find_get_page_from(mapping, next))) {
		next = page_index(page) + 1;
		lock_page(page);
		if (page->mapping != mapping) {
			unlock_page(page);
			put_page(page);
			continue;
		}
		wait_on_page_writeback(page);
		if (page_mapped(page))
			unmap_mapping_range(mapping, page_index(page) << PAGE_SHIFT, PAGE_SIZE, 0);
		if (!invalidate_complete_page2(mapping, page))
			ret = -EBUSY;
		unlock_page(page);
		put_page(page);
	}
	return ret;
}
