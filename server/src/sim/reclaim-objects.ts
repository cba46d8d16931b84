/**
 * Reclaim's objects as data. struct scan_control is on the reclaiming thread's stack:
 * "sc:kswapd@P1" (kswapd's balance_pgdat()) or "sc:direct@P1" (try_to_free_pages()),
 * its fields plain memory starting at the values those callers set (SC_FIELDS); the
 * code writes nr_scanned and reads the rest. struct reclaim_stat is the thread's too
 * ("rstat:stat@P1"), its counters plain memory from 0, nr_activate[] an array field
 * (stack-kinds.ts arrayFields). The node is one, "pgdat:0": node_id 0, its flags word
 * (PGDAT_DIRTY, PGDAT_WRITEBACK) plain memory shared by every CPU.
 */
import type { Value } from './program.js';

// include/linux/gfp_types.h (6.1 and 6.12): ___GFP_IO, ___GFP_FS
const GFP_IO = 0x40;
const GFP_FS = 0x80;
const GFP_KERNEL = 0xcc0;
/** mm/vmscan.c DEF_PRIORITY */
const DEF_PRIORITY = 12;

const SC_COMMON = { gfp_mask: GFP_KERNEL, order: 0, may_unmap: 1, may_swap: 1, may_writepage: 1, target_mem_cgroup: 0, nr_scanned: 0, nr_reclaimed: 0, reclaim_idx: 3, no_demotion: 0, memcg_low_reclaim: 0, memcg_low_skipped: 0, hibernation_mode: 0, compaction_ready: 0, cache_trim_mode: 0, file_is_tiny: 0, no_cache_trim_mode: 0 };

/**
 * What balance_pgdat() (kswapd) and try_to_free_pages() (direct reclaim of a GFP_KERNEL
 * allocation) put in their scan_control, 6.1 and 6.12: may_writepage is !laptop_mode
 * (laptop mode off), may_unmap and may_swap 1, priority starts at DEF_PRIORITY; no memcg.
 */
export const SC_FIELDS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  kswapd: { ...SC_COMMON, priority: DEF_PRIORITY },
  direct: { ...SC_COMMON, priority: DEF_PRIORITY },
};

/** The object `ref` ("sc:kswapd") on thread `tid`'s stack: "sc:kswapd@P1". */
export function stackObject(ref: string, tid: string): string {
  return `${ref}@${tid}`;
}

/** The plain objects of reclaim, as [kind, id], for each of `threads`. */
export function reclaimObjects(threads: readonly string[]): [string, string][] {
  return [
    ['pgdat', '0'],
    ...Object.keys(SC_FIELDS).flatMap((m) => threads.map((t): [string, string] => ['sc', `${m}@${t}`])),
    ...threads.map((t): [string, string] => ['rstat', `stat@${t}`]),
  ];
}

/** A reclaim object's field before the run, or undefined when it is not one. */
export function initialReclaimField(kind: string, id: string, field: string): Value | undefined {
  if (kind === 'sc') {
    const mode = id.slice(0, id.indexOf('@'));
    return Object.hasOwn(SC_FIELDS, mode) && Object.hasOwn(SC_FIELDS[mode]!, field) ? SC_FIELDS[mode]![field]! : 0;
  }
  if (kind === 'rstat' || kind === 'pgdat') return 0;
  return undefined;
}

/*
 * Which of their counters only statistics read (shrink_inactive_list()'s tracepoint and
 * throttling, kswapd's priority loop, none of which the built-in caller runs) is the
 * `unkept` of their rows in stack-kinds.ts: a write is dropped and a read is 0, so two
 * interleavings that differ only in how many folios such a counter saw are one state.
 * The counter the caller decides on, nr_unqueued_dirty (PGDAT_DIRTY), is kept.
 */

/** Reclaim's constants, 6.1 and 6.12 (the same values in both). */
export const RECLAIM_CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  // harness symbols: the scan_control of the reclaiming thread, its reclaim_stat, the node
  ['SC_KSWAPD', 'sc:kswapd'],
  ['SC_DIRECT', 'sc:direct'],
  ['RECLAIM_STAT', 'rstat:stat'],
  ['RECLAIM_NODE', 'pgdat:0'],
  // mm/vmscan.c enum folio_references
  ['FOLIOREF_RECLAIM', 0],
  ['FOLIOREF_RECLAIM_CLEAN', 1],
  ['FOLIOREF_KEEP', 2],
  ['FOLIOREF_ACTIVATE', 3],
  // include/linux/mmzone.h enum pgdat_flags: bits of pgdat->flags
  ['PGDAT_DIRTY', 0],
  ['PGDAT_WRITEBACK', 1],
  ['PGDAT_RECLAIM_LOCKED', 2],
  ['__GFP_IO', GFP_IO],
  ['__GFP_FS', GFP_FS],
  // include/linux/rmap.h enum ttu_flags
  ['TTU_SPLIT_HUGE_PMD', 0x4],
  ['TTU_IGNORE_MLOCK', 0x8],
  ['TTU_SYNC', 0x10],
  ['TTU_BATCH_FLUSH', 0x40],
  ['TTU_RMAP_LOCKED', 0x80],
  // include/linux/mm.h
  ['VM_LOCKED', 0x2000],
  ['DEF_PRIORITY', DEF_PRIORITY],
  ['SWAP_CLUSTER_MAX', 32],
]);
