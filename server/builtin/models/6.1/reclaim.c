/*
 * mm/vmscan.c, 6.1 and 6.12: the caller of shrink_folio_list(), one pass over one
 * file's folios, and folio_referenced() (mm/rmap.c) as reclaim sees it.
 *
 * shrink_inactive_list() isolates folios from the node's inactive file LRU under the
 * lru_lock (isolate_lru_folios() over a struct lruvec), hands them to
 * shrink_folio_list() on a private list, and puts back what comes back
 * (move_folios_to_lru()). The lruvec, its lists and the lru_lock are not modeled: the
 * pass isolates every folio of the scenario's file that is still in the cache, each with
 * an isolation reference (folio_isolate_lru), onto folio_list in index order, so the
 * tail that shrink_folio_list() takes from is the highest index. The scan_control is
 * kswapd's (balance_pgdat) on a CPU labelled kswapd, else direct reclaim's
 * (try_to_free_pages), from the table in sim/reclaim-objects.ts. As shrink_node() does
 * for kswapd, a pass whose isolated folios were all dirty and not queued for writeback
 * flags the node PGDAT_DIRTY: kswapd then writes the dirty folios it meets again with
 * PG_reclaim set (pageout()).
 */

unsigned long shrink_inactive_list(struct address_space *file)
{
	LIST_HEAD(folio_list);
	struct scan_control *sc = current_is_kswapd() ? SC_KSWAPD : SC_DIRECT;
	struct reclaim_stat *stat = RECLAIM_STAT;
	struct pglist_data *pgdat = RECLAIM_NODE;
	unsigned long nr_taken = 0;
	unsigned long nr_reclaimed;
	int i;

	for (i = file_nr_pages(file) - 1; i >= 0; i--) {
		struct folio *folio = page_folio(file_page(file, i));

		if (!folio_isolate_lru(folio))
			continue;
		list_add(&folio->lru, &folio_list);
		nr_taken++;
	}
	if (!nr_taken)
		return 0;

	/* the kernel's reclaim_stat is fresh on this function's stack: the counters read below start at 0 */
	stat->nr_dirty = 0;
	stat->nr_unqueued_dirty = 0;
	nr_reclaimed = shrink_folio_list(&folio_list, pgdat, sc, stat, false);

	/* move_folios_to_lru(): each folio left goes back with its isolation reference dropped */
	while (!list_empty(&folio_list)) {
		struct folio *folio = lru_to_folio(&folio_list);

		list_del(&folio->lru);
		folio_putback_lru(folio);
	}
	if (current_is_kswapd() && stat->nr_unqueued_dirty == nr_taken)
		set_bit(PGDAT_DIRTY, &pgdat->flags);
	reclaim_account(nr_taken, nr_reclaimed);
	return nr_reclaimed;
}

/*
 * folio_referenced(): the rmap walk (rmap_walk with folio_referenced_one over every VMA
 * mapping the folio, ptep_clear_flush_young on each PTE) counts the PTEs whose accessed
 * bit was set. The model's PTEs have no accessed bit and no VMA is VM_LOCKED: no
 * reference is found.
 */
int folio_referenced(struct folio *folio, int is_locked, struct mem_cgroup *memcg, unsigned long *vm_flags)
{
	*vm_flags = 0;
	return 0;
}

/* folio_putback_lru(): back on the LRU (not modeled), the isolation reference dropped */
void folio_putback_lru(struct folio *folio)
{
	folio_put(folio);
}

/*
 * is_page_cache_freeable() (mm/vmscan.c): whether only the cache and the isolating
 * caller hold the folio. The kernel counts the reference attached private data takes
 * (folio_attach_private) and subtracts PG_private; the model's reference counts never
 * include that reference, so the test is the count against 1 + nr_pages alone.
 */
int is_page_cache_freeable(struct folio *folio)
{
	return folio_ref_count(folio) == 1 + folio_nr_pages(folio);
}

/*
 * workingset_eviction() (mm/workingset.c): packs the node, memcg and the lruvec's
 * eviction clock into a shadow entry that __remove_mapping() leaves in the xarray
 * slot, so that a refault can tell how long the folio was gone. Refault distances
 * (lruvec nonresident_age, memcg ids) are not modeled: no shadow is left, as for a
 * mapping that is exiting.
 */
void *workingset_eviction(struct folio *folio, struct mem_cgroup *target_memcg)
{
	return NULL;
}
