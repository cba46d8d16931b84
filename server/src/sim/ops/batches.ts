/**
 * Batches of folios (struct folio_batch, struct pagevec) and the gang lookups that
 * fill them. A batch is a local of the calling thread, held as an array value of its
 * folios (sim/arrays.ts); a lookup fills the caller's batch and index array through
 * out-parameters. Each lookup is one atomic step over the file's few pages: the RCU
 * walk, the reference taken on each folio and, for find_lock_entries, the trylock and
 * the writeback test of each, together. Per folio that is what the kernel's order
 * gives once the trylock succeeded: PG_writeback is only set under the folio lock,
 * and page->mapping only changes under it.
 */
import type { Value } from '../program.js';
import type { Primitive, StepContext } from '../primitive.js';
import { arrayCursor, arrayItems, arrayValue, EMPTY_ARRAY } from '../arrays.js';
import { key } from '../world.js';
import { livePage, mappingArg, num, pageArg, tagArg } from './args.js';
import { getPage, putPage } from './pagecache.js';

/** PAGEVEC_SIZE in 6.1: a batch holds at most this many folios. */
export const BATCH_SIZE = 15;

/** `a <= b` for pgoff_t values held in two's-complement form (-1 is the largest index). */
function ule(a: number, b: number): boolean {
  if ((a < 0) === (b < 0)) return a <= b;
  return b < 0;
}

function inCache(c: StepContext, page: string): boolean {
  return c.get(key.pageMapping(page)) !== null && !c.get(key.pageFreed(page));
}

/** The file's cached pages with start <= index <= end, in index order. */
function cachedIn(c: StepContext, file: string, start: number, end: number): string[] {
  return c.layout.files.get(file)!.pages
    .filter((p) => { const i = c.layout.pages.get(p)!.index; return ule(start, i) && ule(i, end); })
    .sort((a, b) => c.layout.pages.get(a)!.index - c.layout.pages.get(b)!.index)
    .filter((p) => inCache(c, p));
}

/**
 * Appends the chosen pages to the caller's batch (argument `batchArg`) and their
 * indices to its index array (argument `batchArg + 1`), up to the batch's capacity;
 * returns the batch's count.
 */
function fill(c: StepContext, args: Value[], batchArg: number, pages: string[], take: (page: string) => boolean): number {
  const batch = arrayItems(args[batchArg]);
  const indices = arrayItems(args[batchArg + 1]);
  for (const page of pages) {
    if (batch.length >= BATCH_SIZE) break;
    if (!take(page)) continue;
    getPage(c, page);
    indices[batch.length] = c.layout.pages.get(page)!.index;
    batch.push(`page:${page}`);
  }
  c.out(batchArg, arrayValue(batch, arrayCursor(args[batchArg])));
  c.out(batchArg + 1, arrayValue(indices.slice(0, batch.length)));
  // 6.12's *start moves past the last entry taken (the model's folios are single pages);
  // 6.1 passes start by value and moves its index itself
  if (batch.length) c.out(1, num(indices[batch.length - 1]) + 1);
  return batch.length;
}

/**
 * The tagged pages at indices *index..end, into a batch: at most the batch's room, a
 * reference on each; *index moves past the last one taken, or past `end` when the
 * range ran out (find_get_pages_range_tag / filemap_get_folios_tag, 6.1).
 */
function lookupTagged(c: StepContext, args: Value[], at: { mapping: number; index: number; end: number; tag: number; batch: number }): number {
  const file = mappingArg(c, args[at.mapping]);
  const tag = tagArg(args[at.tag]);
  const start = num(args[at.index]);
  const end = num(args[at.end]);
  const batch = arrayItems(args[at.batch]);
  const room = BATCH_SIZE - batch.length;
  let taken = 0;
  let next = end === -1 ? -1 : end + 1;
  for (const page of cachedIn(c, file, start, end)) {
    if (!c.get(key.tag(file, tag, page))) continue;
    getPage(c, page);
    batch.push(`page:${page}`);
    if (++taken === room) {
      next = c.layout.pages.get(page)!.index + 1;
      break;
    }
  }
  c.out(at.batch, arrayValue(batch, arrayCursor(args[at.batch])));
  c.out(at.index, next);
  return taken;
}

export const batchPrimitives: Primitive[] = [
  {
    names: ['pagevec_lookup_range_tag'],
    doc: 'fills the pagevec with the pages carrying the tag at indices *index..end, a reference on each, and moves *index past them; returns the count',
    reads: ['page-cache tags', 'page->mapping'], writes: ['page refcount'], byRef: [0, 2],
    run: (c, args) => lookupTagged(c, args, { batch: 0, mapping: 1, index: 2, end: 3, tag: 4 }),
  },
  {
    names: ['filemap_get_folios_tag'],
    doc: 'fills the folio batch with the folios carrying the tag at indices *start..end, a reference on each, and moves *start past them; returns the count',
    reads: ['page-cache tags', 'page->mapping'], writes: ['page refcount'], byRef: [1, 4],
    run: (c, args) => lookupTagged(c, args, { mapping: 0, index: 1, end: 2, tag: 3, batch: 4 }),
  },
  {
    names: ['tag_pages_for_writeback'],
    doc: 'tags TOWRITE every page tagged DIRTY at indices start..end (under the i_pages lock): what a data-integrity sync will write',
    reads: ['page-cache tags', 'page->mapping'], writes: ['page-cache tags'],
    run: (c, [m, start, end]) => {
      const file = mappingArg(c, m);
      for (const page of cachedIn(c, file, num(start), num(end))) {
        if (c.get(key.tag(file, 'dirty', page))) c.set(key.tag(file, 'towrite', page), 1);
      }
      return 0;
    },
  },
  {
    names: ['folio_batch_init', 'pagevec_init', 'folio_batch_reinit', 'pagevec_reinit'],
    doc: 'empties a batch (a local of the caller, or a structure\'s own: &wbc->fbatch)',
    pure: true, byRef: [0],
    run: (c) => { c.out(0, EMPTY_ARRAY); return 0; },
  },
  {
    names: ['folio_batch_count', 'pagevec_count'],
    doc: 'the number of folios in a batch',
    pure: true, byRef: [0],
    run: (_c, [b]) => arrayItems(b).length,
  },
  {
    names: ['folio_batch_space', 'pagevec_space'],
    doc: 'how many more folios the batch can take',
    pure: true, byRef: [0],
    run: (_c, [b]) => BATCH_SIZE - arrayItems(b).length,
  },
  {
    names: ['folio_batch_add', 'pagevec_add'],
    doc: 'appends a folio to a batch; returns the room left',
    pure: true, byRef: [0],
    run: (c, [b, f]) => {
      const items = [...arrayItems(b), f];
      c.out(0, arrayValue(items, arrayCursor(b)));
      return BATCH_SIZE - items.length;
    },
  },
  {
    names: ['folio_batch_next'],
    doc: 'the batch\'s next folio in iteration order (NULL past the last), moving its cursor; the folios stay in the batch, whose release still drops their references',
    pure: true, byRef: [0],
    run: (c, [b]) => {
      const items = arrayItems(b);
      const i = arrayCursor(b);
      if (i >= items.length) return null;
      c.out(0, arrayValue(items, i + 1));
      return items[i];
    },
  },
  {
    names: ['folio_batch_release', 'pagevec_release', '__folio_batch_release', '__pagevec_release'],
    doc: 'drops the reference held on every folio of the batch (release_pages) and empties it',
    reads: ['page refcount'], writes: ['page refcount'], byRef: [0],
    run: (c, [b]) => {
      for (const f of arrayItems(b)) putPage(c, livePage(c, f));
      c.out(0, EMPTY_ARRAY);
      return 0;
    },
  },
  {
    // 2.6.9 … 4.13: pagevec_lookup(pvec, mapping, start, nr_pages), start by value (later
    // releases pass &start and fill to the batch's room); akpm's 2.6.11 invalidate_inode_pages2
    names: ['pagevec_lookup'],
    doc: 'fills the pagevec with up to nr_pages cached pages at indices from start on, in index order, a reference on each; returns the count',
    reads: ['page->mapping'], writes: ['page refcount'], byRef: [0],
    run: (c, [b, m, start, nr]) => {
      const batch = arrayItems(b);
      const room = Math.min(BATCH_SIZE - batch.length, num(nr));
      for (const page of cachedIn(c, mappingArg(c, m), num(start), -1).slice(0, Math.max(room, 0))) {
        getPage(c, page);
        batch.push(`page:${page}`);
      }
      c.out(0, arrayValue(batch, arrayCursor(b)));
      return batch.length;
    },
  },
  {
    names: ['find_get_entries'],
    doc: 'fills the batch with the cached folios at indices start..end (inclusive), taking a reference on each; returns the count (6.12: and moves *start past them)',
    reads: ['page->mapping'], writes: ['page refcount'], byRef: [3, 4], outWhenAddress: [1],
    run: (c, args) => {
      const [m, start, end] = args;
      return fill(c, args, 3, cachedIn(c, mappingArg(c, m), num(start), num(end)), () => true);
    },
  },
  {
    names: ['find_lock_entries'],
    doc: 'fills the batch with the cached folios at indices start..end that it can trylock and that are not under writeback, locked and with a reference each; returns the count',
    reads: ['page->mapping', 'PG_locked', 'PG_writeback'], writes: ['page refcount', 'PG_locked'], byRef: [3, 4], outWhenAddress: [1],
    run: (c, args) => {
      const [m, start, end] = args;
      return fill(c, args, 3, cachedIn(c, mappingArg(c, m), num(start), num(end)), (page) => {
        if (c.get(key.pageFlag(page, 'locked'))) return false;
        if (c.get(key.pageFlag(page, 'writeback'))) return false;
        c.set(key.pageFlag(page, 'locked'), 1);
        return true;
      });
    },
  },
  {
    names: ['truncate_folio_batch_exceptionals', 'truncate_exceptional_pvec_entries'],
    doc: 'removes shadow, swap and DAX entries from a batch; the simulated page cache holds folios only, so the batch stays as it is',
    pure: true,
    run: () => 0,
  },
  {
    names: ['xa_is_value'],
    doc: 'whether an xarray entry is a value (shadow, swap, DAX) entry: never, the simulated page cache holds folios only',
    pure: true,
    run: () => 0,
  },
  {
    names: ['mapping_get_entry', 'filemap_get_entry'],
    doc: 'the folio cached at exactly this index, with a reference taken (NULL when none)',
    reads: ['page->mapping'], writes: ['page refcount'],
    run: (c, [m, index]) => {
      const file = mappingArg(c, m);
      const page = cachedIn(c, file, num(index), num(index))[0];
      if (!page) return null;
      getPage(c, page);
      return `page:${page}`;
    },
  },
  {
    names: ['mapping_empty'],
    doc: 'whether no folio of the file is in the page cache',
    reads: ['page->mapping'],
    run: (c, [m]) => (cachedIn(c, mappingArg(c, m), 0, -1).length === 0 ? 1 : 0),
  },
  {
    names: ['folio_pos', 'page_offset'],
    doc: 'the byte offset of the folio in its file',
    pure: true,
    run: (c, [p]) => c.layout.pages.get(pageArg(c, p))!.index * 4096,
  },
  {
    names: ['folio_size', 'thp_size', 'page_size'],
    doc: 'the folio size in bytes (small folios: one page)',
    pure: true,
    run: () => 4096,
  },
  {
    names: ['folio_contains'],
    doc: 'whether the folio holds this file index (small folios: its own index)',
    pure: true,
    run: (c, [p, index]) => (c.layout.pages.get(pageArg(c, p))!.index === num(index) ? 1 : 0),
  },
  {
    // folio_test_large, PageTransHuge, PageCompound: compound pages as data (ops/compound.ts)
    names: ['folio_test_hugetlb', 'PageHuge'],
    doc: 'whether the folio is a hugetlbfs page: never, the simulator models the page cache of a disk file',
    pure: true,
    run: () => 0,
  },
];
