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

/*
 * do_read_fault() / do_shared_fault() → __do_fault() → filemap_fault() → finish_fault(),
 * in their 6.1 order: filemap_fault() looks the folio up LOCKED and rechecks under the
 * lock that it is still in this file (__filemap_get_folio(FGP_LOCK): the tree's own
 * when --src has it) and returns VM_FAULT_LOCKED; finish_fault() sets the PTE under the
 * PTE lock; the folio is dirtied (fault_dirty_shared_page) and unlocked only then.
 * Below the model: the vm_fault, the page-table pointers, fault-around (->map_pages)
 * and readahead. A folio that is not cached would be read into a new one, which the
 * model cannot allocate (filemap_alloc_folio, 6.1/filemap.c): the fault fails, OOM.
 */
int do_no_page(struct vm_area_struct *vma, struct page *page, int write_access)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	int shared_write = write_access && (vma->vm_flags & VM_SHARED);
	struct folio *folio;

	/* NULL when nothing is cached (6.1); ERR_PTR(-ENOENT) since 6.3 */
	folio = __filemap_get_folio(mapping, page_index(page), FGP_LOCK, 0);
	if (IS_ERR_OR_NULL(folio))
		return VM_FAULT_OOM;
	spin_lock(&vma->ptl);	/* pte_offset_map_lock() */
	if (!pte_present(vma, page))	/* !vmf_pte_changed() */
		pte_install(vma, folio_page(folio, 0), shared_write);	/* do_set_pte() */
	else
		folio_put(folio);
	spin_unlock(&vma->ptl);
	if (shared_write)
		folio_mark_dirty(folio);
	folio_unlock(folio);
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

/*
 * unmap_mapping_pages() (mm/memory.c): every PTE of the file's mappings in the range.
 * The real one walks mapping->i_mmap (unmap_mapping_range_tree) and zaps each VMA's
 * range with an mmu_gather; the model zaps each of the file's mappings as
 * zap_pte_range does (common/memory.c), which covers the range of a one-page file.
 */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr, bool even_cows)
{
	unmap_mapping_range(mapping, start << PAGE_SHIFT, nr << PAGE_SHIFT, even_cows);
}
