/*
 * fs/iomap (6.1, 6.12): where the model stops below __iomap_dio_rw(), which runs from
 * the tree with ext4_dio_write_iter() above it. Stated boundaries (catalog/entries-dio.ts
 * says why each stands in for the tree's body).
 */

/*
 * iomap_iter() (fs/iomap/iter.c) with ext4's ->iomap_begin (ext4_iomap_begin(),
 * ext4_iomap_overwrite_begin(): ext4_map_blocks() over the extent tree, under
 * i_data_sem, with a journal handle when it allocates). The scenario's file has every
 * block allocated and written, so the whole range is one IOMAP_MAPPED extent: the
 * first call maps it, the next one advances past what the caller processed
 * (iomap_iter_advance) and ends the walk when nothing is left, nothing was done, or
 * the caller failed.
 */
int iomap_iter(struct iomap_iter *iter, const struct iomap_ops *ops)
{
	loff_t processed = iter->processed;

	if (iter->iomap.length) {
		iter->iomap.length = 0;
		iter->processed = 0;
		if (processed < 0)
			return processed;
		iter->pos += processed;
		iter->len -= processed;
		if (!iter->len || !processed)
			return 0;
	}
	iter->iomap.type = IOMAP_MAPPED;
	iter->iomap.flags = 0;
	iter->iomap.offset = iter->pos;
	iter->iomap.length = iter->len;
	return 1;
}

/*
 * iomap_dio_bio_iter() (fs/iomap/direct-io.c): the bios of one mapped extent. The real
 * one checks the alignment, builds bios over the user buffer's pages, pinned by
 * bio_iov_iter_get_pages(), and submits them to the block layer; their completion
 * (iomap_dio_bio_end_io() → iomap_dio_done()) drops dio->ref and wakes the submitter,
 * which waits for it in __iomap_dio_rw() (a synchronous kiocb). The model writes the
 * extent's block to the disk in this one step and completes it here: the waiting
 * submitter does nothing in between, and what it did before (dio->size, the
 * iov_iter's count) is its own, so no interleaving is lost. A direct read is not
 * modeled (no race issues one).
 */
loff_t iomap_dio_bio_iter(const struct iomap_iter *iter, struct iomap_dio *dio)
{
	struct address_space *mapping = iter->inode->i_mapping;
	loff_t pos = iter->pos;
	loff_t length = iter->iomap.offset + iter->iomap.length - pos;
	size_t n = dio->submit.iter->count;

	if (!(dio->flags & IOMAP_DIO_WRITE))
		BUG();
	if (n > length)
		n = length;
	if (!n)
		return 0;
	direct_io_write_block(mapping, pos >> PAGE_SHIFT, file_block_of_offset(mapping, pos));
	dio->submit.iter->count -= n;
	dio->size += n;
	return n;
}
