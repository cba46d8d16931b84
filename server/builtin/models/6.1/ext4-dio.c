/*
 * fs/ext4/file.c (6.1, 6.12): where the model stops beside ext4's O_DIRECT write,
 * whose page-cache work (the inode lock, i_size, the write-and-wait and invalidation of
 * iomap_dio_rw()) runs from the tree. Each stands in for ext4 state the model does not
 * keep (superblock flags, extent tree, journal, timestamps); catalog/entries-dio.ts says
 * why for each.
 */

/* The filesystem is not shut down (6.1 passes EXT4_SB(sb), 6.12 the superblock). */
int ext4_forced_shutdown(void *sb)
{
	return 0;
}

/*
 * ext4_dio_alignment(): no fs-verity, no data=journal, no inline data, no encryption,
 * so O_DIRECT is allowed at the block size; the harness's offset and buffer are one
 * aligned block.
 */
bool ext4_should_use_dio(struct kiocb *iocb, struct iov_iter *iter)
{
	return 1;
}

/*
 * IS_IMMUTABLE, generic_write_checks() (O_APPEND, s_maxbytes, RLIMIT_FSIZE) and the
 * extent-mapped inode's limit: the write lies inside the file, so all of it is allowed.
 */
ssize_t ext4_generic_write_checks(struct kiocb *iocb, struct iov_iter *from)
{
	return iov_iter_count(from);
}

/* The harness's O_DIRECT write is one whole, aligned block. */
bool ext4_unaligned_io(struct inode *inode, struct iov_iter *from, loff_t pos)
{
	return 0;
}

/*
 * ext4_map_blocks() over the range: the scenario's blocks are allocated and written,
 * so a write inside i_size is a pure overwrite of written extents (6.12 also reports
 * whether any is unwritten: none is).
 */
bool ext4_overwrite_io(struct inode *inode, loff_t pos, loff_t len, bool *unwritten)
{
	if (pos + len > i_size_read(inode))
		return 0;
	if (unwritten)
		*unwritten = 0;
	return 1;
}

/*
 * file_remove_privs() and the mtime/ctime update (file_update_time() →
 * __mark_inode_dirty(I_DIRTY_SYNC)): no suid bit or capability to drop, and no race
 * here reads the inode's timestamps or its dirty-inode list.
 */
int file_modified(struct file *file)
{
	return 0;
}

/*
 * ext4_buffered_write_iter(): the write(2) that an O_DIRECT write falls back to when
 * iomap_dio_rw() could not invalidate the page cache (-ENOTBLK). The real one runs
 * generic_perform_write() under the inode lock: ext4_write_begin() (a journal handle,
 * block_write_begin()), the copy, ext4_write_end(). The model does what the harness's
 * write() does: the page found or added and locked, the user's block copied in (the
 * data the O_DIRECT write promised), the page marked uptodate and dirty through its
 * filesystem, unlocked.
 */
ssize_t ext4_buffered_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	struct inode *inode = mapping->host;
	size_t count = iov_iter_count(from);
	struct page *page = file_page_at(mapping, iocb->ki_pos >> PAGE_SHIFT);

	inode_lock(inode);
	if (!page_cache_add(mapping, page)) {
		get_page(page);
		lock_page(page);
	}
	dio_fallback_copy(page, file_block_of_offset(mapping, iocb->ki_pos));
	SetPageUptodate(page);
	set_page_dirty(page);
	unlock_page(page);
	put_page(page);
	iocb->ki_pos += count;
	from->count -= count;
	inode_unlock(inode);
	return count;
}

/*
 * mm/filemap.c (6.1, 6.12): the writeout of filemap_write_and_wait_range(), which runs
 * from the tree. The real one fills a writeback_control on its stack (.sync_mode,
 * .nr_to_write = LONG_MAX, the byte range) and hands it to filemap_fdatawrite_wbc(),
 * which attaches cgroup writeback around do_writepages(); the model's wbc is the
 * thread's own of that mode over the whole file (the scenario's ranges cover it).
 */
int __filemap_fdatawrite_range(struct address_space *mapping, loff_t start,
				loff_t end, int sync_mode)
{
	if (!mapping_can_writeback(mapping))
		return 0;
	if (sync_mode == WB_SYNC_ALL)
		return do_writepages(mapping, WBC_SYNC_ALL);
	return do_writepages(mapping, WBC_SYNC_NONE);
}

/*
 * ext4_clear_inode_state() (fs/ext4/ext4.h, EXT4_INODE_BIT_FNS): a bit of the
 * ext4_inode_info's i_state_flags. The one the O_DIRECT write clears,
 * EXT4_STATE_MAY_INLINE_DATA, is read only by the inline-data paths, which the
 * scenario's file (data in blocks) never takes.
 */
void ext4_clear_inode_state(struct inode *inode, int bit)
{
}
