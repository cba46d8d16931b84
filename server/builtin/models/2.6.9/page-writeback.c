/* mm/page-writeback.c and include/linux/page-flags.h, 2.6.9 */

int __set_page_dirty_nobuffers(struct page *page)
{
	if (!TestSetPageDirty(page)) {
		struct address_space *mapping = page_mapping(page);

		if (mapping) {
			spin_lock_irq(&mapping->tree_lock);
			if (page->mapping)
				radix_tree_tag_set(&mapping->page_tree, page_index(page), PAGECACHE_TAG_DIRTY);
			spin_unlock_irq(&mapping->tree_lock);
		}
		return 1;
	}
	return 0;
}

int set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (likely(mapping))
		return mapping->a_ops->set_page_dirty(page);
	if (!PageDirty(page))
		SetPageDirty(page);
	return 0;
}

int test_clear_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (mapping) {
		spin_lock_irq(&mapping->tree_lock);
		if (TestClearPageDirty(page)) {
			radix_tree_tag_clear(&mapping->page_tree, page_index(page), PAGECACHE_TAG_DIRTY);
			spin_unlock_irq(&mapping->tree_lock);
			return 1;
		}
		spin_unlock_irq(&mapping->tree_lock);
		return 0;
	}
	return TestClearPageDirty(page);
}

void clear_page_dirty(struct page *page)
{
	test_clear_page_dirty(page);
}

/* Clear a page's dirty flag while the caller holds it locked, for writepage. */
int clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	if (mapping) {
		if (TestClearPageDirty(page)) {
			if (mapping_cap_account_dirty(mapping))
				dec_page_state(nr_dirty);
			return 1;
		}
		return 0;
	}
	return TestClearPageDirty(page);
}

int test_clear_page_writeback(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int ret;

	if (mapping) {
		spin_lock_irq(&mapping->tree_lock);
		ret = TestClearPageWriteback(page);
		if (ret)
			radix_tree_tag_clear(&mapping->page_tree, page_index(page), PAGECACHE_TAG_WRITEBACK);
		spin_unlock_irq(&mapping->tree_lock);
	} else {
		ret = TestClearPageWriteback(page);
	}
	return ret;
}

int test_set_page_writeback(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int ret;

	if (mapping) {
		spin_lock_irq(&mapping->tree_lock);
		ret = TestSetPageWriteback(page);
		if (!ret)
			radix_tree_tag_set(&mapping->page_tree, page_index(page), PAGECACHE_TAG_WRITEBACK);
		if (!PageDirty(page))
			radix_tree_tag_clear(&mapping->page_tree, page_index(page), PAGECACHE_TAG_DIRTY);
		spin_unlock_irq(&mapping->tree_lock);
	} else {
		ret = TestSetPageWriteback(page);
	}
	return ret;
}

void set_page_writeback(struct page *page)
{
	test_set_page_writeback(page);
}

/*
 * The writeback loop (mpage_writepages() in 2.6, write_cache_pages() from 2.6.25
 * on), one tagged page at a time.
 */
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct page *page;
	pgoff_t index = 0;
	int ret = 0;

	while ((page = find_get_page_tag(mapping, index, PAGECACHE_TAG_DIRTY))) {
		index = page_index(page) + 1;
		lock_page(page);
		if (page->mapping != mapping) {
continue_unlock:
			unlock_page(page);
			page_cache_release(page);
			continue;
		}
		if (!PageDirty(page))
			goto continue_unlock;
		if (PageWriteback(page)) {
			if (wbc->sync_mode != WB_SYNC_NONE)
				wait_on_page_writeback(page);
			else
				goto continue_unlock;
		}
		if (!clear_page_dirty_for_io(page))
			goto continue_unlock;
		ret = mapping->a_ops->writepage(page, wbc);
		page_cache_release(page);
	}
	return ret;
}

/* do_writepages(): ->writepages if the filesystem has one, else the generic loop */
int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	if (mapping->a_ops->writepages)
		return mapping->a_ops->writepages(mapping, wbc);
	return write_cache_pages(mapping, wbc);
}

int redirty_page_for_writepage(struct writeback_control *wbc, struct page *page)
{
	return __set_page_dirty_nobuffers(page);
}

/* Write one locked page with ->writepage; the caller holds a reference. */
int write_one_page(struct page *page, int wait)
{
	struct address_space *mapping = page->mapping;
	int ret = 0;

	BUG_ON(!PageLocked(page));

	if (wait)
		wait_on_page_writeback(page);

	if (clear_page_dirty_for_io(page)) {
		page_cache_get(page);
		ret = mapping->a_ops->writepage(page, WBC_SYNC_ALL);
		if (ret == 0 && wait)
			wait_on_page_writeback(page);
		page_cache_release(page);
	} else {
		unlock_page(page);
	}
	return ret;
}
