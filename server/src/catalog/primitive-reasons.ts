/**
 * Where the simulator's primitives stand for kernel functions, and why the model runs
 * the primitive rather than the kernel's body. When the source given with --src
 * compiles a definition of a name the run follows and a primitive serves it, the run
 * says so as a 'builtin-over-source' assumption with the reason written here
 * (source-models.ts). Kernel facts only: nothing here is code.
 *
 * SOURCE_OVER_PRIMITIVE lists the names whose real body only uses the low-level
 * vocabulary the simulator models (bit operations on flag words, reference-count
 * atomics, i_size and other plain fields, locks on any field): the source's definition
 * runs, so a BUG() added to it fires; the primitive serves only trees and eras that do
 * not define the name.
 */

import { FAULT_PRIMITIVE_REASONS } from './primitive-reasons-fault.js';
import { GUP_PRIMITIVE_REASONS } from './primitive-reasons-gup.js';

const PAGE_FLAGS: readonly [camel: string, folio: string][] = [
  ['Dirty', 'dirty'], ['Writeback', 'writeback'], ['Uptodate', 'uptodate'], ['Private', 'private'], ['Reclaim', 'reclaim'],
  ['Waiters', 'waiters'], ['MappedToDisk', 'mappedtodisk'],
];
const PAGE_FLAG_NAMES = PAGE_FLAGS.flatMap(([c, f]) => [
  `Page${c}`, `folio_test_${f}`, `SetPage${c}`, `folio_set_${f}`, `ClearPage${c}`,
  `folio_clear_${f}`, `TestSetPage${c}`, `folio_test_set_${f}`, `TestClearPage${c}`,
  `folio_test_clear_${f}`,
]);
const BUFFER_FLAG_NAMES = ['dirty', 'uptodate', 'mapped', 'delay', 'async_write', 'new'].flatMap((f) => [
  `buffer_${f}`, `set_buffer_${f}`, `clear_buffer_${f}`, `test_set_buffer_${f}`, `test_clear_buffer_${f}`,
]);

export interface PrimitiveReason {
  /** kernel names a primitive answers to */
  names: readonly string[];
  /** one sentence: what the kernel's body does that the model does not follow, and why the primitive is equivalent for a race */
  why: string;
}

export const PRIMITIVE_OVER_SOURCE: readonly PrimitiveReason[] = [
  {
    names: [
      'lock_page', '__lock_page', 'folio_lock',
      'wake_up_page_bit', '__wake_up_bit', 'page_wait_queue_add', 'wait_queue_add_bit', 'page_wait_sleep',
    ],
    why: 'wait-queue internals (wait_page_queue entries, WQ_FLAG_* bits, the hashed queue lock, io_schedule, signals) are modeled as one step that sleeps until PG_locked is clear and sets it, and as a wake-up of the (page, bit) queue',
  },
  {
    names: ['spin_lock', 'spin_lock_irq', 'spin_lock_irqsave', 'spin_lock_bh', 'spin_unlock', 'spin_unlock_irq',
      'spin_unlock_irqrestore', 'spin_unlock_bh', 'write_lock_irq', 'read_lock_irq', 'write_lock', 'read_lock',
      'write_unlock_irq', 'read_unlock_irq', 'write_unlock', 'read_unlock', 'xa_lock', 'xa_lock_irq', 'xa_lock_irqsave',
      'xa_unlock', 'xa_unlock_irq', 'xa_unlock_irqrestore', 'mutex_lock', 'mutex_unlock', 'down_write', 'down_read',
      'up_write', 'up_read', 'i_mmap_lock_write', 'i_mmap_lock_read', 'i_mmap_unlock_write', 'i_mmap_unlock_read',
      'bit_spin_lock', 'bit_spin_unlock', '__bit_spin_unlock'],
    why: 'a lock is one location that a holder owns (qspinlock, rwsem and mutex internals, irq flags, lockdep are below the model): taking it is one step that waits while another CPU holds it, which is every mutual exclusion the kernel\'s locks give (reader-writer locks are taken exclusively, a stronger order that hides no race between writers)',
  },
  {
    names: ['page_wait_queue_enter', 'folio_wait_queue_add', 'wait_entry_flags', 'wait_entry_set_flags', 'page_wait_finish',
      'page_wake_bit_locked', 'prepare_to_sleep_flags', 'test_wait_bit', 'test_and_set_wait_bit'],
    why: 'since PG_waiters (4.10) the page wait queue is a list of on-stack wait_page_queue entries under a hashed spinlock: what the kernel does under that lock (queueing, finish_wait()\'s removal, a whole __wake_up_common() walk with each entry\'s wake function) is one step, and the WQ_FLAG_* word of an entry is a location the waiter reads without the lock',
  },
  {
    names: ['flags_word_load', 'flags_word_store', 'flag_bit_mask'],
    why: 'a flag word is a set of bit locations in the model: reading or writing it whole (what the non-atomic bit operations do, between their load and their store) is one step each, and every modeled bit is written back',
  },
  {
    names: ['get_current', 'set_current_state', 'set_special_state', '__set_current_state', 'io_schedule', 'schedule',
      'schedule_timeout_uninterruptible', 'fatal_signal_pending', '__fatal_signal_pending',
      'signal_pending', 'wake_up_state', 'try_to_wake_up', 'wake_up_process', 'kill'],
    why: 'the scheduler and signal delivery (runqueues, p->__state with its barriers, sigpending bits, signal_wake_up()) are below the model: a task is its state and whether SIGKILL is pending, a sleep lasts until the state is TASK_RUNNING again, and a wake-up reports whether it found the task asleep',
  },
  {
    names: ['trylock_page', 'folio_trylock', 'unlock_page', 'folio_unlock', 'PageLocked', 'folio_test_locked'],
    why: 'PG_locked is a bit lock whose sleepers queue on the page wait queues: taking it without sleeping, testing it and releasing it (clear_bit_unlock_is_negative_byte, then folio_wake_bit when PG_waiters is set) are one step each on the bit, and the release wakes the bit\'s sleepers',
  },
  {
    names: ['lock_buffer', 'trylock_buffer', 'unlock_buffer'],
    why: 'BH_Lock is a bit lock whose sleepers use wait_on_bit_lock_io()/wake_up_bit() on the hashed bit wait queues: modeled as one step that waits while BH_Lock is set and sets it, and one that clears it',
  },
  {
    names: ['test_bit', 'test_bit_acquire', '_test_bit', '_test_bit_acquire', 'arch_test_bit', 'arch_test_bit_acquire',
      'generic_test_bit', 'generic_test_bit_acquire', 'const_test_bit', 'variable_test_bit', 'set_bit',
      'arch_set_bit', 'clear_bit', 'clear_bit_unlock',
      '__clear_bit_unlock', 'arch_clear_bit', 'arch_clear_bit_unlock', 'arch___clear_bit_unlock',
      'change_bit', 'arch_change_bit', 'test_and_set_bit',
      'test_and_set_bit_lock', 'arch_test_and_set_bit', 'arch_test_and_set_bit_lock',
      'test_and_clear_bit', 'arch_test_and_clear_bit',
      'clear_bit_unlock_is_negative_byte', 'arch_clear_bit_unlock_is_negative_byte', 'xor_unlock_is_negative_byte',
      'arch_xor_unlock_is_negative_byte', 'folio_flags', 'const_folio_flags', 'page_flags_word'],
    why: 'the bit operations are the vocabulary itself: x86 inline assembly (LOCK BTS/BTR, the instrumented wrappers of asm-generic) on a flag word, one atomic step on the bit\'s location in the model',
  },
  {
    names: ['wait_on_bit', 'wait_on_bit_io', 'wait_on_bit_timeout', 'wait_on_bit_action', 'out_of_line_wait_on_bit',
      'out_of_line_wait_on_bit_timeout', 'wait_on_bit_lock', 'wait_on_bit_lock_io', 'wait_on_bit_lock_action',
      'out_of_line_wait_on_bit_lock', 'wake_up_bit'],
    why: 'the hashed bit wait queues (bit_waitqueue, wait_bit_queue_entry, schedule) are modeled as a sleep until the bit is clear, so wake_up_bit() has nothing left to do',
  },
  {
    names: ['atomic_inc', 'arch_atomic_inc', 'raw_atomic_inc', 'atomic_dec', 'arch_atomic_dec', 'raw_atomic_dec',
      'atomic_add', 'arch_atomic_add', 'raw_atomic_add', 'atomic_sub', 'arch_atomic_sub', 'raw_atomic_sub',
      'atomic_inc_return', 'arch_atomic_inc_return', 'atomic_dec_return', 'arch_atomic_dec_return', 'atomic_dec_and_test',
      'arch_atomic_dec_and_test', 'raw_atomic_dec_and_test', 'atomic_sub_and_test', 'arch_atomic_sub_and_test',
      'atomic_inc_not_zero', 'arch_atomic_inc_not_zero', 'atomic_read', 'arch_atomic_read', 'raw_atomic_read', 'atomic_set',
      'arch_atomic_set', 'atomic_inc_and_test', 'arch_atomic_inc_and_test', 'raw_atomic_inc_and_test', 'atomic_add_negative',
      'arch_atomic_add_negative', 'raw_atomic_add_negative', 'atomic_set_release', 'arch_atomic_set_release', 'raw_atomic_set_release'],
    why: 'the atomics are the vocabulary itself: x86 inline assembly (LOCK XADD, cmpxchg loops, READ_ONCE) and the instrumented wrappers, one atomic step on the counter in the model',
  },
  {
    names: ['folio_ref_inc', 'page_ref_inc', 'folio_ref_add', 'page_ref_add', 'folio_ref_dec', 'page_ref_dec',
      'folio_ref_sub', 'page_ref_sub', 'folio_ref_dec_and_test', 'page_ref_dec_and_test', 'folio_put_testzero',
      'put_page_testzero', 'folio_ref_sub_and_test', 'page_ref_sub_and_test', 'folio_ref_inc_return', 'page_ref_inc_return',
      'folio_ref_dec_return', 'page_ref_dec_return', 'page_ref_count', 'page_count', 'folio_ref_count',
      'folio_ref_zero_or_close_to_overflow', 'page_ref_zero_or_close_to_overflow'],
    why: 'the counting helpers of include/linux/page_ref.h are the atomic on page->_refcount (6.1\'s definitions run from source, SOURCE_OVER_PRIMITIVE below); the primitive serves trees that do not define a spelling, and folio_ref_zero_or_close_to_overflow(), a macro',
  },
  {
    names: ['folio_try_get', 'folio_try_get_rcu', 'get_page_unless_zero', 'page_cache_get_speculative', 'folio_ref_try_add_rcu'],
    why: 'the speculative reference (atomic_add_unless under RCU, with a !CONFIG_TINY_RCU branch and a VM_BUG_ON on the count) is modeled as one step that takes a reference unless the count is 0',
  },
  {
    names: ['__folio_put', '__put_page', '__folio_put_small', '__put_single_page'],
    why: 'freeing a page (memcg uncharge, LRU removal, free_unref_page into the per-CPU lists and the buddy allocator) is modeled as marking the page freed: what the allocator does next is outside every race here, and a page freed under writeback is what the freed-under-writeback invariant checks at that step',
  },
  {
    names: ['get_page', 'folio_get', 'page_cache_get', 'folio_put', 'page_cache_release'],
    why: 'taking and dropping a page reference: the atomic on _refcount, and with the last one the page is freed, as folio_put() does (6.1\'s folio_get, get_page, folio_put and put_page run from source, SOURCE_OVER_PRIMITIVE; the primitive serves the trees and eras without them)',
  },
  {
    names: ['page_mapping', 'page_file_mapping', 'folio_file_mapping'],
    why: 'page->mapping\'s low bits decoded (PAGE_MAPPING_ANON, movable, the swap cache through swap_address_space): the model keeps page->mapping as a file or NULL; page_mapping() is folio_mapping(page_folio(page)), and 6.1\'s folio_mapping runs from source',
  },
  {
    names: ['page_folio', 'folio_page', 'virt_to_page', 'compound_head', 'page_index', 'thp_size', 'thp_nr_pages',
      'PageTransHuge', 'PageCompound', 'PageHuge', '_compound_head', 'nth_page', 'folio_next', 'hpage_nr_pages', 'page_nth', 'ClearPageHead'],
    why: 'struct page and struct folio arithmetic the lifter cannot follow (page_folio() and folio_page() are _Generic and pointer-arithmetic macros over compound_head\'s tail bit, virt_to_page() the direct map\'s mem_map offsets, page_index() the swap-cache index): compound pages are data (sim/compound.ts), so page_folio()/compound_head() are a tail\'s head while its compound_head bit is set and the page itself otherwise, folio_page() the page n places on in the compound page, thp_nr_pages() its page count while PG_head is set (1 for every single page), folio_next() the page after the folio, ClearPageHead() (a macro-made clear_bit) the end of PG_head, page_index() the page\'s index (folio_size, folio_index, folio_pos, folio_test_large and the like run from source)',
  },
  {
    names: ['__remove_from_page_cache', '__delete_from_page_cache', '__filemap_remove_folio', 'page_cache_delete',
      'radix_tree_tag_set', '__xa_set_mark', 'radix_tree_tag_clear', '__xa_clear_mark', 'mapping_tagged', 'XA_STATE',
      'XA_STATE_ORDER', 'xas_lock', 'xas_lock_irq', 'xas_lock_irqsave', 'xas_lock_bh', 'xas_unlock', 'xas_unlock_irq',
      'xas_unlock_irqrestore', 'xas_unlock_bh', 'xas_load', 'xas_set_mark', 'xas_clear_mark',
      'find_get_page_tag', 'pagevec_lookup_tag_one', 'filemap_get_folio_tag', 'find_get_page_from', 'pagevec_lookup_one',
      'find_get_entry', 'mapping_get_entry', 'filemap_get_entry', 'mapping_empty'],
    why: 'the page cache\'s xarray (nodes, slots, marks, shadow and value entries, the RCU walk with xas_retry/xas_reload) is modeled as each page\'s page->mapping and one location per tag, under the file\'s i_pages lock',
  },
  {
    names: ['pagevec_lookup', 'pagevec_lookup_range_tag', 'filemap_get_folios_tag', 'tag_pages_for_writeback', 'find_get_entries',
      'find_lock_entries', 'truncate_folio_batch_exceptionals', 'truncate_exceptional_pvec_entries'],
    why: 'gang lookups walk the xarray under RCU and fill a batch; the model takes the file\'s few pages in one step, with the reference (and for find_lock_entries the trylock and writeback test) the kernel takes on each',
  },
  {
    names: ['folio_batch_init', 'pagevec_init', 'folio_batch_reinit', 'pagevec_reinit', 'folio_batch_count', 'pagevec_count',
      'folio_batch_space', 'pagevec_space', 'folio_batch_add', 'pagevec_add', 'folio_batch_release', 'pagevec_release',
      '__folio_batch_release', '__pagevec_release'],
    why: 'a folio batch is an array in a struct on the caller\'s stack, and releasing it goes through release_pages() (LRU and memcg batching); the model keeps the batch as the caller\'s local and drops each folio\'s reference',
  },
  {
    names: ['submit_bh', 'submit_bh_wbc', 'mpage_submit_page'],
    why: 'the block layer is a stated boundary: the real one builds a bio (bio_alloc, bio_add_page, wbc_init_bio, cgroup accounting) and calls submit_bio(); the model\'s disk takes the write at submit and runs its completion (the disk write, then bh->b_end_io) later as an I/O thread of its own, at any point of any interleaving',
  },
  {
    names: ['page_mkclean', 'folio_mkclean', 'mapping_mapped', 'unlink_file_vma'],
    why: 'the reverse map walk (rmap_walk over the file\'s i_mmap interval tree, page_vma_mapped_walk through the page tables, mmu notifiers, TLB flushes) is modeled on the scenario\'s PTEs, one per mapping, under the page-table lock (a tree that defines folio_mkclean runs its own walk down to the PTE: SOURCE_OVER_PRIMITIVE)',
  },
  {
    names: ['down_read_trylock', 'down_write_trylock', 'i_mmap_trylock_read', 'i_mmap_trylock_write'],
    why: 'an rwsem\'s trylock (the count word\'s cmpxchg, the owner field, the reader and writer bias) is one step on the lock location: it takes the lock when no CPU holds it, as the model\'s rwsems are taken exclusively',
  },
  {
    names: ['vma_interval_tree_iter_first', 'vma_interval_tree_iter_next'],
    why: 'the i_mmap interval tree (an augmented rbtree of vm_area_structs, INTERVAL_TREE_DEFINE in mm/interval_tree.c) is the scenario\'s list of the file\'s mappings still linked, in order, filtered by their page range: the same VMAs in the same order for the one-slot ranges the races walk',
  },
  {
    names: ['page_vma_mapped_walk'],
    why: 'the walk down pgd/p4d/pud/pmd to the PTE (pmd_offset, pte_offset_map, THP and hugetlb branches, swap and device-private entries) is below the model, whose PTEs are one word per mapping and page: the boundary takes the page-table lock and checks that the slot\'s PTE maps the folio (map_pte, check_pte), as the tree\'s walk does for a one-page file folio',
  },
  {
    names: ['folio_pfn', 'page_to_pfn', 'pte_accessible'],
    why: 'a PTE is a word of present, write and dirty bits in the model (pte_t\'s x86 layout, the vmemmap pfn arithmetic, paravirt set_pte and page_table_check are below it; set_pte_at: primitive-reasons-fault.ts), and a page\'s frame number is a number the model gives each page',
  },
  {
    names: ['pgd_offset', 'p4d_offset', 'pud_offset', 'pmd_offset', 'pgd_addr_end', 'p4d_addr_end', 'pud_addr_end', 'pmd_addr_end', 'pgd_none_or_clear_bad', 'p4d_none_or_clear_bad', 'pud_none_or_clear_bad', 'pmd_none_or_clear_bad', 'pmd_none_or_trans_huge_or_clear_bad'],
    why: 'the page-table levels above the PTE (pgd, p4d, pud, pmd pages, x86\'s 4- or 5-level paging, THP and devmap entries) are below the model: each slot of a mapping has one trivial table per level, so an offset keeps the slot, no entry is none, bad or huge, and an entry\'s end is the next aligned boundary or the range\'s end (sim/ops/zap.ts)',
  },
  {
    names: ['ptep_get_and_clear_full', 'get_and_clear_full_ptes', 'pte_young'],
    why: 'a PTE is a word of present, write and dirty bits in the model (no accessed bit, no full-mm fast path, single-page folios): clearing it returns the old word in one step',
  },
  {
    names: ['page_add_file_rmap', 'folio_add_file_rmap_ptes', 'folio_add_file_rmap_pte', 'folio_add_file_rmap_range', 'page_remove_rmap',
      'folio_remove_rmap_pte', 'folio_remove_rmap_ptes', 'page_mapped', 'folio_mapped', 'page_mapcount', 'folio_mapcount'],
    why: 'a page\'s mapcount is page->_mapcount, a location of its own (-1 unmapped): the trees\' bodies run (SOURCE_OVER_PRIMITIVE: atomic_inc_and_test, atomic_add_negative and atomic_read on it, the memcg statistics and mlock accounting beside them no-ops or the tree\'s own tests); the primitive is the same change for the built-in eras and the spellings a tree does not define (ops/mapcount.ts)',
  },
  {
    names: ['should_defer_flush', 'arch_tlbbatch_should_defer', 'set_tlb_ubc_flush_pending', 'try_to_unmap_flush', 'try_to_unmap_flush_dirty', 'flush_tlb_batched_pending'],
    why: 'reclaim\'s batched TLB flush is data (ops/tlb-batch.ts): the task\'s tlbflush_unmap_batch (current->tlb_ubc: the x86 cpumask of arch_tlbbatch_add_mm, flush_required, writable) is the set of mms it holds and a writable mark, mm->tlb_flush_batched (6.12: pending and flushed generations) one mark per mm, and a flush empties every CPU\'s entries of those mms; x86 defers when another CPU is in the mm\'s cpumask (cpumask_any_but on mm_cpumask, get_cpu), which the scenario\'s user CPUs are',
  },
  {
    names: ['tlb_next_delayed_rmap'],
    why: 'the mmu_gather\'s batches of encoded page pointers (ENCODED_PAGE_BIT_DELAY_RMAP on the pages whose rmap removal waits for the flush, tlb_flush_rmap_batch() over tlb->local and tlb->active) are lists on the gather\'s stack object (ops/zap.ts): the built-in tlb_flush_rmaps() takes the delayed pages off one at a time and runs the tree\'s folio_remove_rmap_ptes() on each',
  },
  {
    names: ['__tlb_gather_mmu', 'tlb_remove_tlb_entry', 'tlb_remove_tlb_entries', '__tlb_remove_page_size', '__tlb_remove_folio_pages',
      'tlb_batch_pages_flush', 'tlb_delay_rmap', 'RB_EMPTY_ROOT'],
    why: 'the mmu_gather\'s batches (a list of mmu_gather_batch pages of encoded page pointers, tlb->local and tlb->active) are one list of pages on the gather\'s stack object, whose references are dropped after the flush, and its range is kept as the tree\'s __tlb_adjust_range() keeps it; the i_mmap tree\'s root is empty when no mapping of the file is linked',
  },
  {
    names: ['flush_tlb_page', 'flush_tlb_range', 'flush_tlb_mm_range'],
    why: 'the x86 shootdown (flush_tlb_mm_range: the local invlpg, IPIs to the CPUs in mm_cpumask, lazy-TLB and PCID generations) is modeled on each CPU\'s cached translations (sim/tlb.ts): when it returns no CPU holds an entry for the range',
  },
  {
    names: ['pte_store', 'pte_mkwrite_dirty', 'pte_map_page', 'pte_present', 'pte_writable', 'ptep_get_and_clear',
      'vma_linked', 'vma_nr_pages', 'vma_page', 'file_nr_vmas', 'file_vma'],
    why: 'a PTE is modeled as one location per mapping and page with its present, writable and dirty bits (pte_t\'s x86 bit layout, the pmd/pte pointers and page-table pages are below the model), each PTE operation one step under the mapping\'s page-table lock',
  },
  {
    names: ['isolate_lru_page', 'folio_isolate_lru', 'remove_mapping', 'try_to_release_page'],
    why: 'reclaim\'s LRU isolation, the freeze of the reference count in remove_mapping and the release of buffer_heads (->release_folio, drop_buffers) are modeled as one step each on the page\'s reference count, flags and buffers',
  },
  {
    names: [...PAGE_FLAG_NAMES, ...BUFFER_FLAG_NAMES, 'buffer_locked'],
    why: 'page and buffer flag helpers (the PAGEFLAG/FOLIO_FLAG and BUFFER_FNS families of page-flags.h and buffer_head.h) are one bit operation each on the flag word: the same step as test_bit/set_bit/clear_bit on that bit, with the check that a page is uptodate before it is marked dirty or under writeback',
  },
  {
    names: ['page_has_private', 'folio_has_private', 'folio_test_private_2', 'page_has_buffers', 'folio_test_private_buffers',
      'page_buffers', 'folio_buffers'],
    why: 'the buffer ring lives in page->private, which the model keeps as the page\'s fixed buffers and PG_private; page_has_private() tests the flag word against PAGE_FLAGS_PRIVATE, a macro of two bits the lifter does not expand',
  },
  {
    names: ['mapping_cap_account_dirty', 'dax_mapping', 'mem_cgroup_wb_domain', 'unlocked_inode_to_wb_begin'],
    why: 'properties of the file and its writeback that are constant for the files modeled (an ordinary disk-backed file, not DAX, s390 page protection off): unlocked_inode_to_wb_begin() takes rcu_read_lock() and fills a wb_lock_cookie struct on the caller\'s stack, which a lifted callee\'s writes do not reach, and returns inode->i_wb, the file\'s root wb; dax_mapping() tests IS_DAX(), a function-like header macro the lifter does not expand; mapping_cap_account_dirty() is the pre-5.10 spelling and mem_cgroup_wb_domain() serves dirty throttling, which no seed race reaches (inode_to_bdi, inode_to_wb, mapping_can_writeback, mapping_use_writeback_tags, mapping_release_always, shmem_mapping and wbc_to_write_flags run from source over sim/backing-dev.ts and plain memory)',
  },
  {
    names: ['mapping_set_error'],
    why: 'with an error (never: the model\'s disk does not fail) it records it in mapping->wb_err through errseq_set()\'s cmpxchg loop and in the superblock; with 0 it returns at once, which is what the primitive does (it says so if an error ever reaches it). From source its unexecuted errseq_set() path widens every thread\'s footprint: writeback-stale-wake explored 21 629 states instead of 12 054',
  },
  {
    names: ['ilog2', '__ilog2_u32', '__ilog2_u64', 'const_ilog2', 'min', 'min3', 'max', 'max3'],
    why: 'pure arithmetic (x86 BSR inline assembly, the type-checking min/max macros): computed from the arguments',
  },
  {
    names: ['arch_make_folio_accessible', 'arch_make_page_accessible'],
    why: 'an architecture hook that is 0 on x86-64 (only s390 protects pages from I/O): 6.1\'s generic definitions run from source; the primitive serves the trees and eras without them',
  },
  {
    names: ['migrate_page_move_mapping', 'folio_migrate_mapping', '__folio_migrate_mapping', 'expected_page_refs', 'folio_expected_refs',
      'folio_expected_ref_count', 'folio_mc_copy',
      'migrate_page_copy', 'folio_migrate_copy', 'migrate_page_states', 'folio_migrate_flags',
      'folio_attach_private', 'attach_page_private', 'folio_detach_private', 'detach_page_private', 'find_get_page', 'find_get_page_flags'],
    why: 'the page cache is modeled as each page\'s page->mapping and its buffers as a ring page->private names (the xarray slot replaced under the i_pages lock with the old page\'s references frozen, memcg and zone statistics, copy_highpage, and the reference attach_page_private takes are below the model): replacing a page in the cache, copying its data and flags, and moving its buffers are one step each',
  },
  {
    names: ['lookup_bh_lru', 'bh_lru_install', 'invalidate_bh_lrus', 'touch_buffer', 'bh_offset'],
    why: 'the per-CPU LRUs of recently used buffer_heads (bh_lrus, this_cpu_ptr, on_each_cpu_cond) are not modeled: every buffer lookup goes to the page cache, which is where the races on buffers are; a buffer\'s offset in its page is its place in the ring',
  },
  {
    names: ['alloc_page_buffers'],
    why: 'allocating buffer_heads (alloc_buffer_head from the bh slab cache, memcg charging, set_bh_page for each) is outside the model, whose buffer_heads are set up with their page: the primitive hands back the page\'s ring from the setup, detached, for create_empty_buffers() to attach',
  },
  {
    names: ['list_move', 'list_move_tail', 'list_del_init', 'list_empty', 'list_empty_careful'],
    why: 'the writeback lists are data (sim/ops/io-lists.ts): an inode\'s i_io_list names the wb list it is on, so moving it is one write of that name where the real inlines rewrite next/prev pointers of the neighbours, which the model does not keep; the callers hold wb->list_lock as the kernel does',
  },
  {
    names: ['list_add_tail', 'list_add', 'list_del', '__list_del_entry', 'list_del_init_careful', 'INIT_LIST_HEAD', 'list_splice', 'list_splice_init', 'lru_to_folio'],
    why: 'the lists are data, in one of two shapes (sim/ops/list-kinds.ts): a page wait queue\'s head holds its entries in order and an entry\'s node the queue it is on (sim/ops/waitlist.ts; the callers hold the queue\'s spinlock as the kernel does), and a folio\'s lru on reclaim\'s isolated lists names its head and place (sim/lru-lists.ts; the lists are the reclaiming thread\'s own); so linking or unlinking is one step where the real inlines rewrite next/prev pointers of the neighbours, which the model does not keep',
  },
  {
    names: ['folio_waitqueue', 'page_waitqueue'],
    why: 'the hashed table of 256 wait queue heads (hash_ptr of the folio\'s address into folio_wait_table) is not modeled: each folio has a queue of its own, and a queue shared by two folios only holds entries of the other folio, which wake_page_match() skips',
  },
  {
    names: ['atomic_cmpxchg', 'arch_atomic_cmpxchg', 'raw_atomic_cmpxchg'],
    why: 'the instrumented wrapper (kcsan/kasan checks) around x86\'s LOCK CMPXCHG in inline assembly: one atomic step on the counter\'s location, a page\'s reference count for folio_ref_freeze()',
  },
  {
    names: ['current_is_kswapd'],
    why: 'it reads current->flags & PF_KSWAPD, and the model\'s tasks are the scenario\'s CPUs: those labelled kswapd run as kswapd',
  },
  {
    names: ['free_unref_page_list', 'free_unref_folios'],
    why: 'the page allocator (per-CPU lists, buddy merging, memcg uncharge) is below the model: a folio whose last reference goes is marked freed, which is what the invariants look at',
  },
  {
    names: ['print_bad_pte', 'bad_page'],
    why: 'the kernel\'s reports of a corrupted PTE or page (printk, add_taint, panic with panic_on_taint, ftrace dumps): for a race the report is the finding, a bug-on violation at that step (sim/ops/bad-state.ts), and the reporting code changes nothing the races look at',
  },
  {
    names: ['hlist_unhashed'],
    why: 'inode_unhashed(): READ_ONCE(h->pprev) of the inode hash chain, which the model does not keep; a modeled file\'s inode is always hashed',
  },
  {
    names: ['assert_spin_locked'],
    why: 'BUG_ON(!spin_is_locked(lock)): the arch spinlock word is not modeled, the lock\'s holder is',
  },
  {
    names: ['bit_waitqueue', '__wait_on_bit', 'wake_up_var'],
    why: 'the hashed bit wait queues of kernel/sched/wait_bit.c: the sleeper waits until the bit of the word is clear, as __wait_on_bit() with bit_wait does after every wake-up',
  },
  {
    names: ['pte_same', 'ptep_get', 'pte_none', 'pte_write', 'pte_dirty', 'pte_mkdirty', 'pte_mkclean', 'pte_mkyoung', 'pte_sw_mkyoung', 'pte_mkold',
      'pte_wrprotect', 'pte_mkwrite', 'pte_pfn', 'maybe_mkwrite', 'ptep_set_access_flags', 'pte_offset_map', 'pte_offset_kernel',
      'pte_offset_map_lock', 'pte_lockptr', 'pte_unmap_unlock', 'vm_normal_page'],
    why: 'a PTE is a word of present, write and dirty bits at one location per mapping and page, with the mapping\'s page-table lock (sim/vm-fault.ts): x86\'s pte_t bit layout and its native_pte_val() helpers, the page-table pages that pte_offset_map() walks into and the pfn-to-page arithmetic of vm_normal_page() are below the model; reading or setting the word is one step, arithmetic on a value is none',
  },
  {
    names: ['userfaultfd_pte_wp', 'userfaultfd_wp', 'userfaultfd_missing', 'uffd_disable_fault_around', 'pte_marker_uffd_wp', 'mm_tlb_flush_pending', 'pte_protnone', 'pte_special',
      'IS_SWAPFILE'],
    why: 'userfaultfd write-protection and markers, NUMA-hinting (protnone) PTEs, special PTEs and the pending-flush count of a concurrent mprotect: none of them is ever set on the modeled shared file mappings, so each answers 0',
  },
  {
    names: ['wp_page_copy', 'wp_pfn_shared', 'handle_userfault', 'do_swap_page', 'do_numa_page', 'do_anonymous_page', 'folio_free_swap',
      'page_move_anon_rmap'],
    why: 'paths of a fault that a shared file mapping of page-cache pages never takes (copy-on-write of private or anonymous pages, PFN mappings, userfaultfd, swap, NUMA hinting): the primitive stops a run that reaches one with an error naming it, so that their bodies (the page allocator, swap, the anon rmap, mmu notifiers) are not followed',
  },
  {
    names: ['IS_ERR_OR_NULL'],
    why: 'include/linux/err.h tests the pointer against the top 4095 addresses (IS_ERR_VALUE on an unsigned long cast): the model\'s error pointers are "err:-N" values, not addresses, so the test is made on the value',
  },
  ...FAULT_PRIMITIVE_REASONS,
  ...GUP_PRIMITIVE_REASONS,
];

/**
 * Primitive names whose definition in the source runs instead (the primitive serves
 * trees and eras without one): their 6.1 bodies use only the modeled vocabulary.
 */
export const SOURCE_OVER_PRIMITIVE: ReadonlySet<string> = new Set([
  // mm/vmscan.c: folio_ref_freeze() (atomic_cmpxchg on _refcount) under the i_pages lock, the dirty
  // test, __filemap_remove_folio(); the primitive serves the eras whose built-ins call it
  '__remove_mapping',
  // include/linux/fs.h: on 64-bit SMP `return inode->i_size;` / `inode->i_size = i_size;`
  'i_size_read', 'i_size_write',
  // include/linux/page-flags.h, buffer_head.h: test_bit/set_bit/clear_bit and a barrier
  'folio_test_uptodate', 'PageUptodate', 'set_buffer_uptodate', 'clear_buffer_uptodate', 'buffer_uptodate',
  'SetPageUptodate',
  // include/linux/pagemap.h, mm/filemap.c, mm/folio-compat.c: test_and_set_bit_lock on PG_locked; the
  // release is clear_bit_unlock_is_negative_byte then folio_wake_bit; folio_lock is a trylock, then __folio_lock
  'folio_trylock', 'trylock_page', 'folio_unlock', 'unlock_page', 'folio_lock', 'lock_page',
  // include/linux/mm.h, page_ref.h: atomic_read(&page->_refcount); folio_put_testzero() then __folio_put()
  'page_ref_count', 'folio_ref_count', 'page_count', 'put_page_testzero', 'folio_put_testzero', 'folio_get', 'get_page',
  'folio_put',
  // include/linux/page_ref.h: the atomic on &page->_refcount, then a tracepoint test that is false
  // (page_ref_tracepoint_active, a no-op: CONFIG_DEBUG_PAGE_REF is off)
  'folio_ref_inc', 'page_ref_inc', 'folio_ref_add', 'page_ref_add', 'folio_ref_dec', 'page_ref_dec', 'folio_ref_sub',
  'page_ref_sub', 'folio_ref_dec_and_test', 'page_ref_dec_and_test', 'folio_ref_sub_and_test', 'page_ref_sub_and_test',
  'folio_ref_inc_return', 'page_ref_inc_return', 'folio_ref_dec_return', 'page_ref_dec_return',
  // include/linux/buffer_head.h, fs/buffer.c: BH_Lock through test_and_set_bit_lock, wait_on_bit_lock_io,
  // clear_bit_unlock and wake_up_bit; wait_on_bit_io is test_bit_acquire, then out_of_line_wait_on_bit
  'trylock_buffer', 'lock_buffer', 'unlock_buffer', 'wait_on_bit_io',
  // include/linux/fs.h: down_write/up_write/down_read/up_read on &mapping->i_mmap_rwsem, a lock on a field
  'i_mmap_lock_write', 'i_mmap_unlock_write', 'i_mmap_lock_read', 'i_mmap_unlock_read', 'i_mmap_trylock_read', 'i_mmap_trylock_write',
  // include/linux/mm.h: 1 unless folio_test_large()
  'folio_nr_pages',
  // include/linux/page-flags.h, mm.h, pagemap.h: PG_head (clear on every modeled page, flag-bits.ts)
  // decides them, then page->index and PAGE_SHIFT; folio_test_hugetlb is PageHeadHuge(), PageHead first
  'folio_test_large', 'folio_test_hugetlb', 'folio_size', 'compound_nr', 'page_size', 'folio_index', 'folio_pos',
  'folio_contains', 'page_offset',
  // mm/backing-dev.c, include/linux/backing-dev.h: sb->s_bdi, bdi->capabilities and inode->i_wb as data
  // (sim/backing-dev.ts: a disk's bdi, BDI_CAP_WRITEBACK | BDI_CAP_WRITEBACK_ACCT, its root wb as plain memory)
  'inode_to_bdi', 'mapping_can_writeback', 'inode_to_wb',
  // include/linux/fs.h: sb == blockdev_superblock; page-flags.h: PG_swapbacked (clear), then PG_swapcache
  'sb_is_blkdev_sb', 'folio_test_swapcache', 'PageSwapCache',
  // include/linux/pagemap.h: test_bit(AS_*, &mapping->flags), plain memory nothing sets (a bit test
  // of a word nothing writes is local computation); shmem_fs.h: a_ops compared with &shmem_aops
  'mapping_use_writeback_tags', 'mapping_release_always', 'shmem_mapping',
  // include/linux/writeback.h: REQ_* flags from wbc->sync_mode, handed to the block layer's boundary
  'wbc_to_write_flags',
  // include/linux/xarray.h, mm/util.c: the low bits of an entry and of page->mapping; an object's
  // pointer is an aligned integer (sim/values.ts), PG_slab and PG_swapbacked are clear
  'xa_is_value', 'folio_mapping',
  // include/linux/mm.h: put_devmap_managed_page() on the devmap_managed_key static key, off
  // (sim/static-keys.ts, said as an assumption), then folio_put()
  'put_page',
  // include/linux/mm.h: the generic hooks (no HAVE_ARCH_MAKE_*_ACCESSIBLE on x86): 0 for each page
  'arch_make_folio_accessible', 'arch_make_page_accessible',
  // include/linux/mm.h: folio_test_large() (clear), then folio_ref_count() >= GUP_PIN_COUNTING_BIAS
  'folio_maybe_dma_pinned', 'page_maybe_dma_pinned',
  // mm/rmap.c: rmap_walk() over the i_mmap tree (vma_interval_tree_iter_*), page_mkclean_one() and
  // page_vma_mkclean_one() per PTE (page_vma_mapped_walk, ptep_clear_flush, set_pte_at); rmap.h: page_mkclean
  'folio_mkclean', 'page_mkclean',
  // mm/rmap.c, mm/util.c, include/linux/mm.h: atomic_inc_and_test/atomic_add_negative/atomic_read on
  // &page->_mapcount (ops/mapcount.ts), PG_head clear (small folios), the statistics no-ops
  'page_add_file_rmap', 'folio_add_file_rmap_ptes', 'folio_add_file_rmap_pte', 'folio_add_file_rmap_range', 'page_remove_rmap',
  'folio_remove_rmap_pte', 'folio_remove_rmap_ptes', 'page_mapped', 'folio_mapped', 'page_mapcount', 'folio_mapcount',
]);

const byName = new Map<string, string>();
for (const r of PRIMITIVE_OVER_SOURCE) {
  for (const n of r.names) {
    if (byName.has(n)) throw new Error(`primitive-reasons: ${n} listed twice`);
    byName.set(n, r.why);
  }
}

/** Why a primitive serves `name` instead of its source; undefined when the table has no reason. */
export function primitiveReason(name: string): string | undefined {
  return byName.get(name);
}
