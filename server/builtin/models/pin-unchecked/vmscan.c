/*
 * mm/vmscan.c, 6.1 as released (before the stable backport of d824ec2a1546): after
 * unmapping, a clean folio goes straight to filemap_release_folio(), pinned or not,
 * so a pinned folio loses its buffers while its pinner may still write and dirty it.
 */

unsigned long shrink_folio_list(struct address_space *file)
{
	int i;
	unsigned long nr_scanned = 0;
	unsigned long nr_reclaimed = 0;

	for (i = 0; i < file_nr_pages(file); i++) {
		struct folio *folio = page_folio(file_page(file, i));
		struct address_space *mapping;

		if (!isolate_lru_page(&folio->page))
			continue;
		nr_scanned++;
		if (!folio_trylock(folio))
			goto keep;
		if (folio_test_writeback(folio)) {
			/* case 2: not kswapd, so mark the folio for immediate reclaim and go on */
			folio_set_reclaim(folio);
			goto activate_locked;
		}
		if (folio_mapped(folio)) {
			try_to_unmap(folio, 0);	/* TTU_BATCH_FLUSH: the model clears each PTE with its flush */
			if (folio_mapped(folio))
				goto activate_locked;
		}
		mapping = folio_mapping(folio);
		if (folio_test_dirty(folio)) {
			/* only kswapd writes filesystem folios, and only when the node is flagged dirty */
			folio_set_reclaim(folio);
			goto activate_locked;
		}
		if (folio_has_private(folio)) {
			if (!filemap_release_folio(folio, GFP_KERNEL))
				goto activate_locked;
		}
		if (!mapping || !__remove_mapping(mapping, folio, true, NULL))
			goto keep_locked;
		folio_unlock(folio);
		nr_reclaimed++;
		folio_put(folio);	/* reclaim's own reference: the folio is freed */
		continue;
activate_locked:
		folio_set_active(folio);
keep_locked:
		folio_unlock(folio);
keep:
		folio_putback_lru(folio);
	}
	reclaim_account(nr_scanned, nr_reclaimed);
	return nr_reclaimed;
}
