/**
 * The rmap walk's data and the per-PTE steps below the tree's folio_mkclean(): the
 * file's i_mmap tree as the scenario's mappings of the file, a page_vma_mapped_walk
 * cursor on the walking CPU's stack (sim/stack-kinds.ts), PTE words changed by
 * set_pte_at()/ptep_get_and_clear(), and the TLB flushes (sim/tlb.ts).
 */
import type { Value } from '../program.js';
import { orphanMessage } from './fault.js';
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import { PAGE_SIZE, key } from '../world.js';
import { lockArg, num, shownValue, vmaArg } from './args.js';
import { PTE_BITS, parsePteValue, pteValue, type PteBit } from '../vm-fault.js';
import { PER_TYPE_STRUCTS, stackObjectId, stackObjectType } from '../stack-kinds.js';
import { pageAtAddress, pagesInRange, tlbFlush } from '../tlb.js';
import { constantValue } from '../constants.js';

/** The page frame number the model gives a page: the same for pte_pfn() and folio_pfn(). */
export function pfnOf(page: string): number {
  return 1 + [...page].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 65521, 0);
}

/** The file whose i_mmap tree `root` is: `&mapping->i_mmap` reads as the tree's lock, "lock:F.i_mmap". */
function fileOfRoot(c: StepContext, root: Value): string {
  if (typeof root === 'string' && root.startsWith('lock:') && root.endsWith('.i_mmap')) {
    const file = root.slice(5, -7);
    if (c.layout.files.has(file)) return file;
  }
  throw new PrimitiveError(`expected a file's i_mmap tree (&mapping->i_mmap), got ${shownValue(root)}`);
}

/** A pgoff_t held in two's-complement form: a negative number stands for 2^64 + v (ULONG_MAX is -1). */
function unsignedIndex(v: number): number {
  return v < 0 ? 2 ** 64 + v : v;
}

/** The file's mappings still in its i_mmap tree whose pages [vm_pgoff, vm_pgoff + n) meet [start, last]. */
function treeVmas(c: StepContext, file: string, startArg: number, lastArg: number): string[] {
  const start = unsignedIndex(startArg);
  const last = unsignedIndex(lastArg);
  return [...c.layout.vmas.values()].filter((v) => {
    if (v.file !== file || !c.get(key.vmaLinked(v.id))) return false;
    const first = c.layout.pages.get(v.pages[0] ?? '')?.index ?? 0;
    return first <= last && first + v.pages.length - 1 >= start;
  }).map((v) => v.id);
}

function pvmwId(v: Value): string {
  if (typeof v === 'string' && v.startsWith('stk:') && stackObjectType(v.slice(4)) === 'page_vma_mapped_walk') return v.slice(4);
  throw new PrimitiveError(`expected a struct page_vma_mapped_walk, got ${shownValue(v)}`);
}

function ptlBusy(c: StepContext, vma: string): boolean {
  const holder = c.get(key.lock(`${vma}.ptl`));
  return holder !== null && holder !== c.tid;
}

/** The slot behind a PTE pointer "ptep:U/P". */
function ptepSlot(v: Value): [string, string] {
  if (typeof v === 'string' && v.startsWith('ptep:')) {
    const slot = v.slice(5);
    const i = slot.indexOf('/');
    return [slot.slice(0, i), slot.slice(i + 1)];
  }
  throw new PrimitiveError(`expected a PTE pointer, got ${shownValue(v)}`);
}

/** The mapping a struct mm_struct is: each scenario mapping has its own mm ("mm:U"). */
function vmaOfMm(c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('mm:') && c.layout.vmas.has(v.slice(3))) return v.slice(3);
  throw new PrimitiveError(`expected an mm_struct, got ${shownValue(v)}`);
}

/** Where the walk stands: its mapping, its page's slot at pvmw->address, and whether the PTE maps pvmw->pfn. */
function walkAt(c: StepContext, id: string): { vma: string; page: string | undefined; maps: boolean; sync: boolean } {
  const get = (f: string): Value => c.get(key.field('stk', id, f));
  const vma = vmaArg(c, get('vma'));
  const page = pageAtAddress(c.layout, vma, num(get('address')));
  const maps = page !== undefined && !!c.get(key.pte(vma, page, 'present')) && pfnOf(page) === num(get('pfn'));
  return { vma, page, maps, sync: (num(get('flags')) & (constantValue('PVMW_SYNC') as number)) !== 0 };
}

export const rmapWalkPrimitives: Primitive[] = [
  {
    names: ['down_read_trylock', 'down_write_trylock', 'i_mmap_trylock_read', 'i_mmap_trylock_write'],
    doc: 'takes the reader-writer lock if it is free and returns 1, else returns 0 at once (taken exclusively, as the model\'s rwsems are)',
    reads: ['lock'], writes: ['lock'],
    run: (c, [l]) => {
      const k = key.lock(lockArg(l));
      if (c.get(k) !== null) return 0;
      c.set(k, c.tid);
      return 1;
    },
  },
  {
    names: ['stack_struct'],
    doc: 'the address of a structure on this CPU\'s stack (the lifter\'s form of a local `struct rmap_walk_control rwc`, sim/stack-kinds.ts)',
    pure: true, resultKind: 'stk',
    run: (c, [n]) => {
      const type = PER_TYPE_STRUCTS[num(n)];
      if (type === undefined) throw new PrimitiveError(`no stack structure number ${shownValue(n)}`);
      return `stk:${stackObjectId(type, c.tid)}`;
    },
  },
  {
    names: ['vma_interval_tree_iter_first'],
    doc: 'the first mapping in the file\'s i_mmap tree over the page range [start, last] (the scenario\'s mappings of the file, in order), or NULL',
    reads: ['i_mmap'],
    run: (c, [root, start, last]) => {
      const [first] = treeVmas(c, fileOfRoot(c, root), num(start), num(last));
      return first ? `vma:${first}` : null;
    },
  },
  {
    names: ['vma_interval_tree_iter_next'],
    doc: 'the mapping after vma in its file\'s i_mmap tree over [start, last], or NULL',
    reads: ['i_mmap'],
    run: (c, [v, start, last]) => {
      const vma = vmaArg(c, v);
      const all = treeVmas(c, c.layout.vmas.get(vma)!.file, num(start), num(last));
      const order = [...c.layout.vmas.keys()];
      const next = all.find((u) => order.indexOf(u) > order.indexOf(vma));
      return next ? `vma:${next}` : null;
    },
  },
  {
    names: ['page_vma_mapped_walk'],
    doc: 'one step of the walk over the PTEs of pvmw->vma that map pvmw->pfn (mm/page_vma_mapped.c, a stated boundary: the page-table levels are below the model): the first call takes the page-table lock and returns 1 with pvmw->pte set and the lock held when the slot at pvmw->address maps the page, else drops it and returns 0; the next call (pvmw->pte set) moves past the one-page folio, drops the lock and returns 0. Without PVMW_SYNC an absent PTE is passed without the lock',
    reads: ['page-table lock', 'PTE present'], writes: ['page-table lock'],
    blocks: (c, [p]) => {
      const id = pvmwId(p);
      if (c.get(key.field('stk', id, 'pte'))) return false;
      const w = walkAt(c, id);
      return (w.sync || (w.page !== undefined && !!c.get(key.pte(w.vma, w.page, 'present')))) && ptlBusy(c, w.vma);
    },
    run: (c, [p]) => {
      const id = pvmwId(p);
      const f = (name: string): string => key.field('stk', id, name);
      const address = num(c.get(f('address')));
      if (c.get(f('pte'))) {
        // next_pte: past the folio's last page → not_found() → page_vma_mapped_walk_done()
        c.set(f('address'), address + PAGE_SIZE);
        const ptl = c.get(f('ptl'));
        if (typeof ptl === 'string' && ptl.startsWith('lock:')) {
          if (c.get(key.lock(ptl.slice(5))) !== c.tid) throw new PrimitiveError(`page_vma_mapped_walk: ${c.tid} does not hold ${ptl.slice(5)}`);
          c.set(key.lock(ptl.slice(5)), null);
        }
        return 0;
      }
      const w = walkAt(c, id);
      if (!w.maps || w.page === undefined) {
        c.set(f('address'), address + PAGE_SIZE);
        return 0;
      }
      c.set(key.lock(`${w.vma}.ptl`), c.tid);
      c.set(f('pte'), `ptep:${w.vma}/${w.page}`);
      c.set(f('pmd'), `pmd:${w.vma}/${w.page}`);
      c.set(f('ptl'), `lock:${w.vma}.ptl`);
      return 1;
    },
  },
  {
    names: ['folio_pfn', 'page_to_pfn'],
    doc: 'the page frame number of the page (the model numbers its pages; pte_pfn() of a PTE mapping it gives the same)',
    pure: true,
    run: (_c, [p]) => {
      if (typeof p === 'string' && p.startsWith('page:')) return pfnOf(p.slice(5));
      throw new PrimitiveError(`expected a page or folio, got ${shownValue(p)}`);
    },
  },
  {
    names: ['pte_accessible'],
    doc: 'whether a CPU may have cached the PTE value\'s translation: its present bit (no PROT_NONE NUMA entries in the model)',
    pure: true,
    run: (_c, [, v]) => {
      const p = parsePteValue(v);
      if (!p) throw new PrimitiveError(`expected a PTE value, got ${shownValue(v)}`);
      return p.bits.has('present') ? 1 : 0;
    },
  },
  {
    names: ['set_pte_at', 'set_ptes', 'set_pte'],
    doc: 'under the page-table lock, writes the PTE value into the word (present, write and dirty bits; set_ptes\' nr is 1: single pages); a CPU\'s cached entry is not touched: a change that takes rights away is flushed by its caller. A present PTE for a page that is no longer in its file\'s page cache maps an orphan (pte-maps-orphan)',
    reads: ['page-table lock', 'PTE', 'page->mapping'], writes: ['PTE'],
    run: (c, args) => {
      const [ptep, v] = args.length >= 4 ? [args[2], args[3]] : [args[0], args[1]];
      const [vma, page] = ptepSlot(ptep);
      const p = parsePteValue(v);
      if (!p) throw new PrimitiveError(`set_pte_at(): expected a PTE value, got ${shownValue(v)}`);
      if (c.get(key.lock(`${vma}.ptl`)) !== c.tid) throw new PrimitiveError(`set_pte_at(${vma}/${page}) without the page-table lock`);
      for (const b of PTE_BITS) c.set(key.pte(vma, page, b), p.bits.has(b) ? 1 : 0);
      if (p.bits.has('present')) {
        const orphan = orphanMessage(vma, page, c.layout.vmas.get(vma)!.file, c.get(key.pageMapping(page)), c.get(key.pageFreed(page)));
        if (orphan) c.violate('pte-maps-orphan', orphan);
      }
      return 0;
    },
  },
  {
    names: ['flush_tlb_page'],
    doc: 'every CPU\'s cached translation of the page at the address in the mapping is gone when it returns (x86: flush_tlb_mm_range() with its IPIs)',
    writes: ['TLB'],
    run: (c, [v, addr]) => {
      const vma = vmaArg(c, v);
      const page = pageAtAddress(c.layout, vma, num(addr));
      if (page !== undefined) tlbFlush(c, vma, page);
      return 0;
    },
  },
  {
    names: ['flush_tlb_range'],
    doc: 'every CPU\'s cached translations of the mapping\'s pages in [start, end) are gone when it returns',
    writes: ['TLB'],
    run: (c, [v, start, end]) => {
      const vma = vmaArg(c, v);
      for (const page of pagesInRange(c.layout, vma, num(start), num(end))) tlbFlush(c, vma, page);
      return 0;
    },
  },
  {
    names: ['flush_tlb_mm_range'],
    doc: 'every CPU\'s cached translations of the mm\'s pages in [start, end) are gone when it returns (arch/x86/mm/tlb.c: the local flush and the IPIs to the CPUs in mm_cpumask)',
    writes: ['TLB'],
    run: (c, [mm, start, end]) => {
      const vma = vmaOfMm(c, mm);
      for (const page of pagesInRange(c.layout, vma, num(start), num(end))) tlbFlush(c, vma, page);
      return 0;
    },
  },
];

/** The PTE word behind a pointer, now, as a value; then cleared (the kernel form of ptep_get_and_clear). */
export function getAndClear(c: StepContext, ptep: Value): string {
  const [vma, page] = ptepSlot(ptep);
  const bits = new Set<PteBit>(PTE_BITS.filter((b) => c.get(key.pte(vma, page, b))));
  for (const b of PTE_BITS) if (bits.has(b)) c.set(key.pte(vma, page, b), 0);
  return pteValue(`${vma}/${page}`, bits);
}
