/**
 * Invariants checked once every thread has finished. The ones that fire during a
 * step (bug-on, not-uptodate-dirty, freed-under-writeback, stale-overwrite,
 * stale-read) are raised by the primitives and checks themselves.
 */
import type { Layout } from './layout.js';
import { blockOf, key } from './world.js';
import type { Value } from './program.js';
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
  'pte-maps-orphan',
  'dirty-without-buffers',
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
  'dirty-without-buffers': 'a dirty page of a buffer-backed mapping has no buffers attached (writeback of it has no buffer to say what to write)',
  'pte-maps-orphan': 'a PTE of a file mapping maps a page that is not in that file\'s page cache (removed by truncation or invalidation, or freed)',
};

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
  const wanted = (id: InvariantId): boolean => !checks || checks.has(id);
  for (const page of layout.pages.values()) {
    const cached = at(key.pageMapping(page.id)) !== null && !at(key.pageFreed(page.id));
    if (!cached || !at(key.pageFlag(page.id, 'uptodate'))) continue;
    for (let n = 0; n < page.blocks; n++) {
      const mem = at(key.mem(page.id, n));
      const disk = at(key.disk(blockOf(layout, page.id, n)));
      if (wanted('lost-write') && mem !== disk && !stillDirty(layout, at, page.id, n) && (mem as number) > (disk as number)) {
        return {
          invariant: 'lost-write',
          message: `block ${n} of page ${page.id}: memory holds v${mem}, disk v${disk}, and nothing marks it dirty`,
        };
      }
    }
  }
  const scanned = at(key.reclaimScanned) as number;
  if (wanted('no-progress') && scanned > 0 && at(key.reclaimFreed) === 0) {
    return { invariant: 'no-progress', message: `reclaim scanned ${scanned} pages and freed none` };
  }
  if (wanted('dirty-without-buffers')) {
    for (const page of layout.pages.values()) {
      const cached = at(key.pageMapping(page.id)) !== null && !at(key.pageFreed(page.id));
      if (cached && page.buffers.length > 0 && at(key.pageFlag(page.id, 'dirty')) && !at(key.pageFlag(page.id, 'private'))) {
        return { invariant: 'dirty-without-buffers', message: `page ${page.id} is dirty and has no buffers attached (its file's pages are buffer-backed)` };
      }
    }
  }
  if (wanted('pte-maps-orphan')) {
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
