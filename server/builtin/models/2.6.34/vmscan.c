/* mm/vmscan.c, 2.6.34: pageout() and shrink_page_list(), one file's pages */

int pageout(struct page *page, struct address_space *mapping)
{
	if (!mapping)
		return PAGE_KEEP;
	if (clear_page_dirty_for_io(page)) {
		int res;

		SetPageReclaim(page);
		res = mapping->a_ops->writepage(page, WBC_RECLAIM);
		if (res == AOP_WRITEPAGE_ACTIVATE) {
			ClearPageReclaim(page);
			return PAGE_ACTIVATE;
		}
		if (!PageWriteback(page)) {
			/* synchronous write or broken a_ops? */
			ClearPageReclaim(page);
		}
		return PAGE_SUCCESS;
	}
	return PAGE_CLEAN;
}

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
		if (PageWriteback(page))
			goto keep_locked;
		mapping = page_mapping(page);
		if (PageDirty(page)) {
			switch (pageout(page, mapping)) {
			case PAGE_KEEP:
				goto keep_locked;
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_SUCCESS:
				if (PageWriteback(page) || PageDirty(page))
					goto keep;
				if (!trylock_page(page))
					goto keep;
				if (PageDirty(page) || PageWriteback(page))
					goto keep_locked;
				mapping = page_mapping(page);
			case PAGE_CLEAN:
				; /* try to free the page below */
			}
		}
		if (PagePrivate(page)) {
			if (!try_to_release_page(page, 0))
				goto activate_locked;
		}
		if (!mapping || !__remove_mapping(mapping, page))
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
