/*
 * mm/memory.c, 2.6.22: do_no_page() for a page of a shared file mapping, before
 * d00806b18315. The page ->nopage found is not locked. The fault rechecks
 * mapping->truncate_count under the PTE lock, which catches truncation (it always
 * unmaps, and unmap_mapping_range() bumps the count) but not invalidate_inode_pages2(),
 * which only unmaps a page that is mapped: a page found by the fault and not yet
 * mapped is taken out of the cache without a bump, and the fault maps it.
 */

/*
 * unmap_mapping_range(): under i_mmap_lock, the truncate_count a racing do_no_page()
 * rechecks is bumped before the file's PTEs are zapped.
 */
void unmap_mapping_range(struct address_space *mapping, loff_t start, loff_t len, int even_cows)
{
	int i;

	spin_lock(&mapping->i_mmap_lock);
	mapping->truncate_count++;
	for (i = 0; i < file_nr_vmas(mapping); i++)
		zap_vma_ptes_model(file_vma(mapping, i));
	spin_unlock(&mapping->i_mmap_lock);
}

int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct page *new_page;
	struct page *dirty_page = NULL;
	unsigned int sequence;
	/* 2.6.22 says VM_FAULT_MINOR (2); the harness's handle_mm_fault() reads 0 as handled */
	int ret = 0;

	/* pte_unmap(page_table): the PTE lock is not held from here */
	sequence = mapping->truncate_count;
retry:
	new_page = filemap_nopage(vma, page_index(page), &ret);
	if (new_page == NOPAGE_SIGBUS)
		return VM_FAULT_SIGBUS;
	if (new_page == NOPAGE_OOM)
		return VM_FAULT_OOM;

	/* a shared mapping's ->page_mkwrite is not set for this file: nothing to ask */

	spin_lock(&vma->ptl);	/* page_table = pte_offset_map_lock() */
	/*
	 * For a file-backed vma, someone could have truncated or otherwise
	 * invalidated this page. If unmap_mapping_range got called, retry.
	 */
	if (sequence != mapping->truncate_count) {
		spin_unlock(&vma->ptl);
		page_cache_release(new_page);
		sequence = mapping->truncate_count;
		goto retry;
	}
	if (!pte_present(vma, page)) {	/* pte_none(*page_table) */
		/* mk_pte(), maybe_mkwrite(pte_mkdirty()) for a write, set_pte_at(), page_add_file_rmap() */
		pte_install(vma, new_page, write_access);
		if (write_access) {
			dirty_page = new_page;
			get_page(dirty_page);
		}
	} else {
		/* another fault mapped it first */
		page_cache_release(new_page);
	}
	spin_unlock(&vma->ptl);	/* pte_unmap_unlock() */
	if (dirty_page) {
		set_page_dirty_balance(dirty_page);
		put_page(dirty_page);
	}
	return ret;
}
