/**
 * Catalog entries of the pin and buffer-migration races (issue 17, items 1 and 3):
 * pinned-page-buffers and buffer-migrate-lookup.
 */
import type { CatalogEntry } from './catalog-entry.js';

const D824 = { commit: 'd824ec2a1546', version: '6.4', what: 'Jan Kara, "mm: do not reclaim private data from pinned page": shrink_folio_list() skips a folio that folio_maybe_dma_pinned() once it is unmapped, so its buffers stay (7273da3cfde7 in 6.1.y).' };
const GUP2018 = { version: '4.15', what: 'Jan Kara, Jan 2018 ("get_user_pages() and filesystems"): a page pinned by GUP is written back and loses its buffers to reclaim; set_page_dirty_lock() at the end of the DMA dirties a page with no buffers and ext4 BUGs in writeback.' };

export const PIN_ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'unpin_user_pages_dirty_lock', names: ['unpin_user_pages_dirty_lock'], file: 'mm/gup.c', kind: 'model',
    description: 'Ends FOLL_PIN pins that wrote into the pages: each page not yet dirty is locked and marked dirty through its filesystem (set_page_dirty_lock / folio_mark_dirty), then the pin (GUP_PIN_COUNTING_BIAS references) is dropped.',
    reads: ['PG_dirty', 'page refcount'], writes: ['PG_dirty', 'PG_locked', 'buffer dirty', 'page refcount'],
    history: [GUP2018, D824],
  },
  {
    id: 'put_compound_head', names: ['put_compound_head', 'gup_put_folio'], file: 'mm/gup.c', kind: 'model',
    since: { gup_put_folio: '5.19' },
    description: 'Drops GUP references: for FOLL_PIN a small page\'s pin is GUP_PIN_COUNTING_BIAS references; the last reference frees the page.',
    reads: ['page refcount'], writes: ['page refcount'], history: [],
  },
  {
    id: 'set_page_dirty_lock', names: ['set_page_dirty_lock'], file: 'mm/page-writeback.c', kind: 'model',
    description: 'set_page_dirty() for a caller that does not hold the page lock: locks the page around it.',
    reads: ['page->mapping'], writes: ['PG_locked', 'PG_dirty', 'buffer dirty'], history: [GUP2018],
  },
  {
    id: 'try_to_unmap', names: ['try_to_unmap'], file: 'mm/rmap.c', kind: 'model',
    description: 'Reclaim\'s unmapping of a folio from every mapping: rmap_walk() with try_to_unmap_one() (a tree\'s own; the built-in eras clear each PTE with its flush): each PTE cleared (under TTU_BATCH_FLUSH its flush left to the task\'s batch, ops/tlb-batch.ts), a dirty PTE\'s bit moved to the folio, the rmap and the mapping\'s reference dropped. A pin does not stop it.',
    reads: ['PTEs'], writes: ['PTEs', 'PG_dirty', 'page refcount'], history: [D824],
  },
];

const EBDF = { commit: 'ebdf4de5642f', version: '5.3', what: 'Jan Kara, "mm: migrate: fix reference check race between __find_get_block() and migration": buffer_migrate_page_norefs() keeps private_lock from the buffers\' reference check until the page has moved (backported to 5.2.y).' };
const LOOKUP2019 = { version: '5.2', what: 'buffer_migrate_page_norefs() dropped private_lock after finding no buffer referenced; __find_get_block() then took a reference and its user\'s update was copied over, or written to the old page (lost metadata updates).' };

export const MIGRATE_ENTRIES: readonly CatalogEntry[] = [
  {
    id: '__buffer_migrate_page', names: ['__buffer_migrate_page', '__buffer_migrate_folio'], file: 'mm/migrate.c', kind: 'model',
    since: { __buffer_migrate_folio: '6.0' },
    description: 'Migrates a page-cache page with buffers: checks the references, locks the buffers, (for the norefs variant) checks under private_lock that no buffer is referenced, replaces the page in the cache, moves the buffer ring and each bh->b_page to the new page, copies the data.',
    reads: ['page refcount', 'b_count', 'page private'], writes: ['page cache', 'page private', 'bh->b_page', 'page memory', 'buffer locks'],
    history: [LOOKUP2019, EBDF],
  },
  {
    id: 'buffer_migrate_page_norefs', names: ['buffer_migrate_page_norefs', 'buffer_migrate_folio_norefs'], file: 'mm/migrate.c', kind: 'model',
    since: { buffer_migrate_folio_norefs: '6.0' },
    description: 'The block device\'s ->migratepage (->migrate_folio): buffer migration that refuses a page whose buffers someone holds a reference to (the buffer cache\'s users do not lock the page).',
    reads: ['b_count'], writes: ['page cache', 'bh->b_page'], history: [LOOKUP2019, EBDF],
  },
  {
    id: 'buffer_migrate_page', names: ['buffer_migrate_page', 'buffer_migrate_folio'], file: 'mm/migrate.c', kind: 'model',
    since: { buffer_migrate_folio: '6.0' },
    description: 'A filesystem\'s ->migratepage for pages with buffers: moves the buffers without checking their references.',
    reads: ['page refcount'], writes: ['page cache', 'bh->b_page'], history: [],
  },
  {
    id: 'migrate_page', names: ['migrate_page', 'migrate_folio'], file: 'mm/migrate.c', kind: 'model',
    since: { migrate_folio: '6.0' },
    description: 'Migrates a page-cache page without buffers: replaces it in the cache, then copies data and flags.',
    reads: ['page refcount'], writes: ['page cache', 'page memory'], history: [],
  },
  {
    id: 'move_to_new_page', names: ['move_to_new_page', 'move_to_new_folio'], file: 'mm/migrate.c', kind: 'model',
    since: { move_to_new_folio: '6.1' },
    description: 'Calls the mapping\'s ->migratepage (->migrate_folio) with both pages locked, and clears the old page\'s mapping on success.',
    reads: ['page->mapping'], writes: ['page->mapping'], history: [EBDF],
  },
  {
    id: '__find_get_block', names: ['__find_get_block'], file: 'fs/buffer.c', kind: 'model',
    lift: { use: 'builtin', why: 'the block device is not an object of the model (struct block_device, its bd_inode and i_blkbits): the lookup is modeled on the block device\'s page cache, the scenario\'s file, in the tree\'s shape (__find_get_block_slow: the page at the block\'s index, private_lock, the buffer by block number, get_bh)' },
    description: 'Finds the buffer_head of a block device block and takes a reference (b_count): the per-CPU LRU first, then the page cache under mapping->private_lock (__find_get_block_slow).',
    reads: ['page cache', 'page private', 'buffer mapped'], writes: ['b_count'], history: [LOOKUP2019, EBDF],
  },
  {
    id: '__find_get_block_slow', names: ['__find_get_block_slow'], file: 'fs/buffer.c', kind: 'model',
    lift: { use: 'builtin', why: 'as __find_get_block: struct block_device and its bd_inode are not modeled; the built-in follows the tree\'s steps on the scenario\'s file as the block device\'s page cache' },
    description: 'The page-cache side of __find_get_block: the page at the block\'s index, its buffer ring under private_lock, get_bh() on the buffer with the block number.',
    reads: ['page cache', 'page private', 'b_blocknr'], writes: ['b_count', 'page refcount'], history: [EBDF],
  },
  {
    id: 'set_bh_page', names: ['set_bh_page'], file: 'fs/buffer.c', kind: 'model',
    description: 'Points a buffer_head at a page: b_page and b_data (the page\'s address plus the offset).',
    reads: [], writes: ['bh->b_page'], history: [EBDF],
  },
  {
    id: 'brelse', names: ['brelse', '__brelse', 'put_bh', 'get_bh'], file: 'include/linux/buffer_head.h', kind: 'model',
    description: 'Buffer references: get_bh()/put_bh() on b_count; brelse() drops one (warning on a free buffer).',
    reads: ['b_count'], writes: ['b_count'], history: [],
  },
];
