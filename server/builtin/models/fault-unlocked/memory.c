/*
 * The fix reverted on 2.6.23's fault path: __do_fault() unlocks the page ->fault
 * returned locked before it takes the PTE lock and maps it, as 2.6.22's do_no_page()
 * held no page lock there. Invalidation can then take the page out of the cache
 * between the unlock and set_pte_at().
 */
static int __do_fault(struct vm_area_struct *vma, struct page *slot, pgoff_t pgoff, unsigned int flags)
{
	struct page *page;
	int ret = 0;

	page = filemap_fault(vma, pgoff, &ret);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;
	unlock_page(page);	/* the revert: the page is not kept locked */

	spin_lock(&vma->ptl);
	if (likely(!pte_present(vma, slot))) {
		pte_install(vma, page, flags & FAULT_FLAG_WRITE);
		spin_unlock(&vma->ptl);
		return 0;
	}
	spin_unlock(&vma->ptl);
	page_cache_release(page);
	return 0;
}
