/**
 * struct vm_fault and the page-table entries a fault works on, as values. A fault on
 * page P of mapping U by thread T has its vm_fault on T's stack, "vmf:U/P@T": its
 * fixed part (vma, address, pgoff, pmd) is read off the id, its other fields (flags,
 * pte, orig_pte, ptl, page) are T's own plain memory. A PTE pointer is "ptep:U/P" and
 * `*ptep` reads as the pointer (lift/expr.ts): the PTE primitives (ops/fault.ts) read
 * the word behind a pointer when they are given one, so `pte_same(*vmf->pte,
 * vmf->orig_pte)` compares the PTE now with the value read earlier. A PTE value is
 * "ptev:U/P:" and its bits, p(resent) w(ritable) d(irty).
 */
import type { Layout } from './layout.js';
import type { Value } from './program.js';
import { PAGE_SIZE } from './world.js';

export function vmfId(vma: string, page: string, tid: string): string {
  return `${vma}/${page}@${tid}`;
}

/** "U/P@T" → ["U", "P"] */
export function vmfSlot(id: string): [string, string] {
  const at = id.lastIndexOf('@');
  const slot = at < 0 ? id : id.slice(0, at);
  const slash = slot.indexOf('/');
  return [slot.slice(0, slash), slot.slice(slash + 1)];
}

/**
 * Where every mapping starts in its process: below 2^31, so that the kernel's masks
 * (`address & PAGE_MASK`) compute on it as 32-bit integers do (compile.ts); each mapping
 * has a process (an mm) of its own.
 */
export const SLOT_BASE = 0x40000000;

/** The user address of page `page` in mapping `vma`: its slot, one page each, from an aligned start. */
export function slotAddress(layout: Layout, vma: string, page: string): number {
  const i = layout.vmas.get(vma)?.pages.indexOf(page) ?? 0;
  return SLOT_BASE + i * PAGE_SIZE;
}

/** The page whose slot in mapping `vma` holds user address `address`; undefined outside the mapping. */
export function slotPage(layout: Layout, vma: string, address: number): string | undefined {
  const i = Math.floor((address - SLOT_BASE) / PAGE_SIZE);
  return layout.vmas.get(vma)?.pages[i];
}

/** The fixed fields of a vm_fault; undefined for the others (plain memory). */
export function vmfField(layout: Layout, id: string, field: string): Value | undefined {
  const [vma, page] = vmfSlot(id);
  switch (field) {
    case 'vma': return `vma:${vma}`;
    case 'address': case 'real_address': return slotAddress(layout, vma, page);
    case 'pgoff': return layout.pages.get(page)?.index ?? 0;
    case 'pmd': return `pmd:${vma}/${page}`;
    // GFP_KERNEL | __GFP_FS | __GFP_IO (mapping_gfp_mask of a regular file): what allocations would ask
    case 'gfp_mask': return 0xcc0;
    default: return undefined;
  }
}

export const PTE_BITS = ['present', 'writable', 'dirty'] as const;
export type PteBit = (typeof PTE_BITS)[number];

export function pteValue(slot: string, bits: ReadonlySet<PteBit>): string {
  return `ptev:${slot}:${bits.has('present') ? 'p' : ''}${bits.has('writable') ? 'w' : ''}${bits.has('dirty') ? 'd' : ''}`;
}

/** "ptev:U/P:pw" → { slot: "U/P", bits } */
export function parsePteValue(v: Value): { slot: string; bits: Set<PteBit> } | undefined {
  if (typeof v !== 'string' || !v.startsWith('ptev:')) return undefined;
  const rest = v.slice(5);
  const colon = rest.lastIndexOf(':');
  const letters = rest.slice(colon + 1);
  const bits = new Set<PteBit>();
  if (letters.includes('p')) bits.add('present');
  if (letters.includes('w')) bits.add('writable');
  if (letters.includes('d')) bits.add('dirty');
  return { slot: rest.slice(0, colon), bits };
}
