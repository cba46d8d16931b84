/**
 * mm/gup.c's constants. The FOLL_* flags are 6.1's #defines (include/linux/mm.h); 6.12
 * renumbered them (enum in include/linux/mm_types.h, the internal ones in mm/internal.h),
 * and no code depends on their values, only on their being distinct bits, which these are.
 */
import type { Value } from './program.js';

export const GUP_CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['FOLL_WRITE', 0x01],
  ['FOLL_TOUCH', 0x02],
  ['FOLL_GET', 0x04],
  ['FOLL_DUMP', 0x08],
  ['FOLL_FORCE', 0x10],
  ['FOLL_NOWAIT', 0x20],
  ['FOLL_NOFAULT', 0x80],
  ['FOLL_HWPOISON', 0x100],
  ['FOLL_MIGRATION', 0x400],
  ['FOLL_TRIED', 0x800],
  ['FOLL_REMOTE', 0x2000],
  ['FOLL_ANON', 0x8000],
  ['FOLL_LONGTERM', 0x10000],
  ['FOLL_SPLIT_PMD', 0x20000],
  // FOLL_PIN (0x40000) is in constants.ts: the built-in gup.c of the eras tests it too
  ['FOLL_FAST_ONLY', 0x80000],
  ['FOLL_PCI_P2PDMA', 0x100000],
  ['FOLL_INTERRUPTIBLE', 0x200000],
  // 6.12 only (its enum)
  ['FOLL_HONOR_NUMA_FAULT', 0x400000],
  ['FOLL_MADV_POPULATE', 0x800000],
  ['FOLL_UNLOCKABLE', 0x1000000],
  // include/uapi/asm-generic/errno.h: what follow_page_mask() and faultin_page() return
  ['EMLINK', 31],
  ['EHWPOISON', 133],
  ['EOVERFLOW', 75],
  // include/linux/mm.h: vm_flags check_vma_flags() refuses
  ['VM_IO', 0x4000],
  // include/linux/sched/coredump.h: the bit of mm->flags mm_set_has_pinned_flag() sets (no fork reads it here)
  ['MMF_HAS_PINNED', 28],
  // include/asm-generic/page.h, arch/x86/include/asm/page_types.h: ~(PAGE_SIZE - 1)
  ['PAGE_MASK', -4096],
]);
