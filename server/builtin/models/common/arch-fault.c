/*
 * The simulator's harness, continued: a user access that finds no usable PTE enters
 * the kernel as arch/x86/mm/fault.c's do_user_addr_fault() does: under the mmap_lock
 * (read), the VMA looked up (find_vma: the mapping must still exist, else SIGSEGV), then
 * handle_mm_fault(vma, address, flags, regs) — the era's, or the tree's with --src —
 * with FAULT_FLAG_USER and FAULT_FLAG_WRITE for a store. The flags leave out
 * FAULT_FLAG_ALLOW_RETRY/KILLABLE, as a GUP fault without a `locked` pointer does: the
 * fault then sleeps on a locked folio where it is (__folio_lock) instead of dropping the
 * mmap_lock and returning VM_FAULT_RETRY, which would only replay the same fault.
 * Returns 0 when the access can be retried, -EFAULT when it gets a signal.
 */
int user_fault(struct vm_area_struct *vma, struct page *page, unsigned int flags)
{
	unsigned long address = vma_slot_address(vma, page);
	vm_fault_t fault;

	flags |= FAULT_FLAG_USER;
	down_read(&vma->vm_mm->mmap_lock);	/* mmap_read_lock() */
	if (!vma_linked(vma)) {
		/* find_vma() finds nothing: the access gets SIGSEGV */
		up_read(&vma->vm_mm->mmap_lock);
		return -EFAULT;
	}
	fault = handle_mm_fault(vma, address, flags, NULL);
	up_read(&vma->vm_mm->mmap_lock);	/* mmap_read_unlock() */
	if (fault & VM_FAULT_ERROR)
		return -EFAULT;
	return 0;
}
