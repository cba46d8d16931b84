/**
 * Invariants checked once every thread has finished. The ones that fire during a
 * step (bug-on, not-uptodate-dirty, freed-under-writeback, stale-overwrite,
 * stale-read) are raised by the primitives and checks themselves.
 */
import type { Layout } from './layout.js';
import { blockOf, key } from './world.js';
import type { Value } from './program.js';
import { dirtyWithoutBuffers } from './dirty-buffers.js';
import { orphanMessage } from './ops/fault.js';

type Lookup = (key: string) => Value;

export const INVARIANTS = [
  'lost-write',
  'bug-on',
  'stale-overwrite',
  'stale-read',
  'not-uptodate-dirty',
  'freed-under-writeback',
  'deadlock',
  'no-progress',
  'sync-durability',
  'dirty-without-buffers',
  'update-lost-to-migration',
  'inode-off-lists',
  'pte-maps-orphan',
] as const;

export type InvariantId = (typeof INVARIANTS)[number];

export const INVARIANT_DOCS: Record<InvariantId, string> = {
  'lost-write': 'after the final sync, memory differs from disk for some block and nothing marks it dirty any more',
  'bug-on': 'a BUG_ON, VM_BUG_ON or BUG() in some model fired',
  'stale-overwrite': 'an older version of a block reached disk after a newer one',
  'stale-read': 'a buffered read after a completed O_DIRECT write returned older data',
  'not-uptodate-dirty': 'a page that is not uptodate was marked dirty or put under writeback',
  'freed-under-writeback': 'a page was freed while under writeback, or touched after it was freed',
  'deadlock': 'threads are left and none can run (or one never finishes)',
  'no-progress': 'reclaim scanned every page and freed none',
  'sync-durability': 'a store that completed before a sync started is not on disk when that sync returns (a dirty PTE is no excuse)',
  'dirty-without-buffers': 'a dirty page of a buffer-backed mapping has no buffers attached (writeback finds nothing to write)',
  'update-lost-to-migration': 'an update made through a buffer head is not in the page the page cache holds for its block (it landed on a page migration replaced, or the copy overwrote it)',
  'inode-off-lists': 'an inode with dirty pages is neither under writeback (I_SYNC) nor on a list the flusher writes from (b_dirty, b_io, b_more_io): nothing will write its pages',
  'pte-maps-orphan': 'a PTE of a file mapping maps a page that is not in that file\'s page cache (removed by truncation or invalidation, or freed)',
};

/** The wb lists background writeback takes inodes from (b_dirty_time only after its expiry, hours later). */
const WRITEBACK_LISTS = ['b_dirty', 'b_io', 'b_more_io'];
const I_SYNC = 1 << 7;

/**
 * inode-off-lists, for the files whose inode's list membership the run keeps (its code
 * links inode->i_io_list): dirty pages, no I_SYNC, and not on b_dirty/b_io/b_more_io.
 */
function inodeOffLists(layout: Layout, at: Lookup): { invariant: InvariantId; message: string } | undefined {
  for (const file of layout.files.values()) {
    const list = at(key.field('inode', file.id, 'i_io_list'));
    if (list === undefined) continue;
    const dirty = file.pages.filter((p) => at(key.pageMapping(p)) !== null && !at(key.pageFreed(p))
      && (at(key.pageFlag(p, 'dirty')) || at(key.tag(file.id, 'dirty', p))));
    if (!dirty.length) continue;
    const state = at(key.field('inode', file.id, 'i_state'));
    if (typeof state === 'number' && state & I_SYNC) continue;
    const on = typeof list === 'string' ? list.slice(list.lastIndexOf('.') + 1) : undefined;
    if (on && WRITEBACK_LISTS.includes(on)) continue;
    return {
      invariant: 'inode-off-lists',
      message: `inode ${file.id} has dirty page${dirty.length > 1 ? 's' : ''} ${dirty.join(', ')} but is ${on ? `on ${on}` : 'on no writeback list'}, without I_SYNC: no flusher will write it`,
    };
  }
  return undefined;
}

/** A dirty mark anywhere (page flag, buffer, PTE) still promises the block a write. */
function stillDirty(layout: Layout, at: Lookup, page: string, n: number): boolean {
  if (at(key.pageFlag(page, 'dirty'))) return true;
  const bh = layout.pages.get(page)!.buffers[n];
  if (bh && at(key.bhFlag(bh, 'dirty'))) return true;
  for (const vma of layout.vmas.values()) {
    if (vma.pages.includes(page) && at(key.pte(vma.id, page, 'present')) && at(key.pte(vma.id, page, 'dirty'))) return true;
  }
  return false;
}

/**
 * The first end-state violation among `checks` (every invariant when not given): a
 * run that does not check lost-write must still see a pte-maps-orphan after it.
 */
export function finalViolation(layout: Layout, at: Lookup, checks?: ReadonlySet<string>): { invariant: InvariantId; message: string } | undefined {
  const want = (id: InvariantId): boolean => !checks || checks.has(id);
  // judged first when asked for: a run may violate it and lost-write both, and checks only one
  if (want('inode-off-lists')) {
    const v = inodeOffLists(layout, at);
    if (v) return v;
  }
  if (want('update-lost-to-migration')) {
    const lost = lostBufferUpdate(layout, at);
    if (lost) return { invariant: 'update-lost-to-migration', message: lost };
  }
  for (const page of layout.pages.values()) {
    if (!want('lost-write')) break;
    const cached = at(key.pageMapping(page.id)) !== null && !at(key.pageFreed(page.id));
    if (!cached || !at(key.pageFlag(page.id, 'uptodate'))) continue;
    for (let n = 0; n < page.blocks; n++) {
      const mem = at(key.mem(page.id, n));
      const disk = at(key.disk(blockOf(layout, page.id, n)));
      if (mem !== disk && !stillDirty(layout, at, page.id, n) && (mem as number) > (disk as number)) {
        return {
          invariant: 'lost-write',
          message: `block ${n} of page ${page.id}: memory holds v${mem}, disk v${disk}, and nothing marks it dirty`,
        };
      }
    }
  }
  for (const page of want('dirty-without-buffers') ? layout.pages.keys() : []) {
    const message = dirtyWithoutBuffers(layout, at, page);
    if (message) return { invariant: 'dirty-without-buffers', message };
  }
  const scanned = at(key.reclaimScanned) as number;
  if (want('no-progress') && scanned > 0 && at(key.reclaimFreed) === 0) {
    return { invariant: 'no-progress', message: `reclaim scanned ${scanned} pages and freed none` };
  }
  if (want('pte-maps-orphan')) {
    for (const vma of layout.vmas.values()) {
      for (const page of vma.pages) {
        if (!at(key.pte(vma.id, page, 'present'))) continue;
        const message = orphanMessage(vma.id, page, vma.file, at(key.pageMapping(page)), at(key.pageFreed(page)));
        if (message) return { invariant: 'pte-maps-orphan', message };
      }
    }
  }
  return undefined;
}

/**
 * update-lost-to-migration: the newest version of each block written through a buffer
 * head must be in the memory of the page the file's cache holds at that index.
 */
function lostBufferUpdate(layout: Layout, at: Lookup): string | undefined {
  for (const bh of layout.buffers.values()) {
    const block = blockOf(layout, bh.page, bh.n);
    const wrote = at(key.bhUpdate(block)) as number;
    if (!wrote) continue;
    const index = layout.pages.get(bh.page)!.index;
    const file = layout.pages.get(bh.page)!.file;
    const cached = layout.files.get(file)!.pages.find((p) => layout.pages.get(p)!.index === index
      && at(key.pageMapping(p)) !== null && !at(key.pageFreed(p)));
    if (!cached) continue;
    const mem = at(key.mem(cached, bh.n)) as number;
    if (mem < wrote) {
      return `block ${bh.n} of ${file}'s page at index ${index}: the update v${wrote} made through buffer ${bh.id} is not in page ${cached}, which the cache holds (it has v${mem})`;
    }
  }
  return undefined;
}

