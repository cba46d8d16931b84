/**
 * The list_head operations of include/linux/list.h answer to one name each, whatever
 * list they are given; the model keeps three kinds of list as data, each in the shape
 * its races need: a page wait queue (ops/waitlist.ts: the head holds its entries, read
 * under the queue's lock), reclaim's isolated lists of folios (lru-lists.ts: a folio's
 * lru names its head and place, the reclaiming thread's own), and the writeback lists
 * an inode is on (ops/io-lists.ts). A call goes to the kind its first argument is: a
 * folio's `&folio->lru` or a LIST_HEAD() local is reclaim's; anything else is the other
 * kind's, whose primitive says what it expected when the argument is neither.
 */
import type { Expr, Value } from '../program.js';
import type { Primitive } from '../primitive.js';
import { isListHead, lruNodePage } from '../lru-lists.js';

/** Whether the argument expressions are reclaim's: `&x->lru` or a LIST_HEAD() local (a symbol, not an address). */
export function lruListArgs(args: readonly Expr[]): boolean {
  const a = args[0];
  return a !== undefined && (a.k === 'addr' ? a.field === 'lru' : a.k !== 'num');
}

function lruListValue(v: Value): boolean {
  return isListHead(v) || lruNodePage(v) !== undefined;
}

function union(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] {
  return [...new Set([...(a ?? []), ...(b ?? [])])];
}

/**
 * One primitive for a list operation both the wait queues and reclaim's lists have:
 * its footprint is both kinds', it is local computation where reclaim's is (its lists
 * are the thread's own) and where the wait queue's says so at the state.
 */
function oneOf(other: Primitive, lru: Primitive): Primitive {
  return {
    names: other.names,
    doc: `${other.doc}; on reclaim's lists: ${lru.doc}`,
    reads: union(other.reads, lru.reads),
    writes: union(other.writes, lru.writes),
    pureFor: (args) => lruListArgs(args) || (other.pureFor?.(args) ?? false),
    localWhen: (c, args) => !lruListValue(args[0]) && (other.localWhen?.(c, args) ?? false),
    run: (c, args) => (lruListValue(args[0]) ? lru : other).run(c, args),
  };
}

/**
 * Both tables with each name once: a name both define becomes one primitive that
 * dispatches by the list it is given.
 */
export function listPrimitives(other: readonly Primitive[], lru: readonly Primitive[]): Primitive[] {
  const lruByName = new Map(lru.flatMap((p) => p.names.map((n) => [n, p] as const)));
  const taken = new Set<string>();
  const out = other.map((p) => {
    const match = p.names.map((n) => lruByName.get(n)).find((q) => q !== undefined);
    if (!match) return p;
    for (const n of p.names) if (lruByName.get(n) === match) taken.add(n);
    return oneOf(p, match);
  });
  for (const p of lru) {
    const rest = p.names.filter((n) => !taken.has(n));
    if (rest.length === p.names.length) out.push(p);
    else if (rest.length) out.push({ ...p, names: rest });
  }
  return out;
}
