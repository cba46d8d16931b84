/**
 * Data as versions: every write of a block (a store through a PTE, write(2), a DMA, an
 * O_DIRECT write, an update through a buffer head) makes the block's next version, and
 * lost-write, stale-read and sync-durability compare where each version went.
 */
import type { StepContext } from '../primitive.js';
import { key } from '../world.js';
import { num } from './args.js';

/** The next version of `block`, recorded as its newest; the caller puts it where the write lands. */
export function nextVersion(c: StepContext, block: string): number {
  const version = num(c.get(key.newest(block))) + 1;
  c.set(key.newest(block), version);
  return version;
}

/** A write into block `n` of `page`'s memory: the block's next version, now in that page. */
export function writePageBlock(c: StepContext, page: string, block: string, n: number): number {
  const version = nextVersion(c, block);
  c.set(key.mem(page, n), version);
  return version;
}
