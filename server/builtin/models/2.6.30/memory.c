/*
 * mm/memory.c, 2.6.30 (b827e496c893, "mm: close page_mkwrite races"): do_wp_page()
 * takes the page back from ->page_mkwrite locked (or locks it and rechecks
 * page->mapping), keeps it locked while the PTE is made writable and dirty and while
 * set_page_dirty() runs, and unlocks it after: writeback and ->releasepage, which take
 * the page lock, can no longer run between the buffers being attached and the page
 * being dirtied.
 */

int page_mkwrite(struct vm_area_struct *vma, struct page *page)
{
	return block_page_mkwrite(vma, page, ext3_get_block);
}

int do_wp_page(struct vm_area_struct *vma, struct page *old_page)
{
	struct page *dirty_page = NULL;
	int tmp;

	page_cache_get(old_page);
	/* pte_unmap_unlock(page_table, ptl) */
	tmp = page_mkwrite(vma, old_page);
	if (unlikely(tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
		page_cache_release(old_page);
		return tmp & VM_FAULT_ERROR;
	}
	if (unlikely(!(tmp & VM_FAULT_LOCKED))) {
		lock_page(old_page);
		if (!old_page->mapping) {
			unlock_page(old_page);
			page_cache_release(old_page);
			return 0;	/* retry the fault */
		}
	} else {
		VM_BUG_ON(!PageLocked(old_page));
	}
	spin_lock(&vma->ptl);	/* page_table = pte_offset_map_lock() */
	if (!pte_present(vma, old_page) || pte_writable(vma, old_page)) {	/* !pte_same(*page_table, orig_pte) */
		spin_unlock(&vma->ptl);
		unlock_page(old_page);
		page_cache_release(old_page);
		return 0;
	}
	dirty_page = old_page;
	get_page(dirty_page);
	pte_mkwrite_dirty(vma, old_page);
	spin_unlock(&vma->ptl);	/* pte_unmap_unlock() */

	set_page_dirty_balance(dirty_page);
	put_page(dirty_page);
	/* page_mkwrite: the page is still locked; dirty it under the lock, then let go */
	set_page_dirty(dirty_page);
	unlock_page(dirty_page);
	page_cache_release(dirty_page);
	return 0;
}
