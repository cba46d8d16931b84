/* mm/filemap.c, 2.6.11 (akpm's fix, seed 002) */

/*
 * If it's a write, unmap all mmappings of the file up-front, so that PTE dirty
 * bits reach the pages before filemap_write_and_wait(); report a failed
 * invalidation to the caller.
 */
ssize_t
generic_file_direct_IO(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct file *file = iocb->ki_filp;
	struct address_space *mapping = file->f_mapping;
	ssize_t retval;

	if (rw == WRITE && mapping_mapped(mapping))
		unmap_mapping_range(mapping, 0, -1, 0);

	retval = filemap_write_and_wait(mapping);
	if (retval == 0) {
		retval = mapping->a_ops->direct_IO(rw, iocb, iov,
						offset, nr_segs);
		if (rw == WRITE && mapping->nrpages) {
			int err = invalidate_inode_pages2(mapping);
			if (err)
				retval = err;
		}
	}
	return retval;
}
