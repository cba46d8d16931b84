/**
 * Why the primitives of the fault entry, the page-table walk and the read fault stand
 * for the tree's definitions (sim/ops/page-tables.ts, sim/ops/readfault.ts);
 * primitive-reasons.ts reads them with its own.
 */
import type { PrimitiveReason } from './primitive-reasons.js';

export const FAULT_PRIMITIVE_REASONS: readonly PrimitiveReason[] = [
  {
    names: ['p4d_alloc', 'pud_alloc', 'pmd_alloc', 'pte_offset_map_nolock', 'mk_pte', 'vm_fault_on_stack'],
    why: 'the page-table levels above the PTE are trivial data: each mapping is an mm of its own whose pgd, p4d, pud and pmd are one entry each, populated with the mapping, so a walk is a chain of pointers named after the page\'s slot (the offsets by address: primitive-reasons.ts); x86\'s 4/5-level folding, the table pages and their allocation are below the model (sim/ops/page-tables.ts)',
  },
  {
    names: ['pud_none', 'pmd_none', 'p4d_none', 'pgd_none', 'pud_bad', 'pmd_bad', 'p4d_bad', 'pgd_bad', 'pmd_present', 'pud_present', 'p4d_present', 'pgd_present',
      'pud_trans_huge', 'pud_devmap', 'pmd_trans_huge', 'pmd_devmap', 'pmd_leaf', 'pud_leaf', 'is_swap_pmd', 'pmd_protnone', 'pud_trans_unstable', 'pmd_trans_unstable',
      'pmd_devmap_trans_unstable', 'is_pmd_migration_entry'],
    why: 'tests of an upper-level entry, whose answer is fixed for the model\'s tables: populated, never huge, device, swap, migration or NUMA-hinting (single-page folios mapped by PTEs)',
  },
  {
    names: ['hugepage_vma_check', 'thp_vma_allowable_order', 'thp_vma_allowable_orders', '__thp_vma_allowable_orders', 'is_vm_hugetlb_page', 'vma_is_dax',
      'arch_wants_old_prefaulted_pte', 'vma_is_anon_shmem', 'userfaultfd_armed', 'vmf_orig_pte_uffd_wp', 'arch_vma_access_permitted'],
    why: 'questions about the mapping whose answer is fixed for the modeled mappings: regular files\' page cache, no THP, hugetlbfs or DAX, no userfaultfd, the default protection key, x86\'s young prefaulted PTEs',
  },
  {
    names: ['is_zone_device_page', 'folio_is_zone_device', 'is_huge_zero_page'],
    why: 'page_zonenum() reads the zone bits of page->flags, which the model does not keep: its folios are page-cache pages of regular files in ordinary memory, never ZONE_DEVICE memory (whose freeing goes to the device\'s pagemap) nor the huge zero page',
  },
  {
    names: ['ptep_get_lockless'],
    why: 'include/linux/pgtable.h: on x86-64 a PTE is one word and the lockless read is ptep_get(): one step reading the PTE word',
  },
  {
    names: ['set_pte_at', 'set_ptes', 'set_pte'],
    why: 'x86\'s native_set_pte() of the new PTE value (set_ptes for nr pages: the model\'s folios are single pages; paravirt and page_table_check below the model): one step writing the PTE word\'s present, write and dirty bits, under the page-table lock, where a fault that lost a race with invalidation maps an orphan (pte-maps-orphan)',
  },
  {
    names: ['DIV_ROUND_UP', '__KERNEL_DIV_ROUND_UP', 'in_range', 'round_down', 'FGF_GET_ORDER'],
    why: 'include/linux/math.h and pagemap.h arithmetic macros, which the lifter does not read as #defines: the same arithmetic, as local computation',
  },
  {
    names: ['ERR_PTR', 'ERR_CAST', 'IS_ERR', 'IS_ERR_VALUE', 'PTR_ERR', 'PTR_ERR_OR_ZERO'],
    why: 'include/linux/err.h\'s error pointers are casts between a pointer and an errno in the top 4095 addresses; the model\'s pointers are object names, so an error pointer is a value of its own ("err:-2") that IS_ERR()/PTR_ERR() recognise and NULL is not (6.12\'s __filemap_get_folio() returns ERR_PTR(-ENOENT) to the read fault)',
  },
  {
    names: ['PageHWPoison', 'folio_test_hwpoison', 'folio_contain_hwpoisoned_page'],
    why: 'PG_hwpoison is set only by memory-failure handling (mm/memory-failure.c), which no scenario runs: never set on a modeled page',
  },
  {
    names: ['should_fault_around', 'do_async_mmap_readahead', 'do_sync_mmap_readahead'],
    why: 'optimisations of the read fault that the model turns off, a stated boundary: fault-around (->map_pages = filemap_map_pages, a lockless xarray walk mapping neighbours) as with fault_around_bytes = PAGE_SIZE, and mmap readahead, which would allocate new folios (the model\'s are set up before the CPUs start): each returns what the kernel returns when it does nothing',
  },
  {
    names: ['do_cow_fault', 'create_huge_pmd', 'create_huge_pud', 'wp_huge_pmd', 'wp_huge_pud', 'do_huge_pmd_numa_page', 'huge_pmd_set_accessed', 'huge_pud_set_accessed',
      'hugetlb_fault', 'do_set_pmd', 'pte_alloc_one', '__pte_alloc', 'pmd_install', 'pmd_migration_entry_wait', 'do_pte_missing_anon', 'do_fault_around'],
    why: 'paths of a fault that no modeled mapping takes (copy-on-write of a private mapping, huge pages at the pmd and pud levels, hugetlbfs, page-table allocation): the primitive stops a run that reaches one with an error naming it, so that their bodies (the page allocator, THP, memcg charging) are not lifted',
  },
];
