/**
 * The 2.6 spellings fsync's writeout path calls in the 2.6.28/2.6.29 models: the tagged
 * gang lookup with a count (pagevec_lookup_tag, before 4.14's end index) and
 * mapping_cap_writeback_dirty (mapping_can_writeback from 5.10).
 */
import type { Primitive } from '../primitive.js';
import { arrayCursor, arrayItems, arrayValue } from '../arrays.js';
import { key } from '../world.js';
import { mappingArg, num, tagArg } from './args.js';
import { BATCH_SIZE } from './batches.js';
import { getPage } from './pagecache.js';

/**
 * 2.6.x's pagevec_lookup_tag(pvec, mapping, &index, tag, nr_pages): up to nr_pages
 * pages carrying the tag from *index on (and no more than the pagevec holds), a
 * reference on each, *index moved past the last one found. One step: the gang lookup
 * under the tree lock (rcu from 2.6.27) and the references it takes.
 */
const pagevecLookupTag: Primitive = {
  names: ['pagevec_lookup_tag'],
  doc: 'fills the pagevec with up to nr_pages pages carrying the tag at indices from *index on, a reference on each, and moves *index past the last; returns the count',
  reads: ['page-cache tags', 'page->mapping'], writes: ['page refcount'], byRef: [0, 2],
  run: (c, args) => {
    const [b, m, from, t, nr] = args;
    const file = mappingArg(c, m);
    const tag = tagArg(t);
    const batch = arrayItems(b);
    const room = Math.min(BATCH_SIZE - batch.length, num(nr));
    let next = num(from);
    let taken = 0;
    const pages = [...c.layout.files.get(file)!.pages].sort((x, y) => c.layout.pages.get(x)!.index - c.layout.pages.get(y)!.index);
    for (const page of pages) {
      if (taken >= room) break;
      const index = c.layout.pages.get(page)!.index;
      if (index < num(from) || c.get(key.pageMapping(page)) === null || c.get(key.pageFreed(page))) continue;
      if (!c.get(key.tag(file, tag, page))) continue;
      getPage(c, page);
      batch.push(`page:${page}`);
      next = index + 1;
      taken++;
    }
    c.out(0, arrayValue(batch, arrayCursor(b)));
    c.out(2, next);
    return taken;
  },
};

// 2.6's spelling of mapping_can_writeback(): every modeled file is written back (pagecache.ts says the same of the later names)
const mappingCapWritebackDirty: Primitive = {
  names: ['mapping_cap_writeback_dirty'],
  doc: 'the file\'s backing device takes dirty-page writeback (2.6\'s mapping_can_writeback): always, for the files modeled',
  pure: true,
  run: () => 1,
};

export const writeback26Primitives: Primitive[] = [pagevecLookupTag, mappingCapWritebackDirty];
