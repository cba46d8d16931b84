/**
 * Structures the kernel keeps on a function's stack and hands down by pointer: the
 * rmap walk's control block (`struct rmap_walk_control rwc = { .rmap_one = ... }`,
 * called back through `rwc->rmap_one`), a page_vma_mapped_walk cursor, an
 * mmu_notifier_range, an mmu_gather, zap_details. A local of one of these types is an
 * object on its CPU's stack, "stk:TYPE@T", whose fields are that CPU's own plain memory
 * (like a struct vm_fault, vm-fault.ts): no other CPU reads them, so their reads and
 * writes are local computation. One object per type and CPU: the kernel never has two
 * of one type live in one call chain on these paths (the declaration resets it).
 *
 * Kernel facts (the fields each structure has in 6.1 and 6.12), as data: a field that
 * is not listed is not a location, and a store to one stops the run naming it.
 */
import { ownTable } from './own-table.js';

export const STACK_STRUCTS: Readonly<Record<string, readonly string[]>> = ownTable({
  // include/linux/rmap.h
  rmap_walk_control: ['arg', 'try_lock', 'contended', 'rmap_one', 'done', 'anon_lock', 'invalid_vma'],
  page_vma_mapped_walk: ['pfn', 'nr_pages', 'pgoff', 'vma', 'address', 'pmd', 'pte', 'ptl', 'flags'],
  // include/linux/mmu_notifier.h (CONFIG_MMU_NOTIFIER)
  mmu_notifier_range: ['mm', 'start', 'end', 'flags', 'event', 'owner', 'vma'],
  // include/asm-generic/tlb.h: the gather's range and flush state; `pages` is the batch of
  // pages whose freeing waits for the flush (a list value, sim/tlb.ts)
  mmu_gather: ['mm', 'batch', 'start', 'end', 'fullmm', 'need_flush_all', 'freed_tables', 'delayed_rmap', 'cleared_ptes',
    'cleared_pmds', 'cleared_puds', 'cleared_p4ds', 'vma_exec', 'vma_huge', 'vma_pfn', 'unshared_tables', 'fully_unshared_tables',
    'batch_count', 'active', 'page_size', 'pages',
    // the pages of the batch whose rmap removal waits for the flush (ops/mapcount.ts tlb_next_delayed_rmap)
    'delayed_pages'],
  // mm/internal.h (6.1: zap_flags; 6.12: the same, plus single_folio)
  zap_details: ['even_cows', 'single_folio', 'single_page', 'check_mapping', 'zap_flags'],
  // not a kernel structure: a scalar local whose address is stored (lift/function.ts
  // escapingAddresses), `int cleaned` of folio_mkclean() read back after the walk
  int_cell: ['val'],
});

export function isStackStruct(type: string): boolean {
  return Object.hasOwn(STACK_STRUCTS, type);
}

/** `struct X name`, `struct X`, with qualifiers: the tag X, if it is one of the stack structures. */
export function stackStructOfType(typeText: string): string | undefined {
  const m = /^\s*(?:const\s+)?struct\s+(\w+)\s*$/.exec(typeText);
  return m && isStackStruct(m[1]!) ? m[1] : undefined;
}

export function stackObjectId(type: string, tid: string): string {
  return `${type}@${tid}`;
}

/** "rmap_walk_control@T" → "rmap_walk_control" */
export function stackObjectType(id: string): string {
  return id.slice(0, id.lastIndexOf('@'));
}

/**
 * Declaring macros: a statement `DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags)`
 * declares `struct page_vma_mapped_walk name = { .pfn = folio_pfn(folio), ... }`
 * (include/linux/rmap.h in 6.1 and 6.12). Each field is an argument, or a helper of one.
 */
export interface DeclaringMacro {
  type: string;
  fields: readonly { field: string; arg: number; via?: string }[];
}

export const DECLARING_MACROS: Readonly<Record<string, DeclaringMacro>> = ownTable({
  DEFINE_FOLIO_VMA_WALK: {
    type: 'page_vma_mapped_walk',
    fields: [
      { field: 'pfn', arg: 1, via: 'folio_pfn' }, { field: 'nr_pages', arg: 1, via: 'folio_nr_pages' },
      { field: 'pgoff', arg: 1, via: 'folio_pgoff' }, { field: 'vma', arg: 2 }, { field: 'address', arg: 3 },
      { field: 'flags', arg: 4 },
    ],
  },
  // 6.1 only (6.12 has the folio form alone)
  DEFINE_PAGE_VMA_WALK: {
    type: 'page_vma_mapped_walk',
    fields: [
      { field: 'pfn', arg: 1, via: 'page_to_pfn' }, { field: 'nr_pages', arg: 1, via: 'compound_nr' },
      { field: 'pgoff', arg: 1, via: 'page_to_pgoff' }, { field: 'vma', arg: 2 }, { field: 'address', arg: 3 },
      { field: 'flags', arg: 4 },
    ],
  },
});
