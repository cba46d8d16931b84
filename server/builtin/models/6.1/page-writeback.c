/* mm/page-writeback.c, 6.1 */

void __folio_mark_dirty(struct folio *folio, struct address_space *mapping, int warn)
{
	unsigned long flags;

	xa_lock_irqsave(&mapping->i_pages, flags);
	if (folio->mapping) {	/* Race with truncate? */
		WARN_ON_ONCE(warn && !folio_test_uptodate(folio));
		folio_account_dirtied(folio, mapping);
		__xa_set_mark(&mapping->i_pages, folio_index(folio), PAGECACHE_TAG_DIRTY);
	}
	xa_unlock_irqrestore(&mapping->i_pages, flags);
}

bool folio_mark_dirty(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);

	if (likely(mapping)) {
		/*
		 * readahead/folio_deactivate could remain PG_readahead/PG_reclaim due
		 * to race with folio_end_writeback.
		 */
		if (folio_test_reclaim(folio))
			folio_clear_reclaim(folio);
		return mapping->a_ops->dirty_folio(mapping, folio);
	}
	return noop_dirty_folio(mapping, folio);
}

bool folio_redirty_for_writepage(struct writeback_control *wbc, struct folio *folio)
{
	struct address_space *mapping = folio->mapping;
	bool ret;

	wbc->pages_skipped += folio_nr_pages(folio);
	ret = filemap_dirty_folio(mapping, folio);
	return ret;
}

/*
 * Clear a folio's dirty flag, while caring for dirty memory accounting; move a
 * dirty bit found in the page tables to the folio first (7658cc289288's order).
 */
bool folio_clear_dirty_for_io(struct folio *folio)
{
	struct address_space *mapping = folio_mapping(folio);
	bool ret = false;

	VM_BUG_ON_FOLIO(!folio_test_locked(folio), folio);

	if (mapping && mapping_can_writeback(mapping)) {
		struct inode *inode = mapping->host;
		struct bdi_writeback *wb;
		struct wb_lock_cookie cookie = {};

		if (folio_mkclean(folio))
			folio_mark_dirty(folio);
		wb = unlocked_inode_to_wb_begin(inode, &cookie);
		if (folio_test_clear_dirty(folio)) {
			long nr = folio_nr_pages(folio);
			lruvec_stat_mod_folio(folio, NR_FILE_DIRTY, -nr);
			zone_stat_mod_folio(folio, NR_ZONE_WRITE_PENDING, -nr);
			wb_stat_mod(wb, WB_RECLAIMABLE, -nr);
			ret = true;
		}
		unlocked_inode_to_wb_end(inode, &cookie);
		return ret;
	}
	return folio_test_clear_dirty(folio);
}

bool __folio_end_writeback(struct folio *folio)
{
	long nr = folio_nr_pages(folio);
	struct address_space *mapping = folio_mapping(folio);
	bool ret;

	folio_memcg_lock(folio);
	if (mapping && mapping_use_writeback_tags(mapping)) {
		struct inode *inode = mapping->host;
		unsigned long flags;

		xa_lock_irqsave(&mapping->i_pages, flags);
		ret = folio_test_clear_writeback(folio);
		if (ret)
			__xa_clear_mark(&mapping->i_pages, folio_index(folio), PAGECACHE_TAG_WRITEBACK);
		if (!mapping_tagged(mapping, PAGECACHE_TAG_WRITEBACK))
			sb_clear_inode_writeback(inode);
		xa_unlock_irqrestore(&mapping->i_pages, flags);
	} else {
		ret = folio_test_clear_writeback(folio);
	}
	folio_memcg_unlock(folio);
	return ret;
}

bool __folio_start_writeback(struct folio *folio, bool keep_write)
{
	struct address_space *mapping = folio_mapping(folio);
	bool ret;

	folio_memcg_lock(folio);
	if (mapping && mapping_use_writeback_tags(mapping)) {
		unsigned long flags;

		xa_lock_irqsave(&mapping->i_pages, flags);
		ret = folio_test_set_writeback(folio);
		if (!ret)
			__xa_set_mark(&mapping->i_pages, folio_index(folio), PAGECACHE_TAG_WRITEBACK);
		if (!folio_test_dirty(folio))
			__xa_clear_mark(&mapping->i_pages, folio_index(folio), PAGECACHE_TAG_DIRTY);
		if (!keep_write)
			__xa_clear_mark(&mapping->i_pages, folio_index(folio), PAGECACHE_TAG_TOWRITE);
		xa_unlock_irqrestore(&mapping->i_pages, flags);
	} else {
		ret = folio_test_set_writeback(folio);
	}
	folio_memcg_unlock(folio);
	return ret;
}

void folio_start_writeback(struct folio *folio)
{
	__folio_start_writeback(folio, false);
}

/* write_cache_pages(), generic_writepages(), do_writepages(): 5.9/page-writeback.c (6.1 still has the page loop) */

/* folio_write_one(), without its writeback wait when the caller asks for none */
int folio_write_one(struct folio *folio, int wait)
{
	struct address_space *mapping = folio->mapping;
	int ret = 0;

	BUG_ON(!folio_test_locked(folio));

	if (wait)
		folio_wait_writeback(folio);

	if (folio_clear_dirty_for_io(folio)) {
		folio_get(folio);
		ret = mapping->a_ops->writepage(&folio->page, WBC_SYNC_ALL);
		if (ret == 0 && wait)
			folio_wait_writeback(folio);
		folio_put(folio);
	} else {
		folio_unlock(folio);
	}
	return ret;
}

int write_one_page(struct page *page, int wait)
{
	return folio_write_one(page_folio(page), wait);
}
