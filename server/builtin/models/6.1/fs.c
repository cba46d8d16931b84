/* address_space operations of the filesystems the scenarios use, 6.1 */

int ext4_writepage(struct page *page, struct writeback_control *wbc)
{
	return block_write_full_page(page, ext4_get_block, wbc);
}

static const struct address_space_operations ext4_aops = {
	.direct_IO	= blockdev_direct_write,
	.writepage	= ext4_writepage,
	.dirty_folio	= block_dirty_folio,
};

int nobh_writepage(struct page *page, struct writeback_control *wbc)
{
	return mpage_writepage(page, ext2_get_block, wbc);
}

static const struct address_space_operations nobh_aops = {
	.direct_IO	= blockdev_direct_write,
	.writepage	= nobh_writepage,
	.dirty_folio	= filemap_dirty_folio,
};
