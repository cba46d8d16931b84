/*
 * Harness of the THP split race: a truncate(2) that cuts a file's huge page, and a
 * thread that holds a tail page by its page frame and waits for its lock meanwhile.
 * The huge page is data (sim/compound.ts): a head and its tails, PG_head, each tail's
 * compound_head, flags word and reference count.
 */

/*
 * truncate(2) down to the start of a tail page of a file THP: i_size drops, then
 * truncation splits the folio it holds locked (truncate_inode_partial_folio() →
 * split_folio(); 4.x: truncate_inode_pages_range() → split_huge_page()), which drops
 * the tails beyond the new i_size from the page cache; the head stays, and truncation
 * unlocks it and drops its reference.
 */
void truncate_splitting_thp(struct address_space *mapping, struct page *page)
{
	struct page *head = compound_head(page);

	i_size_write(mapping->host, page_offset(page));
	split_huge_page(head);
	unlock_page(head);
	put_page(head);
}

/*
 * A walker that reaches a page by its frame number (compaction, memory-failure, page
 * idle tracking): a reference only if the count is not zero, so a tail is out of reach
 * until __split_huge_page_tail() unfreezes it; then it locks the page, as the comment
 * in __split_huge_page_tail() says ("After successful get_page_unless_zero() might
 * follow flags change, for example lock_page() which set PG_waiters"), and lets it go.
 */
void pfn_walker_lock_page(struct page *page)
{
	if (!get_page_unless_zero(page))
		return;
	lock_page(page);
	unlock_page(page);
	put_page(page);
}

/* include/linux/huge_mm.h (4.x to 6.1): split the whole huge page, tails to the LRU. */
int split_huge_page(struct page *page)
{
	return split_huge_page_to_list(page, NULL);
}

/* include/linux/page_ref.h: freezing a count is cmpxchg(count → 0); unfreezing sets it. */
int page_ref_freeze(struct page *page, int count)
{
	return atomic_cmpxchg(&page->_refcount, count, 0) == count;
}

void page_ref_unfreeze(struct page *page, int count)
{
	atomic_set_release(&page->_refcount, count);
}

/* include/linux/page-flags.h: a tail leaves its compound page (sim/compound.ts). */
void clear_compound_head(struct page *page)
{
	WRITE_ONCE(page->compound_head, 0);
}

/* include/linux/page-flags.h: the head is no longer one (BUG_ON(!PageHead(page)) first). */
void ClearPageCompound(struct page *page)
{
	BUG_ON(!PageHead(page));
	clear_bit(PG_head, &page->flags);
}

/* include/linux/page-flags.h: PG_head of the page's own flags word. */
int PageHead(struct page *page)
{
	return test_bit(PG_head, &page->flags);
}

/* include/linux/page-flags.h: PAGE_MAPPING_ANON, bit 0 of page->mapping (a file's mapping is aligned). */
int PageAnon(struct page *page)
{
	return ((unsigned long)page->mapping & 1) != 0;
}
