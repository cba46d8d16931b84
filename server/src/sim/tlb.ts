/**
 * Each CPU's cached translations, as data. A CPU that stored through a present,
 * writable PTE caches the translation writable and dirty (x86 sets the PTE's dirty bit
 * on the first write through an entry, then writes through the entry alone): its later
 * stores to that page go through the entry without looking at the PTE, until a flush
 * removes it. So a store can land after the PTE was cleaned or cleared, in exactly the
 * window between the PTE change and the flush that the kernel allows.
 *
 * One location per mapped slot, "tlb:U/P": the CPUs holding a writable entry for it, as
 * a sorted comma list ("" for none). Loads are not cached (a load takes no fault once
 * the PTE is present, and carries no data in the model).
 */
import type { Layout } from './layout.js';
import type { StepContext } from './primitive.js';
import type { Value } from './program.js';
import { key } from './world.js';
import { slotAddress, slotPage } from './vm-fault.js';

function holders(v: Value): string[] {
  return typeof v === 'string' && v !== '' ? v.split(',') : [];
}

export function tlbHolds(c: StepContext, vma: string, page: string): boolean {
  return holders(c.get(key.tlb(vma, page))).includes(c.tid);
}

/** This CPU caches the slot's translation writable (a store went through the PTE). */
export function tlbFill(c: StepContext, vma: string, page: string): void {
  const k = key.tlb(vma, page);
  const now = holders(c.get(k));
  if (!now.includes(c.tid)) c.set(k, [...now, c.tid].sort().join(','));
}

/** Every CPU's entry for the slot is gone (flush_tlb_page's shootdown: it returns once all CPUs flushed). */
export function tlbFlush(c: StepContext, vma: string, page: string): void {
  const k = key.tlb(vma, page);
  if (c.get(k) !== '') c.set(k, '');
}

/** The page in the mapping's slot at a user address, or undefined past its pages. */
export function pageAtAddress(layout: Layout, vma: string, address: number): string | undefined {
  return slotPage(layout, vma, address);
}

/** The pages of the mapping's slots in [start, end). */
export function pagesInRange(layout: Layout, vma: string, start: number, end: number): string[] {
  const info = layout.vmas.get(vma);
  if (!info) return [];
  return info.pages.filter((p) => {
    const a = slotAddress(layout, vma, p);
    return a >= start && a < end;
  });
}
