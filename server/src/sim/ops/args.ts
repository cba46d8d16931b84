/** Turning argument values into the ids of the objects a primitive works on. */
import type { Value } from '../program.js';
import { PrimitiveError, type StepContext } from '../primitive.js';
import { key } from '../world.js';
import { bitOfNumber } from '../flag-bits.js';

/** How a value reads in a message; a missing argument is said to be missing. */
export function shownValue(v: Value | undefined): string {
  return v === undefined ? 'no argument (the call gives too few)' : v === null ? 'NULL' : String(v);
}

/**
 * The ids of argument values met so far, per kind: primitives take the same few objects
 * at every step, and the same id string each time keeps its hash for the lookups that
 * follow (the layout's tables, the interned location names of world.ts).
 */
const idsOf = new Map<string, Map<string, string>>();

function idOf(v: Value, kind: string, what: string): string {
  if (typeof v === 'string') {
    let byValue = idsOf.get(kind);
    if (!byValue) idsOf.set(kind, (byValue = new Map()));
    let id = byValue.get(v);
    if (id !== undefined) return id;
    if (v.startsWith(kind + ':')) {
      byValue.set(v, (id = v.slice(kind.length + 1)));
      return id;
    }
  }
  throw new PrimitiveError(`expected ${what}, got ${shownValue(v)}`);
}

/** `derive(v)` once per value string (the lock and plain-field names below). */
function memoOn(derive: (v: string) => string | undefined): (v: string) => string | undefined {
  const memo = new Map<string, string | undefined>();
  return (v) => {
    let r = memo.get(v);
    if (r === undefined && !memo.has(v)) memo.set(v, (r = derive(v)));
    return r;
  };
}

export function pageArg(c: StepContext, v: Value): string {
  const id = idOf(v, 'page', 'a page or folio');
  if (!c.layout.pages.has(id)) throw new PrimitiveError(`unknown page ${id}`);
  return id;
}

/** A page that must still be allocated: touching a freed page is a use-after-free. */
export function livePage(c: StepContext, v: Value): string {
  const id = pageArg(c, v);
  if (c.get(key.pageFreed(id))) {
    c.violate('freed-under-writeback', `page ${id} is touched after its last reference was dropped (use after free)`);
  }
  return id;
}

export function bhArg(c: StepContext, v: Value): string {
  const id = idOf(v, 'bh', 'a buffer_head');
  if (!c.layout.buffers.has(id)) throw new PrimitiveError(`unknown buffer ${id}`);
  return id;
}

export function mappingArg(c: StepContext, v: Value): string {
  const kind = typeof v === 'string' ? v.slice(0, v.indexOf(':')) : '';
  const id = idOf(v, kind === 'inode' ? 'inode' : kind === 'file' ? 'file' : 'mapping', 'an address_space');
  if (!c.layout.files.has(id)) throw new PrimitiveError(`unknown file ${id}`);
  return id;
}

export function vmaArg(c: StepContext, v: Value): string {
  const id = idOf(v, 'vma', 'a vm_area_struct');
  if (!c.layout.vmas.has(id)) throw new PrimitiveError(`unknown mapping ${id}`);
  return id;
}

/** A lock: an embedded one the simulator knows ("lock:F.i_pages"), or the address of a plain field. */
export function lockArg(v: Value): string {
  return (typeof v === 'string' ? otherLock(v) : undefined) ?? idOf(v, 'lock', 'a lock');
}

const otherLock = memoOn((v) => {
  if (v.startsWith('addr:')) return v.slice(5);
  // include/linux/fs.h's i_mmap_lock_read(mapping) and its siblings, served by the lock
  // primitives where the tree's include/ is not given: the mapping's i_mmap rwsem
  if (v.startsWith('mapping:')) return `${v.slice(8)}.i_mmap`;
  return undefined;
});

/** The plain-memory location behind the address of a plain field ("addr:inode/F.i_count"). */
export function plainAddressKey(v: Value): string | undefined {
  return typeof v === 'string' ? plainAddress(v) : undefined;
}

const plainAddress = memoOn((v) => (v.startsWith('addr:') ? `fld:${v.slice(5)}` : undefined));

/** "bit:writeback" (from PG_writeback), or the bit's number (a computed bit) → "writeback" */
export function bitArg(v: Value): string {
  if (typeof v === 'number') {
    const b = bitOfNumber('page', v);
    if (b) return b.flag ?? b.constant.slice(3);
  }
  return idOf(v, 'bit', 'a page flag bit');
}

export function tagArg(v: Value): string {
  return idOf(v, 'tag', 'a page-cache tag');
}

export function num(v: Value): number {
  return typeof v === 'number' ? v : v === null ? 0 : 1;
}
