/*
 * mm/vmscan.c, 5.17: shrink_page_list() over one file's pages, direct reclaim (as the
 * 6.1 model, in 5.17's page names). A mapped page is unmapped first; a clean one then
 * goes to try_to_release_page() whether or not someone holds a FOLL_PIN pin on it:
 * page_maybe_dma_pinned() is asked only for anonymous pages about to be swapped.
 * The PTE accessed bit is not modeled (page_check_references() keeps nothing active).
 */
unsigned long shrink_page_list(struct address_space *file)
{
	int i;
	unsigned long nr_scanned = 0;
	unsigned long nr_reclaimed = 0;

	for (i = 0; i < file_nr_pages(file); i++) {
		struct page *page = file_page(file, i);
		struct address_space *mapping;

		if (!isolate_lru_page(page))
			continue;
		nr_scanned++;
		if (!trylock_page(page))
			goto keep;
		if (PageWriteback(page)) {
			/* case 2: not kswapd, so mark the page for immediate reclaim and go on */
			SetPageReclaim(page);
			goto activate_locked;
		}
		if (page_mapped(page)) {
			try_to_unmap(page, 0);	/* TTU_BATCH_FLUSH: the model clears each PTE with its flush */
			if (page_mapped(page))
				goto activate_locked;
		}
		mapping = page_mapping(page);
		if (PageDirty(page)) {
			/* only kswapd writes filesystem pages, and only when the node is flagged dirty */
			SetPageReclaim(page);
			goto activate_locked;
		}
		if (page_has_private(page)) {
			if (!try_to_release_page(page, GFP_KERNEL))
				goto activate_locked;
		}
		if (!mapping || !__remove_mapping(mapping, page, true, NULL))
			goto keep_locked;
		unlock_page(page);
		nr_reclaimed++;
		put_page(page);	/* reclaim's own reference: the page is freed */
		continue;
activate_locked:
		SetPageActive(page);
keep_locked:
		unlock_page(page);
keep:
		putback_lru_page(page);
	}
	reclaim_account(nr_scanned, nr_reclaimed);
	return nr_reclaimed;
}

void putback_lru_page(struct page *page)
{
	put_page(page);	/* drop the reference isolate_lru_page() took */
}

/* shrink_inactive_list(): isolates the file's pages and hands them to shrink_page_list() (which here does both) */
unsigned long shrink_inactive_list(struct address_space *file)
{
	return shrink_page_list(file);
}
