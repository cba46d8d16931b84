/*
 * mm/rmap.c, 5.17: try_to_unmap() of a file page. The rmap walk (rmap_walk_file,
 * page_vma_mapped_walk, mmu notifiers) is the boundary: in each of the file's VMAs the
 * page's PTE is cleared under the page-table lock, a dirty PTE's bit moved to the
 * page and the mapping's reference dropped (try_to_unmap_one). Pins do not stop it.
 */
void try_to_unmap(struct page *page, enum ttu_flags flags)
{
	int i;

	for (i = 0; i < file_nr_vmas(page->mapping); i++)
		zap_page_pte(file_vma(page->mapping, i), page);
}
