/*
 * include/linux/page-flags.h and pagevec.h: helpers later kernels write their flag
 * updates with, as the headers define them (static inlines), for runs whose --src has
 * no include/. A tree that has the header lifts its own.
 */

/*
 * 6.8+: flip the bits of a mask in the folio's flag word and learn, in the same atomic
 * step, whether PG_waiters is set (folio_unlock, __folio_end_writeback).
 */
bool folio_xor_flags_has_waiters(struct folio *folio, unsigned long mask)
{
	return xor_unlock_is_negative_byte(mask, folio_flags(folio, 0));
}

/* 6.5+: the index just past the folio. */
pgoff_t folio_next_index(struct folio *folio)
{
	return folio->index + folio_nr_pages(folio);
}
