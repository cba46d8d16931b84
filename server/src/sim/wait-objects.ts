/**
 * The page wait queues as data (issue 16): the structures mm/filemap.c and
 * kernel/sched/wait.c work on, so that the tree's folio_wait_bit_common(),
 * wake_page_function() and folio_wake_bit() run from source.
 *
 *  - a struct declared on a function's stack (`struct wait_page_queue wait_page;`,
 *    `struct wait_page_key key;`, `wait_queue_entry_t bookmark;`) is an object of the
 *    thread that runs the function, named after its variable: "wpq:P1.wait_page";
 *    the wait_queue_entry embedded in a wait_page_queue (`&wait_page.wait`) is
 *    "wqe:P1.wait_page" (container_of() takes it back);
 *  - each field of those objects is a location of its own, "wqe:P1.wait_page.flags",
 *    with a class of its own ("wqe.flags"), and the lifter tells the struct of a
 *    `wait->flags` apart from a page's `folio->flags` by the pointer's declared type;
 *  - the hashed queue of a folio (folio_waitqueue()) is "wqh:P": its spinlock
 *    `&q->lock` is "lock:wqh/P.lock", its list head `&q->head` "lhead:P", whose entries are
 *    the location "wqh:P.head", the queued entries' names in list order; an entry's
 *    `entry` list_head ("lnode:P1.wait_page") is on the list its location
 *    "wqe:P1.wait_page.entry" names, or on none (''). The kernel hashes folios into 256
 *    queues: here each folio has its own, so no queue holds another folio's entries,
 *    which wake_page_match() would skip (setting key->page_match) anyway.
 *
 * Which accesses are steps: an object is its thread's own while its entry is on no
 * list (nobody else can reach it: a waker finds entries through the list only), so the
 * owner's loads and stores are local computation then. Another thread reaches a queued
 * entry only through the queue, holding the queue's lock, and whatever is written to a
 * queued entry is written under that lock (the waker's WQ_FLAG_WOKEN; the owner writes
 * its fields only before it queues and after it left the queue), so those reads are
 * local computation too: no other step can change what they read while the lock is
 * held. A wait_page_key lives on the waker's stack and is passed only to what the waker
 * calls. What stays a step: the waker's stores to a queued entry (the owner reads its
 * WQ_FLAG_* word without the lock), the owner's reads while queued, list membership.
 */
import type { Value } from './program.js';
import { refId, refKind } from './program.js';
import { STACK_KINDS, stackStructOf } from './stack-kinds.js';

/** The page wait queues' rows of the stack table: the structs each declared variable is an object of. */
interface WaitStruct {
  name: string;
  kind: string;
  fields: readonly string[];
  embeds?: Readonly<Record<string, string>>;
  private: boolean;
}

const STRUCTS: ReadonlyMap<string, WaitStruct> = new Map(Object.entries(STACK_KINDS).flatMap(([name, s]): [string, WaitStruct][] =>
  s.identity.by === 'per-variable' && s.fields !== 'plain'
    ? [[name, { name, kind: s.kind, fields: s.fields, ...(s.identity.embeds ? { embeds: s.identity.embeds } : {}), private: s.sharing === 'private' }]]
    : []));

const BY_KIND = new Map([...STRUCTS.values()].map((s) => [s.kind, s]));

/** The struct a declaration's type names, when it is one of these ("struct wait_page_key", "wait_queue_entry_t"). */
export function waitStructOf(typeText: string): string | undefined {
  const name = stackStructOf(typeText);
  return name !== undefined && STRUCTS.has(name) ? name : undefined;
}

/** The symbol a stack declaration of struct `s` named `v` is lowered to (resolved per thread). */
export function stackSymbol(s: string, v: string): string {
  return `stack:${STRUCTS.get(s)!.kind}:${v}`;
}

/** "stack:wpq:wait_page" → ["wpq", "wait_page"], for the thread's own object. */
export function parseStackSymbol(name: string): [string, string] | undefined {
  if (!name.startsWith('stack:')) return undefined;
  const rest = name.slice(6);
  const colon = rest.indexOf(':');
  return colon < 0 ? undefined : [rest.slice(0, colon), rest.slice(colon + 1)];
}

/** The class of a field of the struct a load or store names (footprint-classes.ts), if it is one of these. */
export function waitFieldClass(struct: string | undefined, field: string): string | undefined {
  const s = struct !== undefined ? STRUCTS.get(struct) : undefined;
  if (!s) return undefined;
  return s.fields.includes(field) ? `${s.kind}.${field}` : undefined;
}

export function isWaitKind(kind: string | undefined): boolean {
  return kind !== undefined && BY_KIND.has(kind) && kind !== 'wqh';
}

/** The location of obj->field, for a field of a wait object; undefined for other objects. */
export function waitFieldKey(obj: Value, field: string): string | undefined {
  const kind = refKind(obj);
  if (!isWaitKind(kind)) return undefined;
  const s = BY_KIND.get(kind!)!;
  if (!s.fields.includes(field)) throw new Error(`struct ${s.name} has no modeled field '${field}'`);
  return `${kind}:${refId(obj)}.${field}`;
}

/** `&obj->field` of a wait object: an embedded entry, the queue's lock or list head, an entry's list node. */
export function waitFieldAddress(obj: Value, field: string): Value | undefined {
  const kind = refKind(obj);
  const id = refId(obj) ?? '';
  if (kind === 'wqh' && field === 'lock') return `lock:wqh/${id}.lock`;
  if (kind === 'wqh' && field === 'head') return `lhead:${id}`;
  if (kind === 'wqe' && field === 'entry') return id.startsWith('head/') ? `lhead:${id.slice(5)}` : `lnode:${id}`;
  const s = kind ? BY_KIND.get(kind) : undefined;
  const inner = s?.embeds?.[field];
  if (inner) return `${STRUCTS.get(inner)!.kind}:${id}`;
  return undefined;
}

/** container_of(): the wait_page_queue a wait entry is embedded in. */
export function containerOf(v: Value): Value | undefined {
  return refKind(v) === 'wqe' && !(refId(v) ?? '').startsWith('head/') ? `wpq:${refId(v)}` : undefined;
}

/** The thread a stack object belongs to ("P1.wait_page" → "P1"). */
function owner(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

/** The location of the list membership of an object's entry ("wqe:P1.wait_page.entry"). */
export function entryKey(id: string): string {
  return `wqe:${id}.entry`;
}

/**
 * Whether a load or store of obj->field by thread `tid` is local computation (see the
 * file's comment); `peek` reads a location without making it part of the step.
 */
export function waitAccessIsLocal(obj: Value, _field: string, tid: string, write: boolean, peek: (k: string) => Value): boolean {
  const kind = refKind(obj);
  if (!isWaitKind(kind)) return false;
  const s = BY_KIND.get(kind!)!;
  if (s.private) return true;
  const id = refId(obj) ?? '';
  if (owner(id) !== tid) {
    // another thread reaches an entry through its queue only, under the queue's lock, and
    // everything written to a queued entry is written under that lock: its reads are
    // both-movers (Lipton). Its writes (WQ_FLAG_WOKEN) are read by the owner without the lock.
    return !write;
  }
  // off every list, an entry is its owner's alone; a waker takes it off, only the owner puts it on
  return peek(entryKey(id)) === '';
}

/** The stack objects the programs declare ("wpq:wait_page"), from their lowered symbols. */
export function stackObjectName(sym: string): string | undefined {
  const p = parseStackSymbol(sym);
  return p ? `${p[0]}:${p[1]}` : undefined;
}

/** Every location of the stack objects `names` ("wpq:wait_page") on each thread's stack, with its initial value. */
export function stackLocations(names: Iterable<string>, threads: readonly string[]): [string, Value][] {
  const out: [string, Value][] = [];
  for (const n of names) {
    const colon = n.indexOf(':');
    const s = BY_KIND.get(n.slice(0, colon));
    if (!s) continue;
    const v = n.slice(colon + 1);
    const kinds = [s, ...Object.values(s.embeds ?? {}).map((e) => BY_KIND.get(STRUCTS.get(e)!.kind)!)];
    for (const t of threads) {
      for (const k of kinds) for (const f of k.fields) out.push([`${k.kind}:${t}.${v}.${f}`, f === 'entry' ? '' : 0]);
    }
  }
  return out;
}
