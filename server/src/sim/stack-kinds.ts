/**
 * Every structure the kernel keeps on a function's stack that the simulator models, in
 * one table: how a declaration of one names its object, who else can reach it, and
 * which of its fields are locations. The lifter lowers every such declaration through
 * this table (lift/stack-decl.ts); the world, the field accesses and the footprint
 * classes read it too.
 *
 * How a local names its object (`identity`):
 *  - per-type: one object per type and CPU, "stk:TYPE@P1" (`stack_struct(n)`, n its
 *    number among the per-type rows): the kernel never has two of one type live in one
 *    call chain on these paths, so the declaration resets it. Its fields are a fixed
 *    list; an initializer stores its designated fields and zeroes the others, as C does.
 *  - per-variable: one object per variable and CPU, "wpq:P1.wait_page" (the page wait
 *    queues, wait-objects.ts); each field its own location with a class of its own.
 *  - from-initializer: the modeled object the initializer's key fields name (a primitive
 *    that knows it from them: `struct vm_fault vmf = { .vma, .address }` is the vmf of
 *    that slot, vm-fault.ts); the other designated fields are stores into it.
 *  - harness: the thread's own object of a mode a harness symbol names ("sc:kswapd" →
 *    "sc:kswapd@P1"), fields plain memory starting at the mode's values; a declaration
 *    matching `declared` is that object too (pageout()'s wbc of reclaim).
 *
 * Who reaches it (`sharing`): private objects are their CPU's alone, so their reads and
 * writes are local computation; queued ones are reached by other CPUs through a page
 * wait queue under the queue's lock (wait-objects.ts says which accesses are steps).
 */
import { ownTable } from './own-table.js';

export type Identity =
  | { by: 'per-type' }
  | { by: 'per-variable'; embeds?: Readonly<Record<string, string>> }
  | { by: 'from-initializer'; make: string; key: readonly (readonly string[])[]; fixed: ReadonlySet<string> }
  | { by: 'harness'; declared?: { field: string; value: number; symbol: string } };

export interface StackKind {
  /** the object kind of its values */
  kind: string;
  identity: Identity;
  sharing: 'private' | 'queued';
  /** its fields that are locations; 'plain' when any field the code uses is plain memory (plain-fields.ts) */
  fields: readonly string[] | 'plain';
  /** fields only statistics read: a write is dropped, a read is 0 (reclaim-objects.ts UNKEPT_COUNTERS) */
  unkept?: ReadonlySet<string>;
  /** its array fields are counters in plain memory (`stat->nr_activate[type] += n`, ops/lru.ts) */
  arrayFields?: boolean;
  /**
   * A per-type row the kernel kmalloc()s rather than declares (struct iomap_dio): `p =
   * kmalloc(...)` into a pointer to it is the CPU's object of the type (lift/embedded.ts)
   */
  allocated?: boolean;
}

const PER_TYPE = { by: 'per-type' } as const;

/** By struct tag (or the name a typedef gives it, TYPEDEFS). The per-type rows' order numbers them: keep it. */
export const STACK_KINDS: Readonly<Record<string, StackKind>> = ownTable({
  // include/linux/rmap.h
  rmap_walk_control: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['arg', 'try_lock', 'contended', 'rmap_one', 'done', 'anon_lock', 'invalid_vma'] },
  page_vma_mapped_walk: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['pfn', 'nr_pages', 'pgoff', 'vma', 'address', 'pmd', 'pte', 'ptl', 'flags'] },
  // include/linux/mmu_notifier.h (CONFIG_MMU_NOTIFIER)
  mmu_notifier_range: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['mm', 'start', 'end', 'flags', 'event', 'owner', 'vma'] },
  // include/asm-generic/tlb.h: the gather's range and flush state; `pages` is the batch of
  // pages whose freeing waits for the flush (a list value, sim/tlb.ts)
  mmu_gather: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['mm', 'batch', 'start', 'end', 'fullmm', 'need_flush_all', 'freed_tables', 'delayed_rmap', 'cleared_ptes',
    'cleared_pmds', 'cleared_puds', 'cleared_p4ds', 'vma_exec', 'vma_huge', 'vma_pfn', 'unshared_tables', 'fully_unshared_tables',
    'batch_count', 'active', 'page_size', 'pages',
    // the pages of the batch whose rmap removal waits for the flush (ops/mapcount.ts tlb_next_delayed_rmap)
    'delayed_pages'] },
  // mm/internal.h (6.1: zap_flags; 6.12: the same, plus single_folio)
  zap_details: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['even_cows', 'single_folio', 'single_page', 'check_mapping', 'zap_flags'] },
  // not a kernel structure: a scalar local whose address is stored (lift/function.ts
  // escapingAddresses), `int cleaned` of folio_mkclean() read back after the walk
  int_cell: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['val'] },
  // mm/gup.c (6.1, 6.12): __get_user_pages()'s `struct follow_page_context ctx = { NULL }`
  follow_page_context: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['pgmap', 'page_mask'] },
  // include/linux/mm.h: __handle_mm_fault()'s `struct vm_fault vmf = { .vma = vma, .address = address & PAGE_MASK, ... }`;
  // the fields its slot fixes (vm-fault.ts vmfField) are not stored, the rest is the faulting CPU's own memory
  vm_fault: {
    kind: 'vmf', sharing: 'private', fields: 'plain',
    identity: { by: 'from-initializer', make: 'vm_fault_on_stack', key: [['vma'], ['real_address', 'address']], fixed: new Set(['vma', 'address', 'real_address', 'pgoff', 'gfp_mask']) },
  },
  // include/linux/wait.h and include/linux/pagemap.h (6.1, 6.12), the fields the code uses
  wait_page_queue: { kind: 'wpq', identity: { by: 'per-variable', embeds: { wait: 'wait_queue_entry' } }, sharing: 'queued', fields: ['folio', 'bit_nr'] },
  wait_queue_entry: { kind: 'wqe', identity: { by: 'per-variable' }, sharing: 'queued', fields: ['flags', 'private', 'func', 'entry'] },
  // lives on the waker's stack and is passed only to what the waker calls
  wait_page_key: { kind: 'wpk', identity: { by: 'per-variable' }, sharing: 'private', fields: ['folio', 'bit_nr', 'page_match'] },
  wait_queue_head: { kind: 'wqh', identity: { by: 'per-variable' }, sharing: 'queued', fields: [] },
  // include/linux/fs.h (6.1, 6.12): the harness's synchronous kiocb of an O_DIRECT write(2)
  kiocb: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['ki_filp', 'ki_pos', 'ki_flags', 'ki_complete', 'private', 'ki_ioprio', 'ki_hint', 'ki_write_stream', 'dio_complete'] },
  // include/linux/uio.h: the user buffer of that write, one user-backed segment (ITER_UBUF), its count consumed by the bios
  iov_iter: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['iter_type', 'nofault', 'data_source', 'iov_offset', 'count', 'nr_segs'] },
  // include/linux/iomap.h: __iomap_dio_rw()'s `struct iomap_iter iomi = { ... }`, its embedded struct iomap as dotted fields (lift/embedded.ts)
  iomap_iter: { kind: 'stk', identity: PER_TYPE, sharing: 'private', fields: ['inode', 'pos', 'len', 'processed', 'flags', 'private',
    'iomap.addr', 'iomap.offset', 'iomap.length', 'iomap.type', 'iomap.flags', 'iomap.bdev', 'srcmap.type', 'srcmap.flags', 'srcmap.length'] },
  // fs/iomap/direct-io.c: the kmalloc()ed struct iomap_dio of one call (`allocated`); no other CPU reaches it, since the
  // model's bios complete within the step that submits them (builtin/models/6.1/iomap-dio.c)
  iomap_dio: { kind: 'stk', identity: PER_TYPE, sharing: 'private', allocated: true, fields: ['iocb', 'dops', 'i_size', 'size', 'ref', 'flags', 'error', 'done_before',
    'wait_for_completion', 'submit.iter', 'submit.waiter', 'submit.poll_bio'] },
  // mm/vmscan.c: balance_pgdat()'s and try_to_free_pages()'s scan_control (reclaim-objects.ts SC_FIELDS)
  scan_control: { kind: 'sc', identity: { by: 'harness' }, sharing: 'private', fields: 'plain', unkept: new Set(['nr_scanned', 'nr_reclaimed']) },
  // include/linux/vmstat.h
  reclaim_stat: {
    kind: 'rstat', identity: { by: 'harness' }, sharing: 'private', fields: 'plain', arrayFields: true,
    unkept: new Set(['nr_dirty', 'nr_congested', 'nr_writeback', 'nr_immediate', 'nr_pageout', 'nr_activate', 'nr_ref_keep', 'nr_unmap_fail', 'nr_lazyfree_fail']),
  },
  // include/linux/writeback.h: each harness caller's (objects.ts WBC_FIELDS); pageout()'s
  // `struct writeback_control wbc = { ..., .for_reclaim = 1 }` is the thread's wbc of reclaim
  writeback_control: { kind: 'wbc', identity: { by: 'harness', declared: { field: 'for_reclaim', value: 1, symbol: 'WBC_RECLAIM' } }, sharing: 'private', fields: 'plain' },
});

const TYPEDEFS: Readonly<Record<string, string>> = ownTable({
  wait_queue_entry_t: 'wait_queue_entry',
  wait_queue_head_t: 'wait_queue_head',
});

const ROWS = Object.entries(STACK_KINDS);

/** The per-type structures in their numbering (`stack_struct(n)`). */
export const PER_TYPE_STRUCTS: readonly string[] = ROWS.filter(([, s]) => s.identity.by === 'per-type').map(([t]) => t);

/** The kinds of private objects whose fields are world locations "fld:KIND/ID.F" (objects.ts). */
export const PRIVATE_FIELD_KINDS: ReadonlySet<string> = new Set(ROWS.filter(([, s]) => s.sharing === 'private' && s.identity.by !== 'per-variable').map(([, s]) => s.kind));

/** Kinds a harness symbol names the running thread's own of ("sc:kswapd" → "sc:kswapd@P1"). */
export const HARNESS_KINDS: ReadonlySet<string> = new Set(ROWS.filter(([, s]) => s.identity.by === 'harness').map(([, s]) => s.kind));

/** Struct tags whose array fields are counters in plain memory. */
export const ARRAY_FIELD_STRUCTS: ReadonlySet<string> = new Set(ROWS.filter(([, s]) => s.arrayFields).map(([t]) => t));

const BY_KIND = new Map<string, StackKind>();
for (const [, s] of ROWS) if (!BY_KIND.has(s.kind)) BY_KIND.set(s.kind, s);

/** Whether obj->field of an object of `kind` is a counter nobody decides on (a write dropped, a read 0). */
export function unkeptCounter(kind: string | undefined, field: string): boolean {
  return kind !== undefined && BY_KIND.get(kind)?.unkept?.has(field) === true;
}

/** The row of a struct name or typedef, if it is one. */
export function stackKindNamed(name: string): StackKind | undefined {
  const n = Object.hasOwn(TYPEDEFS, name) ? TYPEDEFS[name]! : name;
  return Object.hasOwn(STACK_KINDS, n) ? STACK_KINDS[n] : undefined;
}

/** The struct a declaration's type text names, when it is one of the table ("struct wait_page_key", "wait_queue_entry_t", "const struct mmu_gather"). */
export function stackStructOf(typeText: string): string | undefined {
  const t = typeText.replace(/\b(const|volatile|static)\b/g, '').replace(/^\s*struct\s+/, '').trim();
  const n = Object.hasOwn(TYPEDEFS, t) ? TYPEDEFS[t]! : t;
  return Object.hasOwn(STACK_KINDS, n) ? n : undefined;
}

/** The fixed field list of a per-type or per-variable struct. */
export function stackFields(struct: string): readonly string[] {
  const f = STACK_KINDS[struct]!.fields;
  return f === 'plain' ? [] : f;
}

/** "stk:" object ids: "mmu_gather@P1". */
export function stackObjectId(type: string, tid: string): string {
  return `${type}@${tid}`;
}

/** "rmap_walk_control@T" → "rmap_walk_control" */
export function stackObjectType(id: string): string {
  return id.slice(0, id.lastIndexOf('@'));
}

/**
 * Declaring macros: a statement `DEFINE_FOLIO_VMA_WALK(name, folio, vma, address, flags)`
 * declares `struct page_vma_mapped_walk name = { .pfn = folio_pfn(folio), ... }`
 * (include/linux/rmap.h in 6.1 and 6.12). Each field is an argument, or a helper of one.
 */
export interface DeclaringMacro {
  type: string;
  fields: readonly { field: string; arg: number; via?: string }[];
}

/** `struct page_vma_mapped_walk name = { .pfn, .nr_pages, .pgoff from the folio or page (by these helpers), .vma, .address, .flags }` */
function pvmwMacro(pfn: string, nrPages: string, pgoff: string): DeclaringMacro {
  return {
    type: 'page_vma_mapped_walk',
    fields: [
      { field: 'pfn', arg: 1, via: pfn }, { field: 'nr_pages', arg: 1, via: nrPages }, { field: 'pgoff', arg: 1, via: pgoff },
      { field: 'vma', arg: 2 }, { field: 'address', arg: 3 }, { field: 'flags', arg: 4 },
    ],
  };
}

export const DECLARING_MACROS: Readonly<Record<string, DeclaringMacro>> = ownTable({
  DEFINE_FOLIO_VMA_WALK: pvmwMacro('folio_pfn', 'folio_nr_pages', 'folio_pgoff'),
  // 6.1 only (6.12 has the folio form alone)
  DEFINE_PAGE_VMA_WALK: pvmwMacro('page_to_pfn', 'compound_nr', 'page_to_pgoff'),
});
