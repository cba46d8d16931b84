/* mm/memory.c, 6.1: wp_page_shared() → wp_page_reuse() + fault_dirty_shared_page() */

int do_wp_page(struct vm_area_struct *vma, struct page *page)
{
	get_page(page);
	pte_mkwrite_dirty(vma, page);
	folio_mark_dirty(page_folio(page));
	put_page(page);
	return 0;
}

int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	int shared_write = write_access && (vma->vm_flags & VM_SHARED);

	pte_map_page(vma, page, shared_write);
	if (shared_write)
		folio_mark_dirty(page_folio(page));
	return 0;
}
