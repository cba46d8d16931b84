/* mm/memory.c, 2.6.9: shared writable mappings are mapped writable from the start. */

int do_wp_page(struct vm_area_struct *vma, struct page *old_page)
{
	pte_mkwrite_dirty(vma, old_page);
	return 0;
}

int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	pte_map_page(vma, page, vma->vm_flags & VM_SHARED);
	return 0;
}
