/**
 * Reference counts as the atomics they are: page->_refcount (folio->_refcount) is one
 * location, and every spelling — get_page, folio_get, folio_ref_inc, page_ref_inc,
 * atomic_inc(&folio->_refcount) — changes it the same way. Dropping the last reference
 * through put_page/folio_put frees the page; the *_testzero / dec_and_test forms leave
 * the freeing to the caller (__folio_put, __put_page), as the kernel does.
 */
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import type { Value } from '../program.js';
import { key } from '../world.js';
import { livePage, num, plainAddressKey } from './args.js';
import { getPage } from './pagecache.js';

/** The page whose count an argument names: the page itself, or &page->_refcount. */
function counted(c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('refcount:')) return livePage(c, `page:${v.slice(9)}`);
  return livePage(c, v);
}

export function add(c: StepContext, page: string, d: number): number {
  const ref = num(c.get(key.pageRef(page))) + d;
  if (ref < 0) throw new PrimitiveError(`reference count of ${page} drops below 0`);
  c.set(key.pageRef(page), ref);
  return ref;
}

export function free(c: StepContext, page: string): void {
  if (num(c.get(key.pageRef(page))) !== 0) throw new PrimitiveError(`${page} freed while references are held`);
  c.set(key.pageFreed(page), 1);
  c.remark(`${page} freed`);
  if (c.get(key.pageFlag(page, 'writeback'))) c.violate('freed-under-writeback', `page ${page} is freed while PG_writeback is set`);
}

const REF = { reads: ['page refcount'], writes: ['page refcount'] } as const;

/** An atomic_t: a page's _refcount, or the counter in a plain field (&inode->i_count). */
type Counter = { page: string } | { key: string };

function counter(c: StepContext, v: Value): Counter {
  const k = plainAddressKey(v);
  return k !== undefined ? { key: k } : { page: counted(c, v) };
}

function addTo(c: StepContext, t: Counter, d: number): number {
  if ('page' in t) return add(c, t.page, d);
  const v = num(c.get(t.key)) + d;
  c.set(t.key, v);
  return v;
}

function valueOf(c: StepContext, t: Counter): number {
  return num(c.get('page' in t ? key.pageRef(t.page) : t.key));
}

/** The atomic_t operations on either kind of counter; a page's count is freed only by put_page & co. */
const ATOMIC = { reads: ['page refcount', 'plain field'], writes: ['page refcount', 'plain field'] } as const;

const atomics: Primitive[] = [
  { names: ['atomic_inc', 'arch_atomic_inc', 'raw_atomic_inc', 'arch_atomic64_inc', 'raw_atomic64_inc'], blindUpdate: 0, doc: 'atomically adds 1', ...ATOMIC, plainArg: 0, run: (c, [v]) => { addTo(c, counter(c, v), 1); return 0; } },
  { names: ['atomic_dec', 'arch_atomic_dec', 'raw_atomic_dec'], blindUpdate: 0, doc: 'atomically subtracts 1', ...ATOMIC, plainArg: 0, run: (c, [v]) => { addTo(c, counter(c, v), -1); return 0; } },
  { names: ['atomic_add', 'arch_atomic_add', 'raw_atomic_add'], blindUpdate: 1, doc: 'atomically adds i', ...ATOMIC, plainArg: 1, run: (c, [i, v]) => { addTo(c, counter(c, v), num(i)); return 0; } },
  { names: ['atomic_sub', 'arch_atomic_sub', 'raw_atomic_sub'], blindUpdate: 1, doc: 'atomically subtracts i', ...ATOMIC, plainArg: 1, run: (c, [i, v]) => { addTo(c, counter(c, v), -num(i)); return 0; } },
  { names: ['atomic_inc_return', 'arch_atomic_inc_return'], doc: 'adds 1, returns the new value', ...ATOMIC, plainArg: 0, run: (c, [v]) => addTo(c, counter(c, v), 1) },
  { names: ['atomic_dec_return', 'arch_atomic_dec_return'], doc: 'subtracts 1, returns the new value', ...ATOMIC, plainArg: 0, run: (c, [v]) => addTo(c, counter(c, v), -1) },
  { names: ['atomic_dec_and_test', 'arch_atomic_dec_and_test', 'raw_atomic_dec_and_test', 'arch_atomic64_dec_and_test', 'raw_atomic64_dec_and_test'], doc: 'subtracts 1, returns whether it reached 0', ...ATOMIC, plainArg: 0, run: (c, [v]) => (addTo(c, counter(c, v), -1) === 0 ? 1 : 0) },
  // page->_mapcount starts at -1: the rmap code asks whether it crossed to 0 or below it (ops/mapcount.ts)
  { names: ['atomic_inc_and_test', 'arch_atomic_inc_and_test', 'raw_atomic_inc_and_test'], doc: 'adds 1, returns whether it reached 0', ...ATOMIC, plainArg: 0, run: (c, [v]) => (addTo(c, counter(c, v), 1) === 0 ? 1 : 0) },
  { names: ['atomic_add_negative', 'arch_atomic_add_negative', 'raw_atomic_add_negative'], doc: 'adds i, returns whether the result is negative', ...ATOMIC, plainArg: 1, run: (c, [i, v]) => (addTo(c, counter(c, v), num(i)) < 0 ? 1 : 0) },
  { names: ['atomic_sub_and_test', 'arch_atomic_sub_and_test'], doc: 'subtracts i, returns whether it reached 0', ...ATOMIC, plainArg: 1, run: (c, [i, v]) => (addTo(c, counter(c, v), -num(i)) === 0 ? 1 : 0) },
  {
    names: ['atomic_inc_not_zero', 'arch_atomic_inc_not_zero'], doc: 'adds 1 unless the value is 0; returns whether it did', ...ATOMIC, plainArg: 0,
    run: (c, [v]) => { const t = counter(c, v); if (valueOf(c, t) === 0) return 0; addTo(c, t, 1); return 1; },
  },
  { names: ['atomic_read', 'arch_atomic_read', 'raw_atomic_read'], doc: 'reads the value', reads: ['page refcount', 'plain field'], plainArg: 0, run: (c, [v]) => valueOf(c, counter(c, v)) },
  { names: ['atomic_set', 'arch_atomic_set', 'atomic_set_release', 'arch_atomic_set_release', 'raw_atomic_set_release'], doc: 'sets the value (page_ref_unfreeze(): atomic_set_release)', ...ATOMIC, plainArg: 0, run: (c, [v, i]) => { const t = counter(c, v); addTo(c, t, num(i) - valueOf(c, t)); return 0; } },
];

export const refcountPrimitives: Primitive[] = [
  ...atomics,
  {
    names: ['folio_ref_inc', 'page_ref_inc'],
    doc: 'takes a page reference (an atomic increment of _refcount)', ...REF,
    run: (c, [p]) => { getPage(c, counted(c, p)); return 0; },
  },
  {
    names: ['folio_ref_add', 'page_ref_add'],
    doc: 'takes nr page references', ...REF,
    run: (c, [p, nr]) => { add(c, counted(c, p), num(nr)); return 0; },
  },
  {
    names: ['folio_ref_dec', 'page_ref_dec'],
    doc: 'drops a page reference without freeing (the caller knows it is not the last)', ...REF,
    run: (c, [p]) => { add(c, counted(c, p), -1); return 0; },
  },
  {
    names: ['folio_ref_sub', 'page_ref_sub'],
    doc: 'drops nr page references without freeing', ...REF,
    run: (c, [p, nr]) => { add(c, counted(c, p), -num(nr)); return 0; },
  },
  {
    names: ['folio_ref_dec_and_test', 'page_ref_dec_and_test', 'folio_put_testzero', 'put_page_testzero'],
    doc: 'drops a reference and returns whether it was the last (the caller frees the page)', ...REF,
    run: (c, [p]) => (add(c, counted(c, p), -1) === 0 ? 1 : 0),
  },
  {
    names: ['folio_ref_sub_and_test', 'page_ref_sub_and_test'],
    doc: 'drops nr references and returns whether they were the last', ...REF,
    run: (c, [p, nr]) => (add(c, counted(c, p), -num(nr)) === 0 ? 1 : 0),
  },
  {
    names: ['folio_ref_inc_return', 'page_ref_inc_return'],
    doc: 'takes a reference and returns the new count', ...REF,
    run: (c, [p]) => add(c, counted(c, p), 1),
  },
  {
    names: ['folio_ref_dec_return', 'page_ref_dec_return'],
    doc: 'drops a reference and returns the new count', ...REF,
    run: (c, [p]) => add(c, counted(c, p), -1),
  },
  {
    names: ['folio_try_get', 'folio_try_get_rcu', 'get_page_unless_zero', 'page_cache_get_speculative',
      'folio_ref_try_add_rcu'],
    doc: 'takes a reference unless the count is 0 (the page is being freed); returns whether it did', ...REF,
    run: (c, [p]) => {
      // a speculative reference is how a walker reaches a page that may be free (RCU
      // lookups, PFN walkers): on a count of 0 it fails without touching the page
      const id = typeof p === 'string' && p.startsWith('refcount:') ? `page:${p.slice(9)}` : p;
      if (typeof id === 'string' && id.startsWith('page:') && c.layout.pages.has(id.slice(5)) && num(c.get(key.pageRef(id.slice(5)))) === 0) return 0;
      const page = counted(c, p);
      if (num(c.get(key.pageRef(page))) === 0) return 0;
      add(c, page, 1);
      return 1;
    },
  },
  {
    names: ['folio_ref_zero_or_close_to_overflow', 'page_ref_zero_or_close_to_overflow'],
    doc: 'whether the reference count is 0 or about to overflow (a macro of include/linux/mm.h: (unsigned)count + 127u <= 127u)',
    reads: ['page refcount'],
    run: (c, [p]) => { const n = num(c.get(key.pageRef(counted(c, p)))); return ((n + 127) >>> 0) <= 127 ? 1 : 0; },
  },
  {
    names: ['page_ref_count'],
    doc: 'reads the reference count', reads: ['page refcount'],
    run: (c, [p]) => c.get(key.pageRef(counted(c, p))),
  },
  {
    names: ['__folio_put', '__put_page', '__folio_put_small', '__put_single_page'],
    doc: 'frees a page whose last reference the caller dropped (after a *_testzero)', ...REF,
    run: (c, [p]) => { free(c, counted(c, p)); return 0; },
  },
];
