/*
 * mm/truncate.c, 2.6.22: invalidate_inode_pages2_range(). Each page is locked, unmapped
 * while page_mapped(), and taken out of the cache by invalidate_complete_page2(), which
 * does not look at the page's reference count: a fault holding a reference to a page
 * it has not mapped yet does not stop the removal.
 */

static int invalidate_complete_page2(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;
	if (PagePrivate(page) && !try_to_release_page(page, GFP_KERNEL))
		return 0;
	write_lock_irq(&mapping->tree_lock);
	if (PageDirty(page))
		goto failed;
	BUG_ON(PagePrivate(page));
	__remove_from_page_cache(page);
	write_unlock_irq(&mapping->tree_lock);
	ClearPageUptodate(page);
	page_cache_release(page);	/* pagecache ref */
	return 1;
failed:
	write_unlock_irq(&mapping->tree_lock);
	return 0;
}

static int do_launder_page(struct address_space *mapping, struct page *page)
{
	if (!PageDirty(page))
		return 0;
	if (page->mapping != mapping || mapping->a_ops->launder_page == NULL)
		return 0;
	return mapping->a_ops->launder_page(page);
}

/* The page-by-page lookup stands in for pagevec_lookup() (one page at a time). */
int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct page *page;
	pgoff_t next = start;
	int ret = 0;
	int did_range_unmap = 0;

	while (!ret && (page = find_get_page_from(mapping, next))) {
		next = page_index(page) + 1;
		lock_page(page);
		if (page->mapping != mapping) {
			unlock_page(page);
			page_cache_release(page);
			continue;
		}
		wait_on_page_writeback(page);
		while (page_mapped(page)) {
			if (!did_range_unmap) {
				/* Zap the rest of the file in one hit. */
				unmap_mapping_range(mapping, page->index << PAGE_CACHE_SHIFT,
						    (end - page->index + 1) << PAGE_CACHE_SHIFT, 0);
				did_range_unmap = 1;
			} else {
				/* Just zap this page */
				unmap_mapping_range(mapping, page->index << PAGE_CACHE_SHIFT,
						    PAGE_CACHE_SIZE, 0);
			}
		}
		ret = do_launder_page(mapping, page);
		if (ret == 0 && !invalidate_complete_page2(mapping, page))
			ret = -EIO;
		unlock_page(page);
		page_cache_release(page);
	}
	return ret;
}

int invalidate_inode_pages2(struct address_space *mapping)
{
	return invalidate_inode_pages2_range(mapping, 0, -1);
}
