/*
 * mm/memory.c, 6.1: the fault path of a shared file mapping, on struct vm_fault and
 * PTE words (sim/vm-fault.ts): handle_mm_fault() → handle_pte_fault() → do_wp_page()
 * → wp_page_shared() → do_page_mkwrite() (->page_mkwrite returns the page locked) →
 * finish_mkwrite_fault() → fault_dirty_shared_page(), which dirties the page before it
 * unlocks it. With --src, the tree's do_wp_page and what it calls run instead; the
 * page-table walk above handle_pte_fault() stays this model's.
 */

/*
 * handle_mm_fault() down to handle_pte_fault(), for one page of a shared mapping, under
 * the mmap_lock (common/arch-fault.c): the pgd/p4d/pud/pmd walk is this model's (vmf->pmd
 * names the slot's page table; with --src the tree's walk runs, ops/page-tables.ts). An
 * empty PTE is a fault on a missing page (do_no_page, below); a present read-only one
 * under a write is do_wp_page(), entered with the PTE lock held as handle_pte_fault()
 * does. The caller reads VM_FAULT_ERROR bits as failure, the rest (VM_FAULT_WRITE) as
 * success.
 */
int handle_mm_fault(struct vm_area_struct *vma, unsigned long address, unsigned int flags, struct pt_regs *regs)
{
	struct page *page = slot_page(vma, address);
	struct vm_fault *vmf;
	pte_t entry;
	int ret = 0;

	vmf = vm_fault_of(vma, page);
	vmf->flags = flags;
	vmf->page = NULL;
	vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
	vmf->orig_pte = ptep_get(vmf->pte);
	if (pte_none(vmf->orig_pte)) {
		vmf->pte = NULL;
		return do_no_page(vma, page, flags & FAULT_FLAG_WRITE);
	}
	vmf->ptl = pte_lockptr(vma->vm_mm, vmf->pmd);
	spin_lock(vmf->ptl);
	entry = vmf->orig_pte;
	if (unlikely(!pte_same(*vmf->pte, entry))) {
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	} else if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write(entry)) {
		ret = do_wp_page(vmf);	/* returns with the PTE lock dropped */
	} else {
		if (vmf->flags & FAULT_FLAG_WRITE)
			entry = pte_mkdirty(entry);
		entry = pte_mkyoung(entry);
		ptep_set_access_flags(vma, vmf->address, vmf->pte, entry, vmf->flags & FAULT_FLAG_WRITE);
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	}
	return ret;
}

static vm_fault_t do_page_mkwrite(struct vm_fault *vmf)
{
	vm_fault_t ret;
	struct page *page = vmf->page;
	unsigned int old_flags = vmf->flags;

	vmf->flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	/* Restore original flags so that caller is not surprised */
	vmf->flags = old_flags;
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;
	if (unlikely(!(ret & VM_FAULT_LOCKED))) {
		lock_page(page);
		if (!page->mapping) {
			unlock_page(page);
			return 0; /* retry */
		}
		ret |= VM_FAULT_LOCKED;
	} else {
		VM_BUG_ON_PAGE(!PageLocked(page), page);
	}
	return ret;
}

/* The page is locked; it is dirtied, then unlocked (79352894b285's order, kept since). */
static vm_fault_t fault_dirty_shared_page(struct vm_fault *vmf)
{
	struct page *page = vmf->page;

	set_page_dirty(page);
	unlock_page(page);
	/* file_update_time(), balance_dirty_pages_ratelimited(): not page state */
	return 0;
}

/* Makes the present PTE writable and dirty, then drops the PTE lock. */
static void wp_page_reuse(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry;

	entry = pte_mkyoung(vmf->orig_pte);
	entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	ptep_set_access_flags(vma, vmf->address, vmf->pte, entry, 1);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
}

/* After ->page_mkwrite, with the page locked: retake the PTE lock and recheck the PTE. */
static vm_fault_t finish_mkwrite_fault(struct vm_fault *vmf)
{
	vmf->pte = pte_offset_map_lock(vmf->vma->vm_mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (!pte_same(*vmf->pte, vmf->orig_pte)) {
		pte_unmap_unlock(vmf->pte, vmf->ptl);
		return VM_FAULT_NOPAGE;
	}
	wp_page_reuse(vmf);
	return 0;
}

static vm_fault_t wp_page_shared(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = VM_FAULT_WRITE;
	vm_fault_t tmp;

	get_page(vmf->page);
	if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
		pte_unmap_unlock(vmf->pte, vmf->ptl);
		tmp = do_page_mkwrite(vmf);
		if (unlikely(!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))) {
			put_page(vmf->page);
			return tmp;
		}
		tmp = finish_mkwrite_fault(vmf);
		if (unlikely(tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) {
			unlock_page(vmf->page);
			put_page(vmf->page);
			return tmp;
		}
	} else {
		wp_page_reuse(vmf);
		lock_page(vmf->page);
	}
	ret |= fault_dirty_shared_page(vmf);
	put_page(vmf->page);
	return ret;
}

/* A write to a present read-only PTE of a shared file mapping (no anonymous or CoW pages here). */
static vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	vmf->page = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	if (!vmf->page) {
		pte_unmap_unlock(vmf->pte, vmf->ptl);
		return VM_FAULT_SIGBUS;
	}
	if (vma->vm_flags & VM_SHARED)
		return wp_page_shared(vmf);
	/* a private mapping would copy the page (wp_page_copy): no scenario maps privately */
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return VM_FAULT_SIGBUS;
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

/*
 * mm/mmu_gather.c on SMP, from 6.2 (5df397dec7c4, "mm: delay page_remove_rmap() until
 * after the TLB has been flushed"): zap_pte_range() calls it after its TLB flush, under
 * the page-table lock, for the dirty file PTEs whose rmap removal it delayed. The
 * gather's batches of encoded page pointers are a list on its stack object
 * (sim/ops/zap.ts): the delayed pages come off it one at a time, and each removal is
 * folio_remove_rmap_ptes() (the tree's, when it defines it).
 */
void tlb_flush_rmaps(struct mmu_gather *tlb, struct vm_area_struct *vma)
{
	struct page *page;

	if (!tlb->delayed_rmap)
		return;
	while ((page = tlb_next_delayed_rmap(tlb)) != NULL)
		folio_remove_rmap_ptes(page_folio(page), page, 1, vma);
	tlb->delayed_rmap = 0;
}
