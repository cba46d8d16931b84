/**
 * The disk. Memory and disk hold a version per block, so a write that never
 * reached the disk (lost-write), an older version landing after a newer one
 * (stale-overwrite) and a read that returns older data than the last completed
 * O_DIRECT write (stale-read) are all visible. Submitting I/O spawns its completion
 * as a thread of its own, so the explorer interleaves completions too.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { blockOf, key } from '../world.js';
import { bhArg, livePage, mappingArg, num, pageArg } from './args.js';
import { nextVersion } from './versions.js';

function writeBlock(c: StepContext, block: string, version: number): void {
  const newest = num(c.get(key.diskMax(block)));
  if (version < newest) {
    c.violate('stale-overwrite', `block ${block}: version v${version} is written over the newer v${newest} on disk`);
  }
  c.set(key.disk(block), version);
  if (version > newest) c.set(key.diskMax(block), version);
}

function pageOfIndex(c: StepContext, file: string, index: number): string | undefined {
  return c.layout.files.get(file)!.pages.find((p) => c.layout.pages.get(p)!.index === index);
}

export const ioPrimitives: Primitive[] = [
  {
    names: ['bh_write_to_disk'],
    doc: 'the device writes the buffer\'s block from memory to disk',
    reads: ['page memory'], writes: ['disk'],
    run: (c, [b]) => {
      const bh = c.layout.buffers.get(bhArg(c, b))!;
      livePage(c, `page:${bh.page}`);
      writeBlock(c, blockOf(c.layout, bh.page, bh.n), num(c.get(key.mem(bh.page, bh.n))));
      return 1;
    },
  },
  {
    names: ['journal_write_buffer'],
    doc: 'the journal writes one data buffer synchronously if it is dirty: waits for BH_Lock, test-clears BH_dirty, writes the block',
    // BH_Lock and BH_dirty of this buffer alone
    objectArg: 0,
    reads: ['BH_Lock', 'BH_dirty', 'page memory'], writes: ['BH_dirty', 'disk'],
    blocks: (c, [b]) => !!c.get(key.bhFlag(bhArg(c, b), 'locked')),
    run: (c, [b]) => {
      const bh = c.layout.buffers.get(bhArg(c, b))!;
      if (!c.get(key.bhFlag(bh.id, 'dirty'))) return 0;
      c.set(key.bhFlag(bh.id, 'dirty'), 0);
      writeBlock(c, blockOf(c.layout, bh.page, bh.n), num(c.get(key.mem(bh.page, bh.n))));
      return 1;
    },
  },
  {
    names: ['page_write_to_disk'],
    doc: 'the device writes every block of the page from memory to disk',
    reads: ['page memory'], writes: ['disk'],
    run: (c, [p]) => {
      const page = livePage(c, p);
      const info = c.layout.pages.get(page)!;
      for (let n = 0; n < info.blocks; n++) writeBlock(c, blockOf(c.layout, page, n), num(c.get(key.mem(page, n))));
      return 1;
    },
  },
  {
    names: ['submit_bh', 'submit_bh_wbc'],
    spawns: ['bh_io_complete'],
    doc: 'submits a buffer write; its completion (disk write, then bh->b_end_io) runs later as an I/O thread',
    run: (c, args) => {
      // submit_bh(rw, bh) in 2.6, submit_bh_wbc(opf, bh, wbc) in 6.1: the buffer is whichever argument is one
      const bh = bhArg(c, args.find((a) => typeof a === 'string' && a.startsWith('bh:')) ?? args[args.length - 1]);
      c.spawn('bh_io_complete', [`bh:${bh}`], `io:${bh}`);
      return 0;
    },
  },
  {
    names: ['submit_page_write', 'mpage_submit_page'],
    spawns: ['page_io_complete'],
    doc: 'submits a whole-page write; its completion (disk write, then end_page_writeback) runs later as an I/O thread',
    run: (c, [p]) => {
      const page = pageArg(c, p);
      c.spawn('page_io_complete', [`page:${page}`], `io:${page}`);
      return 0;
    },
  },
  {
    names: ['direct_io_write_block'],
    doc: 'an O_DIRECT write: a new version goes straight to the disk block, bypassing the page cache',
    writes: ['disk'],
    run: (c, [m, idx, n]) => {
      const file = mappingArg(c, m);
      const block = `${file}.${num(idx)}.${num(n)}`;
      const version = nextVersion(c, block);
      writeBlock(c, block, version);
      // recorded as pending: it counts for stale-read once the O_DIRECT write call returns success
      c.set(key.dio(block), -version);
      return 1;
    },
  },
  {
    names: ['direct_io_done'],
    doc: 'the O_DIRECT write returned success to the user: later buffered reads must see its data',
    reads: ['O_DIRECT write'], writes: ['O_DIRECT write'],
    run: (c, [m, idx, n]) => {
      const block = `${mappingArg(c, m)}.${num(idx)}.${num(n)}`;
      c.set(key.dio(block), Math.abs(num(c.get(key.dio(block)))));
      return 0;
    },
  },
  {
    names: ['read_block'],
    doc: 'a buffered read of one block: from the cached page when it is uptodate, else from disk; older than the last completed O_DIRECT write is a stale read',
    reads: ['page cache', 'page memory', 'disk'],
    run: (c, [m, idx, n]) => {
      const file = mappingArg(c, m);
      const block = `${file}.${num(idx)}.${num(n)}`;
      const page = pageOfIndex(c, file, num(idx));
      const cached = page !== undefined && c.get(key.pageMapping(page)) !== null && !c.get(key.pageFreed(page))
        && c.get(key.pageFlag(page, 'uptodate'));
      const version = cached ? num(c.get(key.mem(page!, num(n)))) : num(c.get(key.disk(block)));
      const direct = num(c.get(key.dio(block)));
      c.remark(`read ${block} = v${version} from ${cached ? 'the page cache' : 'disk'}`);
      if (version < direct) {
        c.violate('stale-read', `a buffered read of ${block} returns v${version}, older than v${direct} written by the completed O_DIRECT write`);
      }
      return version;
    },
  },
];
