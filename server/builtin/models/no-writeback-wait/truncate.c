/*
 * "Why" variant of truncate-vs-writeback: truncation that does not wait for
 * writeback. PG_locked alone does not protect a page whose I/O is in flight.
 */
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	struct folio *folio;
	pgoff_t index;
	pgoff_t next;

	for (index = 0; (folio = find_get_page_from(mapping, index)); index = next) {
		next = folio_index(folio) + 1;
		folio_lock(folio);
		truncate_inode_folio(mapping, folio);
		folio_unlock(folio);
		folio_put(folio);
	}
}
