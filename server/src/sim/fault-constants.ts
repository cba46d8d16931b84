/**
 * The fault path's constants, where their values matter to the code that tests them:
 * enum vm_fault_reason and enum fault_flag (include/linux/mm_types.h, the same values
 * in 6.1 and 6.12), and the 2.6 ->nopage return values.
 */
import type { Value } from './program.js';

const VM_FAULT = {
  VM_FAULT_OOM: 0x000001,
  VM_FAULT_SIGBUS: 0x000002,
  VM_FAULT_MAJOR: 0x000004,
  VM_FAULT_WRITE: 0x000008,
  VM_FAULT_HWPOISON: 0x000010,
  VM_FAULT_HWPOISON_LARGE: 0x000020,
  VM_FAULT_SIGSEGV: 0x000040,
  VM_FAULT_NOPAGE: 0x000100,
  VM_FAULT_LOCKED: 0x000200,
  VM_FAULT_RETRY: 0x000400,
  VM_FAULT_FALLBACK: 0x000800,
  VM_FAULT_DONE_COW: 0x001000,
  VM_FAULT_NEEDDSYNC: 0x002000,
  VM_FAULT_COMPLETED: 0x004000,
};

export const FAULT_CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ...Object.entries(VM_FAULT),
  // a #define over the enum: OOM | SIGBUS | SIGSEGV | HWPOISON | HWPOISON_LARGE | FALLBACK
  ['VM_FAULT_ERROR', 0x1 | 0x2 | 0x40 | 0x10 | 0x20 | 0x800],
  ['FAULT_FLAG_WRITE', 1 << 0],
  ['FAULT_FLAG_MKWRITE', 1 << 1],
  ['FAULT_FLAG_ALLOW_RETRY', 1 << 2],
  ['FAULT_FLAG_RETRY_NOWAIT', 1 << 3],
  ['FAULT_FLAG_KILLABLE', 1 << 4],
  ['FAULT_FLAG_TRIED', 1 << 5],
  ['FAULT_FLAG_USER', 1 << 6],
  ['FAULT_FLAG_REMOTE', 1 << 7],
  ['FAULT_FLAG_INSTRUCTION', 1 << 8],
  ['FAULT_FLAG_INTERRUPTIBLE', 1 << 9],
  ['FAULT_FLAG_UNSHARE', 1 << 10],
  ['FAULT_FLAG_ORIG_PTE_VALID', 1 << 11],
  // 6.4+ (the same value in 6.12): the fault holds the VMA's lock instead of the mmap_lock
  ['FAULT_FLAG_VMA_LOCK', 1 << 12],
  // vm_flags bits (include/linux/mm.h): objects.ts gives a shared mapping READ|WRITE|SHARED and their MAY bits
  ['VM_READ', 0x1],
  ['VM_WRITE', 0x2],
  ['VM_EXEC', 0x4],
  ['VM_MAYREAD', 0x10],
  ['VM_MAYWRITE', 0x20],
  ['VM_MAYSHARE', 0x80],
  // more vm_flags bits (include/linux/mm.h, 6.1 and 6.12), none set on a modeled mapping
  ['VM_PFNMAP', 0x400],
  ['VM_LOCKED', 0x2000],
  ['VM_SEQ_READ', 0x8000],
  ['VM_RAND_READ', 0x10000],
  ['VM_HUGETLB', 0x400000],
  ['VM_MIXEDMAP', 0x10000000],
  // 6.12, 64-bit: bit 40; above the 32 bits the simulator's masks compute on, so a test of it reads 0, as it would for these mappings
  ['VM_DROPPABLE', 2 ** 40],
  // include/linux/pagemap.h, 6.12: the folio-order fields of mapping->flags (0 for a modeled file: order 0)
  ['AS_FOLIO_ORDER_MIN', 16],
  ['AS_FOLIO_ORDER_MAX', 21],
  ['AS_FOLIO_ORDER_MIN_MASK', 31 << 16],
  ['AS_FOLIO_ORDER_MAX_MASK', 31 << 21],
  // mm/shmem.c's table: no modeled file is shmem (shmem_mapping() compares a_ops with it)
  ['shmem_aops', 'aops:shmem_aops'],
  // include/linux/mm.h, 2.6.22: what ->nopage returns instead of a page
  ['NOPAGE_SIGBUS', 0],
  ['NOPAGE_OOM', -1],
  ['PAGE_CACHE_SIZE', 4096],
]);
