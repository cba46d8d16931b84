/*
 * Harness of the THP split race: a truncate(2) that cuts a file's huge page, and a
 * page-cache lookup that waits for the page lock meanwhile.
 */

/*
 * truncate(2) down to the start of a tail page of a file THP: i_size drops, then
 * truncation splits the huge page (truncate_inode_pages_range → split_huge_page) and
 * the split drops the tails beyond the new i_size. The scenario's page is that tail.
 */
void truncate_splitting_thp(struct address_space *mapping, struct page *page)
{
	i_size_write(mapping->host, page_offset(page));
	__split_huge_page(page);
}

/*
 * find_lock_page(): look the page up with a reference, lock it, and look again if
 * truncation took it out of the page cache meanwhile (find_lock_entry's repeat); the
 * lock is let go at once.
 */
void find_lock_page_and_unlock(struct address_space *mapping, struct page *page)
{
	struct page *p;

repeat:
	p = find_get_page_from(mapping, page_index(page));
	if (!p)
		return;
	lock_page(p);
	if (p->mapping != mapping) {
		unlock_page(p);
		put_page(p);
		goto repeat;
	}
	unlock_page(p);
	put_page(p);
}
