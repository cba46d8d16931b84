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

/** Fields the simulator models itself (objects.ts): never plain memory. */
const MODELED: ReadonlySet<string> = new Set([
  'mapping', 'private', 'flags', 'b_state', 'b_end_io', '_refcount', 'nrpages', 'index', 'page', 'host', 'a_ops',
  'i_mapping', 'i_data', 'i_sb', 'f_mapping', 'f_inode', 'ki_filp', 'b_this_page', 'b_page', 'b_folio', 'b_blocknr',
  'b_size', 'vm_file', 'vm_flags', 'vm_mm', 'i_pages', 'page_tree', 'tree_lock', 'private_lock', 'i_mmap_lock',
  'i_mmap_rwsem', 'i_mmap', 'ptl', 'page_table_lock', 'mmap_sem', 'mmap_lock', 'i_lock', 'b_uptodate_lock',
]);

export interface PlainFields {
  /** fields read or written as memory */
  memory: Set<string>;
  /** fields whose address is taken (locks, counters) */
  addressed: Set<string>;
}

/** The plain fields the given programs use. i_size is always there: i_size_read() reads it. */
export function plainFieldsOf(programs: Iterable<FunctionProgram>): PlainFields {
  const memory = new Set<string>(['i_size']);
  const addressed = new Set<string>();
  for (const fn of programs) {
    for (const i of fn.code) {
      if ((i.op === 'load' || i.op === 'store') && !MODELED.has(i.field)) memory.add(i.field);
      forEachExpr(i, (e) => {
        if (e.k === 'addr' && !MODELED.has(e.field)) addressed.add(e.field);
      });
    }
  }
  return { memory, addressed };
}

export function isPlainField(field: string): boolean {
  return !MODELED.has(field);
}
