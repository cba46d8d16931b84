/* mm/filemap.c and include/linux/pagemap.h, 2.6.9 */

/* __wait_on_bit(): sleep until the bit is clear, re-checking after every wake-up. */
void wait_on_page_bit(struct page *page, int bit_nr)
{
	while (wait_queue_add_bit(page, bit_nr))
		page_wait_sleep(page, bit_nr);
}

void wait_on_page_writeback(struct page *page)
{
	if (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}

void wake_up_page(struct page *page, int bit)
{
	wake_up_page_bit(page, bit);
}

void end_page_writeback(struct page *page)
{
	if (!TestClearPageReclaim(page) || rotate_reclaimable_page(page)) {
		if (!test_clear_page_writeback(page))
			BUG();
	}
	smp_mb__after_clear_bit();
	wake_up_page(page, PG_writeback);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return write_cache_pages(mapping, WBC_SYNC_ALL);
}

/* wait_on_page_writeback_range() over the pages tagged for writeback */
int filemap_fdatawait(struct address_space *mapping)
{
	struct page *page;
	pgoff_t index = 0;

	while ((page = find_get_page_tag(mapping, index, PAGECACHE_TAG_WRITEBACK))) {
		index = page_index(page) + 1;
		wait_on_page_writeback(page);
		page_cache_release(page);
	}
	return 0;
}

int filemap_write_and_wait(struct address_space *mapping)
{
	int retval = 0;

	if (mapping->nrpages) {
		retval = filemap_fdatawrite(mapping);
		if (retval == 0)
			retval = filemap_fdatawait(mapping);
	}
	return retval;
}

/*
 * 2.6.9: write back and wait, write the blocks directly, then try to drop the
 * cached pages. Nothing here touches the page tables.
 */
ssize_t
generic_file_direct_IO(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	ssize_t retval;

	retval = filemap_write_and_wait(mapping);
	if (retval == 0) {
		retval = mapping->a_ops->direct_IO(rw, iocb, iov,
						offset, nr_segs);
		if (rw == WRITE && mapping->nrpages)
			invalidate_inode_pages2(mapping);
	}
	return retval;
}

/* mm/swap.c: move a page whose writeback reclaim asked for to the tail of the LRU; clears PG_writeback itself when it does */
int rotate_reclaimable_page(struct page *page)
{
	if (PageLocked(page))
		return 1;
	if (PageDirty(page))
		return 1;
	if (!test_clear_page_writeback(page))
		BUG();
	return 0;
}
