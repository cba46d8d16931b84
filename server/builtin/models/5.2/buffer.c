/* fs/block_dev.c, 5.2: the block device's page cache operations */
static int blkdev_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh, int create)
{
	set_buffer_mapped(bh);
	return 0;
}

static int blkdev_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, blkdev_get_block, wbc);
}

static const struct address_space_operations def_blk_aops = {
	.writepage	= blkdev_writepage,
	.set_page_dirty	= __set_page_dirty_buffers,
	.migratepage	= buffer_migrate_page_norefs,
};
