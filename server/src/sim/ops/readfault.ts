/**
 * The stated boundaries of the read fault and of the fault entry: what the tree's
 * handle_mm_fault() → __handle_mm_fault() → handle_pte_fault() → do_fault() →
 * do_read_fault()/do_shared_fault() → __do_fault() → ->fault (filemap_fault) →
 * finish_fault() calls that a shared mapping of page-cache pages in the model does not
 * follow. Two kinds: an optimisation the model turns off (fault-around, readahead),
 * which returns what the kernel returns when it does nothing; and a path no modeled
 * mapping takes (huge pages, copy-on-write, page-table allocation), which stops a run
 * that reaches it with an error naming it, so that its body (the page allocator, THP,
 * hugetlbfs) is not lifted and never counted as run.
 */
import { PrimitiveError, type Primitive } from '../primitive.js';

const NOT_TAKEN: readonly [string, string][] = [
  ['do_cow_fault', 'a write fault on a private file mapping (a copy in a new anonymous page)'],
  ['create_huge_pmd', 'a huge-page fault at the pmd level (THP)'],
  ['create_huge_pud', 'a huge-page fault at the pud level'],
  ['wp_huge_pmd', 'a write fault on a huge pmd'],
  ['wp_huge_pud', 'a write fault on a huge pud'],
  ['do_huge_pmd_numa_page', 'a NUMA-hinting fault on a huge pmd'],
  ['huge_pmd_set_accessed', 'an access to a huge pmd'],
  ['huge_pud_set_accessed', 'an access to a huge pud'],
  ['hugetlb_fault', 'a fault on a hugetlbfs mapping'],
  ['do_set_pmd', 'mapping a large folio with one pmd'],
  ['pte_alloc_one', 'allocating a PTE table (the model\'s tables exist from the mapping\'s creation)'],
  ['__pte_alloc', 'allocating a PTE table (the model\'s tables exist from the mapping\'s creation)'],
  ['pmd_install', 'installing a new PTE table (the model\'s tables exist from the mapping\'s creation)'],
  ['pmd_migration_entry_wait', 'waiting on a pmd migration entry (no huge pages)'],
  ['do_pte_missing_anon', 'an anonymous mapping\'s first fault'],
  ['do_fault_around', 'fault-around (->map_pages), which the model turns off (should_fault_around)'],
];

export const readFaultPrimitives: Primitive[] = [
  {
    names: ['PageHWPoison', 'folio_test_hwpoison', 'folio_contain_hwpoisoned_page'],
    doc: 'false: no modeled page is poisoned (memory failure, mm/memory-failure.c, is outside the model)',
    pure: true,
    // a constant of the modeled system: the futures skip the poisoned-page paths
    constant: () => 0,
    run: () => 0,
  },
  {
    names: ['should_fault_around'],
    doc: 'false: fault-around is off in the model, as with fault_around_bytes set to PAGE_SIZE (debugfs); ->map_pages (filemap_map_pages: a lockless xarray walk mapping whatever is cached and uptodate around the address) is not followed, and the fault proper maps the page',
    pure: true,
    // what the run always gets: the futures follow its branches that way (known-values.ts)
    constant: () => 0,
    run: () => 0,
  },
  {
    names: ['do_async_mmap_readahead', 'do_sync_mmap_readahead'],
    doc: 'readahead for a mapping, a stated boundary: returns NULL (the mmap_lock kept): the modeled folios carry no PG_readahead and the file no readahead window, and readahead would allocate new folios, which the model cannot (filemap_alloc_folio fails)',
    pure: true,
    // filemap_fault()'s fpin stays NULL: its fput() is no part of a fault's future
    constant: () => null,
    run: () => null,
  },
  ...NOT_TAKEN.map(([name, what]): Primitive => ({
    names: [name],
    doc: `${what}: a path no modeled mapping takes; a run that reaches it stops with an error naming it`,
    pure: true, outOfModel: true,
    run: () => { throw new PrimitiveError(`${name}(): ${what} is outside the model (single-page folios of shared file mappings, page tables populated at setup)`); },
  })),
];

