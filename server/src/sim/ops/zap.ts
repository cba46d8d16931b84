/**
 * Below the tree's unmapping (unmap_mapping_range → ... → zap_pte_range): the page
 * table's upper levels as one trivial table per slot, the mmu_gather's batch of pages
 * waiting for the TLB flush, and the i_mmap tree's emptiness. The walk itself
 * (unmap_page_range → zap_p4d_range → zap_pud_range → zap_pmd_range → zap_pte_range)
 * and the gather's flush (tlb_flush_mmu → tlb_flush_mmu_tlbonly → tlb_flush) run from
 * the tree; what is here is what they stand on.
 *
 * The upper levels: `pgd_offset(mm, addr)` names the slot at addr ("pgd:U/P"), each
 * lower level's offset keeps the slot, and pmd_offset() gives the "pmd:U/P" the fault
 * path already uses, whose pte_offset_map_lock() is the slot's PTE word under the
 * mapping's page-table lock. Every slot has its tables (no level is none, bad or huge:
 * ops/page-tables.ts FIXED_TESTS).
 */
import type { Value } from '../program.js';
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import { PAGE_SIZE, key } from '../world.js';
import { num, shownValue } from './args.js';
import { pageAtAddress } from '../tlb.js';
import { arrayItems, arrayValue, EMPTY_ARRAY } from '../arrays.js';
import { stackObjectType } from '../stack-kinds.js';
import { add, free } from './refcount.js';
import { getAndClear } from './rmap-walk.js';
import { constantValue } from '../constants.js';

const LEVELS = ['pgd', 'p4d', 'pud', 'pmd'] as const;

/** x86-64 with 4-level paging (Debian's kernels boot 4-level on the modeled machine): the span of one entry of each level. */
const SPAN: Readonly<Record<string, number>> = { pgd: 2 ** 39, p4d: 2 ** 39, pud: 2 ** 30, pmd: 2 ** 21 };

/** The slot "U/P" behind a level's pointer or an mm and an address. */
function slotOfLevel(v: Value, level: string): string {
  if (typeof v === 'string' && v.startsWith(`${level}:`)) return v.slice(level.length + 1);
  throw new PrimitiveError(`expected a ${level}_t pointer, got ${shownValue(v)}`);
}

function tlbId(v: Value): string {
  if (typeof v === 'string' && v.startsWith('stk:') && stackObjectType(v.slice(4)) === 'mmu_gather') return v.slice(4);
  throw new PrimitiveError(`expected a struct mmu_gather, got ${shownValue(v)}`);
}

function gatherField(id: string, f: string): string {
  return key.field('stk', id, f);
}

/** The mapping an mm_struct is (each scenario mapping has its own mm, "mm:U"). */
function vmaOfMm(c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('mm:') && c.layout.vmas.has(v.slice(3))) return v.slice(3);
  throw new PrimitiveError(`expected an mm_struct, got ${shownValue(v)}`);
}

/** __tlb_reset_range(): an empty range (start TASK_SIZE, end 0), no level cleared. */
function resetRange(c: StepContext, id: string): void {
  c.set(gatherField(id, 'start'), constantValue('TASK_SIZE') as number);
  c.set(gatherField(id, 'end'), 0);
  for (const f of ['freed_tables', 'cleared_ptes', 'cleared_pmds', 'cleared_puds', 'cleared_p4ds']) c.set(gatherField(id, f), 0);
}

/** The gather records that the PTEs of [addr, addr + n pages) were cleared (__tlb_adjust_range, tlb_flush_pte_range). */
function recordPtes(c: StepContext, id: string, addr: number, n: number): void {
  c.set(gatherField(id, 'start'), Math.min(num(c.get(gatherField(id, 'start'))), addr));
  c.set(gatherField(id, 'end'), Math.max(num(c.get(gatherField(id, 'end'))), addr + n * PAGE_SIZE));
  c.set(gatherField(id, 'cleared_ptes'), 1);
}

/** The gather's own bookkeeping: fields of the CPU's mmu_gather alone (footprint-classes.ts 'own stack structure'). */
const GATHER = { reads: ['own stack structure'], writes: ['own stack structure'] } as const;

function batchPage(c: StepContext, id: string, page: Value): number {
  if (typeof page !== 'string' || !page.startsWith('page:')) throw new PrimitiveError(`expected a page, got ${shownValue(page)}`);
  const pages = arrayItems(c.get(gatherField(id, 'pages')) || EMPTY_ARRAY);
  c.set(gatherField(id, 'pages'), arrayValue([...pages, page]));
  // the batch is never full: the scenario's mappings have a few pages
  return 0;
}

export const zapPrimitives: Primitive[] = [
  {
    names: ['pgd_offset'],
    doc: 'the pgd entry of the mm for the address: the slot of the mapping at that address (the page-table pages are below the model)',
    pure: true,
    run: (c, [mm, addr]) => {
      const vma = vmaOfMm(c, mm);
      const page = pageAtAddress(c.layout, vma, num(addr));
      if (page === undefined) throw new PrimitiveError(`pgd_offset(${vma}, ${num(addr)}): no slot of the mapping at that address`);
      return `pgd:${vma}/${page}`;
    },
  },
  ...LEVELS.slice(1).map((level, i): Primitive => ({
    names: [`${level}_offset`],
    doc: `the ${level} entry under the ${LEVELS[i]} entry for the address: the same slot, one level down`,
    pure: true,
    run: (c, [upper, addr]) => {
      const [vma] = slotOfLevel(upper, LEVELS[i]!).split('/');
      const page = pageAtAddress(c.layout, vma!, num(addr));
      if (page === undefined) throw new PrimitiveError(`${level}_offset: no slot of ${vma} at ${num(addr)}`);
      return `${level}:${vma}/${page}`;
    },
  })),
  ...LEVELS.map((level): Primitive => ({
    names: [`${level}_addr_end`],
    doc: `where the ${level} entry covering addr ends, or end if sooner (a macro: the next ${level}-aligned boundary)`,
    pure: true,
    run: (_c, [addr, end]) => {
      const boundary = Math.floor((num(addr) + SPAN[level]!) / SPAN[level]!) * SPAN[level]!;
      return boundary - 1 < num(end) - 1 ? boundary : num(end);
    },
  })),
  {
    names: ['ptep_get_and_clear_full', 'get_and_clear_full_ptes'],
    doc: 'clears the PTE word and returns its old value (one PTE: the modeled folios are single pages); the caller\'s mmu_gather flushes the TLBs',
    reads: ['PTE'], writes: ['PTE'],
    run: (c, [, , ptep]) => getAndClear(c, ptep!),
  },
  {
    names: ['pte_young'],
    doc: 'the PTE\'s accessed bit: the model keeps none, so 0 (it only decides folio_mark_accessed(), LRU aging)',
    pure: true,
    run: () => 0,
  },
  {
    names: ['__tlb_gather_mmu'],
    doc: 'starts an mmu_gather on the CPU\'s stack for the mm: nothing cleared, an empty range and an empty batch of pages (the batch list, tlb->local and tlb->active, is the `pages` list)',
    ...GATHER,
    run: (c, [t, mm, full]) => {
      const id = tlbId(t);
      vmaOfMm(c, mm);
      c.set(gatherField(id, 'mm'), mm!);
      c.set(gatherField(id, 'fullmm'), num(full ?? 0) ? 1 : 0);
      c.set(gatherField(id, 'need_flush_all'), 0);
      c.set(gatherField(id, 'delayed_rmap'), 0);
      c.set(gatherField(id, 'batch_count'), 0);
      c.set(gatherField(id, 'page_size'), 0);
      c.set(gatherField(id, 'pages'), EMPTY_ARRAY);
      c.set(gatherField(id, 'delayed_pages'), EMPTY_ARRAY);
      resetRange(c, id);
      return 0;
    },
  },
  {
    names: ['tlb_remove_tlb_entry'],
    doc: 'records that the PTE at addr was cleared, so that the gather\'s flush covers it (a macro: tlb_flush_pte_range, __tlb_remove_tlb_entry)',
    ...GATHER,
    run: (c, [t, , addr]) => { recordPtes(c, tlbId(t), num(addr), 1); return 0; },
  },
  {
    names: ['tlb_remove_tlb_entries'],
    doc: 'records that nr PTEs from addr were cleared, so that the gather\'s flush covers them',
    ...GATHER,
    run: (c, [t, , nr, addr]) => { recordPtes(c, tlbId(t), num(addr), num(nr)); return 0; },
  },
  {
    names: ['__tlb_remove_page_size'],
    doc: 'puts the page in the gather\'s batch: its mapping reference is dropped after the TLB flush (tlb_batch_pages_flush); returns 0 (the batch has room)',
    ...GATHER,
    run: (c, [t, page]) => batchPage(c, tlbId(t), page!),
  },
  {
    names: ['__tlb_remove_folio_pages'],
    doc: 'puts the page in the gather\'s batch, its rmap removal delayed until after the flush when delay_rmap (the page encoded with ENCODED_PAGE_BIT_DELAY_RMAP: it also goes on the gather\'s list of delayed pages, which tlb_flush_rmaps() takes off); returns 0 (the batch has room)',
    ...GATHER,
    run: (c, [t, page, , delay]) => {
      const id = tlbId(t);
      if (num(delay ?? 0)) {
        c.set(gatherField(id, 'delayed_rmap'), 1);
        const delayed = arrayItems(c.get(gatherField(id, 'delayed_pages')) || EMPTY_ARRAY);
        c.set(gatherField(id, 'delayed_pages'), arrayValue([...delayed, page!]));
      }
      return batchPage(c, id, page!);
    },
  },
  {
    names: ['tlb_batch_pages_flush'],
    doc: 'after the flush: drops the mapping reference of every page in the gather\'s batch (free_pages_and_swap_cache → release_pages), freeing a page whose last reference it was; the batch is emptied',
    reads: ['page refcount'], writes: ['page refcount'],
    run: (c, [t]) => {
      const id = tlbId(t);
      for (const p of arrayItems(c.get(gatherField(id, 'pages')) || EMPTY_ARRAY)) {
        const page = String(p).slice(5);
        if (add(c, page, -1) === 0) free(c, page);
      }
      c.set(gatherField(id, 'pages'), EMPTY_ARRAY);
      return 0;
    },
  },
  {
    names: ['tlb_delay_rmap'],
    doc: 'include/asm-generic/tlb.h on SMP (6.5+, a macro): marks the gather as holding pages whose rmap removal waits for the TLB flush (tlb->delayed_rmap) and returns 1',
    ...GATHER,
    run: (c, [t]) => { c.set(gatherField(tlbId(t), 'delayed_rmap'), 1); return 1; },
  },
  {
    names: ['RB_EMPTY_ROOT'],
    doc: 'whether the file\'s i_mmap tree is empty: no mapping of the file is linked (a macro on &mapping->i_mmap.rb_root)',
    reads: ['i_mmap'],
    run: (c, [root]) => {
      if (typeof root !== 'string' || !root.startsWith('lock:') || !root.endsWith('.i_mmap')) throw new PrimitiveError(`RB_EMPTY_ROOT: expected a file's i_mmap tree, got ${shownValue(root)}`);
      const file = root.slice(5, -7);
      return [...c.layout.vmas.values()].some((v) => v.file === file && c.get(key.vmaLinked(v.id))) ? 0 : 1;
    },
  },
];
