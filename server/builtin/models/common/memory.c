/*
 * Page tables, in the shape every era shares. The page-table lock is taken around
 * each PTE's clear-and-transfer, so no other PTE operation sees the PTE cleared but
 * its dirty bit not yet moved to the page.
 */

/*
 * One page's PTE in one mapping, as zap_pte_range() clears it: under the page-table
 * lock, a dirty PTE's bit moved to the page and its rmap removed (the PTE's clear and
 * flush are one step here, so the rmap goes after the flush); the mapping's reference
 * dropped after.
 */
void zap_page_pte(struct vm_area_struct *vma, struct page *page)
{
	spin_lock(&vma->ptl);
	if (!pte_present(vma, page)) {
		spin_unlock(&vma->ptl);
		return;
	}
	if (ptep_get_and_clear(vma, page))
		set_page_dirty(page);
	page_remove_rmap(page, vma, 0);
	spin_unlock(&vma->ptl);
	/* tlb_remove_page(): the mapping's reference goes at the TLB flush */
	put_page(page);
}

/*
 * What zap_pte_range() does to every PTE of the mapping, for the built-in eras (named
 * apart from the kernel's zap_pte_range(tlb, vma, pmd, addr, end, details), which a
 * tree given with --src runs: a whole tree's munmap still comes here).
 */
void zap_vma_ptes_model(struct vm_area_struct *vma)
{
	int i;

	for (i = 0; i < vma_nr_pages(vma); i++)
		zap_page_pte(vma, vma_page(vma, i));
}

/* mm/memory.c: unmap_mapping_range() over the whole file. */
void unmap_mapping_range(struct address_space *mapping, loff_t start, loff_t len, int even_cows)
{
	int i;

	for (i = 0; i < file_nr_vmas(mapping); i++)
		zap_vma_ptes_model(file_vma(mapping, i));
}

/*
 * mm/memory.c: handle_mm_fault() for a file page of a shared mapping, entered with the
 * mmap_lock held (common/arch-fault.c). The page-table walk is the model's: the page
 * is the one the setup mapped at that address.
 */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs)
{
	struct page *page = slot_page(vma, address);
	int write_access = (flags & FAULT_FLAG_WRITE) != 0;

	if (!pte_present(vma, page))
		return do_no_page(vma, page, write_access);
	if (write_access && !pte_writable(vma, page))
		return do_wp_page(vma, page);
	return 0;
}
