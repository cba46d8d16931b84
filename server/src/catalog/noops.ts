/**
 * Kernel calls that do nothing the simulator can see: statistics, tracing, memcg
 * locking, memory barriers, scheduling hints, the block layer's plugging. They are
 * dropped (value 0) instead of being reported as unknown. Each group says why the
 * model does not run the kernel's own body: when the source given with --src compiles
 * a definition of a name the run follows, the run says so as a 'builtin-over-source'
 * assumption with that reason (source-models.ts).
 */
import { FAULT_NOOP_GROUPS } from './noops-fault.js';
import { THP_NOOP_GROUPS } from './noops-thp.js';

export interface NoopGroup {
  /** one sentence: why skipping the kernel's body cannot change a race's outcome */
  why: string;
  names: readonly string[];
  /** every name that starts with one of these */
  prefixes?: readonly string[];
}

export const NOOP_GROUPS: readonly NoopGroup[] = [
  {
    why: 'pressure-stall and delay accounting of a page-lock wait on a refaulting page (psi_memstall_enter/leave, delayacct_thrashing_start/end): time spent stalled, which no modeled state reads; cpu_relax is a pause hint between two acquisitions of a lock',
    names: ['psi_memstall_enter', 'psi_memstall_leave', 'delayacct_thrashing_start', 'delayacct_thrashing_end', 'cpu_relax'],
  },
  {
    why: 'a write fault\'s freeze protection and timestamps (sb_start_pagefault/sb_end_pagefault order the fault against a filesystem freeze, which no scenario does; file_update_time sets mtime and ctime; page_cpupid_xchg_last, folio_xchg_last_cpupid since 6.8, is NUMA-balancing bookkeeping in spare bits of the flag word): none of them is page, buffer or PTE state',
    names: ['sb_start_pagefault', 'sb_end_pagefault', 'file_update_time', 'page_cpupid_xchg_last', 'folio_xchg_last_cpupid', 'flush_icache_page'],
  },
  {
    why: 'TLB maintenance after a PTE gained rights or was filled (update_mmu_tlb, x86\'s is empty) or for a whole mm being torn down (flush_tlb_mm): the model\'s TLBs cache writable translations filled by stores (sim/tlb.ts), which a PTE that only gains rights cannot make stale; the flushes that drop rights are primitives (ops/rmap-walk.ts)',
    names: ['flush_tlb_mm', 'update_mmu_tlb'],
  },
  {
    why: 'the slab allocator (kfree, kmem_cache_free, with SLUB\'s debug checks and their reports): an object the model does not keep goes back to its cache, which no page, buffer or PTE state depends on',
    names: ['kfree', 'kmem_cache_free', 'kvfree'],
  },
  {
    why: 'inode reclaim bookkeeping: whether an inode whose page cache emptied goes on its superblock\'s inode LRU (mapping_shrinkable reads the xarray head under RCU, inode_add_lru the list) decides when the inode may be evicted, never a page\'s state',
    names: ['mapping_shrinkable', 'inode_add_lru', '__inode_add_lru'],
  },
  {
    why: 'statistics and accounting counters (vmstat, lruvec, memcg, bdi writeback counts): no modeled state reads them, so no interleaving depends on them',
    names: [
      'dec_zone_page_state', 'inc_zone_page_state', '__inc_zone_page_state', '__dec_zone_page_state',
      'dec_page_state', 'inc_page_state', 'dec_lruvec_page_state', 'inc_lruvec_page_state', 'dec_lruvec_state',
      'inc_lruvec_state', 'inc_node_page_state', 'dec_node_page_state', 'lruvec_stat_mod_folio', 'zone_stat_mod_folio',
      'node_stat_mod_folio', 'wb_stat_mod', 'dec_wb_stat', 'inc_wb_stat', '__wb_writeout_inc', 'account_page_dirtied',
      'account_page_cleaned', 'folio_account_dirtied', 'folio_account_cleaned', 'count_vm_event', 'count_vm_events',
      'inc_zone_state', 'task_io_account_write', 'acct_reclaim_writeback', 'wb_domain_writeout_add', '__wb_writeout_add',
      '__lruvec_stat_mod_folio',
    ],
    prefixes: ['fprop_', '__fprop_', 'percpu_counter_', '__percpu_counter_', 'count_memcg_', 'mod_zone_', 'mod_node_', 'mod_lruvec_', 'mod_memcg_', 'mod_objcg_', '__mod_zone_', '__mod_node_',
      '__mod_lruvec_', '__mod_memcg_', '__mod_objcg_'],
  },
  {
    why: 'inode and bdi bookkeeping (the inode\'s dirty list, dirty throttling, the superblock\'s writeback list): it decides when the flusher writes the file, which the scenario\'s CPUs do explicitly, never which page state a race reaches',
    names: [
      '__mark_inode_dirty', 'mark_inode_dirty', 'balance_dirty_pages_ratelimited', 'sb_clear_inode_writeback',
      'sb_mark_inode_writeback', 'unlocked_inode_to_wb_begin', 'unlocked_inode_to_wb_end',
      // the wb's WB_has_dirty_io bit and the bdi's bandwidth sum: whether the flusher is woken
      'wb_io_lists_populated', 'wb_io_lists_depopulated', 'wb_wakeup_delayed',
    ],
  },
  {
    why: 'memcg locking serialises statistics updates only (folio_memcg_lock is an RCU read section plus a per-memcg move lock), and the lruvec/pgdat lookups feed the statistics',
    names: ['lock_page_memcg', 'unlock_page_memcg', '__unlock_page_memcg', 'folio_memcg_lock', 'folio_memcg_unlock', 'mem_cgroup_page_lruvec', 'page_pgdat'],
  },
  {
    why: 'memory barriers, interrupt and preemption control, scheduling points and RCU read sections: the simulator\'s steps are sequentially consistent (the strongest order a barrier gives), any CPU may run at any step, and nothing is freed through RCU',
    names: [
      'smp_mb', 'smp_wmb', 'smp_rmb', 'smp_mb__after_atomic', 'smp_mb__before_atomic', 'smp_mb__after_clear_bit',
      'smp_mb__before_clear_bit', 'barrier', 'cond_resched', 'might_sleep', 'local_irq_save', 'local_irq_restore',
      'local_irq_disable', 'local_irq_enable', 'preempt_disable', 'preempt_enable', 'rcu_read_lock', 'rcu_read_unlock',
    ],
  },
  {
    why: 'LRU placement and cache flushing (active/inactive lists, the reclaim rotation, D-cache and MMU cache maintenance, a no-op dirty_folio): reclaim is modeled as one pass over the file\'s pages and x86 caches are coherent',
    names: [
      'rotate_reclaimable_page', 'folio_rotate_reclaimable', 'mark_page_accessed', 'folio_mark_accessed',
      'lru_cache_add', 'folio_add_lru', 'flush_dcache_page', 'flush_cache_page', 'update_mmu_cache',
      'noop_dirty_folio',
      // invalidate_mapping_pages() on a folio it could not drop (a dirty one): a hint to reclaim
      'deactivate_file_folio',
    ],
  },
  {
    why: 'mmu notifiers tell secondary MMUs (KVM, HMM, IOMMU SVA) that a range of a process\'s page tables changes; no modeled mm has a subscription (mm->notifier_subscriptions is NULL), so the kernel\'s own calls return at once and only the range\'s initialisation is left, which nothing else reads',
    names: ['mmu_notifier_invalidate_range_start', 'mmu_notifier_invalidate_range_end',
      'mmu_notifier_invalidate_range', 'mmu_notifier_invalidate_range_only_end', 'mmu_notifier_invalidate_range_start_nonblock'],
  },
  {
    why: 'an mm\'s resident-set counters and high-water mark (init_rss_vec, add_mm_rss_vec, mm_counter\'s choice of counter, update_hiwater_rss): statistics of the process, never page, PTE or TLB state',
    names: ['init_rss_vec', 'add_mm_rss_vec', 'mm_counter', 'mm_counter_file', 'update_hiwater_rss', 'sync_mm_rss'],
  },
  {
    why: 'the unmapping paths\' hooks that nothing in the model subscribes to: uprobes (no probe is registered on a mapped file), paravirt lazy MMU batching (native x86 writes each PTE at once), the mm\'s count of pending TLB flushes (read only by NUMA balancing and mprotect, which the model answers 0), the x86 shadow-stack check of a zapped PTE and KSM\'s zero page',
    names: ['uprobe_munmap', 'arch_enter_lazy_mmu_mode', 'arch_leave_lazy_mmu_mode', 'inc_tlb_flush_pending',
      'dec_tlb_flush_pending', 'mm_tlb_flush_nested', 'arch_check_zapped_pte', 'ksm_might_unmap_zero_page', 'tlb_batch_list_free', 'tlb_table_flush'],
  },
  {
    why: 'scheduling points: need_resched() is false (any CPU may run at any step already), and lru_add_drain() moves this CPU\'s LRU batches to the lists, which the model does not keep per CPU',
    names: ['need_resched', 'lru_add_drain'],
  },
  {
    why: 'symbol export, tracing, logging and debugging checks (KASAN, KMSAN, lockdep) observe the kernel without changing page state',
    names: ['EXPORT_SYMBOL', 'EXPORT_SYMBOL_GPL', 'printk', 'pr_warn', 'pr_err', 'pr_info', 'dump_page',
      // include/linux/page_ref.h: false unless CONFIG_DEBUG_PAGE_REF (a static key then): whether to trace the atomic
      'page_ref_tracepoint_active'],
    prefixes: ['trace_', 'kasan_', 'kmsan_', 'lockdep_'],
  },
  {
    why: 'timers (the writeback domain\'s period timer that wb_domain_writeout_add() arms from the completion accounting, laptop mode\'s writeback timer) are not modeled: their callbacks age writeback statistics and start flusher work, never touching the page, buffer or tag state of a race',
    names: ['mod_timer', '__mod_timer', 'add_timer', 'add_timer_on', 'del_timer', 'del_timer_sync', 'timer_delete', 'timer_delete_sync'],
  },
  {
    why: 'deferred work (workqueues, irq_work) runs later in kernel threads the scenarios do not model: what the races here queue is the bdi\'s bandwidth estimate (wb_inode_writeback_end) and flusher work, which age statistics and decide when the flusher writes, never which page, buffer or tag state a race reaches',
    names: ['queue_work_on', 'queue_delayed_work_on', 'mod_delayed_work_on', '__queue_work', '__queue_delayed_work', 'queue_work_node',
      'queue_work', 'queue_delayed_work', 'mod_delayed_work',
      'irq_work_queue', 'irq_work_queue_on'],
  },
  {
    why: 'the module address lookup (mod_find, for symbolizing addresses in warnings and stack traces) changes no state',
    names: ['mod_find'],
  },
  {
    why: 'the block layer is a stated boundary: the model\'s disk takes each bio when it is submitted, and a plug only delays dispatch to the driver, which the disk\'s arbitrary completion delay (every interleaving of the I/O-completion thread) already covers; the real plug also needs `current`, which the simulator does not model',
    names: ['blk_start_plug', 'blk_finish_plug', 'blk_start_plug_nr_ios', 'blk_flush_plug', '__blk_flush_plug'],
  },
  {
    why: 'the block layer is a stated boundary: I_BDEV() is the block device of an inode of the block-device pseudo-filesystem, which inode_to_bdi() asks for only when sb_is_blkdev_sb(), never for a modeled file\'s superblock (sim/backing-dev.ts)',
    names: ['I_BDEV'],
  },
  ...FAULT_NOOP_GROUPS,
  ...THP_NOOP_GROUPS,
];

const byName = new Map<string, NoopGroup>();
for (const g of NOOP_GROUPS) for (const n of g.names) byName.set(n, g);

function groupOf(name: string): NoopGroup | undefined {
  return byName.get(name) ?? NOOP_GROUPS.find((g) => g.prefixes?.some((p) => name.startsWith(p)));
}

export function isNoop(name: string): boolean {
  return groupOf(name) !== undefined;
}

/** Why the model drops a call to `name` instead of running the kernel's body; undefined when it is not a no-op. */
export function noopReason(name: string): string | undefined {
  return groupOf(name)?.why;
}

/**
 * No-ops whose reason holds for every invariant but the one named: a run that checks it
 * needs the kernel's body (from source, or an era's built-in model), and runs it.
 * __mark_inode_dirty() decides which writeback list the inode is on, which is exactly
 * what inode-off-lists judges; for page, buffer and tag state the no-op's reason holds.
 */
export const NOOP_UNLESS_CHECKED: Readonly<Record<string, string>> = {
  __mark_inode_dirty: 'inode-off-lists',
};

/** Whether the no-op stands for `name` in a run checking these invariants (all no-ops when unknown). */
export function noopStands(name: string, checks?: ReadonlySet<string>): boolean {
  if (!isNoop(name)) return false;
  const unless = Object.hasOwn(NOOP_UNLESS_CHECKED, name) ? NOOP_UNLESS_CHECKED[name] : undefined;
  return !(unless && checks?.has(unless));
}
