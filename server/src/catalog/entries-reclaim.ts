/**
 * Catalog entries of reclaim from the tree (issue 16, item 4): the caller that isolates
 * a file's folios, the boundaries below shrink_folio_list(), and the list primitives
 * its isolated lists are made of (sim/lru-lists.ts, sim/ops/lru.ts).
 */
import type { CatalogEntry } from './catalog-entry.js';

const MGORMAN = { version: '4.8', what: 'Mel Gorman\'s node-based LRU series: reclaim state moves to the node (PGDAT_DIRTY, PGDAT_WRITEBACK in pgdat->flags), which shrink_node() sets from the counts shrink_folio_list() returns.' };

export const RECLAIM_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'shrink_inactive_list', names: ['shrink_inactive_list'], file: 'mm/vmscan.c', kind: 'model',
    lift: { use: 'builtin', why: 'it isolates from a struct lruvec\'s inactive list under the lru_lock (isolate_lru_folios), throttles on congestion and accounts per memcg, none of which is modeled; the model isolates every cached folio of the scenario\'s file onto a list, runs the tree\'s shrink_folio_list() on it, puts back what it returns and flags the node PGDAT_DIRTY as shrink_node() does for kswapd' },
    description: 'Isolates folios from the inactive LRU onto a private list, reclaims them with shrink_folio_list() (shrink_page_list() before 6.1) and puts back the rest.',
    reads: ['page->mapping', 'page refcount'], writes: ['folio lru', 'page refcount', 'pgdat flags'], history: [MGORMAN],
  },
  {
    id: 'folio_referenced', names: ['page_referenced', 'folio_referenced'], file: 'mm/rmap.c', kind: 'model',
    since: { folio_referenced: '6.0' },
    lift: { use: 'builtin', why: 'the rmap walk (rmap_walk over the i_mmap tree with folio_referenced_one and ptep_clear_flush_young) reads PTE accessed bits, which the model\'s PTEs do not have: no referenced PTE is found and no VMA is VM_LOCKED' },
    description: 'Counts the PTEs that mapped the folio and were accessed since the last look (clearing their accessed bits), and collects the VMAs\' flags; reclaim keeps or activates a referenced folio.',
    reads: ['PTE'], writes: [], history: [],
  },
  {
    id: 'is_page_cache_freeable', names: ['is_page_cache_freeable'], file: 'mm/vmscan.c', kind: 'model',
    lift: { use: 'builtin', why: 'it subtracts PG_private from the reference count because attached private data holds a reference of its own (folio_attach_private); the model\'s reference counts never include that reference, so the built-in compares the count with 1 + nr_pages alone' },
    description: 'Whether only the page cache and the caller that isolated the folio hold references to it (pageout() writes nothing else).',
    reads: ['page refcount', 'PG_private'], writes: [], history: [],
  },
  {
    id: 'workingset_eviction', names: ['workingset_eviction'], file: 'mm/workingset.c', kind: 'model',
    lift: { use: 'builtin', why: 'it encodes the lruvec\'s eviction clock (nonresident_age), the memcg id and the node in a shadow entry for refault detection, none of which is modeled; the built-in leaves no shadow (NULL), as __remove_mapping() does for an exiting mapping' },
    description: 'Makes the shadow entry a reclaimed page-cache folio leaves in its xarray slot, for refault detection.',
    reads: [], writes: [], history: [],
  },
  {
    id: 'try_to_unmap_flush', names: ['try_to_unmap_flush', 'try_to_unmap_flush_dirty'], file: 'mm/rmap.c', kind: 'primitive',
    description: 'Flushes the TLB entries reclaim\'s batched unmapping left pending in current->tlb_ubc (the dirty variant only when a writable entry may remain), before a folio is written or freed: every CPU\'s entries of the batch\'s mms (ops/tlb-batch.ts).',
    reads: ['TLB batch'], writes: ['TLB batch', 'TLB'], history: [],
  },
  {
    id: 'list_splice', names: ['list_splice', 'list_splice_init', 'lru_to_folio'], file: 'include/linux/list.h', kind: 'primitive',
    description: 'Moves a whole list of folios onto another, or takes the last folio of one (lru_to_folio). Reclaim\'s isolated lists of folios as data (list_add and list_del on them too): a folio\'s lru names the list head it is on and its place; a LIST_HEAD() on the stack is the thread\'s own.',
    reads: ['folio lru'], writes: ['folio lru'], history: [],
  },
  {
    id: 'free_unref_page_list', names: ['free_unref_page_list', 'free_unref_folios'], file: 'mm/page_alloc.c', kind: 'primitive',
    description: 'Frees the folios reclaim collected on its free list: each has at most reclaim\'s reference left (none once __remove_mapping() froze the count).',
    reads: ['folio lru', 'page refcount'], writes: ['page refcount', 'page freed'], history: [],
  },
  {
    id: 'current_is_kswapd', names: ['current_is_kswapd'], file: 'include/linux/swap.h', kind: 'primitive',
    description: 'Whether the running task is kswapd (PF_KSWAPD): in a scenario, the CPUs labelled kswapd.',
    reads: [], writes: [], history: [],
  },
];
