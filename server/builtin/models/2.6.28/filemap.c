/* mm/filemap.c, 2.6.28: fsync's writeout with a budget */

/*
 * __filemap_fdatawrite_range(): the writeback_control on the caller's stack, its
 * budget twice the pages the file has cached when the call starts (a file whose
 * pages are added meanwhile may need more).
 */
int __filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
				loff_t end, int sync_mode)
{
	struct writeback_control *wbc = WBC_SYNC_ALL;	/* .sync_mode = WB_SYNC_ALL, .range_start = 0, .range_end = LLONG_MAX */

	if (!mapping_cap_writeback_dirty(mapping))
		return 0;

	wbc->nr_to_write = mapping->nrpages * 2;
	return do_writepages(mapping, wbc);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return __filemap_fdatawrite_range(mapping, 0, LLONG_MAX, WB_SYNC_ALL);
}

int filemap_write_and_wait(struct address_space *mapping)
{
	int err = 0;

	if (mapping->nrpages) {
		err = filemap_fdatawrite(mapping);
		/*
		 * Even if the above returned error, the pages may be written
		 * partially (e.g. -ENOSPC), so we wait for it; -EIO is a
		 * real error and we give up.
		 */
		if (err != -EIO) {
			int err2 = filemap_fdatawait(mapping);
			if (!err)
				err = err2;
		}
	}
	return err;
}
