/**
 * The fsync contract (sync-durability): every store that completed before a sync
 * started is on disk when that sync returns. `sync_begin` remembers, per block of the
 * file, the version memory held when the sync started (completed stores only: a
 * store is one step); `sync_end` compares the disk with it. A dirty PTE, page or
 * buffer left behind is no excuse: the caller of fsync() was promised the data.
 */
import type { Primitive } from '../primitive.js';
import { arrayItems, arrayValue } from '../arrays.js';
import { blockOf, key } from '../world.js';
import { mappingArg, num } from './args.js';

/** The blocks of a file in layout order: page by page, block by block. */
function blocksOf(layout: Parameters<typeof blockOf>[0], file: string): { page: string; n: number }[] {
  return layout.files.get(file)!.pages.flatMap((p) => Array.from({ length: layout.pages.get(p)!.blocks }, (_, n) => ({ page: p, n })));
}

export const syncPrimitives: Primitive[] = [
  {
    names: ['sync_begin'],
    doc: 'a sync of the file starts: remembers the version of every block in memory (the stores completed so far)',
    reads: ['page memory'],
    run: (c, [m]) => {
      const file = mappingArg(c, m);
      return arrayValue(blocksOf(c.layout, file).map(({ page, n }) => num(c.get(key.mem(page, n)))));
    },
  },
  {
    names: ['sync_end'],
    doc: 'the sync returns: every block of a page still in the file must be on disk at least as new as when the sync started (sync-durability)',
    reads: ['disk', 'page->mapping'],
    run: (c, [m, started]) => {
      const file = mappingArg(c, m);
      const before = arrayItems(started);
      blocksOf(c.layout, file).forEach(({ page, n }, i) => {
        // a page truncated away took its data with it: nothing was promised
        if (c.get(key.pageMapping(page)) === null || c.get(key.pageFreed(page))) return;
        const want = num(before[i] ?? 0);
        const disk = num(c.get(key.disk(blockOf(c.layout, page, n))));
        if (disk < want) {
          c.violate('sync-durability', `block ${n} of page ${page}: v${want} was stored before the sync started, but the disk holds v${disk} when it returns`);
        }
      });
      return 0;
    },
  },
];
