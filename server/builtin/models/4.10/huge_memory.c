/*
 * mm/huge_memory.c, 4.10 to 4.17: splitting a file THP (shmem's, in these releases) in
 * the page cache, over the compound page as data (sim/compound.ts). Outside the model,
 * and the scenario does not reach them: anonymous THPs (anon_vma, swap cache), memcg,
 * the LRU lists and the deferred split queue, PMD mappings (the scenario's THP is mapped
 * by no PTE, so unmap_page() has nothing to do and the mapcount is 0). The radix tree
 * keeps a slot per subpage, so the slots need no rewriting.
 */

/*
 * The tail takes the head's flags, leaves the compound page and gets its references.
 * The order is 4.17's (605ca5ede764 moved the unfreeze after the flags); 4.10 to 4.16
 * unfroze the tail first, a window this model leaves out, as the fix under test does.
 */
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
			 (1L << PG_locked) |
			 (1L << PG_unevictable) |
			 (1L << PG_dirty)));

	smp_wmb();
	clear_compound_head(page_tail);

	/* the page cache's reference and the split's */
	page_ref_unfreeze(page_tail, 1 + !PageAnon(head));

	page_tail->mapping = head->mapping;
	page_tail->index = head->index + tail;
}

static void __split_huge_page(struct page *page, struct list_head *list, unsigned long flags)
{
	struct page *head = compound_head(page);
	struct address_space *mapping = head->mapping;
	pgoff_t end = (i_size_read(mapping->host) + PAGE_SIZE - 1) >> PAGE_SHIFT;
	/* HPAGE_PMD_NR in the kernel: the scenario's compound page may be smaller */
	int nr = hpage_nr_pages(head);
	int i;

	for (i = nr - 1; i >= 1; i--) {
		__split_huge_page_tail(head, i, NULL, list);
		/* Some pages can be beyond i_size: drop them from page cache */
		if (head[i].index >= end) {
			__ClearPageDirty(head + i);
			__delete_from_page_cache(head + i, NULL);
			put_page(head + i);
		}
	}

	ClearPageCompound(head);
	/* Additional pin to radix tree */
	page_ref_add(head, 2);
	spin_unlock(&mapping->tree_lock);

	for (i = 0; i < nr; i++) {
		struct page *subpage = head + i;
		if (subpage == page)
			continue;
		unlock_page(subpage);
		put_page(subpage);
	}
}

/*
 * split_huge_page_to_list() for a file THP: the reference count frozen under the
 * mapping's tree_lock (the caller's reference and one per page for the radix tree).
 */
int split_huge_page_to_list(struct page *page, struct list_head *list)
{
	struct page *head = compound_head(page);
	struct address_space *mapping = head->mapping;
	int extra_pins = hpage_nr_pages(head);

	if (!mapping)
		return -EBUSY;
	if (page_count(head) != extra_pins + 1)
		return -EBUSY;
	spin_lock(&mapping->tree_lock);
	if (!page_ref_freeze(head, 1 + extra_pins)) {
		spin_unlock(&mapping->tree_lock);
		return -EBUSY;
	}
	__split_huge_page(page, list, 0);
	return 0;
}
