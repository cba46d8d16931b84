/*
 * The simulator's harness: what a user, a device or a journal does to the page
 * cache, in kernel terms. Not kernel code: these are the operations scenarios call
 * and the I/O completions that submitting I/O spawns.
 */

/* The device finished writing one buffer: the block reaches the disk, then b_end_io runs. */
void bh_io_complete(struct buffer_head *bh)
{
	bh_write_to_disk(bh);
	bh->b_end_io(bh, 1);
}

/* The device finished a whole-page bio write (mpage_end_io). */
void page_io_complete(struct page *page)
{
	page_write_to_disk(page);
	end_page_writeback(page);
}

/*
 * A user store to block n of the page through a mapping. The CPU sets the PTE dirty
 * bit itself when the PTE is present and writable; otherwise the store faults
 * (user_fault, common/arch-fault.c: handle_mm_fault(vma, address, flags)), and
 * retries once the fault handler returns.
 */
void store(struct vm_area_struct *vma, struct page *page, int n)
{
	while (!pte_store(vma, page, n))
		if (user_fault(vma, page, FAULT_FLAG_WRITE))
			return;	/* SIGSEGV: the mapping is gone */
}

/* A buffered read of block n of the page's file range. */
int read(struct address_space *mapping, struct page *page, int n)
{
	return read_block(mapping, page_index(page), n);
}

/*
 * A buffered write(2) of block n of the page's file range, the way write_begin and
 * write_end treat it: the page is found in the page cache, or allocated and added to
 * it, and locked; the data is copied in; the page is marked uptodate and dirty through
 * its filesystem; it is unlocked and the writer's reference dropped. The whole page is
 * written (one block a page in the files this is used with), so a new page needs no
 * read first.
 */
void write(struct address_space *mapping, struct page *page, int n)
{
	/* generic_file_aio_write() (2.6) and the filesystems' ->write_iter (6.x) hold the inode's mutex */
	mutex_lock(&mapping->host->i_mutex);
	if (!page_cache_add(mapping, page)) {
		get_page(page);
		lock_page(page);
	}
	page_copy_from_user(page, n);
	SetPageUptodate(page);
	set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	mutex_unlock(&mapping->host->i_mutex);
}

/*
 * An O_DIRECT write(2) of block n of the page's file range through the file's
 * ->write_iter (ext4 since 5.5: ext4_file_write_iter() → iomap_dio_rw()): a synchronous
 * kiocb (no ->ki_complete) at the block's byte offset, flagged IOCB_DIRECT as
 * kiocb_set_rw_flags() leaves it for a file opened O_DIRECT, and one user-backed
 * segment (ITER_UBUF) of one block.
 */
int dio_write_iter(struct kiocb *iocb, struct page *page, int n)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	struct iov_iter from = { .data_source = ITER_SOURCE, .count = page_block_size(page), .nr_segs = 1 };
	ssize_t ret;

	iocb->ki_flags = IOCB_DIRECT | IOCB_WRITE;
	iocb->ki_pos = page_block_offset(page, n);
	ret = iocb->ki_filp->f_op->write_iter(iocb, &from);
	if (ret > 0)
		direct_io_done(mapping, page_index(page), n);
	return ret;
}

/*
 * An O_DIRECT write of block n of the page's file range, the way a write(2) on a
 * file opened O_DIRECT reaches generic_file_direct_IO() in 2.6: a kiocb whose
 * ki_filp is the file (init_sync_kiocb()), one iovec, the byte offset of the block.
 * A release whose files have file_operations in the model set (a kernel tree's)
 * writes through ->write_iter instead.
 */
int dio_write(struct address_space *mapping, struct page *page, int n)
{
	struct kiocb kiocb = { .ki_filp = mapping_file(mapping) };
	int ret;

	if (kiocb.ki_filp->f_op)
		return dio_write_iter(&kiocb, page, n);
	/* the user's buffer (the iovec) is not modeled: its length is one block */
	ret = generic_file_direct_IO(WRITE, &kiocb, NULL, page_block_offset(page, n), 1);
	if (ret >= 0)
		direct_io_done(mapping, page_index(page), n);
	return ret;
}

/* munmap() of a whole mapping. */
void munmap(struct vm_area_struct *vma)
{
	down_write(&vma->vm_mm->mmap_sem);
	zap_vma_ptes_model(vma);
	unlink_file_vma(vma);
	up_write(&vma->vm_mm->mmap_sem);
}

/*
 * madvise(MADV_DONTNEED) over the whole mapping: madvise_dontneed_single_vma(), under
 * the mmap_lock taken for reading as madvise_lock() does for MADV_DONTNEED (the model's
 * rwsems are exclusive: a fault of the same mm waits for it, which no race here needs).
 */
void madvise_dontneed(struct vm_area_struct *vma)
{
	down_read(&vma->vm_mm->mmap_lock);
	madvise_dontneed_single_vma(vma, vma->vm_start, vma->vm_end);
	up_read(&vma->vm_mm->mmap_lock);
}

/*
 * A data=ordered journal commit writing the file's dirty data buffers on its own,
 * in its own order, without going through ->writepage (seed 000).
 */
void journal_write_buffers(struct address_space *mapping)
{
	int i;

	for (i = 0; i < file_nr_pages(mapping); i++) {
		struct page *page = file_page(mapping, i);
		struct buffer_head *bh, *head;

		if (!page_has_buffers(page))
			continue;
		bh = head = page_buffers(page);
		do {
			/* lock_buffer, test-clear dirty, write, wait, unlock: one step (ll_rw_block(SWRITE)) */
			journal_write_buffer(bh);
			bh = bh->b_this_page;
		} while (bh != head);
	}
}

/*
 * fsync(): write back and wait for the file's dirty pages, then commit the journal.
 * sync_begin/sync_end are the simulator's watch on the contract (sync-durability):
 * what was stored before the call is on disk when it returns.
 */
void sync(struct address_space *mapping)
{
	int started = sync_begin(mapping);

	filemap_write_and_wait(mapping);
	journal_write_buffers(mapping);
	sync_end(mapping, started);
}

/*
 * fsync() of a file another thread write(2)s to: sync() with the moment of the call
 * taken between two write calls, never in the middle of one (the write holds the
 * inode's mutex), so that the promise covers the writes that returned before it. The
 * mutex is the harness's ordering of the two system calls, not fsync's locking: the
 * writeout and the wait run without it, as do_fsync()'s filemap_fdatawrite() does.
 */
void fsync(struct address_space *mapping)
{
	int started;

	mutex_lock(&mapping->host->i_mutex);
	started = sync_begin(mapping);
	mutex_unlock(&mapping->host->i_mutex);
	filemap_write_and_wait(mapping);
	journal_write_buffers(mapping);
	sync_end(mapping, started);
}

/*
 * The writeback of one page the caller has locked: clear its dirty state for I/O and
 * hand it to ->writepage, which unlocks it (write_one_page() without its waits).
 */
void write_locked_page(struct page *page)
{
	struct address_space *mapping = page->mapping;

	if (clear_page_dirty_for_io(page))
		mapping->a_ops->writepage(page, WBC_SYNC_NONE);
	else
		unlock_page(page);
}

/* Start writeback of every dirty page of the file and return without waiting. */
void writeback(struct address_space *mapping)
{
	do_writepages(mapping, WBC_SYNC_NONE);
}

/* Start writeback of every dirty page in data-integrity mode (WB_SYNC_ALL). */
void writeback_sync(struct address_space *mapping)
{
	do_writepages(mapping, WBC_SYNC_ALL);
}

/*
 * A timestamp update on a filesystem mounted lazytime (generic_update_time()): only
 * the in-memory timestamps change, and the inode goes on b_dirty_time.
 */
void update_time(struct address_space *mapping)
{
	__mark_inode_dirty(mapping->host, I_DIRTY_TIME);
}

/*
 * write_inode_now(inode, 0), as a filesystem's ->flush or the last iput of an
 * I_DONTCACHE inode calls it: writeback_single_inode() with a WB_SYNC_NONE
 * writeback_control over the whole file (write_inode_now() builds it on its stack;
 * here it is the harness's WBC_SYNC_NONE, with the same fields).
 */
void flush_inode(struct address_space *mapping)
{
	writeback_single_inode(mapping->host, WBC_SYNC_NONE);
}

/* truncate(file, 0): truncate_setsize() sets i_size first, then drops the page cache. */
void truncate(struct address_space *mapping)
{
	i_size_write(mapping->host, 0);
	truncate_inode_pages_range(mapping, 0, -1);
}

/* One reclaim pass over the file's pages. */
void reclaim(struct address_space *mapping)
{
	shrink_inactive_list(mapping);
}

/*
 * A pinned page's DMA completes: the device wrote block n of the page (an O_DIRECT
 * read, an RDMA or io_uring fixed-buffer receive into a buffer that maps the file),
 * then the pinner drops its FOLL_PIN pin and dirties the page through its filesystem.
 */
void dma_complete(struct page *page, int n)
{
	struct page *pages[1] = { page };

	device_write_page(page, n);
	unpin_user_pages_dirty_lock(pages, 1, true);
}

/*
 * Compaction migrates page P to the free page N allocated at its index: one page of
 * migrate_pages() in MIGRATE_SYNC mode, as unmap_and_move() does it for an unmapped
 * page-cache page. The page is isolated from the LRU, both pages are locked, the
 * filesystem's ->migratepage moves it; the isolation's reference is dropped after
 * (freeing the old page on success, putback_lru_page() otherwise), then the new
 * page's allocation reference.
 */
void migrate(struct page *page, struct page *newpage)
{
	int rc;

	if (!isolate_lru_page(page))
		return;
	lock_page(page);
	wait_on_page_writeback(page);
	lock_page(newpage);
	rc = move_to_new_page(newpage, page, MIGRATE_SYNC);
	unlock_page(newpage);
	unlock_page(page);
	put_page(page);
	put_page(newpage);
}

/*
 * A metadata update through the buffer cache: the block behind buffer n of page P is
 * looked up (__find_get_block, which takes a buffer reference), changed through
 * bh->b_data by code that holds only that reference, and released (brelse).
 */
void bh_update(struct address_space *bd_mapping, struct page *page, int n)
{
	struct buffer_head *bh = __find_get_block(bd_mapping, page_block_nr(page, n), PAGE_SIZE);

	if (!bh)
		return;
	buffer_write_data(bh);
	brelse(bh);
}


/*
 * A user buffer in a shared mapping of the file is pinned for DMA into it (an io_uring
 * fixed buffer, an RDMA region, the target of an O_DIRECT read): the task whose address
 * space holds the mapping calls pin_user_pages_fast(FOLL_WRITE) on the page's slot.
 */
void pin(struct vm_area_struct *vma, struct page *page)
{
	struct page *pages[1];

	use_mm(vma->vm_mm);
	pin_user_pages_fast(vma_slot_address(vma, page), 1, FOLL_WRITE, pages);
}
