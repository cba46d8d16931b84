/* mm/filemap.c and include/linux/pagemap.h, 5.9 */

/*
 * wait_on_page_bit_common() since "mm: rewrite wait_on_page_bit_common() logic":
 * queue (setting PG_waiters) and re-check the bit under the queue lock; a
 * non-exclusive waiter then returns after the first wake-up, whatever the bit says.
 */
void wait_on_page_bit(struct page *page, int bit_nr)
{
	if (page_wait_queue_add(page, bit_nr))
		page_wait_sleep(page, bit_nr);
}

void wait_on_page_writeback(struct page *page)
{
	if (PageWriteback(page))
		wait_on_page_bit(page, PG_writeback);
}

void wake_up_page(struct page *page, int bit)
{
	if (!PageWaiters(page))
		return;
	wake_up_page_bit(page, bit);
}

/*
 * 5.9: no reference of its own between clearing PG_writeback and the wake-up:
 * truncation may free the page in that window.
 */
void end_page_writeback(struct page *page)
{
	if (PageReclaim(page)) {
		ClearPageReclaim(page);
		rotate_reclaimable_page(page);
	}
	if (!test_clear_page_writeback(page))
		BUG();
	smp_mb__after_atomic();
	wake_up_page(page, PG_writeback);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return do_writepages(mapping, WBC_SYNC_ALL);
}

int filemap_fdatawait(struct address_space *mapping)
{
	struct page *page;
	pgoff_t index = 0;

	while ((page = find_get_page_tag(mapping, index, PAGECACHE_TAG_WRITEBACK))) {
		index = page_index(page) + 1;
		wait_on_page_writeback(page);
		put_page(page);
	}
	return 0;
}

int filemap_write_and_wait(struct address_space *mapping)
{
	int err = filemap_fdatawrite(mapping);

	if (err == 0)
		err = filemap_fdatawait(mapping);
	return err;
}

/* generic_file_direct_write()'s steps, under the 2.6 name and signature the harness calls */
ssize_t generic_file_direct_IO(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	ssize_t retval;

	if (rw == WRITE && mapping_mapped(mapping))
		unmap_mapping_range(mapping, 0, -1, 0);
	retval = filemap_write_and_wait(mapping);
	if (retval == 0) {
		retval = mapping->a_ops->direct_IO(rw, iocb, iov, offset, nr_segs);
		if (rw == WRITE && invalidate_inode_pages2(mapping))
			retval = -EBUSY;
	}
	return retval;
}
