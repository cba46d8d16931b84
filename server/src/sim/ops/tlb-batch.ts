/**
 * Reclaim's batched TLB flush as data (CONFIG_ARCH_WANT_BATCHED_UNMAP_TLB_FLUSH, x86):
 * try_to_unmap_one() under TTU_BATCH_FLUSH clears a PTE without flushing and records
 * the mm in the reclaiming task's current->tlb_ubc (set_tlb_ubc_flush_pending); the
 * CPUs keep their cached entries until try_to_unmap_flush() (before the folio is
 * freed) or try_to_unmap_flush_dirty() (before a dirty folio is written), or until an
 * unmapping of the same mm runs flush_tlb_batched_pending() under its page-table lock.
 *
 * Locations: "ubc:T.mms" (the mappings whose mm the task's batch holds, a sorted comma
 * list), "ubc:T.writable" (tlb_ubc->writable: a dirty PTE was cleared), and
 * "ubc:mm/U.batched" (mm->tlb_flush_batched: a batch of this mm may be unflushed).
 * The x86 batch is a cpumask flushed whole (arch_tlbbatch_flush → flush_tlb_multi with
 * a full flush): every CPU's entries of the batch's mms go.
 */
import { PrimitiveError, type Primitive, type StepContext } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { num, shownValue } from './args.js';
import { tlbFlush } from '../tlb.js';
import { parsePteValue } from '../vm-fault.js';
import { constantValue } from '../constants.js';

function mmOf(c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('mm:') && c.layout.vmas.has(v.slice(3))) return v.slice(3);
  throw new PrimitiveError(`expected an mm_struct, got ${shownValue(v)}`);
}

function list(v: Value): string[] {
  return typeof v === 'string' && v !== '' ? v.split(',') : [];
}

/** Every CPU's cached entries of the mapping's pages are gone (a full flush of the mm on the CPUs that ran it). */
function flushMm(c: StepContext, vma: string): void {
  for (const page of c.layout.vmas.get(vma)!.pages) tlbFlush(c, vma, page);
}

/** arch_tlbbatch_flush(&current->tlb_ubc.arch), then flush_required and writable cleared. */
function flushBatch(c: StepContext): void {
  const mms = list(c.get(key.tlbBatch(c.tid, 'mms')));
  for (const vma of mms) flushMm(c, vma);
  if (mms.length) c.set(key.tlbBatch(c.tid, 'mms'), '');
  if (c.get(key.tlbBatch(c.tid, 'writable'))) c.set(key.tlbBatch(c.tid, 'writable'), 0);
}

const BATCH = { reads: ['TLB batch'], writes: ['TLB batch', 'TLB'] } as const;

export const tlbBatchPrimitives: Primitive[] = [
  {
    names: ['should_defer_flush', 'arch_tlbbatch_should_defer'],
    doc: 'whether the unmapping may leave its TLB flush to the batch: with TTU_BATCH_FLUSH (should_defer_flush\'s flags; arch_tlbbatch_should_defer takes only the mm), when another CPU is in the mm\'s cpumask, which the scenario\'s user CPUs are (each mapping\'s mm is theirs): so yes',
    pure: true,
    run: (_c, [, flags]) => (flags === undefined ? 1 : (num(flags) & (constantValue('TTU_BATCH_FLUSH') as number)) !== 0 ? 1 : 0),
  },
  {
    names: ['set_tlb_ubc_flush_pending'],
    doc: 'records the mm in the task\'s batch (arch_tlbbatch_add_mm/_add_pending), flush_required, writable when the cleared PTE was dirty (6.1: the bool; 6.12: the PTE value, nothing for an inaccessible one), and mm->tlb_flush_batched',
    ...BATCH,
    run: (c, args) => {
      const vma = mmOf(c, args[0]!);
      let writable: boolean;
      if (args.length >= 3) {
        const p = parsePteValue(args[1]!);
        if (!p) throw new PrimitiveError(`set_tlb_ubc_flush_pending(): expected a PTE value, got ${shownValue(args[1]!)}`);
        if (!p.bits.has('present')) return 0;
        writable = p.bits.has('dirty');
      } else {
        writable = num(args[1] ?? 0) !== 0;
      }
      const mms = list(c.get(key.tlbBatch(c.tid, 'mms')));
      if (!mms.includes(vma)) c.set(key.tlbBatch(c.tid, 'mms'), [...mms, vma].sort().join(','));
      if (writable) c.set(key.tlbBatch(c.tid, 'writable'), 1);
      c.set(key.mmTlbBatched(vma), 1);
      return 0;
    },
  },
  {
    names: ['try_to_unmap_flush'],
    doc: 'flushes what the task\'s batch holds (arch_tlbbatch_flush: every CPU\'s entries of its mms) and clears it; nothing when no flush is required',
    ...BATCH,
    run: (c) => { flushBatch(c); return 0; },
  },
  {
    names: ['try_to_unmap_flush_dirty'],
    doc: 'try_to_unmap_flush() when the batch may hold a writable entry (a dirty PTE was cleared without its flush), before reclaim writes a folio',
    ...BATCH,
    run: (c) => { if (c.get(key.tlbBatch(c.tid, 'writable'))) flushBatch(c); return 0; },
  },
  {
    names: ['flush_tlb_batched_pending'],
    doc: 'under the page-table lock of an unmapping or protection change: if a reclaim batch of this mm may be unflushed (mm->tlb_flush_batched), flushes the whole mm on every CPU and clears the mark',
    reads: ['TLB batch'], writes: ['TLB batch', 'TLB'],
    run: (c, [mm]) => {
      const vma = mmOf(c, mm!);
      if (!c.get(key.mmTlbBatched(vma))) return 0;
      flushMm(c, vma);
      c.set(key.mmTlbBatched(vma), 0);
      return 0;
    },
  },
];
