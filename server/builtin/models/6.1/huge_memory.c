/*
 * mm/huge_memory.c, 6.1: splitting a file THP in the page cache, over the compound page
 * as data (sim/compound.ts). split_huge_page_to_list() is this model on the trees too
 * (catalog: the xarray's multi-index entry and xas_split(), the deferred split queue,
 * memcg, anon_vma and unmap_folio() are outside the model); __split_huge_page() and
 * __split_huge_page_tail() run from the tree there, and these built-ins stand for them
 * in the built-in era only.
 */

/*
 * What split_huge_page_to_list() does for a file THP up to __split_huge_page():
 * i_mmap_lock_read(), the end of the file noted before the page tree lock,
 * can_split_folio() (the scenario's THP is mapped by no PTE: folio_mapcount() is 0),
 * unmap_folio() (nothing mapped, nothing to unmap), then under the i_pages lock the
 * reference count frozen at 1 + folio_nr_pages() (the caller's and the page cache's).
 * A folio that is not large cannot be split: -EBUSY (the kernel's VM_BUG_ON).
 * Returns the end of the file in pages with both locks held, or an error with neither.
 */
static long freeze_file_thp(struct folio *folio, struct address_space *mapping)
{
	int extra_pins;
	long end;

	if (!folio_test_large(folio))
		return -EBUSY;
	if (folio_test_writeback(folio))
		return -EBUSY;
	if (!mapping)
		return -EBUSY;
	extra_pins = folio_nr_pages(folio);
	i_mmap_lock_read(mapping);
	end = (i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	if (folio_ref_count(folio) - extra_pins - 1 != 0) {
		i_mmap_unlock_read(mapping);
		return -EAGAIN;
	}
	xa_lock(&mapping->i_pages);
	if (!page_ref_freeze(&folio->page, 1 + extra_pins)) {
		xa_unlock(&mapping->i_pages);
		i_mmap_unlock_read(mapping);
		return -EAGAIN;
	}
	return end;
}

int split_huge_page_to_list(struct page *page, struct list_head *list)
{
	struct folio *folio = page_folio(page);
	struct address_space *mapping = folio->mapping;
	long end = freeze_file_thp(folio, mapping);

	if (end < 0)
		return end;
	__split_huge_page(page, list, end, mapping);
	return 0;
}

/* 6.8 and later: the same, to order 0 (new_order is 0 for truncation's split_folio()). */
int split_huge_page_to_list_to_order(struct page *page, struct list_head *list, unsigned int new_order)
{
	struct folio *folio = page_folio(page);
	struct address_space *mapping = folio->mapping;
	long end;

	if (new_order != 0)
		return -EBUSY;
	end = freeze_file_thp(folio, mapping);
	if (end < 0)
		return end;
	__split_huge_page(page, list, end, new_order, mapping);
	return 0;
}

/* 6.1's __split_huge_page_tail() for a file THP: flags, compound_head, count, mapping. */
static void __split_huge_page_tail(struct page *head, int tail, struct lruvec *lruvec, struct list_head *list)
{
	struct page *page_tail = head + tail;

	/* PAGE_FLAGS_CHECK_AT_PREP: every flag bit below NR_PAGEFLAGS (the 22 of flag-bits.ts) */
	page_tail->flags &= ~((1UL << 22) - 1);
	page_tail->flags |= (head->flags &
			((1L << PG_referenced) |
			 (1L << PG_swapbacked) |
			 (1L << PG_mlocked) |
			 (1L << PG_uptodate) |
			 (1L << PG_active) |
			 (1L << PG_workingset) |
			 (1L << PG_locked) |
			 (1L << PG_unevictable) |
			 (1L << PG_dirty)));

	page_tail->mapping = head->mapping;
	page_tail->index = head->index + tail;
	page_tail->private = 0;

	smp_wmb();
	clear_compound_head(page_tail);

	/* Finally unfreeze refcount. Additional reference from page cache. */
	page_ref_unfreeze(page_tail, 1 + !PageAnon(head));
}

/*
 * 6.1's __split_huge_page() for a file THP: each tail from the last, the ones beyond EOF
 * cleaned with the atomic folio_test_clear_dirty() and dropped from the page cache; the
 * head keeps the caller's reference and the page cache's; every other subpage is
 * unlocked and put (free_page_and_swap_cache(): no swap cache for a file page).
 */
static void __split_huge_page(struct page *page, struct list_head *list, pgoff_t end, struct address_space *mapping)
{
	struct folio *folio = page_folio(page);
	struct page *head = &folio->page;
	unsigned int nr = folio_nr_pages(folio);
	int i;

	for (i = nr - 1; i >= 1; i--) {
		__split_huge_page_tail(head, i, NULL, list);
		/* Some pages can be beyond EOF: drop them from page cache */
		if (head[i].index >= end) {
			struct folio *tail = page_folio(head + i);

			if (folio_test_clear_dirty(tail))
				folio_account_cleaned(tail, inode_to_wb(folio->mapping->host));
			__filemap_remove_folio(tail, NULL);
			folio_put(tail);
		}
	}

	ClearPageCompound(head);
	/* Additional pin to page cache */
	page_ref_add(head, 2);
	xa_unlock(&head->mapping->i_pages);

	if (mapping)
		i_mmap_unlock_read(mapping);

	for (i = 0; i < nr; i++) {
		struct page *subpage = head + i;
		if (subpage == page)
			continue;
		unlock_page(subpage);
		put_page(subpage);
	}
}
