/* block/fops.c, 6.1: the block device's page cache operations */
static int blkdev_get_block(struct inode *inode, sector_t iblock, struct buffer_head *bh, int create)
{
	set_buffer_mapped(bh);
	return 0;
}

static int blkdev_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, blkdev_get_block, wbc);
}

const struct address_space_operations def_blk_aops = {
	.dirty_folio	= block_dirty_folio,
	.writepage	= blkdev_writepage,
	.migrate_folio	= buffer_migrate_folio_norefs,
};
