/**
 * Constants of the rmap walk and of unmapping whose values the code tests: the
 * page_vma_mapped_walk flags (include/linux/rmap.h, the same in 6.1 and 6.12) and the
 * mmu notifier events (include/linux/mmu_notifier.h, enum mmu_notifier_event order),
 * which only reach the notifier no-ops.
 */
import type { Value } from './program.js';

export const UNMAP_CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['PVMW_SYNC', 1 << 0],
  ['PVMW_MIGRATION', 1 << 1],
  ['MMU_NOTIFY_UNMAP', 0],
  ['MMU_NOTIFY_CLEAR', 1],
  ['MMU_NOTIFY_PROTECTION_VMA', 2],
  ['MMU_NOTIFY_PROTECTION_PAGE', 3],
  // include/linux/mm.h (6.1 and 6.12): zap_details.zap_flags
  ['ZAP_FLAG_DROP_MARKER', 1 << 0],
  // arch/x86/include/asm/tlbflush.h: (-1UL); a two's-complement -1 stands for the largest unsigned long
  ['TLB_FLUSH_ALL', -1],
  ['ULONG_MAX', -1],
  // arch/x86/include/asm/page_64_types.h: TASK_SIZE_MAX with 4-level paging, ((1UL << 47) - PAGE_SIZE)
  ['TASK_SIZE', 2 ** 47 - 4096],
  ['TASK_SIZE_MAX', 2 ** 47 - 4096],
  // mm/internal.h (6.12): folio_pte_batch() flags
  ['FPB_IGNORE_DIRTY', 1 << 0],
  ['FPB_IGNORE_SOFT_DIRTY', 1 << 1],
  // include/linux/mm.h: vm_flags bits the unmapping paths test
  ['VM_PFNMAP', 0x400],
  // arch/x86/include/asm/pgtable_types.h, include/linux/huge_mm.h: a PMD maps 2 MiB, order 9
  ['HPAGE_PMD_SHIFT', 21],
  ['HPAGE_PMD_ORDER', 9],
  ['HPAGE_PMD_SIZE', 2 ** 21],
  ['HPAGE_PMD_NR', 512],
  ['VM_HUGETLB', 0x400000],
  ['VM_MIXEDMAP', 0x10000000],
  ['VM_SEQ_READ', 0x8000],
  ['VM_RAND_READ', 0x10000],
]);
