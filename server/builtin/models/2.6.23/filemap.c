/*
 * mm/filemap.c, 2.6.23 (d00806b18315, then ->fault): filemap_fault() finds the page
 * with find_lock_page() and returns it LOCKED (VM_FAULT_LOCKED), after checking under
 * the lock that it is still in this file's page cache. Invalidation takes the same
 * lock, so it cannot remove the page between the lookup and the mapping.
 */

/* find_lock_page(): lock the cached page, and retry if it was truncated meanwhile. */
struct page *find_lock_page(struct address_space *mapping, pgoff_t offset)
{
	struct page *page;

repeat:
	page = find_get_page(mapping, offset);
	if (page) {
		lock_page(page);
		/* Has the page been truncated while we slept? */
		if (unlikely(page->mapping != mapping)) {
			unlock_page(page);
			page_cache_release(page);
			goto repeat;
		}
		VM_BUG_ON(page->index != offset);
	}
	return page;
}

/*
 * Readahead and the read of a page that is not uptodate are left out, as in 2.6.22's
 * model. The struct vm_fault the real one takes is passed as its fields: pgoff in;
 * out, the page (vmf->page) as the result and the VM_FAULT_ code through retp.
 */
struct page *filemap_fault(struct vm_area_struct *vma, pgoff_t pgoff, int *retp)
{
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	struct page *page;
	unsigned long size;
	int error;

	size = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (pgoff >= size) {
		*retp = VM_FAULT_SIGBUS;
		return NULL;
	}
retry_find:
	page = find_lock_page(mapping, pgoff);
	if (!page)
		goto no_cached_page;
	if (unlikely(!PageUptodate(page))) {
		unlock_page(page);
		page_cache_release(page);
		*retp = VM_FAULT_SIGBUS;
		return NULL;
	}
	/* Must recheck i_size under page lock */
	size = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (unlikely(pgoff >= size)) {
		unlock_page(page);
		page_cache_release(page);
		*retp = VM_FAULT_SIGBUS;
		return NULL;
	}
	mark_page_accessed(page);
	*retp = VM_FAULT_LOCKED;
	return page;

no_cached_page:
	/* page_cache_read(): cannot allocate a page here (2.6.22/filemap.c) */
	error = page_cache_read(file, pgoff);
	if (error >= 0)
		goto retry_find;
	if (error == -ENOMEM) {
		*retp = VM_FAULT_OOM;
		return NULL;
	}
	*retp = VM_FAULT_SIGBUS;
	return NULL;
}
