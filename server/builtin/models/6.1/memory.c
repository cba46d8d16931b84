/*
 * mm/memory.c, 6.1: wp_page_shared() → wp_page_reuse() + fault_dirty_shared_page().
 * Without ->page_mkwrite the fault locks the page before set_page_dirty(), so a
 * writeback between folio_mkclean() and folio_test_clear_dirty() (which holds the
 * page lock) cannot clear the dirty bit the fault sets (79352894b285, 2.6.29).
 */

int do_wp_page(struct vm_area_struct *vma, struct page *page)
{
	get_page(page);
	pte_mkwrite_dirty(vma, page);
	lock_page(page);
	folio_mark_dirty(page_folio(page));
	unlock_page(page);
	put_page(page);
	return 0;
}

/* do_shared_fault(): __do_fault() returns the page locked; finish_fault() maps it. */
int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	int shared_write = write_access && (vma->vm_flags & VM_SHARED);

	lock_page(page);
	pte_map_page(vma, page, shared_write);
	if (shared_write)
		folio_mark_dirty(page_folio(page));
	unlock_page(page);
	return 0;
}

/*
 * unmap_mapping_folio() (mm/memory.c since 5.18): every PTE mapping the folio, in every
 * mapping of its file, as truncation needs before it drops a mapped folio. The real
 * one walks mapping->i_mmap and the page tables (unmap_mapping_range_tree,
 * zap_page_range_single with zap_details.single_folio); the model clears the folio's
 * PTE in each of the file's VMAs as zap_pte_range does (zap_page_pte, common/memory.c).
 */
void unmap_mapping_folio(struct folio *folio)
{
	int i;

	for (i = 0; i < file_nr_vmas(folio->mapping); i++)
		zap_page_pte(file_vma(folio->mapping, i), folio_page(folio, 0));
}
