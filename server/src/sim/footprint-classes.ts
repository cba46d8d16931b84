/**
 * Location classes: a location with its object names taken out ("pg:P.dirty" →
 * "pg.dirty"). A thread's *future* is the set of classes its remaining code could
 * read or write, computed statically from its frames: what each frame can still reach
 * from its resume point in its control flow, and every primitive, field access and
 * callee of that. If a thread's next step touches no class that any other thread's
 * future may conflict with, that step commutes with everything the others will ever
 * do: it can be explored alone from this state (a persistent set), or, inside a
 * transition, taken together with the step before it.
 *
 * Primitives state their classes through their `reads`/`writes` lists; arguments
 * refine lock, bit and tag classes. `covers` lets the machine turn any access a
 * primitive makes outside its stated classes into an error (RACELENS_CHECK_CLASSES=1),
 * so a wrong list cannot go unnoticed.
 */
import type { Expr } from './program.js';
import type { Primitive } from './primitive.js';
import { bitOfNumber, flagOfConstant, modeledBits } from './flag-bits.js';
import { isPlainField } from './plain-fields.js';
import { constantValue, isPlainWordBit } from './constants.js';
import { ownTable } from './own-table.js';
import { waitFieldClass } from './wait-objects.js';
import { maskBits } from './constant-exprs.js';
import { bareClass, objectClassOfKey } from './class-masks.js';

// the classes of location keys and the masks of class sets live in class-masks.ts; their users import them from here
export { classMasks, classOfKey, conflicts, footprintMasks, intersects, objectClassOfKey, type StepMasks } from './class-masks.js';

export interface ClassSet {
  r: Set<string>;
  w: Set<string>;
}


export function emptyClasses(): ClassSet {
  return { r: new Set(), w: new Set() };
}

export function addAll(into: ClassSet, from: ClassSet): boolean {
  let grew = false;
  for (const c of from.r) if (!into.r.has(c)) { into.r.add(c); grew = true; }
  for (const c of from.w) if (!into.w.has(c)) { into.w.add(c); grew = true; }
  return grew;
}

/** Whether class `a` (possibly a "x.*" wildcard) and class `b` can be the same location. */
function overlaps(a: string, b: string): boolean {
  const qa = a.includes('@'), qb = b.includes('@');
  // two objects' own classes: the same location only if the same class of the same object
  if (qa && qb) return a === b;
  if (qa || qb) return overlapsBare(bareClass(a), bareClass(b));
  return overlapsBare(a, b);
}

function overlapsBare(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  if (a.endsWith('.*') && b.startsWith(a.slice(0, -1))) return true;
  if (b.endsWith('.*') && a.startsWith(b.slice(0, -1))) return true;
  return false;
}


/**
 * Phrases whose writes are narrower than what they read: dropping the last reference of
 * a page frees it, which reads PG_writeback (refcount.ts free: freed under writeback is
 * a violation) but writes only the count and the freed mark.
 */
const WRITTEN: Readonly<Record<string, readonly string[]>> = ownTable({ 'page refcount': ['pg.ref', 'pg.freed'] });

/** What the `reads`/`writes` phrases of a primitive mean as classes. */
function phraseClasses(phrase: string): string[] {
  // the bit of a page wait queue (ops/pagewait.ts): a PG_ constant narrows it (refine)
  if (phrase === 'PG_<wait bit>') return ['pg.locked~', 'pg.writeback~'];
  const pg = /^PG_(\w+)$/.exec(phrase);
  if (pg) return pg[1] === '<bit>' ? ['pg.*'] : [`pg.${pg[1].toLowerCase()}`];
  const bh = /^BH_(\w+)$/.exec(phrase);
  if (bh) return [bh[1] === 'Lock' ? 'bh.locked' : `bh.${bh[1].toLowerCase()}`];
  if (/^PTEs?\b/.test(phrase)) return ['pte'];
  switch (phrase) {
    case 'buffer flags': return ['bh.*'];
    // a bit of page->flags or bh->b_state: narrowed by the bit's constant (refine)
    case 'flag word': return ['pg.*?', 'bh.*?'];
    case 'disk': case 'O_DIRECT write': return ['disk'];
    case 'i_mmap': return ['vma.linked'];
    case 'TLB': return ['tlb'];
    // reclaim's batched flush (ops/tlb-batch.ts): current->tlb_ubc and mm->tlb_flush_batched
    case 'TLB batch': return ['ubc'];
    case 'lock': return ['lock.*'];
    case 'page-table lock': return ['lock.ptl'];
    case 'page cache': return ['pg.mapping', 'pg.freed', 'pg.uptodate', 'mem', 'disk'];
    case 'page memory': return ['mem'];
    case 'page refcount': return ['pg.ref', 'pg.freed', 'pg.writeback'];
    // page->_mapcount: a page's field kept as plain memory (ops/mapcount.ts)
    case 'page mapcount': return ['fld._mapcount'];
    case 'page->mapping': return ['pg.mapping'];
    case 'page private': return ['pg.bufs'];
    case 'buffer page': return ['bh.page'];
    case 'buffer update': return ['upd'];
    case 'page-cache tag': case 'page-cache tags': return ['tag.*'];
    case 'reclaim counters': return ['reclaim'];
    case 'i_size': return ['fld.i_size'];
    case 'folio lru': return ['fld.lru'];
    case 'pgdat flags': return ['fld.flags'];
    case 'plain field': return ['fld.*'];
    case 'wait queue': return ['wq.*'];
    case 'all wait queues of the page': return ['wq.*!'];
    // a flag word read or written whole (ops/flagword.ts): every modeled page bit, or a buffer's
    case 'whole flag word': return ['pg.locked', 'pg.dirty', 'pg.writeback', 'pg.uptodate', 'pg.private', 'pg.reclaim', 'pg.waiters', 'pg.mappedtodisk', 'bh.*'];
    case 'task state': return ['task.state'];
    case 'fatal signal': return ['task.sigkill'];
    case 'wait entry flags': return ['task.wflags'];
    case 'task mm': return ['task.mm'];
    // a wait queue's entries and its entries' membership (ops/waitlist.ts): only when a list address is one of theirs
    case 'wait list': return ['wqh.head^', 'wqe.entry^'];
    // an inode's i_io_list and the wb list heads (ops/io-lists.ts): plain fields, unless the address is a wait queue's
    case 'writeback list': return ['fld.*%'];
    // the calling CPU's own stack structure (an mmu_gather: ops/zap.ts): no other CPU has its address,
    // and its fields are private locations (objects.ts isThreadPrivateKey), which RACELENS_CHECK_CLASSES lets pass
    case 'own stack structure': return [];
    // a report that reads only its arguments (print_bad_pte, bad_page: ops/bad-state.ts)
    case 'its arguments': return [];
    default: return ['*'];
  }
}

const LOCK_FIELDS: Record<string, string> = ownTable({
  i_pages: 'lock.i_pages', page_tree: 'lock.i_pages', tree_lock: 'lock.i_pages', private_lock: 'lock.private_lock',
  ptl: 'lock.ptl', page_table_lock: 'lock.ptl', mmap_sem: 'lock.mmap_sem', mmap_lock: 'lock.mmap_sem',
  i_lock: 'lock.i_lock', b_state: 'lock.bh_state', b_uptodate_lock: 'lock.bh_state', i_mmap_lock: 'lock.i_mmap', i_mmap_rwsem: 'lock.i_mmap',
});

/**
 * The bit a flag-word operation's bit argument names when it is no PG_/BH_ constant: a
 * number is that bit; a name that is no constant evaluates to 0 (compile.ts: an
 * unknown identifier, noted), a numeric constant to its value. Undefined: not said.
 */
function numberedBit(prim: Primitive, args: readonly Expr[]): number | undefined {
  const a = prim.bitArg === undefined ? undefined : args[prim.bitArg];
  if (a?.k === 'num') return a.v;
  if (a?.k !== 'sym') return undefined;
  const v = constantValue(a.name);
  return typeof v === 'number' ? v : v === undefined ? 0 : undefined;
}

const WAIT_LIST_FIELDS: ReadonlySet<string> = new Set(['head', 'entry']);

/**
 * mm/filemap.c (5.9 to 6.12) names the bit a page wait is for bit_nr, in its functions
 * and in struct wait_page_queue/wait_page_key, and its callers wait for PG_locked
 * (folio_lock, folio_wait_locked) or PG_writeback (folio_wait_writeback) only: a bit
 * operation on that variable touches one of the two (RACELENS_CHECK_CLASSES=1 checks it).
 */
const PAGE_WAIT_BITS = ['pg.locked', 'pg.writeback'];

/** Lock, bit and tag arguments narrow the wildcard classes of a call. */
function refine(classes: string[], args: readonly Expr[], prim?: Primitive): string[] {
  // a lock embedded in a modeled object, or one in a plain field (&wb->work_lock: lock.work_lock, world.ts)
  const lock = args.map((a) => (a.k === 'addr' ? LOCK_FIELDS[a.field] ?? (isPlainField(a.field) && a.field !== 'flags' ? `lock.${a.field}` : undefined) : undefined))
    .find((c) => c !== undefined);
  const bit = args.map((a) => (a.k === 'sym' && a.name.startsWith('PG_') ? a.name.slice(3) : undefined)).find((b) => b !== undefined);
  const tag = args.map((a) => (a.k === 'sym' && a.name.startsWith('PAGECACHE_TAG_') ? a.name.slice(14).toLowerCase() : undefined)).find((t) => t !== undefined);
  const flagBit = args.map((a) => (a.k === 'sym' ? flagOfConstant(a.name) : undefined)).find((b) => b !== undefined);
  // the bit a page wait is for, in a variable (mm/filemap.c's bit_nr, key->bit_nr)
  const waitBit = args.some((a) => (a.k === 'local' || a.k === 'field') && (a.k === 'local' ? a.name : a.field) === 'bit_nr');
  // a list primitive handed &x->field: a wait queue's (head, entry) or a wb list's
  const listAddr = args.map((a) => (a.k === 'addr' ? a.field : undefined)).find((f) => f !== undefined);
  // a plain field's word (&wb->state): its own location; page->flags and bh->b_state are the flag words
  // (mapping->flags shares its name with page->flags: its bits, AS_*, tell it apart)
  const plainBit = args.some((a) => a.k === 'sym' && isPlainWordBit(a.name));
  // (a plain word's bit through a pointer, mm_set_has_pinned_flag(&mm->flags)'s test_bit(MMF_HAS_PINNED, flags): any plain field)
  const plainWord = args.map((a) => (a.k === 'addr' && (plainBit || (a.field !== 'flags' && a.field !== 'b_state')) && isPlainField(a.field) ? `fld.${a.field}` : undefined))
    .find((f) => f !== undefined) ?? (plainBit && !args.some((a) => a.k === 'addr') ? 'fld.*' : undefined);
  // a constant mask of bits (`1 << PG_locked`): those bits of the word its names say, of either word for a number
  const mask = prim?.maskArg !== undefined ? maskBits(args[prim.maskArg]) : undefined;
  return classes.flatMap((c) => {
    if (c.endsWith('?') && plainWord) return c.startsWith('pg.') ? [plainWord] : [];
    if (c.endsWith('?')) {
      // a flag word's bit: a page bit lives in pg.<flag>, a buffer bit in bh.<flag>; an unmodeled one nowhere
      const word = c.startsWith('pg.') ? 'page' : 'bh';
      if (mask) {
        if (mask.word !== undefined && mask.word !== word) return [];
        const family = c.slice(0, c.indexOf('.'));
        const plainWords = args.flatMap((a) => (a.k === 'addr' ? [`fld.${a.field}`] : []));
        return [...mask.bits.flatMap((nr) => { const flag = bitOfNumber(word, nr)?.flag; return flag !== undefined ? [`${family}.${flag}`] : []; }), ...plainWords];
      }
      const nr = flagBit || !prim ? undefined : numberedBit(prim, args);
      if (nr !== undefined) {
        // that bit of a page's or a buffer's word, or of a plain field's word (&mapping->flags)
        const flag = bitOfNumber(word, nr)?.flag;
        const plainWords = args.flatMap((a) => (a.k === 'addr' ? [`fld.${a.field}`] : []));
        return [...(flag !== undefined ? [`${c.slice(0, c.indexOf('.'))}.${flag}`] : []), ...plainWords];
      }
      if (!flagBit && waitBit) return word === 'page' ? [...PAGE_WAIT_BITS] : [];
      if (!flagBit) return [c.slice(0, -1)];
      // PG_head is data on a compound page's head only (sim/compound.ts): its own class
      if (flagBit.word === 'page' && word === 'page' && bit === 'head') return ['pg.head'];
      if (flagBit.word !== word || flagBit.flag === undefined) return [];
      return [`${c.slice(0, c.indexOf('.'))}.${flagBit.flag}`];
    }
    if (c.endsWith('!')) return [c.slice(0, -1)];
    if (c.endsWith('%')) return listAddr && WAIT_LIST_FIELDS.has(listAddr) ? [] : [c.slice(0, -1)];
    if (c.endsWith('^')) return listAddr && !WAIT_LIST_FIELDS.has(listAddr) ? [] : [c.slice(0, -1)];
    if (c.endsWith('~')) return bit ? (c === 'pg.locked~' ? [`pg.${bit}`] : []) : [c.slice(0, -1)];
    if (c === 'lock.*' && lock) return [lock];
    if (c === 'pg.*' && bit) return [`pg.${bit}`];
    if (c === 'wq.*' && bit) return [`wq.${bit}`];
    if (c === 'tag.*' && tag) return [`tag.${tag}`];
    // the counter or word is `&x->FIELD`: plain memory there is that field's (objects.ts plainAddressKey)
    if (c === 'fld.*' && prim?.plainArg !== undefined && args[prim.plainArg]?.k === 'addr') return [`fld.${(args[prim.plainArg] as { field: string }).field}`];
    return [c];
  });
}

/**
 * Per call's argument list, per primitive: its classes (the answer depends on nothing
 * else, and the model sets' programs outlive machines). Shared: never changed by users.
 */
const classesOfCall = new WeakMap<readonly Expr[], Map<Primitive, ClassSet>>();

/** Classes a call of `prim` with these argument expressions may touch. */
export function primitiveClasses(prim: Primitive, args: readonly Expr[]): ClassSet {
  let byPrim = classesOfCall.get(args);
  if (!byPrim) classesOfCall.set(args, (byPrim = new Map()));
  let set = byPrim.get(prim);
  if (!set) byPrim.set(prim, (set = computePrimitiveClasses(prim, args)));
  return set;
}

function computePrimitiveClasses(prim: Primitive, args: readonly Expr[]): ClassSet {
  if (prim.pureFor?.(args)) return emptyClasses();
  // what a written phrase reads besides (freeing a page checks PG_writeback) counts as read
  const r = new Set(refine([...(prim.reads ?? []), ...(prim.writes ?? [])].flatMap(phraseClasses), args, prim));
  const w = new Set(refine((prim.writes ?? []).flatMap((p) => WRITTEN[p] ?? phraseClasses(p)), args, prim));
  if (!prim.pure && !prim.reads && !prim.writes && !prim.spawns) r.add('*');
  // every page primitive checks that the page is still allocated
  if (!prim.pure) r.add('pg.freed');
  // locks are read and written, and blocking reads them
  for (const c of w) if (c.startsWith('lock.') || c.startsWith('bh.locked')) r.add(c);
  if (prim.spawns) w.add('io.queue');
  const obj = prim.objectArg === undefined ? undefined : boundObject(args[prim.objectArg]);
  if (obj) return { r: qualifyClasses(r, obj), w: qualifyClasses(w, obj) };
  // a variable passed by reference that is a plain field (&wbc->fbatch) is read and written
  for (const i of prim.byRef ?? []) {
    const a = args[i];
    if (a?.k === 'addr') { r.add(fieldClass(a.field)); w.add(fieldClass(a.field)); }
  }
  return { r, w };
}

/**
 * The object a primitive's object argument is bound to in a future (function-classes.ts
 * binds a frame's parameter to the object it holds, as the constant "@bh:P.0"): its
 * classes' families ("bh."; a page's bits and its wait queues) and its id.
 */
const OBJECT_FAMILIES: Readonly<Record<string, readonly string[]>> = { bh: ['bh.'], page: ['pg.', 'wq.'] };

export function boundObject(e: Expr | undefined): { families: readonly string[]; id: string } | undefined {
  // the address of a bound page's flag word or a bound buffer's b_state (a bit operation's word)
  if (e?.k === 'addr' && (e.field === 'flags' || e.field === 'b_state')) return boundObject(e.obj);
  if (e?.k !== 'sym' || !e.name.startsWith('@')) return undefined;
  const v = e.name.slice(1);
  const colon = v.indexOf(':');
  const families = colon > 0 ? OBJECT_FAMILIES[v.slice(0, colon)] : undefined;
  return families ? { families, id: v.slice(colon + 1) } : undefined;
}

/** The classes of the object's family as that object's alone (wildcards stay as they are). */
export function qualifyClasses(set: Set<string>, obj: { families: readonly string[]; id: string }): Set<string> {
  return new Set([...set].map((c) => (obj.families.some((f) => c.startsWith(f)) && !c.endsWith('*') ? `${c}@${obj.id}` : c)));
}

/** The class a dynamic access must belong to; false when the stated classes miss it. */
export function covers(set: ClassSet, key: string, write: boolean): boolean {
  const c = objectClassOfKey(key);
  const pool = write ? set.w : new Set([...set.r, ...set.w]);
  for (const x of pool) if (overlaps(x, c)) return true;
  return false;
}

export const FIELD_CLASSES: Record<string, string> = ownTable({
  mapping: 'pg.mapping', private: 'pg.private', _refcount: 'pg.ref', b_end_io: 'bh.end_io', nrpages: 'pg.mapping',
  // page->flags is the page's flag word, mapping->flags plain memory: one name, either class
  flags: '*', b_state: 'bh.*',
});

/**
 * `x->flags` is page->flags (every modeled bit of the page's word: objects.ts loads and
 * stores it whole) or the plain field `flags` of a mapping, an inode, a vma, a vm_fault
 * (fld.flags); no other kind has a field of that name. Saying so instead of "anything"
 * keeps `vmf->flags = ...` in a fault path from making its thread's future everything.
 * A field of a wait-queue structure whose pointer type the lifter saw is its own class.
 */
let flagsClasses: readonly string[] | undefined;

/** The classes a load or store of a field may touch (fieldClass, with `flags` split into what it can be). */
export function fieldClasses(field: string, struct?: string): readonly string[] {
  if (field !== 'flags' || waitFieldClass(struct, field) !== undefined) return [fieldClass(field, struct)];
  return (flagsClasses ??= [...modeledBits('page').map((b) => `pg.${b.flag}`), 'fld.flags']);
}

/**
 * The class a load or store of a field touches: a field of a wait-queue structure the
 * lifter saw the pointer's type of (wait-objects.ts), a modeled field's, or the plain field's own.
 */
export function fieldClass(field: string, struct?: string): string {
  const wait = waitFieldClass(struct, field);
  if (wait !== undefined) return wait;
  // a name another kind models itself but never as memory (page->index is fixed) is a wbc's plain field
  return FIELD_CLASSES[field] ?? (isPlainField(field) || isPlainField(field, 'wbc') ? `fld.${field}` : '*');
}
