/*
 * The simulator's harness, continued: a user's load through a mapping. Not kernel
 * code: the CPU reads through a present PTE without the kernel, and takes a read
 * fault when there is none.
 */

/*
 * A user load from block n of the page's slot in the mapping. The slot is named by
 * the page the setup maps there: the fault looks the page up again in the file's page
 * cache at that index, and maps whatever it finds. Loads carry no data in the model,
 * so the load ends after one fault: the CPU's retry, which may fault again if the PTE
 * was zapped meanwhile, adds nothing but an unbounded fault/unmap alternation.
 */
void load(struct vm_area_struct *vma, struct page *page, int n)
{
	if (!pte_load(vma, page, n))
		user_fault(vma, page, 0);
}
