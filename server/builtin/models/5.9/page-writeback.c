/* mm/page-writeback.c and include/linux/page-flags.h, 5.9 */

int __set_page_dirty_nobuffers(struct page *page)
{
	lock_page_memcg(page);
	if (!TestSetPageDirty(page)) {
		struct address_space *mapping = page_mapping(page);
		unsigned long flags;

		if (!mapping) {
			unlock_page_memcg(page);
			return 1;
		}
		xa_lock_irqsave(&mapping->i_pages, flags);
		WARN_ON_ONCE(!PagePrivate(page) && !PageUptodate(page));
		account_page_dirtied(page, mapping);
		__xa_set_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_DIRTY);
		xa_unlock_irqrestore(&mapping->i_pages, flags);
		unlock_page_memcg(page);
		if (mapping->host)
			__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
		return 1;
	}
	unlock_page_memcg(page);
	return 0;
}

int set_page_dirty(struct page *page)
{
	struct address_space *mapping = page_mapping(page);

	page = compound_head(page);
	if (likely(mapping)) {
		if (PageReclaim(page))
			ClearPageReclaim(page);
		return mapping->a_ops->set_page_dirty(page);
	}
	if (!PageDirty(page)) {
		if (!TestSetPageDirty(page))
			return 1;
	}
	return 0;
}

int redirty_page_for_writepage(struct writeback_control *wbc, struct page *page)
{
	return __set_page_dirty_nobuffers(page);
}

int clear_page_dirty_for_io(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int ret = 0;

	VM_BUG_ON_PAGE(!PageLocked(page), page);

	if (mapping && mapping_cap_account_dirty(mapping)) {
		if (page_mkclean(page))
			set_page_dirty(page);
		if (TestClearPageDirty(page)) {
			dec_lruvec_page_state(page, NR_FILE_DIRTY);
			ret = 1;
		}
		return ret;
	}
	return TestClearPageDirty(page);
}

int test_clear_page_writeback(struct page *page)
{
	struct address_space *mapping = page_mapping(page);
	int ret;

	lock_page_memcg(page);
	if (mapping && mapping_use_writeback_tags(mapping)) {
		struct inode *inode = mapping->host;
		unsigned long flags;

		xa_lock_irqsave(&mapping->i_pages, flags);
		ret = TestClearPageWriteback(page);
		if (ret)
			__xa_clear_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_WRITEBACK);
		if (inode && !mapping_tagged(mapping, PAGECACHE_TAG_WRITEBACK))
			sb_clear_inode_writeback(inode);
		xa_unlock_irqrestore(&mapping->i_pages, flags);
	} else {
		ret = TestClearPageWriteback(page);
	}
	__unlock_page_memcg(page);
	return ret;
}

int __test_set_page_writeback(struct page *page, bool keep_write)
{
	struct address_space *mapping = page_mapping(page);
	int ret;

	lock_page_memcg(page);
	if (mapping && mapping_use_writeback_tags(mapping)) {
		unsigned long flags;

		xa_lock_irqsave(&mapping->i_pages, flags);
		ret = TestSetPageWriteback(page);
		if (!ret)
			__xa_set_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_WRITEBACK);
		if (!PageDirty(page))
			__xa_clear_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_DIRTY);
		if (!keep_write)
			__xa_clear_mark(&mapping->i_pages, page_index(page), PAGECACHE_TAG_TOWRITE);
		xa_unlock_irqrestore(&mapping->i_pages, flags);
	} else {
		ret = TestSetPageWriteback(page);
	}
	unlock_page_memcg(page);
	return ret;
}

void set_page_writeback(struct page *page)
{
	__test_set_page_writeback(page, false);
}

int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct page *page;
	pgoff_t index = 0;
	int error;
	int ret = 0;

	while ((page = find_get_page_tag(mapping, index, PAGECACHE_TAG_DIRTY))) {
		index = page_index(page) + 1;
		lock_page(page);

		/*
		 * Page truncated or invalidated. We can freely skip it then, even
		 * for data integrity operations.
		 */
		if (unlikely(page->mapping != mapping)) {
continue_unlock:
			unlock_page(page);
			put_page(page);
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
		error = mapping->a_ops->writepage(page, wbc);
		if (error)
			ret = error;
		put_page(page);	/* pagevec_release() */
	}
	return ret;
}
