/*
 * mm/memory.c, 2.6.23: __do_fault() for a page of a shared file mapping. ->fault
 * returns the page locked (or __do_fault locks it), and the page stays locked until
 * its PTE is installed, so invalidate_inode_pages2(), which holds the page lock from
 * its page_mapped() test to the removal, either sees the PTE and zaps it, or removes
 * the page before the fault's locked lookup, which then finds nothing.
 */

static int __do_fault(struct vm_area_struct *vma, struct page *slot, pgoff_t pgoff, unsigned int flags)
{
	struct page *page;	/* vmf.page */
	struct page *dirty_page = NULL;
	int anon = 0;
	int ret = 0;

	/* pte_unmap(page_table); struct vm_fault's fields are passed to ->fault as arguments */
	page = filemap_fault(vma, pgoff, &ret);	/* vma->vm_ops->fault(vma, &vmf) */
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;

	/* For consistency in subsequent calls, make the faulted page always locked. */
	if (unlikely(!(ret & VM_FAULT_LOCKED)))
		lock_page(page);
	else
		VM_BUG_ON(!PageLocked(page));
	/* a shared mapping's ->page_mkwrite is not set for this file: nothing to ask */

	spin_lock(&vma->ptl);	/* page_table = pte_offset_map_lock() */
	if (likely(!pte_present(vma, slot))) {	/* pte_same(*page_table, orig_pte) */
		/* mk_pte(), maybe_mkwrite(pte_mkdirty()) for a write, set_pte_at(), page_add_file_rmap() */
		pte_install(vma, page, flags & FAULT_FLAG_WRITE);
		if (flags & FAULT_FLAG_WRITE) {
			dirty_page = page;
			get_page(dirty_page);
		}
	} else {
		anon = 1;	/* no anon but release faulted_page */
	}
	spin_unlock(&vma->ptl);	/* pte_unmap_unlock() */

	unlock_page(page);
	if (anon)
		page_cache_release(page);
	else if (dirty_page) {
		set_page_dirty_balance(dirty_page);
		put_page(dirty_page);
	}
	return ret & ~VM_FAULT_LOCKED;
}

/*
 * do_linear_fault(), which handle_pte_fault() calls for an empty PTE of a file
 * mapping; the harness's handle_mm_fault() (common/memory.c) calls it do_no_page().
 */
int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	unsigned int flags = write_access ? FAULT_FLAG_WRITE : 0;

	return __do_fault(vma, page, page_index(page), flags);
}
