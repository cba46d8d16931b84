/* mm/truncate.c, 2.6.9 */

void truncate_complete_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return;
	if (PagePrivate(page))
		try_to_release_page(page, 0);
	clear_page_dirty(page);
	ClearPageUptodate(page);
	ClearPageMappedToDisk(page);
	spin_lock_irq(&mapping->tree_lock);
	__remove_from_page_cache(page);
	spin_unlock_irq(&mapping->tree_lock);
	page_cache_release(page);	/* pagecache ref */
}

void truncate_inode_page(struct address_space *mapping, struct page *page)
{
	truncate_complete_page(mapping, page);
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	struct page *page;
	pgoff_t index;
	pgoff_t next;

	/* first pass: only pages that can be locked at once and are not under writeback */
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
		page_cache_release(page);
	}
	/* second pass: wait for each remaining page */
	for (index = 0; (page = find_get_page_from(mapping, index)); index = next) {
		next = page_index(page) + 1;
		lock_page(page);
		wait_on_page_writeback(page);
		truncate_inode_page(mapping, page);
		unlock_page(page);
		page_cache_release(page);
	}
}

/* Succeeds only for a clean page that nobody but the cache and the caller holds. */
int invalidate_complete_page(struct address_space *mapping, struct page *page)
{
	if (page->mapping != mapping)
		return 0;
	if (PagePrivate(page) && !try_to_release_page(page, 0))
		return 0;
	spin_lock_irq(&mapping->tree_lock);
	if (PageDirty(page)) {
		spin_unlock_irq(&mapping->tree_lock);
		return 0;
	}
	if (page_count(page) != 2) {
		spin_unlock_irq(&mapping->tree_lock);
		return 0;
	}
	__remove_from_page_cache(page);
	spin_unlock_irq(&mapping->tree_lock);
	ClearPageUptodate(page);
	page_cache_release(page);	/* pagecache ref */
	return 1;
}

/*
 * 2.6.9: a mapped page is left in place, marked clean and not uptodate; an unmapped
 * one that cannot be invalidated likewise.
 */
void invalidate_inode_pages2(struct address_space *mapping)
{
	struct page *page;
	pgoff_t next = 0;

	while ((page = find_get_page_from(mapping, next))) {
		next = page_index(page) + 1;
		lock_page(page);
		if (page->mapping == mapping) {	/* truncate race? */
			wait_on_page_writeback(page);
			if (page_mapped(page)) {
				clear_page_dirty(page);
				ClearPageUptodate(page);
			} else {
				if (!invalidate_complete_page(mapping, page)) {
					clear_page_dirty(page);
					ClearPageUptodate(page);
				}
			}
		}
		unlock_page(page);
		page_cache_release(page);
	}
}
