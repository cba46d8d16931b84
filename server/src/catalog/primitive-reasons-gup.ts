/**
 * Why the primitives under mm/gup.c stand for the tree's definitions (sim/ops/gup.ts);
 * primitive-reasons.ts reads them with its own.
 */
import type { PrimitiveReason } from './primitive-reasons.js';

export const GUP_PRIMITIVE_REASONS: readonly PrimitiveReason[] = [
  {
    names: ['gup_pgd_range', 'gup_fast_pgd_range'],
    why: 'fast GUP\'s lockless walk of the page tables with interrupts off (gup_p4d_range … gup_pte_range, ptep_get_lockless, try_grab_folio and the PTE recheck) is one step over the PTE words: it grabs each page whose PTE is present, and writable under FOLL_WRITE, and stops at the first it cannot use, which the slow path (__get_user_pages, from the tree) then faults in',
  },
  {
    names: ['vma_lookup', 'find_vma'],
    why: 'the mm\'s VMAs are a maple tree in 6.1 and 6.12; in the model each mapping is an mm of its own, so the lookup by address is the scenario\'s mapping of that mm while it is linked (munmap unlinks it) and the address is inside it',
  },
  {
    names: ['down_read_killable', 'down_write_killable'],
    why: 'the model\'s rwsems are taken exclusively as plain locks (ops/locks.ts); the killable form returns -EINTR when SIGKILL is pending instead of sleeping, the rwsem\'s wait list and optimistic spinning are below the model',
  },
  {
    names: ['pud_val', 'p4d_val', 'pgd_val', '__hugepd', 'pgd_huge', 'p4d_huge', 'pud_huge', 'pmd_huge', 'is_hugepd'],
    why: 'an upper-level entry of the model is a pointer named after its slot with no bits (x86\'s paravirt pud_val reads pud.pud): never huge, never a hugepd (ops/page-tables.ts)',
  },
  {
    names: ['untagged_addr', 'untagged_addr_remote', 'access_ok'],
    why: 'the scenario\'s user addresses carry no tag bits (x86 LAM unused) and lie in user space, below TASK_SIZE_MAX',
  },
  {
    names: ['arch_atomic64_inc', 'raw_atomic64_inc', 'arch_atomic64_dec_and_test', 'raw_atomic64_dec_and_test'],
    why: 'atomic_long_t on x86-64 is the atomic64 inline asm, which the lifter does not read: the counter is a location like an atomic_t\'s (a file\'s f_count, get_file/fput)',
  },
];
