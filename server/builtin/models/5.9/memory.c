/* mm/memory.c, 5.x: wp_page_shared() and a shared write fault on a missing PTE */

int do_wp_page(struct vm_area_struct *vma, struct page *page)
{
	get_page(page);
	/* wp_page_reuse(): the PTE becomes writable and dirty */
	pte_mkwrite_dirty(vma, page);
	/* fault_dirty_shared_page() */
	set_page_dirty(page);
	put_page(page);
	return 0;
}

int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	int shared_write = write_access && (vma->vm_flags & VM_SHARED);

	pte_map_page(vma, page, shared_write);
	if (shared_write)
		set_page_dirty(page);
	return 0;
}
