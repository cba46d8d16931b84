/*
 * mm/vmscan.c, 6.1: shrink_folio_list() and pageout() for page-cache folios, over the
 * isolated list shrink_inactive_list() (reclaim.c) hands over, in 6.1's order
 * (mm/vmscan.c:1640 of Debian's 6.1 tree). Anonymous memory, swap, demotion, large
 * folios, mlock and memcg are outside the scenarios and left out; folio_referenced()
 * finds no accessed PTE (reclaim.c), so folio_check_references() is FOLIOREF_RECLAIM.
 * Only kswapd writes filesystem folios, and only those it meets again with PG_reclaim
 * set on a node flagged PGDAT_DIRTY; a dirty folio is otherwise marked PG_reclaim and
 * activated for the flusher to clean.
 *
 * The folio_maybe_dma_pinned() test after unmapping is Jan Kara's d824ec2a1546 (6.4),
 * which Debian's 6.1 tree (6.1.192) carries as a stable backport: the model is that
 * tree's shape. The overlay pin-unchecked is 6.1 as released, without it.
 */

unsigned int shrink_folio_list(struct list_head *folio_list, struct pglist_data *pgdat,
		struct scan_control *sc, struct reclaim_stat *stat, bool ignore_references)
{
	LIST_HEAD(ret_folios);
	LIST_HEAD(free_folios);
	unsigned int nr_reclaimed = 0;

	while (!list_empty(folio_list)) {
		struct address_space *mapping;
		struct folio *folio = lru_to_folio(folio_list);

		list_del(&folio->lru);
		if (!folio_trylock(folio))
			goto keep;
		sc->nr_scanned++;
		if (folio_test_dirty(folio) || folio_test_writeback(folio))
			stat->nr_dirty++;
		if (folio_test_dirty(folio) && !folio_test_writeback(folio))
			stat->nr_unqueued_dirty++;
		if (folio_test_writeback(folio)) {
			/* case 1 needs PGDAT_WRITEBACK, which no pass sets; case 2: mark and go on */
			if (current_is_kswapd() && folio_test_reclaim(folio) &&
			    test_bit(PGDAT_WRITEBACK, &pgdat->flags))
				goto activate_locked;
			folio_set_reclaim(folio);
			goto activate_locked;
		}
		if (folio_mapped(folio)) {
			try_to_unmap(folio, TTU_BATCH_FLUSH);
			if (folio_mapped(folio))
				goto activate_locked;
		}
		/* unmapped now, so it cannot be newly pinned: a pinned folio keeps its buffers */
		if (folio_maybe_dma_pinned(folio))
			goto activate_locked;
		mapping = folio_mapping(folio);
		if (folio_test_dirty(folio)) {
			if (!current_is_kswapd() || !folio_test_reclaim(folio) ||
			    !test_bit(PGDAT_DIRTY, &pgdat->flags)) {
				folio_set_reclaim(folio);
				goto activate_locked;
			}
			if (!sc->may_writepage)
				goto keep_locked;
			switch (pageout(folio, mapping)) {
			case PAGE_KEEP:
				goto keep_locked;
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_SUCCESS:
				if (folio_test_writeback(folio) || folio_test_dirty(folio))
					goto keep;
				if (!folio_trylock(folio))
					goto keep;
				if (folio_test_dirty(folio) || folio_test_writeback(folio))
					goto keep_locked;
				mapping = folio_mapping(folio);
				break;
			case PAGE_CLEAN:
				break;
			}
		}
		if (folio_has_private(folio)) {
			if (!filemap_release_folio(folio, sc->gfp_mask))
				goto activate_locked;
		}
		if (!mapping || !__remove_mapping(mapping, folio, true, NULL))
			goto keep_locked;
		folio_unlock(folio);
		nr_reclaimed++;
		list_add(&folio->lru, &free_folios);
		continue;
activate_locked:
		folio_set_active(folio);
keep_locked:
		folio_unlock(folio);
keep:
		list_add(&folio->lru, &ret_folios);
	}
	free_unref_page_list(&free_folios);
	list_splice(&ret_folios, folio_list);
	return nr_reclaimed;
}

/*
 * pageout(): write one dirty folio for reclaim through ->writepage, with PG_reclaim set
 * so that its writeback completion rotates it for freeing.
 */
int pageout(struct folio *folio, struct address_space *mapping)
{
	int res;

	if (folio_ref_count(folio) != 2)
		return PAGE_KEEP;	/* someone besides the cache and reclaim holds it */
	if (!mapping)
		return PAGE_KEEP;
	if (mapping->a_ops->writepage == NULL)
		return PAGE_ACTIVATE;
	if (!folio_clear_dirty_for_io(folio))
		return PAGE_CLEAN;
	folio_set_reclaim(folio);
	res = mapping->a_ops->writepage(&folio->page, WBC_RECLAIM);
	if (res == AOP_WRITEPAGE_ACTIVATE) {
		folio_clear_reclaim(folio);
		return PAGE_ACTIVATE;
	}
	if (!folio_test_writeback(folio))
		folio_clear_reclaim(folio);
	return PAGE_SUCCESS;
}
