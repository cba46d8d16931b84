/*
 * mm/filemap.c, 2.6.22: ->nopage of a file mapping. filemap_nopage() returns the page
 * it found in the page cache with a reference and NOT locked: from its lookup until
 * do_no_page() installs the PTE, nothing keeps invalidation from taking the page out
 * of the cache.
 */

/*
 * Reading a page that is not cached allocates a new one and adds it to the cache;
 * the model's pages are the scenario's own, set up before the CPUs start, so the
 * allocation fails as it may under memory pressure (the 6.1 model's
 * filemap_alloc_folio() does the same): -ENOMEM, and the fault returns NOPAGE_OOM.
 */
int page_cache_read(struct file *file, pgoff_t offset)
{
	return -ENOMEM;
}

/* find_get_page(): the page cached at exactly this index, with a reference. */
struct page *find_get_page(struct address_space *mapping, pgoff_t offset)
{
	return mapping_get_entry(mapping, offset);
}

/*
 * The slot's file offset is pgoff, the index of the page the harness names (the
 * mapping starts at offset 0). Readahead and the not-uptodate read path are left out:
 * the scenario's page is uptodate, and a read of a new page cannot allocate one.
 */
struct page *filemap_nopage(struct vm_area_struct *area, pgoff_t pgoff, int *type)
{
	struct file *file = area->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	struct page *page;
	unsigned long size;
	int error;

	size = (i_size_read(inode) + PAGE_CACHE_SIZE - 1) >> PAGE_CACHE_SHIFT;
	if (pgoff >= size)
		return NOPAGE_SIGBUS;
retry_find:
	page = find_get_page(mapping, pgoff);
	if (!page)
		goto no_cached_page;
	if (!PageUptodate(page)) {
		page_cache_release(page);
		return NOPAGE_SIGBUS;
	}
	mark_page_accessed(page);
	return page;

no_cached_page:
	error = page_cache_read(file, pgoff);
	if (error >= 0)
		goto retry_find;
	if (error == -ENOMEM)
		return NOPAGE_OOM;
	return NOPAGE_SIGBUS;
}
