/**
 * Plain memory: a field of a modeled object that the simulator gives no meaning of its
 * own (mapping->writeback_index, inode->i_size, a field a later release adds or moves)
 * is a location of its own, `fld:KIND/ID.FIELD`, read and written by the code that
 * names it, and `&x->FIELD` handed to spin_lock() is a lock, `lock:KIND/ID.FIELD`.
 * Which fields get locations is read off the code a run can reach, so a field that
 * moves from one structure to another between releases needs no new code.
 */
import { forEachExpr } from './expr-walk.js';
import type { FunctionProgram } from './program.js';
import { stackObjectName } from './wait-objects.js';
import { FOLIO_GEOMETRY_FIELDS } from './folio-geometry.js';

/** Fields the simulator models itself (objects.ts), per kind of object: never plain memory. */
const MODELED_BY_KIND: Readonly<Record<string, ReadonlySet<string>>> = {
  page: new Set(['mapping', 'private', 'flags', '_refcount', 'index', 'page', 'compound_head', ...FOLIO_GEOMETRY_FIELDS]),
  bh: new Set(['b_state', 'b_end_io', 'b_this_page', 'b_page', 'b_folio', 'b_blocknr', 'b_size', 'b_uptodate_lock']),
  mapping: new Set(['nrpages', 'host', 'a_ops', 'i_pages', 'page_tree', 'tree_lock', 'private_lock', 'i_private_lock', 'i_mmap_lock', 'i_mmap_rwsem', 'i_mmap']),
  // i_wb: the inode's bdi_writeback, fixed (backing-dev.ts)
  inode: new Set(['i_mapping', 'i_data', 'i_sb', 'i_lock', 'i_wb']),
  file: new Set(['f_mapping', 'f_inode', 'f_op']),
  vma: new Set(['vm_file', 'vm_flags', 'vm_mm', 'ptl', 'page_table_lock', 'vm_ops', 'vm_start', 'vm_end', 'vm_pgoff', 'vm_page_prot']),
  mm: new Set(['mmap_lock', 'mmap_sem']),
  // struct vm_fault: what the fault is about is fixed (fault.ts vmfField); the rest is the faulting CPU's own memory
  vmf: new Set(['vma', 'address', 'real_address', 'pgoff', 'pmd', 'gfp_mask']),
};

/** Names modeled for every kind that has them and plain for none: they get no locations. */
const MODELED: ReadonlySet<string> = new Set(Object.values(MODELED_BY_KIND).flatMap((s) => [...s]).filter((f) => f !== 'flags'));

export interface PlainFields {
  /** fields read or written as memory */
  memory: Set<string>;
  /** fields whose address is taken (locks, counters) */
  addressed: Set<string>;
  /** wait-queue structs declared on a stack ("wpq:wait_page", sim/wait-objects.ts) */
  stack?: Set<string>;
}

/** The plain fields the given programs use. i_size is always there: i_size_read() reads it. */
export function plainFieldsOf(programs: Iterable<FunctionProgram>): PlainFields {
  const memory = new Set<string>(['i_size']);
  const addressed = new Set<string>();
  const stack = new Set<string>();
  for (const fn of programs) {
    for (const i of fn.code) {
      if (i.op === 'set' && i.e.k === 'sym') {
        const s = stackObjectName(i.e.name);
        if (s !== undefined) stack.add(s);
      }
      // a name another kind models itself (page->index) is still plain memory of a wbc (wbc->index)
      if (i.op === 'load' || i.op === 'store') memory.add(i.field);
      forEachExpr(i, (e) => {
        if (e.k === 'addr' && (!MODELED.has(e.field) || isPlainField(e.field, 'wbc'))) addressed.add(e.field);
      });
    }
  }
  return { memory, addressed, stack };
}

/** Whether `field` of an object of `kind` is plain memory; without a kind: whether it can be for some kind. */
export function isPlainField(field: string, kind?: string): boolean {
  if (kind === undefined) return !MODELED.has(field);
  return !(MODELED_BY_KIND[kind]?.has(field) ?? false);
}
