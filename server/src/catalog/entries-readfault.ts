/**
 * Catalog entries of the fault entry and the read fault as the whole trees run them
 * (issue 16, item 1): handle_mm_fault() → __handle_mm_fault() → handle_pte_fault() →
 * do_fault() → do_read_fault()/do_shared_fault() → __do_fault() → ->fault =
 * filemap_fault() → finish_fault() → do_set_pte()/set_pte_range(), over struct vm_fault,
 * one-entry page-table levels (sim/ops/page-tables.ts) and PTE words.
 */
import type { CatalogEntry } from './catalog-entry.js';

const FVI = { commit: 'd00806b18315', version: '2.6.23' };

export const READFAULT_ENTRIES: readonly CatalogEntry[] = [
  {
    id: '__handle_mm_fault', names: ['__handle_mm_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'Builds the fault\'s struct vm_fault on its stack (vma, address, pgoff, flags), walks pgd → p4d → pud → pmd (allocating levels, huge pud/pmd faults) and hands the PTE level to handle_pte_fault(). In the model the levels are one entry each and never huge (sim/ops/page-tables.ts).',
    reads: ['vma->vm_flags'], writes: [], history: [],
  },
  {
    id: 'handle_pte_fault', names: ['handle_pte_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'Reads the PTE (vmf->orig_pte; *vmf->pte in 6.1, ptep_get_lockless in 6.12): an empty one is a missing page (do_fault for a file mapping; do_pte_missing in 6.12), a present one is rechecked under the PTE lock (pte_same) and either write-faulted (do_wp_page) or made young/dirty (ptep_set_access_flags).',
    reads: ['PTE', 'page-table lock'], writes: ['PTE writable/dirty', 'page-table lock'], history: [],
  },
  {
    id: 'do_fault', names: ['do_fault', 'do_pte_missing'], file: 'mm/memory.c', kind: 'model',
    description: 'The missing-page fault of a file mapping: a read to do_read_fault(), a write to a shared mapping to do_shared_fault(), to a private one to do_cow_fault() (no modeled mapping is private). A mapping without ->fault gets SIGBUS.',
    reads: ['vma->vm_ops', 'vma->vm_flags'], writes: [], history: [],
  },
  {
    id: 'do_read_fault', names: ['do_read_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'A read fault on a file page: fault-around first (off in the model), then __do_fault() → ->fault, which returns the page locked; finish_fault() maps it, and only then is it unlocked. Keeping the page locked until its PTE is set is what excludes invalidation (d00806b18315).',
    reads: ['PG_locked'], writes: ['PTE', 'PG_locked', 'page refcount'],
    history: [{ ...FVI, what: 'the page stays locked from ->fault until the PTE is set: invalidate_inode_pages2() either sees it mapped or removes it before the lookup.' }],
  },
  {
    id: 'do_shared_fault', names: ['do_shared_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'A write fault on a missing page of a shared file mapping: ->fault returns it locked; with ->page_mkwrite it is unlocked, handed to do_page_mkwrite() and comes back locked; finish_fault() maps it writable and dirty, and fault_dirty_shared_page() dirties and unlocks it.',
    reads: ['PG_locked', 'vma->vm_ops'], writes: ['PTE', 'PG_dirty', 'PG_locked'], history: [],
  },
  {
    id: 'filemap_fault', names: ['filemap_fault'], file: 'mm/filemap.c', kind: 'model',
    description: 'The page cache\'s ->fault: looks the folio up (filemap_get_folio), locks it (lock_folio_maybe_drop_mmap: the mmap_lock may be dropped for the wait when the fault may retry), rechecks under the lock that it is still this file\'s (folio->mapping) and uptodate, checks i_size, and returns it locked (VM_FAULT_LOCKED). A folio not cached is read in through readahead and a new folio, a stated boundary (the model allocates none: VM_FAULT_OOM).',
    reads: ['page->mapping', 'PG_uptodate', 'PG_locked', 'i_size'], writes: ['PG_locked', 'page refcount'],
    history: [
      { ...FVI, what: 'the ->fault method replaced ->nopage; the page found is locked and rechecked against truncation and invalidation before it is returned locked.' },
    ],
  },
  {
    id: 'lock_folio_maybe_drop_mmap', names: ['lock_folio_maybe_drop_mmap'], file: 'mm/filemap.c', kind: 'model',
    description: 'filemap_fault()\'s lock of the folio (lock_page_maybe_drop_mmap before the folio conversion; the release of the rename is not confirmed here): a trylock, else (when the fault may retry) the mmap_lock is dropped around a killable wait and the fault retried; without FAULT_FLAG_ALLOW_RETRY, as the harness\'s faults, it sleeps on the lock in place.',
    reads: ['PG_locked'], writes: ['PG_locked'], history: [],
  },
  {
    id: 'finish_fault', names: ['finish_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'Maps the locked page ->fault returned: takes the PTE lock, rechecks that the PTE is still what the fault saw (vmf_pte_changed) and sets it (do_set_pte; set_pte_range in 6.12), or returns VM_FAULT_NOPAGE. It does not look at page->mapping: the page lock held since filemap_fault() is what keeps it in the file.',
    reads: ['PTE', 'page-table lock'], writes: ['PTE', 'page-table lock'],
    history: [{ version: '5.11', what: 'Kirill Shutemov, "mm: Cleanup faultaround and finish_fault() codepaths": alloc_set_pte() split up, finish_fault() takes the PTE lock itself.' }],
  },
  {
    id: 'do_set_pte', names: ['do_set_pte', 'set_pte_range'], file: 'mm/memory.c', kind: 'model',
    description: 'Builds the new PTE (mk_pte with vm_page_prot; young; dirty and writable for a write fault), adds the file rmap (the mapcount) and sets it with set_pte_at() (set_ptes() for nr pages in set_pte_range, which replaced do_set_pte() between 6.1 and 6.12 to map large folios; release not confirmed).',
    reads: ['vma->vm_flags'], writes: ['PTE', 'mapcount'], history: [],
  },
  {
    id: 'vmf_pte_changed', names: ['vmf_pte_changed'], file: 'mm/memory.c', kind: 'model',
    description: 'Under the PTE lock: whether the PTE differs from vmf->orig_pte (when the fault read one) or is no longer empty, i.e. whether another fault or an unmap got there first.',
    reads: ['PTE'], writes: [], history: [],
  },
  {
    id: 'set_pte_at', names: ['set_pte_at', 'set_ptes', 'set_pte'], file: 'arch/x86/include/asm/pgtable.h', kind: 'primitive',
    description: 'Writes a PTE word under the page-table lock (6.12: set_pte_at is a macro over set_ptes(..., 1)). A present PTE for a page no longer in its file\'s page cache is an orphan mapping (pte-maps-orphan).',
    reads: ['page-table lock', 'page->mapping'], writes: ['PTE'], history: [],
  },
  {
    id: 'pgd_offset', names: ['pgd_offset', 'p4d_alloc', 'pud_alloc', 'pmd_alloc', 'p4d_offset', 'pud_offset', 'pmd_offset'], file: 'include/linux/pgtable.h', kind: 'primitive',
    description: 'The page-table walk above the PTE: each level\'s entry for an address. In the model each mapping is an mm of its own with one-entry levels populated at setup, named after the page\'s slot; nothing is allocated.',
    reads: [], writes: [], history: [],
  },
];
