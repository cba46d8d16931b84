/* mm/truncate.c, 6.1 */

void truncate_cleanup_folio(struct folio *folio)
{
	if (folio_has_private(folio))
		filemap_release_folio(folio, 0);
	folio_test_clear_dirty(folio);	/* folio_cancel_dirty() */
	folio_clear_mappedtodisk(folio);
}

int truncate_inode_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio->mapping != mapping)
		return -EIO;
	truncate_cleanup_folio(folio);
	filemap_remove_folio(folio);
	return 0;
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	struct folio *folio;
	pgoff_t index;
	pgoff_t next;

	/* find_lock_entries(): only folios it can lock at once and that are not under writeback */
	for (index = 0; (folio = find_get_page_from(mapping, index)); index = next) {
		next = folio_index(folio) + 1;
		if (folio_trylock(folio)) {
			if (folio->mapping != mapping || folio_test_writeback(folio)) {
				folio_unlock(folio);
			} else {
				truncate_inode_folio(mapping, folio);
				folio_unlock(folio);
			}
		}
		folio_put(folio);
	}
	/* the second loop waits for each folio still there */
	for (index = 0; (folio = find_get_page_from(mapping, index)); index = next) {
		next = folio_index(folio) + 1;
		folio_lock(folio);
		folio_wait_writeback(folio);
		truncate_inode_folio(mapping, folio);
		folio_unlock(folio);
		folio_put(folio);
	}
}

/*
 * invalidate_inode_pages2_range(), 6.1: a mapped folio's range is zapped before its lock
 * is taken, again under the lock if a fault mapped it meanwhile, and the folio must be
 * unmapped (BUG_ON) before it leaves the cache; like 2.6.23's, the reference count is
 * not looked at. The lookup stands in for find_get_entries() one folio at a time.
 */
static int invalidate_complete_folio2(struct address_space *mapping, struct folio *folio)
{
	if (folio->mapping != mapping)
		return 0;
	if (!filemap_release_folio(folio, GFP_KERNEL))
		return 0;
	spin_lock(&mapping->host->i_lock);
	xa_lock_irq(&mapping->i_pages);
	if (folio_test_dirty(folio)) {
		xa_unlock_irq(&mapping->i_pages);
		spin_unlock(&mapping->host->i_lock);
		return 0;
	}
	BUG_ON(folio_has_private(folio));
	__filemap_remove_folio(folio, NULL);
	xa_unlock_irq(&mapping->i_pages);
	spin_unlock(&mapping->host->i_lock);
	filemap_free_folio(mapping, folio);
	return 1;
}

static int folio_launder(struct address_space *mapping, struct folio *folio)
{
	if (!folio_test_dirty(folio))
		return 0;
	if (folio->mapping != mapping || mapping->a_ops->launder_folio == NULL)
		return 0;
	return mapping->a_ops->launder_folio(folio);
}

int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio *folio;
	pgoff_t index = start;
	int did_range_unmap = 0;
	int ret = 0;
	int ret2;

	while ((folio = find_get_page_from(mapping, index))) {
		index = folio_index(folio) + 1;
		if (!did_range_unmap && folio_mapped(folio)) {
			/* zap the rest of the file in one hit, before taking the lock */
			unmap_mapping_pages(mapping, folio_index(folio), 1 + end - folio_index(folio), false);
			did_range_unmap = 1;
		}
		folio_lock(folio);
		if (folio->mapping != mapping) {
			folio_unlock(folio);
			folio_put(folio);
			continue;
		}
		folio_wait_writeback(folio);
		if (folio_mapped(folio))
			unmap_mapping_folio(folio);
		BUG_ON(folio_mapped(folio));
		ret2 = folio_launder(mapping, folio);
		if (ret2 == 0 && !invalidate_complete_folio2(mapping, folio))
			ret2 = -EBUSY;
		if (ret2 < 0)
			ret = ret2;
		folio_unlock(folio);
		folio_put(folio);	/* folio_batch_release() */
	}
	return ret;
}

int invalidate_inode_pages2(struct address_space *mapping)
{
	return invalidate_inode_pages2_range(mapping, 0, -1);
}
