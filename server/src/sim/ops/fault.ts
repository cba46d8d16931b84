/**
 * The fault side of a file mapping: a user's load through a PTE, and the one step in
 * which a fault installs a PTE for a page it found in the page cache. Installing is
 * where a fault that lost a race with invalidation maps an orphan: a page that is no
 * longer in its file's page cache (pte-maps-orphan), so the check is made there.
 */
import type { Value } from '../program.js';
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import { key } from '../world.js';
import { livePage, num, shownValue, vmaArg } from './args.js';
import { PTE_BITS, parsePteValue, pteValue, vmfId, type PteBit } from '../vm-fault.js';
import { pfnOf } from './rmap-walk.js';
import { addMapcount } from './mapcount.js';

function ptlHolder(c: StepContext, vma: string): Value {
  return c.get(key.lock(`${vma}.ptl`));
}

function ptlBusy(c: StepContext, vma: string): boolean {
  const holder = ptlHolder(c, vma);
  return holder !== null && holder !== c.tid;
}

/** The page a present PTE of `vma` maps, when that page is not (or no more) in the mapping's file. */
export function orphanMessage(vma: string, page: string, file: string, mapping: unknown, freed: unknown): string | undefined {
  if (freed) return `PTE ${vma}/${page} maps page ${page}, which was freed`;
  if (mapping !== `mapping:${file}`) return `PTE ${vma}/${page} maps page ${page}, which is not in ${file}'s page cache (page->mapping is ${mapping === null ? 'NULL' : String(mapping)})`;
  return undefined;
}

/** "ptep:U/P" or "pmd:U/P" → "U/P" */
function slotOf(v: Value, kind: 'ptep' | 'pmd'): string {
  if (typeof v === 'string' && v.startsWith(`${kind}:`)) return v.slice(kind.length + 1);
  throw new PrimitiveError(`expected a ${kind === 'ptep' ? 'PTE pointer' : 'pmd'}, got ${shownValue(v)}`);
}

function split(slot: string): [string, string] {
  const i = slot.indexOf('/');
  return [slot.slice(0, i), slot.slice(i + 1)];
}

/** The PTE word behind a pointer, now (one read of the word's bits). */
function readPte(c: StepContext, slot: string): string {
  const [vma, page] = split(slot);
  const bits = new Set<PteBit>(PTE_BITS.filter((b) => c.get(key.pte(vma, page, b))));
  return pteValue(slot, bits);
}

/** A PTE value given as a value, or as a pointer (`*ptep` reads as ptep): the word now. */
function pteOf(c: StepContext, v: Value): { slot: string; bits: Set<PteBit> } {
  if (typeof v === 'string' && v.startsWith('ptep:')) return parsePteValue(readPte(c, slotOf(v, 'ptep')))!;
  const parsed = parsePteValue(v);
  if (!parsed) throw new PrimitiveError(`expected a PTE value, got ${shownValue(v)}`);
  return parsed;
}

/**
 * A PTE value, never a pointer: the operations on values are local computation. A
 * pointer is read as the word only by the CPU holding the page-table lock (6.1's
 * `pte_dirty(*pte)` in page_vma_mkclean_one()): no other CPU changes the word then
 * (a store that walks the page table waits for the lock, ops/pte.ts), so the read is
 * the same at any point while the lock is held.
 */
function valueOnly(v: Value, name: string, c?: StepContext): { slot: string; bits: Set<PteBit> } {
  const parsed = parsePteValue(v);
  if (parsed) return parsed;
  if (c && typeof v === 'string' && v.startsWith('ptep:') && ptlHolder(c, split(slotOf(v, 'ptep'))[0]) === c.tid) {
    return parsePteValue(readPte(c, slotOf(v, 'ptep')))!;
  }
  if (typeof v === 'string' && v.startsWith('ptep:')) {
    throw new PrimitiveError(`${name}() of a PTE pointer (*ptep): the model reads a PTE word only through ptep_get(), pte_same() and pte_none()`);
  }
  throw new PrimitiveError(`expected a PTE value, got ${shownValue(v)}`);
}

/** A pure operation on a PTE value (pte_t arithmetic): no step. */
function valueOp(names: string[], doc: string, f: (p: { slot: string; bits: Set<PteBit> }, c: StepContext, args: Value[]) => Value): Primitive {
  return { names, doc, pure: true, run: (c, args) => f(valueOnly(args[0]!, names[0]!, c), c, args) };
}

function withBit(p: { slot: string; bits: Set<PteBit> }, bit: PteBit, on: boolean): string {
  const bits = new Set(p.bits);
  if (on) bits.add(bit); else bits.delete(bit);
  return pteValue(p.slot, bits);
}

/**
 * The paths of a write fault that no modeled mapping takes (a shared file mapping of
 * page-cache pages): a primitive each, so that the tree's bodies (the page allocator,
 * swap, userfaultfd, mmu notifiers behind them) are not followed, and a run that
 * reached one would stop with an error rather than run what it cannot.
 */
const OUTSIDE: readonly [string, string][] = [
  ['wp_page_copy', 'copy-on-write of a private mapping\'s page (a new page, mmu notifiers, the anon rmap)'],
  ['wp_pfn_shared', 'a write fault on a VM_PFNMAP/VM_MIXEDMAP mapping (->pfn_mkwrite)'],
  ['handle_userfault', 'a userfaultfd-registered range\'s fault (handed to the monitor)'],
  ['do_swap_page', 'a swap entry\'s fault'],
  ['do_numa_page', 'a NUMA-hinting fault'],
  ['do_anonymous_page', 'an anonymous mapping\'s first fault'],
  ['folio_free_swap', 'freeing an anonymous folio\'s swap slot'],
  ['page_move_anon_rmap', 'moving an anonymous page to this VMA\'s anon_vma'],
];

export const faultPrimitives: Primitive[] = [
  {
    names: ['vm_fault_of'],
    doc: 'the struct vm_fault on this CPU\'s stack for a fault on the page\'s slot in the mapping (vm-fault.ts)',
    pure: true, privateResult: true, resultKind: 'vmf',
    run: (c, [v, p]) => `vmf:${vmfId(vmaArg(c, v), livePage(c, p), c.tid)}`,
  },
  {
    names: ['pte_offset_map', 'pte_offset_kernel'],
    doc: 'the PTE pointer of the fault\'s slot, from its pmd (the page-table page is below the model)',
    pure: true,
    run: (_c, [pmd]) => `ptep:${slotOf(pmd, 'pmd')}`,
  },
  {
    names: ['pte_lockptr'],
    doc: 'the page-table lock of the pmd\'s page table: the mapping\'s',
    pure: true,
    run: (_c, [, pmd]) => `lock:${split(slotOf(pmd, 'pmd'))[0]}.ptl`,
  },
  {
    names: ['pte_offset_map_lock'],
    doc: 'the PTE pointer of the slot, with its page-table lock taken and stored through ptlp (a macro: pte_lockptr, pte_offset_map, spin_lock)',
    reads: ['page-table lock'], writes: ['page-table lock'], byRef: [3],
    blocks: (c, [, pmd]) => ptlBusy(c, split(slotOf(pmd, 'pmd'))[0]),
    run: (c, [, pmd]) => {
      const slot = slotOf(pmd, 'pmd');
      const lock = `${split(slot)[0]}.ptl`;
      c.set(key.lock(lock), c.tid);
      c.out(3, `lock:${lock}`);
      return `ptep:${slot}`;
    },
  },
  {
    names: ['pte_unmap_unlock'],
    doc: 'drops the page-table lock (pte_unmap is nothing on x86-64)',
    reads: ['page-table lock'], writes: ['page-table lock'],
    run: (c, [, l]) => {
      if (typeof l !== 'string' || !l.startsWith('lock:')) throw new PrimitiveError(`expected a lock, got ${shownValue(l)}`);
      c.set(key.lock(l.slice(5)), null);
      return 0;
    },
  },
  {
    names: ['ptep_get'],
    doc: 'reads the PTE word (READ_ONCE(*ptep))',
    reads: ['PTE'],
    run: (c, [ptep]) => readPte(c, slotOf(ptep, 'ptep')),
  },
  {
    names: ['pte_none'],
    doc: 'whether the PTE is empty (the model has no swap or migration entries: not present is none); a pointer argument is read now',
    reads: ['PTE'],
    run: (c, [v]) => (pteOf(c, v).bits.has('present') ? 0 : 1),
  },
  valueOp(['pte_write'], 'the PTE\'s write bit', (p) => (p.bits.has('writable') ? 1 : 0)),
  valueOp(['pte_dirty'], 'the PTE\'s dirty bit', (p) => (p.bits.has('dirty') ? 1 : 0)),
  valueOp(['pte_mkdirty'], 'the PTE value with its dirty bit set', (p) => withBit(p, 'dirty', true)),
  valueOp(['pte_mkclean'], 'the PTE value with its dirty bit clear', (p) => withBit(p, 'dirty', false)),
  valueOp(['pte_wrprotect'], 'the PTE value with its write bit clear', (p) => withBit(p, 'writable', false)),
  valueOp(['pte_mkwrite'], 'the PTE value with its write bit set', (p) => withBit(p, 'writable', true)),
  valueOp(['pte_mkyoung', 'pte_sw_mkyoung', 'pte_mkold'], 'the PTE value with its accessed bit changed (the model keeps no accessed bit: the value itself)', (p) => pteValue(p.slot, p.bits)),
  valueOp(['pte_pfn'], 'the page frame number of the page the PTE maps (folio_pfn() of that page, ops/rmap-walk.ts)', (p) => pfnOf(split(p.slot)[1])),
  {
    names: ['maybe_mkwrite'],
    doc: 'the PTE value made writable when the mapping has VM_WRITE (a shared writable mapping does)',
    pure: true,
    run: (c, [v, vma]) => {
      const p = valueOnly(v, 'maybe_mkwrite');
      const shared = c.layout.vmas.get(vmaArg(c, vma))!.shared;
      return shared ? withBit(p, 'writable', true) : pteValue(p.slot, p.bits);
    },
  },
  {
    names: ['pte_same'],
    doc: 'whether two PTE values are the same word (a pointer argument is read now: `*vmf->pte`)',
    reads: ['PTE'],
    run: (c, [a, b]) => (pteValue(pteOf(c, a).slot, pteOf(c, a).bits) === pteValue(pteOf(c, b).slot, pteOf(c, b).bits) ? 1 : 0),
  },
  {
    names: ['ptep_set_access_flags'],
    doc: 'under the page-table lock: sets the PTE to entry if that changes it (write and dirty bits can only be added); returns whether it changed',
    reads: ['page-table lock', 'PTE'], writes: ['PTE'],
    run: (c, [, , ptep, entry]) => {
      const slot = slotOf(ptep, 'ptep');
      const [vma, page] = split(slot);
      const now = parsePteValue(readPte(c, slot))!;
      const want = pteOf(c, entry);
      if (ptlHolder(c, vma) !== c.tid) throw new PrimitiveError(`ptep_set_access_flags(${slot}) without the page-table lock`);
      let changed = 0;
      for (const b of ['writable', 'dirty'] as const) {
        if (want.bits.has(b) && !now.bits.has(b)) { c.set(key.pte(vma, page, b), 1); changed = 1; }
      }
      return changed;
    },
  },
  {
    names: ['vm_normal_page'],
    doc: 'the struct page a present PTE value maps (the model\'s PTEs map their slot\'s page; no special or zero-page PTEs)',
    pure: true,
    run: (c, [, , v]) => {
      const p = valueOnly(v, 'vm_normal_page', c);
      if (!p.bits.has('present')) return null;
      return `page:${split(p.slot)[1]}`;
    },
  },
  {
    names: ['userfaultfd_pte_wp', 'userfaultfd_wp', 'userfaultfd_missing', 'uffd_disable_fault_around', 'pte_marker_uffd_wp', 'mm_tlb_flush_pending', 'pte_protnone', 'pte_special',
      'IS_SWAPFILE'],
    doc: 'userfaultfd write-protection, pending TLB flushes of NUMA/mprotect changes, special PTEs, a swap file (S_SWAPFILE, a macro on i_flags): none on the modeled mappings and files',
    pure: true,
    run: () => 0,
  },

  {
    names: ['pte_load'],
    doc: 'a user load of block n through the mapping: returns 1 when a present PTE maps the page (the CPU sets nothing), 0 when the load faults',
    reads: ['page-table lock', 'PTE present'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      return c.get(key.pte(vma, page, 'present')) ? 1 : 0;
    },
  },
  {
    names: ['pte_install'],
    doc: 'set_pte_at() of a fault with its page_add_file_rmap(): a PTE for the page (writable and dirty for a write fault) in an empty slot, and one more on the page\'s _mapcount; the reference the fault took at lookup becomes the mapping\'s. Returns 0 when the slot is no longer empty',
    reads: ['page-table lock', 'PTE present', 'page->mapping'], writes: ['PTE', 'page mapcount'],
    blocks: (c, [v]) => ptlBusy(c, vmaArg(c, v)),
    run: (c, [v, p, w]) => {
      const vma = vmaArg(c, v);
      const page = livePage(c, p);
      if (c.get(key.pte(vma, page, 'present'))) return 0;
      c.set(key.pte(vma, page, 'present'), 1);
      c.set(key.pte(vma, page, 'writable'), num(w) ? 1 : 0);
      c.set(key.pte(vma, page, 'dirty'), num(w) ? 1 : 0);
      addMapcount(c, page, 1);
      const file = c.layout.vmas.get(vma)!.file;
      const orphan = orphanMessage(vma, page, file, c.get(key.pageMapping(page)), c.get(key.pageFreed(page)));
      if (orphan) c.violate('pte-maps-orphan', orphan);
      return 1;
    },
  },
  ...OUTSIDE.map(([name, what]): Primitive => ({
    names: [name],
    doc: `${what}: outside the model; a run that reaches it stops with an error naming it`,
    pure: true,
    run: () => { throw new PrimitiveError(`${name}(): ${what} is outside the model (the scenarios map files shared; no anonymous, private, PFN or userfaultfd mappings)`); },
  })),
];
