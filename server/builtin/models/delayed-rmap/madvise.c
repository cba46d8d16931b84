/*
 * 5df397dec7c4 ("mm: delay page_remove_rmap() until after the TLB has been flushed",
 * 6.2) over 6.1's zap_pte_range(): a dirty file PTE's rmap removal is delayed
 * (__tlb_remove_page_size with delay_rmap) until tlb_flush_rmaps(), which runs after
 * the forced TLB flush and before the page-table lock is dropped. A clean PTE's rmap
 * goes at once, as before.
 */
void zap_file_pte(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *pmd = pmd_offset(pud_offset(p4d_offset(pgd_offset(mm, addr), addr), addr), addr);
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	pte_t ptent = ptep_get(pte);
	struct page *page;
	int delay_rmap = 0;

	if (pte_none(ptent)) {
		pte_unmap_unlock(pte, ptl);
		return;
	}
	page = vm_normal_page(vma, addr, ptent);
	ptent = ptep_get_and_clear_full(mm, addr, pte, 0);
	if (pte_dirty(ptent)) {
		set_page_dirty(page);
		delay_rmap = 1;	/* tlb_delay_rmap(): force_flush too */
	}
	if (!delay_rmap)
		page_remove_rmap(page, vma, false);
	if (delay_rmap) {
		flush_tlb_mm_range(mm, addr, addr + PAGE_SIZE, PAGE_SHIFT, false);
		page_remove_rmap(page, vma, false);	/* tlb_flush_rmaps() */
	}
	pte_unmap_unlock(pte, ptl);
	put_page(page);
}
