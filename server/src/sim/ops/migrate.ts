/**
 * Page migration of page-cache pages with buffers (compaction moving a block device's
 * page), and the buffer cache's view of it. The model's page cache is each page's
 * page->mapping: the xarray slot's replacement (migrate_page_move_mapping) takes the
 * old page out of the cache and puts the new one in, in one step under the i_pages
 * lock, as the real one does with the old page's references frozen. The per-CPU bh
 * LRUs are not modeled: every lookup goes to the page cache.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { TAGS, blockOf, key } from '../world.js';
import { bhArg, livePage, mappingArg, num, pageArg } from './args.js';
import { getPage } from './pagecache.js';
import { writePageBlock } from './versions.js';

/** MIGRATEPAGE_SUCCESS, and -EAGAIN */
const SUCCESS = 0;
const EAGAIN = -11;

function pagesLockBusy(c: StepContext, file: string): boolean {
  const holder = c.get(key.lock(`${file}.i_pages`));
  return holder !== null && holder !== c.tid;
}

/**
 * The model's reference count holds no reference for attached buffers (the real
 * attach_page_private() takes one), so a page-cache page that migration isolated has
 * exactly two: the cache's and the isolation's.
 */
function expectedRefs(extra: number): number {
  return 2 + extra;
}

/** Replaces `page` by `newpage` in its file's cache; returns MIGRATEPAGE_SUCCESS or -EAGAIN. */
function moveMapping(c: StepContext, m: unknown, np: unknown, p: unknown, expected: number): number {
  const file = mappingArg(c, m as string);
  const page = livePage(c, p as string);
  const newpage = livePage(c, np as string);
  if (c.layout.pages.get(newpage)!.index !== c.layout.pages.get(page)!.index) {
    throw new PrimitiveError(`migration of ${page} to ${newpage}: the new page must be set up at the same index of ${file}`);
  }
  if (c.get(key.pageMapping(page)) === null || num(c.get(key.pageRef(page))) !== expected) return EAGAIN;
  c.set(key.pageMapping(newpage), `mapping:${file}`);
  getPage(c, newpage);	// the cache's reference
  // dirty moves while the old page's references are frozen, and the tags with the slot
  if (c.get(key.pageFlag(page, 'dirty'))) {
    c.set(key.pageFlag(page, 'dirty'), 0);
    c.set(key.pageFlag(newpage, 'dirty'), 1);
  }
  for (const tag of TAGS) {
    c.set(key.tag(file, tag, newpage), c.get(key.tag(file, tag, page)));
    c.set(key.tag(file, tag, page), 0);
  }
  c.set(key.pageMapping(page), null);
  c.set(key.pageRef(page), num(c.get(key.pageRef(page))) - 1);	// page_ref_unfreeze(page, expected - 1)
  c.remark(`${newpage} replaces ${page} in ${file}'s page cache`);
  return SUCCESS;
}

/** Copies the page's data and its state flags to the new page (copy_highpage, migrate_page_states). */
function copyPage(c: StepContext, np: unknown, p: unknown, data: boolean): number {
  const page = livePage(c, p as string);
  const newpage = livePage(c, np as string);
  if (data) {
    const blocks = c.layout.pages.get(page)!.blocks;
    for (let n = 0; n < blocks; n++) c.set(key.mem(newpage, n), c.get(key.mem(page, n)));
  }
  for (const flag of ['uptodate', 'mappedtodisk']) {
    if (c.get(key.pageFlag(page, flag))) c.set(key.pageFlag(newpage, flag), 1);
  }
  return 0;
}

const MOVE = {
  doc: 'replaces the page by the new one in the page cache, if only the cache and migration hold it (refcount frozen under the i_pages lock); -EAGAIN otherwise',
  reads: ['lock', 'page cache', 'page refcount', 'PG_dirty', 'page-cache tags'],
  writes: ['page cache', 'page refcount', 'PG_dirty', 'page-cache tags'],
} as const;

export const migratePrimitives: Primitive[] = [
  {
    names: ['migrate_page_move_mapping'],
    ...MOVE,
    blocks: (c, [m]) => pagesLockBusy(c, mappingArg(c, m)),
    run: (c, [m, np, p, , extra]) => moveMapping(c, m, np, p, expectedRefs(num(extra))),
  },
  {
    names: ['folio_migrate_mapping'],
    ...MOVE,
    blocks: (c, [m]) => pagesLockBusy(c, mappingArg(c, m)),
    run: (c, [m, np, p, extra]) => moveMapping(c, m, np, p, expectedRefs(num(extra))),
  },
  {
    // 6.12: the caller passes the count it computed (folio_expected_ref_count() + its own)
    names: ['__folio_migrate_mapping'],
    ...MOVE,
    blocks: (c, [m]) => pagesLockBusy(c, mappingArg(c, m)),
    run: (c, [m, np, p, expected]) => moveMapping(c, m, np, p, num(expected)),
  },
  {
    names: ['folio_expected_ref_count'],
    doc: 'the references a cached folio has from the page cache, PG_private and mappings, not the caller\'s: the cache\'s one (the model counts none for buffers)',
    reads: ['page->mapping'],
    run: (c, [p]) => (c.get(key.pageMapping(livePage(c, p))) !== null ? 1 : 0),
  },
  {
    names: ['expected_page_refs', 'folio_expected_refs'],
    doc: 'the references an isolated page-cache page has when nobody else holds it (the model counts none for buffers)',
    pure: true,
    run: () => expectedRefs(0),
  },
  {
    names: ['migrate_page_copy', 'folio_migrate_copy'],
    doc: 'copies the page\'s data to the new page, then its state flags (uptodate, mappedtodisk)',
    reads: ['page memory', 'PG_uptodate', 'PG_mappedtodisk'], writes: ['page memory', 'PG_uptodate', 'PG_mappedtodisk'],
    run: (c, [np, p]) => copyPage(c, np, p, true),
  },
  {
    names: ['folio_mc_copy'],
    doc: 'copies the folio\'s data to the new folio (machine-check safe in the kernel); returns 0',
    reads: ['page memory'], writes: ['page memory'],
    run: (c, [np, p]) => {
      const page = livePage(c, p);
      const newpage = livePage(c, np);
      for (let n = 0; n < c.layout.pages.get(page)!.blocks; n++) c.set(key.mem(newpage, n), c.get(key.mem(page, n)));
      return 0;
    },
  },
  {
    names: ['migrate_page_states', 'folio_migrate_flags'],
    doc: 'copies the page\'s state flags (uptodate, mappedtodisk) to the new page, not its data',
    reads: ['PG_uptodate', 'PG_mappedtodisk'], writes: ['PG_uptodate', 'PG_mappedtodisk'],
    run: (c, [np, p]) => copyPage(c, np, p, false),
  },
  {
    names: ['buffer_write_data'],
    doc: 'a buffer user changes the block through bh->b_data holding only its reference: a new version lands in the memory of the page the buffer points into now',
    reads: ['buffer page', 'disk'], writes: ['page memory', 'disk', 'buffer update'],
    run: (c, [b]) => {
      const bh = bhArg(c, b);
      const info = c.layout.buffers.get(bh)!;
      const target = livePage(c, c.get(key.bhPage(bh)));
      const block = blockOf(c.layout, info.page, info.n);
      const version = writePageBlock(c, target, block, info.n);
      c.set(key.bhUpdate(block), version);
      return 0;
    },
  },
  {
    names: ['page_block_nr'],
    doc: 'the disk block number buffer n of the page maps (its bh->b_blocknr)',
    pure: true,
    run: (c, [p, n]) => {
      const bh = c.layout.pages.get(pageArg(c, p))!.buffers[num(n)];
      if (!bh) throw new PrimitiveError(`page ${pageArg(c, p)} has no buffer ${num(n)}`);
      return blockNumber(c, bh);
    },
  },
  {
    names: ['block_page_index'],
    doc: 'the page index of the block device\'s page cache that holds a block (block >> (PAGE_SHIFT - i_blkbits) in the model\'s numbering)',
    pure: true,
    run: (_c, [block]) => Math.floor(num(block) / BLOCKS_PER_PAGE),
  },
  {
    names: ['find_get_page', 'find_get_page_flags'],
    doc: 'the page the file\'s cache holds at exactly this index, with a reference taken (NULL when none)',
    reads: ['page->mapping'], writes: ['page refcount'],
    run: (c, [m, index]) => {
      const file = mappingArg(c, m);
      const page = c.layout.files.get(file)!.pages.find((p) => c.layout.pages.get(p)!.index === num(index)
        && c.get(key.pageMapping(p)) !== null && !c.get(key.pageFreed(p)));
      if (!page) return null;
      getPage(c, page);
      return `page:${page}`;
    },
  },
  {
    names: ['bh_offset'],
    doc: 'the buffer\'s offset in its page ((unsigned long)bh->b_data & ~PAGE_MASK)',
    pure: true,
    run: (c, [b]) => {
      const info = c.layout.buffers.get(bhArg(c, b))!;
      return info.n * Math.floor(4096 / c.layout.pages.get(info.page)!.buffers.length);
    },
  },
  {
    names: ['folio_attach_private', 'attach_page_private'],
    doc: 'attaches data (a buffer ring) to the folio: page->private and PG_private (the model counts no reference for it)',
    reads: ['PG_private'], writes: ['PG_private', 'page private'],
    run: (c, [p, data]) => {
      const page = livePage(c, p);
      c.set(key.pagePrivate(page), typeof data === 'string' && data.startsWith('bh:') ? data : null);
      c.set(key.pageFlag(page, 'private'), 1);
      return 0;
    },
  },
  {
    names: ['folio_detach_private', 'detach_page_private'],
    doc: 'takes the data attached to the folio off it and returns it (NULL without PG_private)',
    reads: ['PG_private', 'page private'], writes: ['PG_private', 'page private'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      if (!c.get(key.pageFlag(page, 'private'))) return null;
      const data = c.get(key.pagePrivate(page));
      c.set(key.pageFlag(page, 'private'), 0);
      c.set(key.pagePrivate(page), null);
      return data;
    },
  },
  {
    names: ['lookup_bh_lru'],
    doc: 'the per-CPU LRU of recently looked-up buffers: the model keeps none, so the lookup goes to the page cache',
    pure: true,
    run: () => null,
  },
  {
    names: ['bh_lru_install', 'invalidate_bh_lrus', 'touch_buffer'],
    doc: 'the per-CPU bh LRUs (not modeled: lookups always go to the page cache) and the page\'s accessed mark',
    pure: true,
    run: () => 0,
  },
];

/** The model numbers block n of the page at index i i * 16 + n (sim/objects.ts, bh->b_blocknr). */
export const BLOCKS_PER_PAGE = 16;

export function blockNumber(c: StepContext, bh: string): number {
  const info = c.layout.buffers.get(bh)!;
  return c.layout.pages.get(info.page)!.index * BLOCKS_PER_PAGE + info.n;
}
