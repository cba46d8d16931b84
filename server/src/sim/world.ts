/**
 * The changing part of a scenario's state, as one flat map from location names to
 * values. Flat on purpose: a step's footprint is the set of locations it read and
 * wrote, two steps are independent when their footprints do not conflict, a trace
 * shows a step's effect as the locations it changed, and a state key is the values
 * in a fixed order. Location names:
 *
 *   pg:P.<flag>      page flags (locked dirty writeback uptodate private reclaim waiters)
 *   pg:P.mapping     "mapping:F" while in the page cache, null after removal
 *   pg:P.ref         reference count (page cache + present PTEs + get_page)
 *   pg:P.freed       1 once the last reference was dropped
 *   mem:P.n          version of block n of the page in memory
 *   tag:F.<tag>.P    page-cache tags (dirty, writeback, towrite)
 *   bh:P.n.<flag>    buffer flags (dirty uptodate mapped delay async_write locked)
 *   bh:P.n.end_io    completion handler of an in-flight buffer write
 *   pte:U/P.<bit>    present writable dirty
 *   tlb:U/P          the CPUs caching a writable translation of the slot (tlb.ts)
 *   disk:F.i.n       version on disk; dmax:F.i.n the newest version ever on disk
 *   ver:F.i.n        newest version any writer produced; dio:F.i.n the newest O_DIRECT one
 *   lock:NAME        holder thread id, or null
 *   vma:U.linked     1 while the mapping is in the file's i_mmap tree
 *   wq:P.<bit>       waiters on (page, bit): "tid" or "tid*" (woken), comma-separated; since
 *                    PG_waiters (ops/pagewait.ts) "tid/fn", fn the entry's wake function
 *   task:T.state     the task of CPU T: its state, task:T.sigkill (SIGKILL pending),
 *                    task:T.wflags (the WQ_FLAG_* word of its on-stack wait entry)
 *   reclaim.scanned / reclaim.freed
 */
import type { Value } from './program.js';
import type { Layout, SetupSpec } from './layout.js';
import { isPlainField, type PlainFields } from './plain-fields.js';
import { initialBackingField } from './backing-dev.js';
import { WBC_FIELDS, wbcMode } from './objects.js';
import { constantValue } from './constants.js';

/** include/linux/mm.h: what one FOLL_PIN adds to a small folio's _refcount */
const GUP_PIN_COUNTING_BIAS = constantValue('GUP_PIN_COUNTING_BIAS') as number;
import { vmfId } from './vm-fault.js';
import { stackLocations } from './wait-objects.js';
import { initialReclaimField, reclaimObjects } from './reclaim-objects.js';
import { PER_TYPE_STRUCTS, stackFields, stackObjectId } from './stack-kinds.js';
import { compoundWorld } from './compound.js';

export type World = Record<string, Value>;

export const TAGS = ['dirty', 'writeback', 'towrite'] as const;

/**
 * Location names are built from their parts once and then shared: primitives name the
 * same few locations at every step, and a shared string keeps its hash.
 */
function interned1(make: (a: string) => string): (a: string) => string {
  const memo = new Map<string, string>();
  return (a) => {
    let k = memo.get(a);
    if (k === undefined) memo.set(a, (k = make(a)));
    return k;
  };
}

function interned2<B extends string | number>(make: (a: string, b: B) => string): (a: string, b: B) => string {
  const memo = new Map<string, Map<B, string>>();
  return (a, b) => {
    let inner = memo.get(a);
    if (!inner) memo.set(a, (inner = new Map()));
    let k = inner.get(b);
    if (k === undefined) inner.set(b, (k = make(a, b)));
    return k;
  };
}

function interned3(make: (a: string, b: string, c: string) => string): (a: string, b: string, c: string) => string {
  const memo = new Map<string, (b: string, c: string) => string>();
  return (a, b, c) => {
    let inner = memo.get(a);
    if (!inner) memo.set(a, (inner = interned2((x: string, y: string) => make(a, x, y))));
    return inner(b, c);
  };
}

export const key = {
  pageFlag: interned2((p: string, f: string) => `pg:${p}.${f}`),
  pageMapping: interned1((p) => `pg:${p}.mapping`),
  pageRef: interned1((p) => `pg:${p}.ref`),
  pageFreed: interned1((p) => `pg:${p}.freed`),
  /** page->_mapcount (-1: no PTE maps it), in the form of a plain field of the page so that &page->_mapcount names it (ops/mapcount.ts) */
  pageMapcount: interned1((p) => `fld:page/${p}._mapcount`),
  mem: interned2((p: string, n: number) => `mem:${p}.${n}`),
  tag: interned3((f, tag, p) => `tag:${f}.${tag}.${p}`),
  bhFlag: interned2((bh: string, f: string) => `bh:${bh}.${f}`),
  bhEndIo: interned1((bh) => `bh:${bh}.end_io`),
  /** bh->b_page: the page whose memory the buffer's data is (migration moves it) */
  bhPage: interned1((bh) => `bh:${bh}.page`),
  /** page->private of a page with buffers: the head of the buffer ring attached (a bh ref, or null) */
  pagePrivate: interned1((p) => `pg:${p}.bufs`),
  /** the newest version of a block written through a buffer head (buffer_write_data) */
  bhUpdate: interned1((block) => `upd:${block}`),
  pte: interned3((vma, p, bit) => `pte:${vma}/${p}.${bit}`),
  /** the CPUs caching a writable translation of the slot (sim/tlb.ts) */
  tlb: interned2((vma: string, p: string) => `tlb:${vma}/${p}`),
  /** a task's batch of unflushed reclaim TLB entries, current->tlb_ubc: "mms" or "writable" (ops/tlb-batch.ts) */
  tlbBatch: interned2((tid: string, f: string) => `ubc:${tid}.${f}`),
  /** mm->tlb_flush_batched of mapping U's mm (ops/tlb-batch.ts) */
  mmTlbBatched: interned1((vma) => `ubc:mm/${vma}.batched`),
  disk: interned1((block) => `disk:${block}`),
  diskMax: interned1((block) => `dmax:${block}`),
  newest: interned1((block) => `ver:${block}`),
  dio: interned1((block) => `dio:${block}`),
  lock: interned1((name) => `lock:${name}`),
  vmaLinked: interned1((vma) => `vma:${vma}.linked`),
  waitq: interned2((p: string, bit: string) => `wq:${p}.${bit}`),
  /** a CPU's task (ops/sched.ts): its state, whether SIGKILL is pending, its wait entry's WQ_FLAG_* word */
  taskState: interned1((tid) => `task:${tid}.state`),
  taskSigkill: interned1((tid) => `task:${tid}.sigkill`),
  taskWaitFlags: interned1((tid) => `task:${tid}.wflags`),
  /** the address space its task runs in (ops/gup.ts use_mm): `current->mm`, NULL for a kernel thread */
  taskMm: interned1((tid) => `task:${tid}.mm`),
  /** a plain field of a modeled object (plain-fields.ts): "fld:inode/F.i_size" */
  field: interned3((kind, id, field) => `fld:${kind}/${id}.${field}`),
  /** a lock embedded in a plain field: "lock:mapping/F.i_private_lock" */
  fieldLock: interned3((kind, id, field) => `lock:${kind}/${id}.${field}`),
  ioQueue: 'io.queue',
  reclaimScanned: 'reclaim.scanned',
  reclaimFreed: 'reclaim.freed',
};

/** The disk block behind block n of page p: "F.index.n". */
export function blockOf(layout: Layout, page: string, n: number): string {
  const info = layout.pages.get(page)!;
  return `${info.file}.${info.index}.${n}`;
}

/** Names of every lock a scenario can take, so that each has a location from the start. */
export function lockNames(layout: Layout): string[] {
  const names: string[] = [];
  for (const f of layout.files.keys()) names.push(`${f}.i_pages`, `${f}.private_lock`, `${f}.i_mmap`, `${f}.i_lock`);
  for (const v of layout.vmas.keys()) names.push(`${v}.ptl`, `${v}.mmap_sem`);
  for (const p of layout.pages.keys()) names.push(`${p}.bh_state`);
  return names;
}

/**
 * Every object a plain field can belong to, as [kind, id]; a writeback_control of
 * each harness mode on the stack of each of `threads`.
 */
export function plainObjects(layout: Layout, threads: readonly string[] = []): [string, string][] {
  return [
    // a file's bdi_writeback (backing-dev.ts): plain memory, one per file's filesystem
    ...[...layout.files.keys()].flatMap((f): [string, string][] => [['mapping', f], ['inode', f], ['file', f], ['wb', f]]),
    ...[...layout.pages.keys()].map((p): [string, string] => ['page', p]),
    ...[...layout.buffers.keys()].map((b): [string, string] => ['bh', b]),
    ...[...layout.vmas.keys()].flatMap((v): [string, string][] => [['vma', v], ['mm', v]]),
    ...Object.keys(WBC_FIELDS).flatMap((m) => threads.map((t): [string, string] => ['wbc', `${m}@${t}`])),
    // the struct vm_fault of a fault on each mapped page, on each thread's stack (vm-fault.ts)
    ...[...layout.vmas.values()].flatMap((v) => v.pages.flatMap((p) => threads.map((t): [string, string] => ['vmf', vmfId(v.id, p, t)]))),
    // reclaim's scan_control and reclaim_stat on each thread's stack, and the node (reclaim-objects.ts)
    ...reclaimObjects(threads),
  ];
}

/** A plain field's value before the scenario runs. */
function initialField(layout: Layout, kind: string, id: string, field: string): Value {
  if (kind === 'inode' && field === 'i_size') return fileSize(layout, id);
  // ext4's i_disksize (its inode info is the inode, ops/waitlist.ts container_of): all of i_size is on disk
  if (kind === 'inode' && field === 'i_disksize') return fileSize(layout, id);
  // the open file's reference and each mapping's (vma->vm_file): get_file()/fput() of a fault count on them
  if (kind === 'file' && field === 'f_count') return 1 + [...layout.vmas.values()].filter((v) => v.file === id).length;
  const backing = initialBackingField(kind, field, id);
  if (backing !== undefined) return backing;
  // a field name comes from C source: only the table's own entries count (not `constructor`)
  const reclaim = initialReclaimField(kind, id, field);
  if (reclaim !== undefined) return reclaim;
  if (kind === 'wbc') {
    const mode = wbcMode(id);
    return Object.hasOwn(WBC_FIELDS, mode) && Object.hasOwn(WBC_FIELDS[mode]!, field) ? WBC_FIELDS[mode]![field]! : 0;
  }
  return 0;
}

export const PAGE_SIZE = 4096;

/** i_size of a file: its pages cover it exactly (the last page is full). */
export function fileSize(layout: Layout, file: string): number {
  const pages = layout.files.get(file)?.pages ?? [];
  return pages.reduce((max, p) => Math.max(max, (layout.pages.get(p)!.index + 1) * PAGE_SIZE), 0);
}

export function initialWorld(layout: Layout, setup: SetupSpec, plain: PlainFields = { memory: new Set(['i_size']), addressed: new Set() },
  threads: readonly string[] = []): World {
  const w: World = {};
  for (const [kind, id] of plainObjects(layout, threads)) {
    for (const f of plain.memory) if (isPlainField(f, kind)) w[key.field(kind, id, f)] = initialField(layout, kind, id, f);
    // an addressed field is a lock to lock primitives and a counter to atomics
    for (const f of plain.addressed) {
      if (!isPlainField(f, kind)) continue;
      w[key.fieldLock(kind, id, f)] = null;
      w[key.field(kind, id, f)] ??= initialField(layout, kind, id, f);
    }
  }
  const specs = new Map(setup.files.flatMap((f) => f.pages.map((p) => [p.name, p] as const)));
  const ptes = setup.mmaps.flatMap((m) => m.ptes.map((p) => ({ vma: m.name, ...p })));
  for (const page of layout.pages.values()) {
    const spec = specs.get(page.id)!;
    const mappedRefs = ptes.filter((p) => p.page === page.id && p.present !== false).length;
    w[key.pageFlag(page.id, 'locked')] = spec.locked ? 1 : 0;
    w[key.pageFlag(page.id, 'dirty')] = spec.dirty ? 1 : 0;
    w[key.pageFlag(page.id, 'writeback')] = spec.writeback ? 1 : 0;
    w[key.pageFlag(page.id, 'uptodate')] = spec.uptodate ? 1 : 0;
    w[key.pageFlag(page.id, 'private')] = page.buffers.length > 0 ? 1 : 0;
    w[key.pageFlag(page.id, 'reclaim')] = 0;
    w[key.pageFlag(page.id, 'waiters')] = 0;
    w[key.pageFlag(page.id, 'mappedtodisk')] = 0;
    // a free page (migration's target) is in no page cache and holds only its allocation's reference;
    // an absent page is allocated memory nobody refers to yet: a write inserts it (ops/page-insert.ts)
    w[key.pageMapping(page.id)] = spec.free || spec.absent ? null : `mapping:${page.file}`;
    w[key.pagePrivate(page.id)] = page.buffers.length ? `bh:${page.buffers[0]}` : null;
    w[key.pageRef(page.id)] = spec.absent ? 0 : spec.free ? 1 : 1 + mappedRefs + (spec.pinned ? GUP_PIN_COUNTING_BIAS : 0);
    // compound pages as data (compound.ts): see compoundWorld
    if (page.compound !== undefined || page.head !== undefined) compoundWorld(w, page, spec.locked === true);
    w[key.pageFreed(page.id)] = 0;
    // page->_mapcount, -1 when unmapped: one for each PTE the setup made present (ops/mapcount.ts)
    w[key.pageMapcount(page.id)] = (spec.absent || spec.free ? 0 : mappedRefs) - 1;
    for (const tag of TAGS) w[key.tag(page.file, tag, page.id)] = 0;
    if (spec.dirty) w[key.tag(page.file, 'dirty', page.id)] = 1;
    if (spec.writeback) w[key.tag(page.file, 'writeback', page.id)] = 1;
    for (let n = 0; n < page.blocks; n++) {
      const block = blockOf(layout, page.id, n);
      w[key.mem(page.id, n)] = 0;
      w[key.disk(block)] = 0;
      w[key.diskMax(block)] = 0;
      w[key.newest(block)] = 0;
      w[key.dio(block)] = 0;
      w[key.bhUpdate(block)] = 0;
    }
    for (const bh of page.buffers) {
      w[key.bhFlag(bh, 'dirty')] = spec.dirty ? 1 : 0;
      w[key.bhFlag(bh, 'uptodate')] = spec.uptodate ? 1 : 0;
      w[key.bhFlag(bh, 'mapped')] = spec.delalloc ? 0 : 1;
      w[key.bhFlag(bh, 'delay')] = spec.delalloc ? 1 : 0;
      w[key.bhFlag(bh, 'async_write')] = spec.writeback ? 1 : 0;
      w[key.bhFlag(bh, 'locked')] = 0;
      w[key.bhFlag(bh, 'new')] = 0;
      w[key.bhEndIo(bh)] = null;
      w[key.bhPage(bh)] = `page:${page.id}`;
    }
    for (const bit of ['locked', 'writeback']) w[key.waitq(page.id, bit)] = '';
    // the folio's wait queue as the tree's code sees it (wait-objects.ts): its entries and its spinlock
    w[`wqh:${page.id}.head`] = '';
    w[`lock:wqh/${page.id}.lock`] = null;
  }
  for (const p of ptes) {
    w[key.pte(p.vma, p.page, 'present')] = p.present === false ? 0 : 1;
    w[key.pte(p.vma, p.page, 'writable')] = p.writable ? 1 : 0;
    w[key.pte(p.vma, p.page, 'dirty')] = p.dirty ? 1 : 0;
    w[key.tlb(p.vma, p.page)] = '';
  }
  // each CPU's per-type stack structures (stack-kinds.ts): their fields, the CPU's own memory
  for (const tid of threads) {
    for (const type of PER_TYPE_STRUCTS) {
      for (const f of stackFields(type)) w[key.field('stk', stackObjectId(type, tid), f)] = 0;
    }
  }
  for (const vma of layout.vmas.keys()) w[key.vmaLinked(vma)] = 1;
  for (const vma of layout.vmas.keys()) w[key.mmTlbBatched(vma)] = 0;
  for (const tid of threads) {
    w[key.taskState(tid)] = 0;
    w[key.taskSigkill(tid)] = 0;
    w[key.taskWaitFlags(tid)] = 0;
    w[key.tlbBatch(tid, 'mms')] = '';
    w[key.tlbBatch(tid, 'writable')] = 0;
    w[key.taskMm(tid)] = null;
  }
  for (const [k, v] of stackLocations(plain.stack ?? [], threads)) w[k] = v;
  for (const name of lockNames(layout)) w[key.lock(name)] = null;
  w[key.ioQueue] = 0;
  w[key.reclaimScanned] = 0;
  w[key.reclaimFreed] = 0;
  return w;
}
