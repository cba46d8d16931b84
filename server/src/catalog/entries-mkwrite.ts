/**
 * Catalog entries of the write fault on a shared file mapping and of ->page_mkwrite, as
 * race mkwrite-vs-release (b827e496c893, 2.6.30) and mmap-dirty-lost run them: 6.1's
 * do_wp_page → wp_page_shared → do_page_mkwrite → finish_mkwrite_fault →
 * fault_dirty_shared_page from the tree, over struct vm_fault and PTE words.
 */
import type { CatalogEntry } from './catalog-entry.js';

const FIX = { commit: 'b827e496c893', version: '2.6.30' };
const PIGGIN_2009 = { ...FIX, what: '"mm: close page_mkwrite races" (Nick Piggin): ->page_mkwrite may return the page locked (VM_FAULT_LOCKED); the fault keeps it locked while the PTE is made writable and the page dirtied, so writeback and ->releasepage cannot run in between.' };

export const MKWRITE_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'wp_page_shared', names: ['wp_page_shared'], file: 'mm/memory.c', kind: 'model',
    description: 'The write fault on a present read-only PTE of a shared mapping: with ->page_mkwrite, drops the PTE lock, calls it (do_page_mkwrite), then retakes the PTE lock and makes the PTE writable and dirty (finish_mkwrite_fault) and dirties the page under the page lock (fault_dirty_shared_page); without, reuses the PTE and locks the page to dirty it.',
    reads: ['PTE', 'vma->vm_ops'], writes: ['PTE writable/dirty', 'PG_dirty', 'PG_locked', 'page refcount'],
    history: [PIGGIN_2009],
  },
  {
    id: 'do_page_mkwrite', names: ['do_page_mkwrite'], file: 'mm/memory.c', kind: 'model',
    description: 'Calls vma->vm_ops->page_mkwrite with FAULT_FLAG_MKWRITE; makes sure the page comes back locked (locks it and rechecks page->mapping when the filesystem did not return VM_FAULT_LOCKED).',
    reads: ['page->mapping', 'PG_locked'], writes: ['PG_locked'],
    history: [PIGGIN_2009],
  },
  {
    id: 'finish_mkwrite_fault', names: ['finish_mkwrite_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'After ->page_mkwrite: retakes the PTE lock, rechecks that the PTE is the one the fault saw (pte_same with vmf->orig_pte), and makes it writable and dirty (wp_page_reuse).',
    reads: ['PTE', 'page-table lock'], writes: ['PTE writable/dirty', 'page-table lock'], history: [],
  },
  {
    id: 'wp_page_reuse', names: ['wp_page_reuse'], file: 'mm/memory.c', kind: 'model',
    description: 'Makes the faulting PTE young, dirty and writable (ptep_set_access_flags) and drops the PTE lock.',
    reads: ['PTE'], writes: ['PTE writable/dirty', 'page-table lock'], history: [],
  },
  {
    id: 'fault_dirty_shared_page', names: ['fault_dirty_shared_page'], file: 'mm/memory.c', kind: 'model',
    description: 'Dirties the page a write fault made writable (set_page_dirty, through ->dirty_folio), then unlocks it and throttles the dirtier. Dirtying under the page lock is what keeps writeback\'s clear_page_dirty_for_io and ->releasepage out.',
    reads: ['page->mapping'], writes: ['PG_dirty', 'buffer dirty', 'PG_locked'],
    history: [
      { commit: '79352894b285', version: '2.6.29', what: '"mm: fix clear_page_dirty_for_io vs fault race" (Nick Piggin): the fault waits for the page lock before set_page_dirty.' },
      PIGGIN_2009,
    ],
  },
  {
    id: 'block_page_mkwrite', names: ['block_page_mkwrite'], file: 'fs/buffer.c', kind: 'model',
    lift: { use: 'builtin', why: 'its block mapping (__block_write_begin_int reading or zeroing blocks through the buffer cache and bdev aliases) is below the model: the page\'s own buffers are attached, mapped and dirtied, and the page returned locked' },
    description: 'The ->page_mkwrite of block filesystems: locks the page, checks it is still in the file within i_size, attaches and maps its buffers and marks them dirty. Up to 2.6.29 it unlocked the page before returning; since 2.6.30 it returns it locked (block_page_mkwrite_return: VM_FAULT_LOCKED).',
    reads: ['page->mapping', 'i_size', 'buffer flags'], writes: ['PG_private', 'buffer flags', 'PG_dirty', 'PG_locked'],
    history: [{ version: '2.6.29', what: 'returns with the page unlocked: writeback can clean it and try_to_free_buffers strip the buffers before the fault dirties it.' }, PIGGIN_2009],
  },
  {
    id: 'ext4_page_mkwrite', names: ['ext4_page_mkwrite'], file: 'fs/ext4/inode.c', kind: 'model',
    lift: { use: 'builtin', why: 'its allocating path runs under a journal handle and ext4\'s block allocator, below the model; the model keeps its order: the page locked and rechecked, returned locked when its buffers are mapped, else through block_page_mkwrite()' },
    description: 'ext4\'s ->page_mkwrite: a page whose buffers are all mapped is returned locked at once (after wait_for_stable_page); otherwise the blocks are allocated under a journal handle through block_page_mkwrite() (delayed allocation: ext4_da_get_block_prep).',
    reads: ['page->mapping', 'i_size', 'buffer mapped'], writes: ['PG_locked', 'buffers'], history: [PIGGIN_2009],
  },
  {
    id: 'mark_buffer_dirty', names: ['mark_buffer_dirty'], file: 'fs/buffer.c', kind: 'model',
    description: 'Marks a buffer dirty and, the first time, its page dirty with its dirty tag (and the inode dirty).',
    reads: ['BH_Dirty'], writes: ['BH_Dirty', 'PG_dirty', 'dirty tag'], history: [],
  },
  {
    id: 'create_empty_buffers', names: ['create_empty_buffers', 'folio_create_empty_buffers'], file: 'fs/buffer.c', kind: 'model',
    lift: { use: 'builtin', why: 'the real one allocates a new NULL-terminated list of buffer_heads and closes it into a ring; the model\'s buffer_heads are the page\'s own, set up before the CPUs start' },
    since: { folio_create_empty_buffers: '6.6' },
    description: 'Attaches a new ring of buffer_heads to a page (PG_private), uptodate when the page is. In the model the ring is the page\'s own, reset clean and unmapped.',
    reads: ['PG_uptodate'], writes: ['PG_private', 'buffer flags'], history: [],
  },
  {
    id: 'handle_mm_fault', names: ['handle_mm_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'The page fault entry, under the mmap_lock (the harness enters it as do_user_addr_fault does: common/arch-fault.c): accounting and memcg hooks around __handle_mm_fault(), which walks the page tables to the PTE (handle_pte_fault) and dispatches: an empty PTE to the missing-page fault, a write to a read-only present PTE to do_wp_page(). From the tree with --src (the levels above the PTE as one-entry data, sim/ops/page-tables.ts); the built-in eras\' handle_mm_fault models take the same arguments.',
    reads: ['PTE', 'mmap_lock'], writes: ['PTE'], history: [],
  },
  {
    id: 'pte_same', names: ['pte_same', 'ptep_get', 'pte_none'], file: 'include/linux/pgtable.h', kind: 'primitive',
    description: 'Reads of a PTE word: the whole word (ptep_get, READ_ONCE(*ptep)), whether it is empty, and whether it is still the word the fault saw (a pointer argument, *vmf->pte, is read at that step).',
    reads: ['PTE'], writes: [], history: [],
  },
  {
    id: 'ptep_set_access_flags', names: ['ptep_set_access_flags'], file: 'arch/x86/mm/pgtable.c', kind: 'primitive',
    description: 'Under the page-table lock, sets the PTE to the entry when that adds bits (write, dirty, young): how a write fault makes a present PTE writable and dirty.',
    reads: ['PTE', 'page-table lock'], writes: ['PTE writable/dirty'], history: [],
  },
];
