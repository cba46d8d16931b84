/*
 * mm/huge_memory.c, 6.1: splitting a large folio. The simulator's folios are single
 * pages (folio_test_large() is 0), so truncation and reclaim never reach a split; the
 * real split (freezing the reference count, the xarray's multi-index entries, memcg,
 * swap and LRU bookkeeping) stays outside the model, and a split asked of a single
 * page fails as the kernel's does for a folio it cannot split.
 */
int split_huge_page_to_list(struct page *page, struct list_head *list)
{
	return -EBUSY;
}

/* 6.8 and later: the same, with the order to split to. */
int split_huge_page_to_list_to_order(struct page *page, struct list_head *list, unsigned int new_order)
{
	return -EBUSY;
}
