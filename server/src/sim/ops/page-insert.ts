/**
 * A buffered write(2) that reaches a page not yet in the page cache: the page is
 * allocated and inserted at its index, and the user's data is copied into it. A page
 * the setup declares `absent` is such a page: page->mapping NULL, no reference. The
 * allocation and the xarray insertion (page_cache_alloc + add_to_page_cache_lru in
 * 2.6, filemap_alloc_folio + filemap_add_folio in 6.x, with memcg charging and the
 * LRU) are below the model: one step, as the harness's own operations are. What the
 * page cache does with the page afterwards (dirtying, tags, writeback) is the kernel's
 * code, run from the era's models or the tree.
 */
import type { Primitive } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { blockOf, key } from '../world.js';
import { livePage, mappingArg, num, pageArg } from './args.js';
import { writePageBlock } from './versions.js';

export const pageInsertPrimitives: Primitive[] = [
  {
    names: ['page_cache_add'],
    doc: 'a buffered write finds no page at the index: the page is allocated and inserted into the file\'s page cache locked, with the cache\'s reference and the writer\'s; returns 1, or 0 (nothing changed) when the page is already cached',
    reads: ['page->mapping'], writes: ['page->mapping', 'page refcount', 'PG_locked'],
    run: (c, [m, p]) => {
      const file = mappingArg(c, m);
      const page = pageArg(c, p);
      if (c.layout.pages.get(page)!.file !== file) throw new PrimitiveError(`page ${page} is not a page of ${file}`);
      if (c.get(key.pageMapping(page)) !== null) return 0;
      if (c.get(key.pageFreed(page))) throw new PrimitiveError(`page ${page} was freed: the model does not reuse a page object`);
      c.set(key.pageMapping(page), `mapping:${file}`);
      c.set(key.pageRef(page), 2);
      c.set(key.pageFlag(page, 'locked'), 1);
      c.remark(`${page} added to the page cache of ${file} at index ${c.layout.pages.get(page)!.index}`);
      return 1;
    },
  },
  {
    names: ['page_copy_from_user'],
    doc: 'write(2) copies the user\'s data into block n of the page (the caller holds the page lock): memory gets a new version',
    reads: ['disk'], writes: ['page memory', 'disk'],
    run: (c, [p, n]) => {
      const page = livePage(c, p);
      const block = blockOf(c.layout, page, num(n));
      writePageBlock(c, page, block, num(n));
      return 1;
    },
  },
];

