/**
 * Reclaim's lists of folios as data (lru-lists.ts) and what reclaim asks of its
 * thread and its node: list_del/list_add/list_add_tail/lru_to_folio/list_splice on
 * `folio->lru` and LIST_HEAD() heads, array fields of a reclaim_stat, whether the
 * thread is kswapd, and freeing the folios reclaim collected.
 *
 * The list operations are local computation of the reclaiming thread, folded into its
 * next step (`pure`): an isolated folio's lru belongs to the thread that isolated it
 * (the isolation itself, folio_isolate_lru, is a step on the reference count), and no
 * other code reads it; their reads and writes still go into the step's footprint.
 */
import type { Value } from '../program.js';
import type { Primitive, StepContext } from '../primitive.js';
import { PrimitiveError } from '../primitive.js';
import { key } from '../world.js';
import { EMPTY_ARRAY, arrayItems, arrayValue, isArrayValue } from '../arrays.js';
import { unkeptCounter } from '../stack-kinds.js';
import { listHeadArg, listOf, lruNodeArg, members, unlink, writeList } from '../lru-lists.js';
import { livePage, num, plainAddressKey } from './args.js';
import { putPage } from './pagecache.js';

function insert(c: StepContext, entry: Value, head: Value, tail: boolean, what: string): number {
  const page = lruNodeArg(entry, what);
  const to = listHeadArg(head, what);
  const on = listOf(c, page);
  if (on) throw new PrimitiveError(`${what}: folio ${page} is still on ${on} (list_del first)`);
  const list = members(c, to);
  writeList(c, to, tail ? [...list, page] : [page, ...list]);
  return 0;
}

function splice(c: StepContext, list: Value, head: Value, what: string): number {
  const from = listHeadArg(list, what);
  const to = listHeadArg(head, what);
  const moved = members(c, from);
  // the spliced folios go first, in their order; the source head is left empty
  writeList(c, to, [...moved, ...members(c, to).filter((p) => !moved.includes(p))]);
  return 0;
}

/** An unkept counter's address ("addr:rstat/stat@P1.nr_activate"): reclaim-objects.ts UNKEPT_COUNTERS. */
function unkeptAddress(addr: Value): boolean {
  const m = typeof addr === 'string' ? /^addr:([a-z]+)\/.*\.(\w+)$/.exec(addr) : null;
  return !!m && unkeptCounter(m[1], m[2]);
}

/** The array of counters in a plain field (0 before anything was written: all zero). */
function counters(c: StepContext, addr: Value, what: string): { at: string; items: Value[] } {
  const at = plainAddressKey(addr);
  if (!at) throw new PrimitiveError(`${what}: expected the address of an array field, got ${String(addr)}`);
  const v = c.get(at);
  return { at, items: isArrayValue(v) ? arrayItems(v) : [] };
}

export const lruPrimitives: Primitive[] = [
  {
    names: ['list_del'],
    doc: 'unlinks the folio\'s lru from the list it is on',
    reads: ['folio lru'], writes: ['folio lru'],
    pure: true,
    run: (c, [entry]) => { unlink(c, lruNodeArg(entry, 'list_del')); return 0; },
  },
  {
    names: ['list_add'],
    doc: 'links the folio\'s lru first on the list head',
    reads: ['folio lru'], writes: ['folio lru'],
    pure: true,
    run: (c, [entry, head]) => insert(c, entry, head, false, 'list_add'),
  },
  {
    names: ['list_add_tail'],
    doc: 'links the folio\'s lru last on the list head',
    reads: ['folio lru'], writes: ['folio lru'],
    pure: true,
    run: (c, [entry, head]) => insert(c, entry, head, true, 'list_add_tail'),
  },
  {
    names: ['lru_to_folio'],
    doc: 'the last folio on the list (the tail, where reclaim takes from)',
    reads: ['folio lru'],
    pure: true,
    run: (c, [head]) => {
      const list = members(c, listHeadArg(head, 'lru_to_folio'));
      if (!list.length) throw new PrimitiveError('lru_to_folio of an empty list');
      return `page:${list[list.length - 1]}`;
    },
  },
  {
    names: ['list_splice', 'list_splice_init'],
    doc: 'moves every folio of the list to the front of the head (the list is left empty)',
    reads: ['folio lru'], writes: ['folio lru'],
    pure: true,
    run: (c, [list, head]) => splice(c, list, head, 'list_splice'),
  },
  {
    names: ['field_array_get'],
    doc: 'element i of a counter array in a plain field (stat->nr_activate[i]); unwritten elements are 0',
    reads: ['plain field'],
    pure: true,
    run: (c, [addr, i]) => (unkeptAddress(addr) ? 0 : counters(c, addr, 'field_array_get').items[num(i)] ?? 0),
  },
  {
    names: ['field_array_set'],
    doc: 'writes element i of a counter array in a plain field',
    reads: ['plain field'], writes: ['plain field'],
    pure: true,
    run: (c, [addr, i, v]) => {
      if (unkeptAddress(addr)) return 0;
      const { at, items } = counters(c, addr, 'field_array_set');
      const next = [...items];
      while (next.length <= num(i)) next.push(0);
      next[num(i)] = v;
      c.set(at, arrayValue(next));
      return 0;
    },
  },
  {
    names: ['current_is_kswapd'],
    doc: 'whether the running thread is kswapd (PF_KSWAPD): the scenario\'s CPUs labelled kswapd are',
    pure: true,
    run: (c) => (c.layout.kswapd?.has(c.tid) ? 1 : 0),
  },
  {
    // __remove_mapping()'s folio_ref_freeze(): page_ref_freeze() is atomic_cmpxchg(&page->_refcount, count, 0)
    names: ['atomic_cmpxchg', 'arch_atomic_cmpxchg', 'raw_atomic_cmpxchg'],
    doc: 'sets the counter to new if it holds old; returns what it held (a page reference count frozen at 0 is not freed)',
    reads: ['page refcount', 'plain field'], writes: ['page refcount', 'plain field'],
    run: (c, [v, old, nu]) => {
      const at = plainAddressKey(v) ?? refcountKey(c, v);
      const cur = num(c.get(at));
      if (cur === num(old)) c.set(at, num(nu));
      return cur;
    },
  },
  {
    names: ['free_unref_page_list'],
    doc: 'frees the folios on the list: each has no reference left but reclaim\'s (or none, frozen by __remove_mapping)',
    reads: ['folio lru', 'page refcount'], writes: ['folio lru', 'page refcount'],
    run: (c, [head]) => {
      for (const page of members(c, listHeadArg(head, 'free_unref_page_list'))) {
        unlink(c, page);
        freeFolio(c, page, 'free_unref_page_list');
      }
      return 0;
    },
  },
  {
    names: ['free_unref_folios'],
    doc: 'frees the folios of the batch (6.10+: reclaim collects them in a folio_batch), then empties the batch',
    reads: ['page refcount'], writes: ['page refcount'],
    run: (c, [batch]) => {
      for (const v of arrayItems(batch)) freeFolio(c, livePage(c, v), 'free_unref_folios');
      c.out(0, EMPTY_ARRAY);
      return 0;
    },
  },
];

/** The reference count behind &folio->_refcount ("refcount:P") or a folio. */
function refcountKey(c: StepContext, v: Value): string {
  if (typeof v === 'string' && v.startsWith('refcount:')) return key.pageRef(livePage(c, `page:${v.slice('refcount:'.length)}`));
  return key.pageRef(livePage(c, v));
}

/** A folio reclaim freed: no reference left (frozen by __remove_mapping) or reclaim's last one. */
function freeFolio(c: StepContext, page: string, what: string): void {
  const ref = num(c.get(key.pageRef(page)));
  if (ref === 1) { putPage(c, page); return; }
  if (ref !== 0) throw new PrimitiveError(`${what}: ${page} still has ${ref} references`);
  c.set(key.pageFreed(page), 1);
  c.remark(`${page} freed`);
  if (c.get(key.pageFlag(page, 'writeback'))) c.violate('freed-under-writeback', `page ${page} is freed while PG_writeback is set`);
}
