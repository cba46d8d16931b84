/**
 * Lists of folios as data (reclaim's isolated lists: shrink_folio_list()'s folio_list,
 * ret_folios, free_folios). A folio's `lru` list_head is plain memory naming the head
 * it is linked on and its place there ("lruhead:ret_folios@P1#0"), 0 when it is on no
 * list the model keeps. A head holds nothing of its own: its folios are the ones that
 * name it. A head on a thread's stack (`LIST_HEAD(ret_folios)`, lift/stmt.ts) is named
 * after the local and the thread, so two CPUs reclaiming at once have their own.
 * Places are renumbered 0..n-1 after each change, so the same list in the same order
 * is the same state however it was built.
 */
import type { Value } from './program.js';
import type { StepContext } from './primitive.js';
import { PrimitiveError } from './primitive.js';
import { key } from './world.js';

/** The lifter's symbol for a LIST_HEAD() local: "lruhead:" + its name. */
export const LIST_HEAD_SYM = 'lruhead:';

/** The head a LIST_HEAD() local names on thread `tid`. */
export function stackListHead(sym: string, tid: string): string {
  return `${sym}@${tid}`;
}

export function isListHead(v: Value): v is string {
  return typeof v === 'string' && v.startsWith(LIST_HEAD_SYM);
}

/** The folio whose `lru` is at this address ("addr:page/P.lru" → "P"), else undefined. */
export function lruNodePage(v: Value): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^addr:page\/(.+)\.lru$/.exec(v);
  return m ? m[1] : undefined;
}

export function listHeadArg(v: Value, what: string): string {
  if (isListHead(v)) return v;
  throw new PrimitiveError(`${what}: expected a list head the model keeps (a LIST_HEAD() of reclaim), got ${v === null ? 'NULL' : String(v)}`);
}

export function lruNodeArg(v: Value, what: string): string {
  const page = lruNodePage(v);
  if (page) return page;
  throw new PrimitiveError(`${what}: expected &folio->lru, got ${v === null ? 'NULL' : String(v)}`);
}

function parse(v: Value): { head: string; at: number } | undefined {
  if (typeof v !== 'string') return undefined;
  const hash = v.lastIndexOf('#');
  return hash < 0 ? undefined : { head: v.slice(0, hash), at: Number(v.slice(hash + 1)) };
}

/** The folios on `head`, first to last. */
export function members(c: StepContext, head: string): string[] {
  const on: { page: string; at: number }[] = [];
  for (const page of c.layout.pages.keys()) {
    const p = parse(c.get(key.field('page', page, 'lru')));
    if (p && p.head === head) on.push({ page, at: p.at });
  }
  return on.sort((a, b) => a.at - b.at).map((x) => x.page);
}

/** The list the folio is on, if any. */
export function listOf(c: StepContext, page: string): string | undefined {
  return parse(c.get(key.field('page', page, 'lru')))?.head;
}

/** Writes `pages` as the whole of `head`, in order. */
export function writeList(c: StepContext, head: string, pages: readonly string[]): void {
  pages.forEach((page, i) => {
    const k = key.field('page', page, 'lru');
    const v = `${head}#${i}`;
    if (c.get(k) !== v) c.set(k, v);
  });
}

/** Unlinks the folio from whatever list it is on (list_del). */
export function unlink(c: StepContext, page: string): void {
  const head = listOf(c, page);
  c.set(key.field('page', page, 'lru'), 0);
  if (head) writeList(c, head, members(c, head));
}
