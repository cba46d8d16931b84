/*
 * The filesystems' get_block callbacks: map a buffer to its disk block (allocating it
 * when `create` asks). Every scenario's file has its blocks allocated on disk, or
 * delayed (BH_Delay) where writepage refuses the page before asking, so mapping a
 * buffer finds its block: BH_Mapped is set, and the block number is the layout's.
 */

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
