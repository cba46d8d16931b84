/** Page reclaim's view: isolating pages, freeing clean ones, counting progress. */
import type { Primitive } from '../primitive.js';
import { key } from '../world.js';
import { livePage, mappingArg, num } from './args.js';
import { putPage } from './pagecache.js';

export const reclaimPrimitives: Primitive[] = [
  {
    names: ['file_nr_pages'],
    doc: 'how many pages the file has',
    pure: true,
    run: (c, [m]) => c.layout.files.get(mappingArg(c, m))!.pages.length,
  },
  {
    names: ['file_page'],
    doc: 'the i-th page of the file',
    pure: true,
    run: (c, [m, i]) => {
      const page = c.layout.files.get(mappingArg(c, m))!.pages[num(i)];
      return page ? `page:${page}` : null;
    },
  },
  {
    names: ['isolate_lru_page', 'folio_isolate_lru'],
    doc: 'takes the page off the LRU with a reference of reclaim\'s own; 0 when the page is gone',
    reads: ['page->mapping'], writes: ['page refcount'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      if (c.get(key.pageMapping(page)) === null) return 0;
      c.set(key.pageRef(page), num(c.get(key.pageRef(page))) + 1);
      return 1;
    },
  },
  {
    names: ['remove_mapping', '__remove_mapping'],
    doc: 'frees a clean, unmapped page from the cache if only the cache and reclaim hold it; returns 1 on success',
    reads: ['PG_dirty', 'PG_writeback', 'page refcount'], writes: ['page->mapping', 'page refcount'],
    run: (c, [m, p]) => {
      mappingArg(c, m);
      const page = livePage(c, p);
      if (num(c.get(key.pageRef(page))) !== 2) return 0;
      if (c.get(key.pageFlag(page, 'dirty')) || c.get(key.pageFlag(page, 'writeback'))) return 0;
      c.set(key.pageMapping(page), null);
      putPage(c, page);
      return 1;
    },
  },
  {
    names: ['reclaim_account'],
    doc: 'records how many pages a reclaim pass scanned and freed',
    reads: ['reclaim counters'], writes: ['reclaim counters'],
    run: (c, [scanned, freed]) => {
      c.set(key.reclaimScanned, num(c.get(key.reclaimScanned)) + num(scanned));
      c.set(key.reclaimFreed, num(c.get(key.reclaimFreed)) + num(freed));
      return 0;
    },
  },
  {
    names: ['try_to_release_page'],
    doc: 'frees the page\'s buffers unless one is dirty or locked; returns 1 when the page has none left',
    reads: ['buffer flags'], writes: ['PG_private'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      if (!c.get(key.pageFlag(page, 'private'))) return 1;
      const bhs = c.layout.pages.get(page)!.buffers;
      if (bhs.some((b) => c.get(key.bhFlag(b, 'dirty')) || c.get(key.bhFlag(b, 'locked')))) return 0;
      // page->private keeps naming the ring: a later ->writepage finds it again, as the
      // create_empty_buffers() of the real __block_write_full_page would attach one
      c.set(key.pageFlag(page, 'private'), 0);
      return 1;
    },
  },
];
