/*
 * mm/gup.c, 6.1: the end of a FOLL_PIN pin that wrote into the pages. The pinner
 * (an RDMA or io_uring fixed-buffer receive, a process_vm_writev target) dirties each
 * page through its filesystem unless it is already dirty, then drops the pin: one pin
 * of a small folio is GUP_PIN_COUNTING_BIAS references (gup_put_folio).
 * The scenarios' folios are single pages, so gup_folio_next() steps one page at a time.
 */
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty)
{
	unsigned long i;

	for (i = 0; i < npages; i++) {
		struct folio *folio = page_folio(pages[i]);

		/*
		 * Checking PG_dirty without the folio lock may race with
		 * folio_clear_dirty_for_io(); the kernel accepts that (see its comment).
		 */
		if (make_dirty && !folio_test_dirty(folio)) {
			folio_lock(folio);
			folio_mark_dirty(folio);
			folio_unlock(folio);
		}
		gup_put_folio(folio, 1, FOLL_PIN);
	}
}

void gup_put_folio(struct folio *folio, int refs, unsigned int flags)
{
	if (flags & FOLL_PIN)
		refs *= GUP_PIN_COUNTING_BIAS;
	folio_put_refs(folio, refs);
}

void folio_put_refs(struct folio *folio, int refs)
{
	if (folio_ref_sub_and_test(folio, refs))
		__folio_put(folio);
}

/*
 * The pin itself, 6.1: pin_user_pages_fast(FOLL_WRITE) of one page of a shared file
 * mapping. The lockless walk (gup_pgd_range(): one simulator step over the PTE words,
 * sim/ops/gup.ts) takes each page whose PTE is present and, for FOLL_WRITE, writable;
 * what it leaves goes the slow way under the mmap_lock: the VMA is looked up, the PTE
 * is followed (follow_page_mask() down to follow_page_pte(): the model's tables have no
 * huge entries), and a PTE that cannot be used is faulted in (faultin_page() →
 * handle_mm_fault(), this era's) and followed again. The fault is entered without
 * FAULT_FLAG_ALLOW_RETRY: this era's fault models never drop the mmap_lock, so
 * __get_user_pages_locked()'s retry loop would never turn and is left out.
 */
int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags, struct page **pages)
{
	/* FOLL_GET and FOLL_PIN are mutually exclusive. */
	if (WARN_ON_ONCE(gup_flags & FOLL_GET))
		return -EINVAL;
	gup_flags |= FOLL_PIN;
	return internal_get_user_pages_fast(start, nr_pages, gup_flags, pages);
}

static int internal_get_user_pages_fast(unsigned long start, unsigned long nr_pages, unsigned int gup_flags, struct page **pages)
{
	unsigned long end = start + (nr_pages << PAGE_SHIFT);
	int nr_pinned = 0;
	int ret;

	gup_pgd_range(start, end, gup_flags, pages, &nr_pinned);	/* local_irq_save() around it */
	if (nr_pinned == nr_pages || gup_flags & FOLL_FAST_ONLY)
		return nr_pinned;

	/* Slow path: try to get the remaining pages with get_user_pages */
	start += nr_pinned << PAGE_SHIFT;
	pages += nr_pinned;
	ret = get_user_pages_unlocked(start, nr_pages - nr_pinned, pages, gup_flags);
	if (ret < 0) {
		/* Have to be a bit careful with return values */
		if (nr_pinned)
			return nr_pinned;
		return ret;
	}
	return ret + nr_pinned;
}

long get_user_pages_unlocked(unsigned long start, unsigned long nr_pages, struct page **pages, unsigned int gup_flags)
{
	struct mm_struct *mm = current->mm;
	long ret;

	down_read(&mm->mmap_lock);	/* mmap_read_lock() */
	ret = __get_user_pages(mm, start, nr_pages, gup_flags | FOLL_TOUCH, pages);
	up_read(&mm->mmap_lock);	/* mmap_read_unlock() */
	return ret;
}

static long __get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages, unsigned int gup_flags, struct page **pages)
{
	long ret = 0, i = 0;
	struct vm_area_struct *vma = NULL;

	if (!nr_pages)
		return 0;
	do {
		struct page *page;
		unsigned int foll_flags = gup_flags;

		if (!vma || start >= vma->vm_end) {
			vma = vma_lookup(mm, start);
			if (!vma) {
				ret = -EFAULT;
				goto out;
			}
			ret = check_vma_flags(vma, gup_flags);
			if (ret)
				goto out;
		}
retry:
		if (fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out;
		}
		page = follow_page_pte(vma, start, foll_flags);
		if (!page) {
			ret = faultin_page(vma, start, &foll_flags);
			if (!ret)
				goto retry;
			goto out;
		}
		pages[i] = page;
		i++;
		start += PAGE_SIZE;
		nr_pages--;
	} while (nr_pages);
out:
	return i ? i : ret;
}

static int check_vma_flags(struct vm_area_struct *vma, unsigned long gup_flags)
{
	vm_flags_t vm_flags = vma->vm_flags;

	if (vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if ((gup_flags & FOLL_WRITE) && !(vm_flags & VM_WRITE))
		return -EFAULT;
	return 0;
}

/*
 * follow_page_pte() under the PTE lock: no page for a missing PTE, nor for a read-only
 * one under FOLL_WRITE (can_follow_write_pte(): the caller faults it writable first);
 * otherwise the pin is taken while the PTE is held.
 */
static struct page *follow_page_pte(struct vm_area_struct *vma, unsigned long address, unsigned int flags)
{
	struct page *page = slot_page(vma, address);

	spin_lock(&vma->ptl);	/* pte_offset_map_lock() */
	if (!pte_present(vma, page))
		goto no_page;
	if ((flags & FOLL_WRITE) && !pte_writable(vma, page))
		goto no_page;
	if (unlikely(!try_grab_page(page, flags))) {
		spin_unlock(&vma->ptl);
		return ERR_PTR(-ENOMEM);
	}
	spin_unlock(&vma->ptl);
	return page;
no_page:
	spin_unlock(&vma->ptl);
	return NULL;
}

/* A small folio's pin is GUP_PIN_COUNTING_BIAS references (a large one counts in _pincount). */
bool try_grab_page(struct page *page, unsigned int flags)
{
	struct folio *folio = page_folio(page);

	if (WARN_ON_ONCE(folio_ref_count(folio) <= 0))
		return false;
	if (flags & FOLL_GET)
		folio_ref_inc(folio);
	else if (flags & FOLL_PIN)
		folio_ref_add(folio, GUP_PIN_COUNTING_BIAS);
	return true;
}

static int faultin_page(struct vm_area_struct *vma, unsigned long address, unsigned int *flags)
{
	unsigned int fault_flags = 0;
	vm_fault_t ret;

	if (*flags & FOLL_WRITE)
		fault_flags |= FAULT_FLAG_WRITE;
	ret = handle_mm_fault(vma, address, fault_flags, NULL);
	if (ret & VM_FAULT_ERROR) {
		/* vm_fault_to_errno() */
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		return -EFAULT;
	}
	return 0;
}
