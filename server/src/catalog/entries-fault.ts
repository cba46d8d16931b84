/**
 * Catalog entries of the fault path and of invalidation, as race fault-vs-invalidate
 * (d00806b18315, 2.6.23) runs them: what each is, what it reads and writes, its names
 * across releases and its history.
 */
import type { CatalogEntry } from './catalog-entry.js';

const FIX = { commit: 'd00806b18315', version: '2.6.23' };

export const FAULT_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'do_no_page', names: ['do_no_page'], file: 'mm/memory.c', kind: 'model',
    description: 'A fault on an empty PTE of a file mapping, up to 2.6.22: asks ->nopage for the page, rechecks mapping->truncate_count under the page-table lock, and installs the PTE. The page is not locked. (The built-in handle_mm_fault of every era calls the missing-page fault by this name; 6.1\'s model keeps do_read_fault/__do_fault/finish_fault\'s order, with the folio locked. With --src the tree\'s handle_mm_fault runs and never calls it.)',
    reads: ['PTE present', 'truncate_count'], writes: ['PTE', 'page refcount'],
    history: [
      { version: '2.6.22', what: 'truncate_count catches truncation (which always unmaps) but not invalidate_inode_pages2(), which unmaps only mapped pages: a page found but not yet mapped is removed and then mapped.' },
      { ...FIX, what: '"mm: fix fault vs invalidate race for linear mappings" (Nick Piggin, after Andrea Arcangeli): ->nopage returns the page locked and it stays locked until set_pte_at(); __do_fault() replaced do_no_page() in the same release.' },
    ],
  },
  {
    id: '__do_fault', names: ['__do_fault'], file: 'mm/memory.c', kind: 'model',
    description: 'Since 2.6.23: calls ->fault, makes sure the page is locked (VM_FAULT_LOCKED or lock_page), and installs the PTE under the page-table lock before unlocking the page. In 6.1 it only calls ->fault; finish_fault() maps and do_read_fault() unlocks.',
    reads: ['PTE present'], writes: ['PTE', 'PG_locked', 'page refcount'],
    history: [{ ...FIX, what: 'the page stays locked through the mapping, so invalidation (which holds the page lock from its page_mapped() test to the removal) either sees the PTE or removes the page first.' }],
  },
  {
    id: 'filemap_nopage', names: ['filemap_nopage'], file: 'mm/filemap.c', kind: 'model',
    description: 'The page-cache ->nopage up to 2.6.22: finds the page at the fault\'s offset with find_get_page() (a reference, no lock) and returns it.',
    reads: ['page->mapping', 'PG_uptodate', 'i_size'], writes: ['page refcount'],
    history: [{ ...FIX, what: 'find_get_page() became find_lock_page(), then ->nopage became ->fault: filemap_fault() returns the page locked (VM_FAULT_LOCKED) after rechecking it and i_size under the lock. (filemap_fault: entries-readfault.ts; its readahead is a stated boundary.)' }],
  },
  {
    id: 'find_lock_page', names: ['find_lock_page'], file: 'mm/filemap.c', kind: 'model',
    description: 'Page-cache lookup at one index with a reference and the page lock; retries when the page left the mapping while it slept on the lock.',
    reads: ['page->mapping'], writes: ['page refcount', 'PG_locked'],
    history: [{ ...FIX, what: 'filemap_fault() looks its page up with find_lock_page(): what excludes invalidation until the PTE is set.' }],
  },
  {
    id: 'find_get_page', names: ['find_get_page'], file: 'mm/filemap.c', kind: 'model',
    description: 'Page-cache lookup at one index with a reference and no lock.',
    reads: ['page->mapping'], writes: ['page refcount'], history: [],
  },
  {
    id: '__filemap_get_folio', names: ['__filemap_get_folio'], file: 'mm/filemap.c', kind: 'model',
    description: 'The folio lookup behind filemap_get_folio()/filemap_lock_folio(): with FGP_LOCK it locks the folio and retries if it was truncated meanwhile. Returns NULL when nothing is cached (6.1), ERR_PTR(-ENOENT) since 6.3.',
    reads: ['page->mapping'], writes: ['page refcount', 'PG_locked'], history: [],
  },
  {
    id: 'invalidate_inode_pages2_range', names: ['invalidate_inode_pages2_range'], file: 'mm/truncate.c', kind: 'model',
    description: 'Drops a range of a file\'s page cache, mapped pages included: under each page\'s lock, unmaps it while mapped, launders it if dirty, and removes it without looking at its reference count (invalidate_complete_page2).',
    reads: ['PTEs', 'page->mapping', 'PG_dirty', 'PG_writeback'], writes: ['page cache', 'PTE', 'PG_uptodate'],
    history: [
      { version: '2.6.22', what: 'while (page_mapped(page)) unmap_mapping_range(); a page that a fault holds but has not mapped yet is removed, and the fault maps it after.' },
      { ...FIX, what: 'with faults holding the page lock, one unmap suffices: if (page_mapped(page)) … BUG_ON(page_mapped(page)).' },
      { version: '6.1', what: 'folio names; the range is zapped before the folio lock is taken, and again under the lock if a fault mapped it meanwhile.' },
    ],
  },
  {
    id: 'invalidate_complete_page2', names: ['invalidate_complete_page2', 'invalidate_complete_folio2'], file: 'mm/truncate.c', kind: 'model',
    since: { invalidate_complete_folio2: '5.18' },
    description: 'Removes one locked, clean, released page from the page cache for invalidate_inode_pages2, whatever its reference count: a reference a racing fault holds does not keep it.',
    reads: ['page->mapping', 'PG_dirty', 'PG_private'], writes: ['page cache', 'PG_uptodate', 'page refcount'],
    history: [],
  },
  {
    id: 'do_launder_page', names: ['do_launder_page', 'folio_launder'], file: 'mm/truncate.c', kind: 'model',
    since: { folio_launder: '5.18' },
    description: 'Writes a dirty page back through ->launder_page (->launder_folio) before invalidation; nothing to do for a clean page or a file without the operation.',
    reads: ['PG_dirty', 'page->mapping'], writes: [], history: [],
  },
  {
    id: 'page_cache_read', names: ['page_cache_read'], file: 'mm/filemap.c', kind: 'model',
    lift: { use: 'builtin', why: 'reading a page that is not cached allocates a new page, which the model cannot: its pages are the scenario\'s own' },
    description: 'Allocates a page, adds it to the page cache and reads it. In the simulator the allocation fails (-ENOMEM), as the 6.1 model\'s filemap_alloc_folio() does.',
    reads: [], writes: [], history: [],
  },
  {
    id: 'pte_install', names: ['pte_install'], file: 'server/src/sim/ops/fault.ts', kind: 'primitive',
    description: 'set_pte_at() of a fault, with page_add_file_rmap(): one step on the PTE, under the page-table lock; the check that the page is in the mapping\'s file (pte-maps-orphan) is made here.',
    reads: ['page-table lock', 'PTE present', 'page->mapping'], writes: ['PTE'], history: [],
  },
  {
    id: 'pte_load', names: ['pte_load'], file: 'server/src/sim/ops/fault.ts', kind: 'primitive',
    description: 'A user load through the mapping: done by the CPU through a present PTE, a read fault otherwise.',
    reads: ['PTE present'], writes: [], history: [],
  },
];
