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
]);
