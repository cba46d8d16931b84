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
