/*
 * mm/memory.c, 2.6.29: do_wp_page() on a shared writable mapping whose file has a
 * ->page_mkwrite. The page is passed to ->page_mkwrite unlocked, comes back unlocked,
 * the PTE is made writable and dirty under the PTE lock, and only after that lock is
 * dropped does set_page_dirty() run (after wait_on_page_locked(), 79352894b285). In
 * between, nothing keeps writeback from cleaning the page and ->releasepage from
 * stripping the buffers ->page_mkwrite attached.
 */

/* The file's vm_ops->page_mkwrite: block_page_mkwrite() with its get_block. */
int page_mkwrite(struct vm_area_struct *vma, struct page *page)
{
	return block_page_mkwrite(vma, page, ext3_get_block);
}

int do_wp_page(struct vm_area_struct *vma, struct page *old_page)
{
	struct page *dirty_page = NULL;

	page_cache_get(old_page);
	/* pte_unmap_unlock(page_table, ptl) */
	if (page_mkwrite(vma, old_page) < 0) {
		page_cache_release(old_page);
		return VM_FAULT_SIGBUS;
	}
	/*
	 * Since we dropped the lock we need to revalidate the PTE as someone else may
	 * have changed it.
	 */
	spin_lock(&vma->ptl);	/* page_table = pte_offset_map_lock() */
	page_cache_release(old_page);
	if (!pte_present(vma, old_page) || pte_writable(vma, old_page)) {	/* !pte_same(*page_table, orig_pte) */
		spin_unlock(&vma->ptl);
		return 0;
	}
	dirty_page = old_page;
	get_page(dirty_page);
	/* entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(orig_pte))); ptep_set_access_flags() */
	pte_mkwrite_dirty(vma, old_page);
	spin_unlock(&vma->ptl);	/* pte_unmap_unlock() */

	/* file_update_time(); then, against clear_page_dirty_for_io(): */
	wait_on_page_locked(dirty_page);
	set_page_dirty_balance(dirty_page);
	put_page(dirty_page);
	return 0;
}
