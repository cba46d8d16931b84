/*
 * mm/vmscan.c, 6.1: shrink_folio_list() over one file's folios, direct reclaim.
 *
 * The LRU and its isolation are not modeled yet (no list_head objects, no struct
 * scan_control): each of the file's folios is isolated in turn, with reclaim's own
 * reference, and run through shrink_folio_list()'s decisions for a page-cache folio
 * in 6.1's order (mm/vmscan.c:1640 of Debian's 6.1 tree). The reclaiming CPU reclaims
 * directly (current_is_kswapd() is false): since 6.1 reclaim writes no filesystem
 * folio from direct reclaim; a dirty one is marked PG_reclaim and activated for the
 * flusher to clean. A mapped folio is unmapped first (try_to_unmap); the PTE accessed
 * bit is not modeled, so folio_check_references() never keeps a mapped folio active.
 * Anonymous memory, swap, demotion and large folios are outside the scenarios.
 *
 * The folio_maybe_dma_pinned() test after unmapping is Jan Kara's d824ec2a1546 (6.4),
 * which Debian's 6.1 tree (6.1.192) carries as a stable backport: the model is that
 * tree's shape. The overlay pin-unchecked is 6.1 as released, without it.
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
		/*
		 * Folio is unmapped now so it cannot be newly pinned anymore: a pinned
		 * folio may be written by its pinner at any time, so its buffers stay.
		 */
		if (folio_maybe_dma_pinned(folio))
			goto activate_locked;
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

void folio_putback_lru(struct folio *folio)
{
	folio_put(folio);	/* drop the reference folio_isolate_lru() took */
}
