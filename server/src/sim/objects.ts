/**
 * Struct fields of modeled objects: the fixed ones (mapping->host, bh->b_this_page,
 * a_ops tables) answer from the layout; the changing ones (page->mapping,
 * bh->b_end_io) are read and written as atomic steps through the world.
 */
import type { Value } from './program.js';
import { idOf, kindOf } from './ref-parts.js';
import type { Layout } from './layout.js';
import { PrimitiveError, type StepContext } from './primitive.js';
import { PAGE_SIZE, key } from './world.js';
import { loadWord, storeWord } from './ops/bitops.js';
import { isPlainField } from './plain-fields.js';
import { POINTERS_IN, backingAddress, backingField } from './backing-dev.js';
import { slotAddress, vmfField } from './vm-fault.js';
import { isWaitKind, waitAccessIsLocal, waitFieldAddress, waitFieldKey } from './wait-objects.js';
import { initialReclaimField } from './reclaim-objects.js';
import { PRIVATE_FIELD_KINDS, unkeptCounter } from './stack-kinds.js';
import { folioGeometryField, tailKey } from './compound.js';

/**
 * struct writeback_control as each harness caller fills it: the whole file, range_start
 * 0 to LLONG_MAX. Its fields are plain memory (plain-fields.ts) starting at these
 * values: what the code writes back is read again (nr_to_write counting down, 6.8+'s
 * writeback_iter() keeping its batch, index and saved error in the wbc between calls).
 * A wbc lives on its caller's stack: each thread that names a mode (WBC_SYNC_ALL)
 * gets its own, "wbc:all@P2" (wbcOf), so two CPUs syncing at once do not share one.
 */
const WBC_COMMON = { range_cyclic: 0, pages_skipped: 0, range_start: 0, range_end: Number.MAX_SAFE_INTEGER, tagged_writepages: 0, for_background: 0, for_kupdate: 0, for_sync: 0, no_cgroup_owner: 0, punt_to_cgroup: 0 };
export const WBC_FIELDS: Record<string, Record<string, number>> = {
  all: { ...WBC_COMMON, sync_mode: 1, for_reclaim: 0, nr_to_write: Number.MAX_SAFE_INTEGER, for_sync: 1 },
  none: { ...WBC_COMMON, sync_mode: 0, for_reclaim: 0, nr_to_write: Number.MAX_SAFE_INTEGER },
  reclaim: { ...WBC_COMMON, sync_mode: 0, for_reclaim: 1, nr_to_write: 32 },
};

/** The wbc of mode `ref` ("wbc:all") on thread `tid`'s stack: "wbc:all@P2". */
export function wbcOf(ref: string, tid: string): string {
  return `${ref}@${tid}`;
}

/** The harness mode of a wbc id ("all@P2" → "all"). */
export function wbcMode(id: string): string {
  const at = id.indexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

/** A shared mapping is read-write (VM_READ|VM_WRITE|VM_SHARED and VM_MAYREAD|VM_MAYWRITE|VM_MAYSHARE); a private one read-write too. */
const VM_FLAGS_SHARED = 0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x80;
const VM_FLAGS_PRIVATE = 0x1 | 0x2 | 0x10 | 0x20;

function fail(obj: Value, field: string): never {
  const name = field.replace(/^&/, '');
  // a plain field nothing wrote reads 0: following it is a NULL dereference, said as such
  if (obj === null || obj === 0) throw new PrimitiveError(`NULL pointer dereference: ->${name} of a NULL pointer`);
  throw new PrimitiveError(`no field '${name}' on ${String(obj)}`);
}

/** Read of a field that never changes while a scenario runs (local computation). */
export function fixedField(layout: Layout, obj: Value, field: string): Value {
  const kind = kindOf(obj);
  const id = idOf(obj) ?? '';
  switch (kind) {
    case 'page': {
      const page = layout.pages.get(id);
      if (!page) return fail(obj, field);
      if (field === 'index') return page.index;
      if (field === 'page') return obj;
      // a large folio's order and page count (compound.ts)
      const geometry = folioGeometryField(layout, id, field);
      if (geometry !== undefined) return geometry;
      break;
    }
    case 'mapping':
      if (field === 'host') return `inode:${id}`;
      if (field === 'a_ops') return `aops:${layout.files.get(id)?.aops ?? ''}`;
      if (field === 'nrpages') return layout.files.get(id)?.pages.length ?? 0;
      // the i_mmap interval tree, named as its lock is (&mapping->i_mmap): ops/rmap-walk.ts
      if (field === 'i_mmap') return `lock:${id}.i_mmap`;
      break;
    case 'inode':
      if (field === 'i_mapping' || field === 'i_data') return `mapping:${id}`;
      if (field === 'i_sb') return `sb:${id}`;
      if (Object.hasOwn(POINTERS_IN.inode!, field)) return POINTERS_IN.inode![field]!(id);
      break;
    case 'file':
      if (field === 'f_mapping') return `mapping:${id}`;
      if (field === 'f_inode') return `inode:${id}`;
      // the file's file_operations (filesystems.ts fops), a table like a_ops; none in the built-in eras
      if (field === 'f_op') return layout.files.get(id)?.fops ? `aops:${layout.files.get(id)!.fops}` : null;
      break;
    case 'iocb':
      if (field === 'ki_filp') return `file:${id}`;
      break;
    case 'aops': {
      const table = layout.ops.get(id);
      const fn = table?.get(field);
      return fn ? `fn:${fn}` : null;
    }
    case 'bh': {
      const bh = layout.buffers.get(id);
      if (!bh) return fail(obj, field);
      if (field === 'b_this_page') return `bh:${bh.next}`;
      if (field === 'b_page' || field === 'b_folio') return `page:${bh.page}`;
      // block n of the page at index i is i * 16 + n (ops/migrate.ts BLOCKS_PER_PAGE)
      if (field === 'b_blocknr') return layout.pages.get(bh.page)!.index * 16 + bh.n;
      if (field === 'b_size') return 4096 / layout.pages.get(bh.page)!.buffers.length;
      break;
    }
    case 'vma': {
      const vma = layout.vmas.get(id);
      if (!vma) return fail(obj, field);
      if (field === 'vm_file') return `file:${vma.file}`;
      if (field === 'vm_flags') return vma.shared ? VM_FLAGS_SHARED : VM_FLAGS_PRIVATE;
      if (field === 'vm_mm') return `mm:${id}`;
      // one page a slot from the mapping's aligned start (vm-fault.ts slotAddress), the
      // first slot's page at vm_pgoff: the scenario's mappings cover contiguous indexes
      if (field === 'vm_start') return slotAddress(layout, id, vma.pages[0] ?? '');
      if (field === 'vm_end') return slotAddress(layout, id, vma.pages[0] ?? '') + vma.pages.length * PAGE_SIZE;
      if (field === 'vm_pgoff') return layout.pages.get(vma.pages[0] ?? '')?.index ?? 0;
      // the protection new PTEs get (mk_pte, ops/page-tables.ts): named after the mapping
      if (field === 'vm_page_prot') return `pgprot:${id}`;
      // the file's vm_operations_struct (filesystems.ts vmops), a table like a_ops
      if (field === 'vm_ops') return layout.files.get(vma.file)?.vmops ? `aops:${layout.files.get(vma.file)!.vmops}` : null;
      break;
    }
    case 'vmf': {
      const v = vmfField(layout, id, field);
      if (v !== undefined) return v;
      break;
    }
    case 'opaque':
    case 'sb':
    case 'bdi':
      // the backing device's structures (backing-dev.ts): the fields it knows, and
      // accounting fields, which read 0
      return backingField(kind, id, field) ?? 0;
    case 'wb':
      // wb->bdi: the bdi whose root wb this is (backing-dev.ts); the wb's other fields are plain memory
      if (field === 'bdi') return `bdi:${id}`;
      break;
    case 'sc': case 'rstat': case 'pgdat': {
      // reclaim's scan_control (its table), reclaim_stat and node (reclaim-objects.ts)
      const v = initialReclaimField(kind, id, field);
      if (v !== undefined) return v;
      break;
    }
    case 'wbc': {
      // a field name comes from C source: only the table's own entries count (not `constructor`)
      const mode = wbcMode(id);
      const v = Object.hasOwn(WBC_FIELDS, mode) && Object.hasOwn(WBC_FIELDS[mode]!, field) ? WBC_FIELDS[mode]![field] : undefined;
      if (v !== undefined) return v;
      break;
    }
  }
  return fail(obj, field);
}

/** Addresses worked out so far, by object and field: the same few are taken at every step, and a kept string keeps its hash. */
const addresses = new Map<string, Map<string, Value>>();

/** &obj->field: the embedded locks and trees, and &folio->page. */
export function fieldAddress(obj: Value, field: string): Value {
  if (typeof obj !== 'string') return addressOf(obj, field);
  let byField = addresses.get(obj);
  if (!byField) {
    byField = new Map();
    // object names are bounded in practice: past this, addresses are made each time
    if (addresses.size < 100_000) addresses.set(obj, byField);
  }
  let a = byField.get(field);
  // an object without that field throws, and is asked again (its error is placed where it is met)
  if (a === undefined) byField.set(field, (a = addressOf(obj, field)));
  return a;
}

function addressOf(obj: Value, field: string): Value {
  const kind = kindOf(obj);
  const id = idOf(obj) ?? '';
  if (kind === 'mapping' && (field === 'i_pages' || field === 'page_tree' || field === 'tree_lock')) return `lock:${id}.i_pages`;
  // renamed i_private_lock in 6.7: the same lock, so built-ins and a later tree's source agree
  if (kind === 'mapping' && (field === 'private_lock' || field === 'i_private_lock')) return `lock:${id}.private_lock`;
  if (kind === 'mapping' && (field === 'i_mmap_lock' || field === 'i_mmap_rwsem' || field === 'i_mmap')) return `lock:${id}.i_mmap`;
  if (kind === 'vma' && (field === 'ptl' || field === 'page_table_lock')) return `lock:${id}.ptl`;
  // &mapping->i_mmap.rb_root: the tree itself (RB_EMPTY_ROOT, ops/zap.ts)
  if (kind === 'lock' && id.endsWith('.i_mmap') && field === 'rb_root') return obj;
  if (kind === 'mm' && field === 'mmap_sem') return `lock:${id}.mmap_sem`;
  if (kind === 'mm' && field === 'mmap_lock') return `lock:${id}.mmap_sem`;
  if (kind === 'page' && field === 'page') return obj;
  const wait = waitFieldAddress(obj, field);
  if (wait !== undefined) return wait;
  const backing = kind !== undefined ? backingAddress(kind, id, field) : undefined;
  if (backing !== undefined) return backing;
  if (kind === 'inode' && (field === 'i_data' || field === 'i_mapping')) return `mapping:${id}`;
  if (kind === 'inode' && field === 'i_lock') return `lock:${id}.i_lock`;
  // a flag word's address is its object: the bit operations (ops/bitops.ts) know both kinds
  if (kind === 'page' && field === 'flags') return obj;
  if (kind === 'bh' && field === 'b_state') return obj;
  // the reference count, for atomic_inc(&folio->_refcount) & co. (ops/refcount.ts)
  if (kind === 'page' && field === '_refcount') return `refcount:${id}`;
  // any other field's address: a lock to spin_lock(&x->field), a counter to atomic_inc(&x->field) (plain-fields.ts)
  if (kind !== undefined && PLAIN_KINDS.has(kind) && isPlainField(field, kind)) return `addr:${kind}/${id}.${field}`;
  // the first buffer's b_uptodate_lock (5.8+; a bit lock in b_state before) serialises async-write completions of one page
  if (kind === 'bh' && field === 'b_uptodate_lock') return `lock:${bhStateLock(id)}`;
  return fail(obj, `&${field}`);
}

/** The lock of a page's buffer completions, named after the page of buffer `bh` ("P.0" → "P.bh_state"). */
export function bhStateLock(bh: string): string {
  return `${bh.slice(0, bh.lastIndexOf('.'))}.bh_state`;
}

/** Read of a changing field: an atomic step. */
export function loadField(c: StepContext, obj: Value, field: string): Value {
  const kind = kindOf(obj);
  const id = idOf(obj) ?? '';
  if (kind === 'page') {
    if (field === 'mapping') return c.get(key.pageMapping(id));
    if (field === 'private') return c.get(key.pagePrivate(id));
    if (field === '_refcount') return c.get(key.pageRef(id));
    if (field === 'flags') return loadWord(c, { kind: 'page', id });
    // READ_ONCE(page->compound_head): bit 0 (PageTail) is what a read of it is tested for;
    // the head it points to is page_folio()'s (ops/compound.ts), so the value is the bit
    if (field === 'compound_head') return c.layout.pages.get(id)?.head !== undefined && c.get(tailKey(id)) ? 1 : 0;
  }
  if (kind === 'bh' && field === 'b_end_io') return c.get(key.bhEndIo(id));
  // current->mm: the address space the task took on (ops/gup.ts use_mm)
  if (kind === 'task' && field === 'mm') return c.get(key.taskMm(id));
  if (kind === 'bh' && (field === 'b_page' || field === 'b_folio')) return c.get(key.bhPage(id));
  if (kind === 'bh' && field === 'b_state') return loadWord(c, { kind: 'bh', id });
  if (unkeptCounter(kind, field)) return 0;
  if (kind === 'mapping' && field === 'nrpages') {
    return c.layout.files.get(id)!.pages.filter((p) => c.get(key.pageMapping(p)) !== null).length;
  }
  const wait = waitFieldKey(obj, field);
  if (wait !== undefined) return c.get(wait);
  if (kind !== undefined && PLAIN_KINDS.has(kind) && isPlainField(field, kind)) return plainGet(c, obj, kind, id, field);
  // a field read as a step because some code writes it, of an object whose fields are fixed (a wbc's)
  return fixedField(c.layout, obj, field);
}

/**
 * The objects a thread keeps on its own stack and hands down by pointer, whose fields no
 * other thread reads or writes (stack-kinds.ts: a writeback_control, a struct vm_fault,
 * reclaim's scan_control and reclaim_stat, the rmap walk's and the unmapping's structures).
 */
const THREAD_PRIVATE_KINDS: ReadonlySet<string> = PRIVATE_FIELD_KINDS;

/**
 * Objects on a caller's own stack (a writeback_control): other CPUs never see their
 * fields, so a read of one is local computation of its current value, not a step.
 */
export function isThreadPrivate(obj: Value): boolean {
  const kind = kindOf(obj);
  return THREAD_PRIVATE_KINDS.has(kind ?? '');
}

/**
 * Whether thread `tid`'s load or store of obj->field is local computation: a field of
 * its own stack object (isThreadPrivate), or of a page wait queue's objects as
 * wait-objects.ts says; `peek` reads a location outside any step's footprint.
 */
export function isLocalAccess(obj: Value, field: string, tid: string, write: boolean, c: StepContext): boolean {
  if (isThreadPrivate(obj)) return true;
  // the reader of a location outside the footprint is made only for the objects that need one
  return isWaitKind(kindOf(obj)) && waitAccessIsLocal(obj, field, tid, write, (k) => (c.peek ? c.peek(k) : c.get(k)));
}

/** Whether a world location is a field of a thread's own stack object ("fld:wbc/all.index"). */
export function isThreadPrivateKey(k: string): boolean {
  // a wait object's field other than its list node is read and written by loads and stores, never by a primitive
  return [...THREAD_PRIVATE_KINDS].some((kind) => k.startsWith(`fld:${kind}/`)) || (/^(wqe|wpq|wpk):/.test(k) && !k.endsWith('.entry'));
}

/** Objects whose other fields are plain memory (plain-fields.ts). */
const PLAIN_KINDS: ReadonlySet<string> = new Set(['mapping', 'inode', 'file', 'page', 'bh', 'vma', 'mm', 'wb', 'pgdat', ...THREAD_PRIVATE_KINDS]);

/** The location of `obj->field` when it is plain memory, else undefined. */
export function plainFieldKey(obj: Value, field: string): string | undefined {
  const kind = kindOf(obj);
  if (kind === undefined || !PLAIN_KINDS.has(kind) || !isPlainField(field, kind)) return undefined;
  return key.field(kind, idOf(obj) ?? '', field);
}

/** A plain field's location, read; a field the run's code was not seen to use has no location. */
function plainGet(c: StepContext, obj: Value, kind: string, id: string, field: string): Value {
  try {
    return c.get(key.field(kind, id, field));
  } catch (err) {
    return plainFailed(err, obj, field);
  }
}

/** A plain field's location, written (as plainGet). */
function plainSet(c: StepContext, obj: Value, kind: string, id: string, field: string, v: Value): void {
  try {
    c.set(key.field(kind, id, field), v);
  } catch (err) {
    plainFailed(err, obj, field);
  }
}

function plainFailed(err: unknown, obj: Value, field: string): never {
  if (err instanceof PrimitiveError && err.message.startsWith('no state location')) fail(obj, field);
  throw err;
}

export function storeField(c: StepContext, obj: Value, field: string, v: Value): void {
  const kind = kindOf(obj);
  const id = idOf(obj) ?? '';
  if (unkeptCounter(kind, field)) return;
  if (kind === 'bh' && field === 'b_end_io') { c.set(key.bhEndIo(id), v); return; }
  if (kind === 'page' && field === 'mapping') { c.set(key.pageMapping(id), v); return; }
  // migration moves a buffer ring from page to page: page->private and bh->b_page
  if (kind === 'page' && field === 'private') { c.set(key.pagePrivate(id), typeof v === 'string' && v.startsWith('bh:') ? v : null); return; }
  if (kind === 'bh' && (field === 'b_page' || field === 'b_folio')) {
    if (typeof v !== 'string' || !v.startsWith('page:')) throw new PrimitiveError(`bh->${field} = ${String(v)}: not a page`);
    c.set(key.bhPage(id), v);
    return;
  }
  if (kind === 'page' && field === 'flags') { storeWord(c, { kind: 'page', id }, typeof v === 'number' ? v : 0); return; }
  // clear_compound_head(): the tail leaves its folio (compound.ts); making a compound page is outside the model
  if (kind === 'page' && field === 'compound_head') {
    if (v !== 0 && v !== null) throw new PrimitiveError(`page ${id}->compound_head = ${String(v)}: making a compound page (prep_compound_page) is outside the model`);
    if (c.layout.pages.get(id)?.head !== undefined) c.set(tailKey(id), 0);
    return;
  }
  // __split_huge_page_tail(): page_tail->index = head->index + tail, the index the layout gives it
  if (kind === 'page' && field === 'index') {
    const index = c.layout.pages.get(id)?.index;
    if (v !== index) throw new PrimitiveError(`page ${id}->index = ${String(v)}: the page is at index ${String(index)} of its file, and moving it is outside the model`);
    return;
  }
  const wait = waitFieldKey(obj, field);
  if (wait !== undefined) { c.set(wait, v); return; }
  if (kind === 'bh' && field === 'b_state') { storeWord(c, { kind: 'bh', id }, typeof v === 'number' ? v : 0); return; }
  if (kind !== undefined && PLAIN_KINDS.has(kind) && isPlainField(field, kind)) { plainSet(c, obj, kind, id, field, v); return; }
  // __handle_mm_fault() sets vmf.pmd from its walk: the value the slot fixes (vm-fault.ts)
  if (kind === 'vmf' && vmfField(c.layout, id, field) === v) return;
  fail(obj, field);
}
