/**
 * dirty-without-buffers: a page of a buffer-backed mapping (one the scenario gives
 * buffer_heads: ext3/ext4 attach them to every cached page before it can be dirtied)
 * that is in the page cache and marked dirty must have its buffers attached
 * (PG_private). Writeback of such a page finds nothing to write: ext4 hits
 * BUG_ON(!page_has_buffers) before cc5095747edf and warns and drops the dirty bit
 * after it, so the data written into the page is lost either way.
 */
import type { Layout } from './layout.js';
import type { Value } from './program.js';
import { key } from './world.js';

type Lookup = (key: string) => Value;

/** The message when `page` is dirty, cached, buffer-backed and without buffers; else undefined. */
export function dirtyWithoutBuffers(layout: Layout, at: Lookup, page: string): string | undefined {
  const info = layout.pages.get(page);
  if (!info || info.buffers.length === 0) return undefined;
  if (at(key.pageMapping(page)) === null || at(key.pageFreed(page))) return undefined;
  if (!at(key.pageFlag(page, 'dirty')) || at(key.pageFlag(page, 'private'))) return undefined;
  return `page ${page} of ${info.file} (a buffer-backed mapping) is dirty with no buffers attached: writeback has nothing to write`;
}

/** The classes a dirty-setting step reads for the check above (footprint names). */
export const DIRTY_BUFFERS_READS = ['PG_private', 'page->mapping'] as const;
