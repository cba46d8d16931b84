/*
 * fs/buffer.c, 2.6.30 (b827e496c893): block_page_mkwrite() returns VM_FAULT_LOCKED
 * with the page still locked after it attached and dirtied the buffers; the fault
 * path unlocks it only once the PTE is writable and the page dirty.
 */
int block_page_mkwrite(struct vm_area_struct *vma, struct page *page, void *get_block)
{
	struct inode *inode = vma->vm_file->f_mapping->host;
	unsigned long end;
	loff_t size;
	int ret = VM_FAULT_NOPAGE;	/* make the VM retry the fault */

	lock_page(page);
	size = i_size_read(inode);
	if ((page->mapping != inode->i_mapping) || (page_offset(page) > size)) {
		/* page got truncated out from underneath us */
		unlock_page(page);
		return ret;
	}
	/* page is wholly or partially inside EOF */
	if (((page->index + 1) << PAGE_CACHE_SHIFT) > size)
		end = size & (PAGE_CACHE_SIZE - 1);
	else
		end = PAGE_CACHE_SIZE;

	ret = __block_prepare_write(inode, page, 0, end, get_block);
	if (!ret)
		ret = __block_commit_write(inode, page, 0, end);
	if (unlikely(ret)) {
		unlock_page(page);
		if (ret == -ENOMEM)
			return VM_FAULT_OOM;
		return VM_FAULT_SIGBUS;
	}
	return VM_FAULT_LOCKED;
}
