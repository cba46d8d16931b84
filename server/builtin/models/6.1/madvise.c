/*
 * mm/madvise.c and mm/memory.c, 6.1: MADV_DONTNEED of a file mapping for the built-in
 * era, madvise_dontneed_single_vma() → zap_page_range_single() → unmap_page_range() →
 * ... → zap_pte_range() (a tree given with --src runs its own chain down to the PTE).
 * The upper page-table levels are the model's one trivial table per slot
 * (sim/ops/zap.ts); the mmu_gather's batch is the page in hand.
 */

/*
 * zap_pte_range() on one present PTE of a file page, in 6.1's order: under the
 * page-table lock the PTE is cleared, a dirty PTE's bit moved to the page with
 * force_flush set, and the rmap removed at once (page_remove_rmap()); only then does
 * the forced flush (tlb_flush_mmu_tlbonly()) empty the CPUs' cached entries, before the
 * lock is dropped. The batch's reference goes after the lock (tlb_flush_mmu()).
 */
void zap_file_pte(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	pmd_t *pmd = pmd_offset(pud_offset(p4d_offset(pgd_offset(mm, addr), addr), addr), addr);
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	pte_t ptent = ptep_get(pte);
	struct page *page;
	int force_flush = 0;

	if (pte_none(ptent)) {
		pte_unmap_unlock(pte, ptl);
		return;
	}
	page = vm_normal_page(vma, addr, ptent);
	ptent = ptep_get_and_clear_full(mm, addr, pte, 0);
	if (pte_dirty(ptent)) {
		force_flush = 1;
		set_page_dirty(page);
	}
	page_remove_rmap(page, vma, false);
	/* Do the actual TLB flush before dropping ptl */
	if (force_flush)
		flush_tlb_mm_range(mm, addr, addr + PAGE_SIZE, PAGE_SHIFT, false);
	pte_unmap_unlock(pte, ptl);
	put_page(page);
}

long madvise_dontneed_single_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE)
		zap_file_pte(vma, addr);
	/* tlb_finish_mmu(): the flush of the range no forced flush covered */
	flush_tlb_mm_range(vma->vm_mm, start, end, PAGE_SHIFT, false);
	return 0;
}
