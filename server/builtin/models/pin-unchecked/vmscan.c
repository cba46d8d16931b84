/*
 * mm/vmscan.c, 6.1 as released (before the stable backport of d824ec2a1546): after
 * unmapping, a clean folio goes straight to filemap_release_folio(), pinned or not,
 * so a pinned folio loses its buffers while its pinner may still write and dirty it.
 * Otherwise era 6.1's shrink_folio_list() (6.1/vmscan.c).
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
