/**
 * Named constants kernel code passes around. Page and buffer flag bits (flag-bits.ts)
 * and page-cache tags become symbolic values so that a wait queue or a tag operation knows which
 * bit it is about; the rest are the kernel's integers where the value matters.
 */
import type { Value } from './program.js';
import { flagConstant } from './flag-bits.js';
import { staticKeyValue } from './static-keys.js';
import { FAULT_CONSTANTS } from './fault-constants.js';
import { RECLAIM_CONSTANTS } from './reclaim-objects.js';
import { UNMAP_CONSTANTS } from './unmap-constants.js';
import { GUP_CONSTANTS } from './gup-constants.js';
import { DIO_CONSTANTS } from './dio-constants.js';

const CONSTANTS: ReadonlyMap<string, Value> = new Map<string, Value>([
  ['PAGECACHE_TAG_DIRTY', 'tag:dirty'],
  ['PAGECACHE_TAG_WRITEBACK', 'tag:writeback'],
  ['PAGECACHE_TAG_TOWRITE', 'tag:towrite'],
  ['WB_SYNC_NONE', 0],
  ['WBC_SYNC_ALL', 'wbc:all'],
  ['WBC_SYNC_NONE', 'wbc:none'],
  ['WBC_RECLAIM', 'wbc:reclaim'],
  // the bit lock of buffer completions before 5.8 (a spinlock since): see bit_spin_lock
  ['BH_Uptodate_Lock', 'bhbit:uptodate_lock'],
  ['WB_SYNC_ALL', 1],
  ['VM_SHARED', 0x8],
  ['READ', 0],
  ['WRITE', 1],
  ['REQ_OP_WRITE', 1],
  ['SWRITE', 3],
  ['AOP_WRITEPAGE_ACTIVATE', 0x80000],
  // errno values (include/uapi/asm-generic/errno-base.h, errno.h): ERR_PTR(-ENOENT) must not be NULL
  ['EPERM', 1],
  ['ENOENT', 2],
  ['EINTR', 4],
  ['ENOMEM', 12],
  ['EEXIST', 17],
  ['EINVAL', 22],
  ['ENOSPC', 28],
  ['ENODATA', 61],
  ['EOPNOTSUPP', 95],
  ['EIO', 5],
  ['EFAULT', 14],
  ['EAGAIN', 11],
  ['EBUSY', 16],
  ['PAGE_SIZE', 4096],
  ['PAGE_CACHE_SHIFT', 12],
  ['PAGE_SHIFT', 12],
  // include/linux/mm.h (6.1, 6.12): FOLL_PIN's share of _refcount; folio_maybe_dma_pinned() compares with it
  ['GUP_PIN_COUNTING_BIAS', 1 << 10],
  // include/linux/mm.h (6.1): gup flag of pin_user_pages(); the built-in gup.c tests it in gup_put_folio()
  ['FOLL_PIN', 0x40000],
  // include/linux/migrate_mode.h and migrate.h
  ['MIGRATE_ASYNC', 0],
  ['MIGRATE_SYNC_LIGHT', 1],
  ['MIGRATE_SYNC', 2],
  ['MIGRATE_SYNC_NO_COPY', 3],
  ['MIGRATEPAGE_SUCCESS', 0],
  // include/linux/gfp_types.h: __GFP_RECLAIM | __GFP_IO | __GFP_FS (0x400|0x800|0x40|0x80 in 6.1; the same bits, 10, 11, 6, 7, in 6.12)
  ['GFP_KERNEL', 0xcc0],
  ['LLONG_MAX', Number.MAX_SAFE_INTEGER],
  ['PAGEVEC_SIZE', 15],
  // __filemap_get_folio() flags (include/linux/pagemap.h, 6.1)
  ['FGP_ACCESSED', 0x1],
  ['FGP_LOCK', 0x2],
  ['FGP_CREAT', 0x4],
  ['FGP_WRITE', 0x8],
  ['FGP_NOFS', 0x10],
  ['FGP_NOWAIT', 0x20],
  ['FGP_FOR_MMAP', 0x40],
  ['FGP_HEAD', 0x80],
  ['FGP_ENTRY', 0x100],
  ['FGP_STABLE', 0x200],
  // backing_dev_info capabilities (include/linux/backing-dev-defs.h, 6.1)
  ['BDI_CAP_WRITEBACK', 1 << 0],
  ['BDI_CAP_WRITEBACK_ACCT', 1 << 1],
  ['BDI_CAP_STRICTLIMIT', 1 << 2],
  // enum wb_stat_item (include/linux/backing-dev-defs.h, 6.1, 6.12): which counter wb_stat_mod() moves
  ['WB_RECLAIMABLE', 0],
  ['WB_WRITEBACK', 1],
  ['WB_DIRTIED', 2],
  ['WB_WRITTEN', 3],
  // enum wb_state (include/linux/backing-dev-defs.h, 6.1, 6.12): bits of wb->state
  ['WB_registered', 0],
  ['WB_writeback_running', 1],
  ['WB_has_dirty_io', 2],
  ['WB_start_all', 3],
  // the low bits of page->mapping (include/linux/page-flags.h, 6.1, 6.12): an anonymous or
  // movable page's tag; a page-cache page's mapping is an aligned pointer (values.ts)
  ['PAGE_MAPPING_ANON', 0x1],
  ['PAGE_MAPPING_MOVABLE', 0x2],
  ['PAGE_MAPPING_KSM', 0x3],
  ['PAGE_MAPPING_FLAGS', 0x3],
  // request flags (include/linux/blk_types.h, 6.1: 1 << __REQ_*, after REQ_OP_BITS = 8 op bits)
  // that wbc_to_write_flags() gives a bio: a scheduling hint the disk model ignores
  ['REQ_SYNC', 1 << 11],
  ['REQ_BACKGROUND', 1 << 20],
  ['REQ_CGROUP_PUNT', 1 << 22],
  // enum mapping_flags (include/linux/pagemap.h, 6.1): bits of mapping->flags, plain memory
  // that starts 0 for the modeled file (writeback tags used, no error, no release-always).
  // 6.12 numbers AS_RELEASE_ALWAYS 6; a run only compares a name with itself.
  ['AS_EIO', 0],
  ['AS_ENOSPC', 1],
  ['AS_MM_ALL_LOCKS', 2],
  ['AS_UNEVICTABLE', 3],
  ['AS_EXITING', 4],
  ['AS_NO_WRITEBACK_TAGS', 5],
  ['AS_LARGE_FOLIO_SUPPORT', 6],
  ['AS_RELEASE_ALWAYS', 7],
  // 6.12's AS_STABLE_WRITES (7) and AS_INACCESSIBLE (8, asked by move_to_new_folio through
  // mapping_inaccessible()), numbered past the 6.1 bits above: a run only compares a name with itself
  ['AS_STABLE_WRITES', 8],
  ['AS_INACCESSIBLE', 9],
  // the block-device pseudo-filesystem's superblock (block/bdev.c): never a modeled file's
  // (sb_is_blkdev_sb() is false for them, backing-dev.ts)
  ['blockdev_superblock', 'sb:bdev'],
  // task states a sleep names (include/linux/sched.h)
  ['TASK_RUNNING', 0],
  ['TASK_INTERRUPTIBLE', 1],
  ['TASK_UNINTERRUPTIBLE', 2],
  ['TASK_KILLABLE', 2 | 256],
  ['TASK_WAKEKILL', 256],
  ['TASK_NORMAL', 1 | 2],
  // include/linux/wait.h (6.1): the WQ_FLAG_* bits of a wait entry (ops/pagewait.ts)
  ['WQ_FLAG_EXCLUSIVE', 0x01],
  ['WQ_FLAG_WOKEN', 0x02],
  ['WQ_FLAG_BOOKMARK', 0x04],
  ['WQ_FLAG_CUSTOM', 0x08],
  ['WQ_FLAG_DONE', 0x10],
  // kernel/sched/wait.c (6.1): a wake-up walk drops the queue lock after this many entries (with a bookmark)
  ['WAITQUEUE_WALK_BREAK_CNT', 64],
  // which wake_page_function() a page waiter queues with (wait->func, ops/pagewait.ts): model constants
  ['WAKE_PAGE_AUTOREMOVE', 1],
  ['WAKE_PAGE_FLAGS', 2],
  // enum behavior of folio_wait_bit_common() (mm/filemap.c, 5.9 on)
  ['EXCLUSIVE', 0],
  ['SHARED', 1],
  ['DROP', 2],
  // mm/filemap.c (5.9 on): how often a lock waiter lets the bit be stolen before the waker hands it over
  ['sysctl_page_lock_unfairness', 5],
  // include/linux/page-flags.h (6.1, 6.12): which struct page of a folio holds a flag
  // (folio_flags(folio, n)); header #defines, which the lifter does not read
  ['FOLIO_PF_ANY', 0],
  ['FOLIO_PF_HEAD', 0],
  ['FOLIO_PF_ONLY_HEAD', 0],
  ['FOLIO_PF_NO_TAIL', 0],
  ['FOLIO_PF_NO_COMPOUND', 0],
  ['FOLIO_PF_SECOND', 1],
  // inode->i_state bits (include/linux/fs.h, 5.9-6.1 numbering; 6.12 renumbers them and a
  // run only compares a name with itself). I_SYNC_QUEUED since 5.9 (5afced3bf281).
  ['I_DIRTY_SYNC', 1 << 0],
  ['I_DIRTY_DATASYNC', 1 << 1],
  ['I_DIRTY_PAGES', 1 << 2],
  ['I_NEW', 1 << 3],
  ['I_WILL_FREE', 1 << 4],
  ['I_FREEING', 1 << 5],
  ['I_CLEAR', 1 << 6],
  ['__I_SYNC', 7],
  ['I_SYNC', 1 << 7],
  ['I_REFERENCED', 1 << 8],
  ['I_DIRTY_TIME', 1 << 11],
  ['I_WB_SWITCH', 1 << 13],
  ['I_SYNC_QUEUED', 1 << 17],
  ['I_PINNING_FSCACHE_WB', 1 << 18],
  ['I_PINNING_NETFS_WB', 1 << 18], // 6.12's name
  ['I_DIRTY_INODE', (1 << 0) | (1 << 1)],
  ['I_DIRTY', (1 << 0) | (1 << 1) | (1 << 2)],
  ['I_DIRTY_ALL', (1 << 0) | (1 << 1) | (1 << 2) | (1 << 11)],
  ['PAGE_KEEP', 0],
  ['PAGE_ACTIVATE', 1],
  ['PAGE_SUCCESS', 2],
  ['PAGE_CLEAN', 3],
]);

export function constantValue(name: string): Value | undefined {
  return CONSTANTS.get(name) ?? FAULT_CONSTANTS.get(name) ?? RECLAIM_CONSTANTS.get(name) ?? UNMAP_CONSTANTS.get(name) ?? GUP_CONSTANTS.get(name) ?? DIO_CONSTANTS.get(name) ?? flagConstant(name) ?? staticKeyValue(name);
}

/**
 * Bits numbered by an enum of a plain field's word (mapping->flags' AS_*, wb->state's
 * WB_*): test_bit(AS_EIO, &mapping->flags) reads that field, not a page's flag word.
 */
export function isPlainWordBit(name: string): boolean {
  if (/^PGDAT_[A-Z_]+$/.test(name)) return typeof RECLAIM_CONSTANTS.get(name) === 'number';
  // bits of mm->flags (gup-constants.ts)
  if (/^MMF_[A-Z_]+$/.test(name)) return typeof GUP_CONSTANTS.get(name) === 'number';
  return /^(AS|WB)_[A-Za-z_]+$/.test(name) && typeof CONSTANTS.get(name) === 'number' && !name.startsWith('WB_SYNC') && !/^WB_(RECLAIMABLE|WRITEBACK|DIRTIED|WRITTEN)$/.test(name);
}

export function isConstantName(name: string): boolean {
  return constantValue(name) !== undefined;
}
