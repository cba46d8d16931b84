/**
 * Kernel calls that do nothing the simulator can see: statistics, tracing, memcg
 * locking, memory barriers, scheduling hints. They are dropped (value 0) instead of
 * being reported as unknown.
 */
const NOOP_NAMES: ReadonlySet<string> = new Set([
  // statistics and accounting
  'dec_zone_page_state', 'inc_zone_page_state', '__inc_zone_page_state', '__dec_zone_page_state',
  'dec_page_state', 'inc_page_state', 'dec_lruvec_page_state', 'inc_lruvec_page_state', 'dec_lruvec_state',
  'inc_lruvec_state', 'inc_node_page_state', 'dec_node_page_state', 'lruvec_stat_mod_folio', 'zone_stat_mod_folio',
  'node_stat_mod_folio', 'wb_stat_mod', 'dec_wb_stat', 'inc_wb_stat', '__wb_writeout_inc', 'account_page_dirtied',
  'account_page_cleaned', 'folio_account_dirtied', 'folio_account_cleaned', 'count_vm_event', 'count_vm_events',
  'inc_zone_state', 'task_io_account_write', 'acct_reclaim_writeback',
  // inode and bdi bookkeeping that no race here depends on
  '__mark_inode_dirty', 'mark_inode_dirty', 'balance_dirty_pages_ratelimited', 'sb_clear_inode_writeback',
  'sb_mark_inode_writeback', 'unlocked_inode_to_wb_begin', 'unlocked_inode_to_wb_end',
  // memcg locking (serialises statistics only)
  'lock_page_memcg', 'unlock_page_memcg', '__unlock_page_memcg', 'folio_memcg_lock', 'folio_memcg_unlock',
  'mem_cgroup_page_lruvec', 'page_pgdat',
  // barriers and scheduling
  'smp_mb', 'smp_wmb', 'smp_rmb', 'smp_mb__after_atomic', 'smp_mb__before_atomic', 'smp_mb__after_clear_bit',
  'smp_mb__before_clear_bit', 'barrier', 'cond_resched', 'might_sleep', 'local_irq_save', 'local_irq_restore',
  'local_irq_disable', 'local_irq_enable', 'preempt_disable', 'preempt_enable', 'rcu_read_lock', 'rcu_read_unlock',
  // LRU placement
  'rotate_reclaimable_page', 'folio_rotate_reclaimable', 'mark_page_accessed', 'folio_mark_accessed', 'SetPageActive',
  'folio_set_active', 'ClearPageActive', 'lru_cache_add', 'flush_dcache_page',
  'flush_cache_page', 'update_mmu_cache', 'noop_dirty_folio',
  // symbol export and debugging
  'EXPORT_SYMBOL', 'EXPORT_SYMBOL_GPL', 'printk', 'pr_warn', 'pr_err', 'pr_info', 'dump_page',
  // LOCAL WORKAROUND (later-release branch), drop at merge: the plug fix is another helper's
  'blk_start_plug', 'blk_finish_plug',
]);

const NOOP_PREFIXES: readonly string[] = ['trace_', 'count_memcg_', 'mod_', '__mod_', 'kasan_', 'kmsan_', 'lockdep_'];

export function isNoop(name: string): boolean {
  return NOOP_NAMES.has(name) || NOOP_PREFIXES.some((p) => name.startsWith(p));
}
