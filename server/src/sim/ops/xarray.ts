/**
 * The page cache's xarray as 6.1 code walks it: an XA_STATE cursor names a file and
 * an index; its lock is the file's i_pages lock, its marks are the page-cache tags.
 */
import { refId, refKind, type Value } from '../program.js';
import type { Primitive, StepContext } from '../primitive.js';
import type { Layout } from '../layout.js';
import { PrimitiveError } from '../primitive.js';
import { key, TAGS } from '../world.js';
import { lockArg, num, tagArg } from './args.js';

/**
 * A cursor's file, index and the lock of its file's i_pages; and the page at its index
 * in the layout last asked about (a machine's layout does not change while it runs).
 */
interface Cursor {
  readonly file: string;
  readonly index: number;
  readonly lock: string;
  layout: Layout | undefined;
  page: string | undefined;
}

/**
 * Cursors by value, worked out once: a cursor is handed to the lock, the load, the
 * marks and the unlock of one walk, and the same few come back step after step.
 * Bounded like the other per-value caches: started again when full.
 */
const cursors = new Map<string, Cursor>();
const MAX_CURSORS = 10_000;

function cursor(v: Value): Cursor {
  const kept = typeof v === 'string' ? cursors.get(v) : undefined;
  if (kept) return kept;
  if (typeof v !== 'string' || !v.startsWith('xas:')) throw new PrimitiveError(`expected an XA_STATE cursor, got ${v === undefined ? 'no argument (the call gives too few)' : v === null ? 'NULL' : String(v)}`);
  const rest = v.slice(4);
  const dot = rest.lastIndexOf('@');
  const file = rest.slice(0, dot);
  const made: Cursor = { file, index: Number(rest.slice(dot + 1)), lock: key.lock(`${file}.i_pages`), layout: undefined, page: undefined };
  if (cursors.size >= MAX_CURSORS) cursors.clear();
  cursors.set(v, made);
  return made;
}

function pageAt(c: StepContext, at: Cursor): string | undefined {
  const layout = c.layout;
  if (at.layout !== layout) {
    at.layout = layout;
    at.page = layout.files.get(at.file)?.pages.find((p) => layout.pages.get(p)!.index === at.index);
  }
  return at.page;
}

function lockOf(v: Value): string {
  return cursor(v).lock;
}

function mark(c: StepContext, xas: Value, tag: Value, on: number): void {
  const at = cursor(xas);
  const { file, index } = at;
  const page = pageAt(c, at);
  const t = tagArg(tag);
  if (!page || !(TAGS as readonly string[]).includes(t)) throw new PrimitiveError(`no page at index ${index} of ${file} to mark`);
  c.set(key.tag(file, t, page), on);
}

export const xarrayPrimitives: Primitive[] = [
  {
    names: ['XA_STATE', 'XA_STATE_ORDER'],
    doc: 'an xarray cursor on the file\'s page cache at an index',
    pure: true,
    run: (_c, [tree, index]) => {
      const lock = lockArg(tree);
      return `xas:${lock.slice(0, lock.lastIndexOf('.'))}@${num(index)}`;
    },
  },
  {
    names: ['xas_lock', 'xas_lock_irq', 'xas_lock_irqsave', 'xas_lock_bh'],
    doc: 'takes the i_pages lock of the cursor\'s file',
    reads: ['lock'], writes: ['lock'], mover: 'acquire',
    blocks: (c, [xas]) => c.get(lockOf(xas)) !== null,
    run: (c, [xas]) => { c.set(lockOf(xas), c.tid); return 0; },
  },
  {
    names: ['xas_unlock', 'xas_unlock_irq', 'xas_unlock_irqrestore', 'xas_unlock_bh'],
    doc: 'releases the i_pages lock of the cursor\'s file',
    reads: ['lock'], writes: ['lock'], mover: 'release',
    run: (c, [xas]) => {
      if (c.get(lockOf(xas)) !== c.tid) throw new PrimitiveError(`${c.tid} releases an i_pages lock it does not hold`);
      c.set(lockOf(xas), null);
      return 0;
    },
  },
  {
    names: ['xas_load'],
    doc: 'the page cached at the cursor, or NULL',
    reads: ['page->mapping'],
    run: (c, [xas]) => {
      const page = pageAt(c, cursor(xas));
      return page && c.get(key.pageMapping(page)) !== null ? `page:${page}` : null;
    },
  },
  {
    names: ['xas_set_mark'],
    doc: 'sets a page-cache tag at the cursor',
    writes: ['page-cache tag'],
    run: (c, [xas, tag]) => { mark(c, xas, tag, 1); return 0; },
  },
  {
    names: ['xas_clear_mark'],
    doc: 'clears a page-cache tag at the cursor',
    writes: ['page-cache tag'],
    run: (c, [xas, tag]) => { mark(c, xas, tag, 0); return 0; },
  },
  // the backing device's structures (sim/backing-dev.ts): the file's bdi and its root wb
  {
    names: ['inode_to_bdi'],
    doc: 'the backing_dev_info of the inode\'s filesystem (sb->s_bdi): the disk\'s, with BDI_CAP_WRITEBACK | BDI_CAP_WRITEBACK_ACCT',
    pure: true,
    run: (_c, [inode]) => (refKind(inode) === 'inode' ? `bdi:${refId(inode)}` : 'opaque:accounting'),
  },
  {
    names: ['inode_to_wb', 'unlocked_inode_to_wb_begin'],
    doc: 'the bdi_writeback the inode writes back through (inode->i_wb): the bdi\'s root wb, plain memory',
    pure: true,
    run: (_c, [inode]) => (refKind(inode) === 'inode' ? `wb:${refId(inode)}` : 'opaque:accounting'),
  },
  {
    names: ['sb_is_blkdev_sb'],
    doc: 'whether the superblock is the block-device pseudo-filesystem\'s (blockdev_superblock): never a modeled file\'s',
    pure: true,
    run: (_c, [sb]) => (sb === 'sb:bdev' ? 1 : 0),
  },
  {
    names: ['mem_cgroup_wb_domain'],
    doc: 'writeback accounting structures the simulator does not model: an object whose fields read 0',
    pure: true,
    run: () => 'opaque:accounting',
  },
];
