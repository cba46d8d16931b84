/*
 * mm/rmap.c, 6.1: try_to_unmap() of a file folio, as reclaim calls it. The rmap walk
 * (rmap_walk_file over the i_mmap tree, page_vma_mapped_walk, mmu notifiers) is the
 * boundary: each of the file's VMAs that maps the folio has its PTE cleared under the
 * page-table lock, a dirty PTE's bit moved to the folio, and the mapping's reference
 * dropped, which is what try_to_unmap_one() does to a file PTE. Unmapping ignores
 * pins: a pinned folio is unmapped like any other.
 */
void try_to_unmap(struct folio *folio, enum ttu_flags flags)
{
	int i;

	for (i = 0; i < file_nr_vmas(folio->mapping); i++)
		zap_page_pte(file_vma(folio->mapping, i), folio_page(folio, 0));
}
