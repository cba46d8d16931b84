/* fs/ext3/inode.c and fs/ext2/inode.c address_space operations, 2.6 */

int ext3_ordered_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, ext3_get_block, wbc);
}

static struct address_space_operations ext3_ordered_aops = {
	.direct_IO	= blockdev_direct_write,
	.writepage	= ext3_ordered_writepage,
	.set_page_dirty	= __set_page_dirty_buffers,
};

int ext2_nobh_writepage(struct page *page, struct writeback_control *wbc)
{
	return mpage_writepage(page, ext2_get_block, wbc);
}

static struct address_space_operations ext2_nobh_aops = {
	.direct_IO	= blockdev_direct_write,
	.writepage	= ext2_nobh_writepage,
	.set_page_dirty	= __set_page_dirty_nobuffers,
};
