/*
 * mm/memory.c, 2.6.19: shared writable mappings start read-only so that the first
 * write faults and the page is marked dirty (dirty-page tracking). do_wp_page makes
 * the PTE writable and dirty, drops the PTE lock, and only then calls set_page_dirty.
 */

int do_wp_page(struct vm_area_struct *vma, struct page *old_page)
{
	struct page *dirty_page = NULL;
	int reuse = 0;

	if (vma->vm_flags & VM_SHARED) {
		dirty_page = old_page;
		get_page(dirty_page);
		reuse = 1;
	}
	if (reuse) {
		/* entry = maybe_mkwrite(pte_mkdirty(entry), vma); ptep_set_access_flags() */
		pte_mkwrite_dirty(vma, old_page);
	}
	/* pte_unmap_unlock() */
	if (dirty_page) {
		set_page_dirty_balance(dirty_page);
		put_page(dirty_page);
	}
	return 0;
}

int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	int shared_write = write_access && (vma->vm_flags & VM_SHARED);

	pte_map_page(vma, page, shared_write);
	if (shared_write)
		set_page_dirty_balance(page);
	return 0;
}
