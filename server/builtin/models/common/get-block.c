/*
 * The filesystems' get_block callbacks: map a buffer to its disk block (allocating it
 * when `create` asks). Every scenario's file has its blocks allocated on disk, or
 * delayed (BH_Delay) where writepage refuses the page before asking, so mapping a
 * buffer finds its block: BH_Mapped is set, and the block number is the layout's.
 */

/*
 * ->direct_IO of the block filesystems (ext3_direct_IO → blockdev_direct_IO and its
 * successors): the blocks of the range go straight to the disk, bypassing the page
 * cache. A scenario's O_DIRECT write is one block.
 */
ssize_t blockdev_direct_write(int rw, struct kiocb *iocb, const struct iovec *iov,
	loff_t offset, unsigned long nr_segs)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;

	return direct_io_write_block(mapping, offset >> PAGE_SHIFT, file_block_of_offset(mapping, offset));
}

int ext2_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh_result, int create)
{
	set_buffer_mapped(bh_result);
	return 0;
}

int ext3_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh_result, int create)
{
	set_buffer_mapped(bh_result);
	return 0;
}

int ext4_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh_result, int create)
{
	set_buffer_mapped(bh_result);
	return 0;
}
