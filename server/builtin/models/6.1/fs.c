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

/*
 * ext4_page_mkwrite(), 6.1, for a file without delayed allocation or data journalling
 * (ext3 mode): with the page locked and still in the file, a page whose buffers are
 * all mapped is returned locked at once; otherwise the blocks are allocated through
 * block_page_mkwrite() (under a journal handle, not modeled), which also returns it
 * locked. sb_start_pagefault(), file_update_time() and the invalidate lock are not
 * page state.
 */
vm_fault_t ext4_page_mkwrite(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page = vmf->page;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct inode *inode = mapping->host;
	struct buffer_head *bh, *head;
	int unmapped = 0;
	int err;

	lock_page(page);
	if (page->mapping != mapping || page_offset(page) > i_size_read(inode)) {
		unlock_page(page);
		return VM_FAULT_NOPAGE;
	}
	if (page_has_buffers(page)) {
		/* ext4_walk_page_buffers(..., ext4_bh_unmapped) */
		bh = head = page_buffers(page);
		do {
			if (!buffer_mapped(bh))
				unmapped = 1;
			bh = bh->b_this_page;
		} while (bh != head);
		if (!unmapped)
			return VM_FAULT_LOCKED;	/* after wait_for_stable_page(): no stable-write device */
	}
	unlock_page(page);
	err = block_page_mkwrite(vma, vmf, ext4_get_block);
	return block_page_mkwrite_return(err);
}

/* filemap_page_mkwrite(), 6.1: the page cache's own, for files without block state. */
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct page *page = vmf->page;
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;

	lock_page(page);
	if (page->mapping != mapping) {
		unlock_page(page);
		return VM_FAULT_NOPAGE;
	}
	set_page_dirty(page);
	return VM_FAULT_LOCKED;
}

static const struct vm_operations_struct ext4_file_vm_ops = {
	.page_mkwrite	= ext4_page_mkwrite,
};

static const struct vm_operations_struct generic_file_vm_ops = {
	.page_mkwrite	= filemap_page_mkwrite,
};
