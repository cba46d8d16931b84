/**
 * Calls on the fault path that do nothing the simulator can see, with why (noops.ts
 * reads them like its own groups): the fault's accounting and the hooks around it.
 */
import type { NoopGroup } from './noops.js';

export const FAULT_NOOP_GROUPS: readonly NoopGroup[] = [
  {
    why: 'fault accounting: the task\'s min_flt/maj_flt and perf software events (mm_account_fault, perf_sw_event), the split RSS counters (check_sync_rss_stat, inc_mm_counter*, add_mm_counter, sync_mm_rss) and the memcg\'s fault event count; no modeled state reads them',
    names: ['mm_account_fault', 'perf_sw_event', 'check_sync_rss_stat', 'inc_mm_counter_fast', 'inc_mm_counter', 'dec_mm_counter', 'add_mm_counter', 'sync_mm_rss', 'mm_counter_file'],
  },
  {
    why: 'the memcg OOM bookkeeping of a user fault: mem_cgroup_enter_user_fault/exit_user_fault mark the task so that a charge failure waits for the OOM killer, which no modeled allocation reaches (the model allocates no pages), so task_in_memcg_oom() stays false and mem_cgroup_oom_synchronize() is not called',
    names: ['mem_cgroup_enter_user_fault', 'mem_cgroup_exit_user_fault', 'task_in_memcg_oom', 'mem_cgroup_oom_synchronize'],
  },
  {
    why: 'the multi-generational LRU\'s fault hooks set current->in_lru_fault, which only ranks the folio on the LRU lists (lru_gen_enter_fault/lru_gen_exit_fault); the races\' reclaim does not age by generations',
    names: ['lru_gen_enter_fault', 'lru_gen_exit_fault'],
  },
  {
    why: 'x86 MMU and I-cache maintenance after a PTE change (update_mmu_cache_range, flush_icache_pages, flush_tlb_fix_spurious_fault) and pte_unmap (a kunmap of a highmem PTE page on 32-bit): nothing on x86-64, whose caches are coherent and whose spurious-fault flush only drops a stale TLB entry of this CPU',
    names: ['update_mmu_cache_range', 'flush_icache_pages', 'flush_tlb_fix_spurious_fault', 'pte_unmap'],
  },
];
