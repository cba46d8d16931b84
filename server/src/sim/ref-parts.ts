/**
 * The kind and id of an object reference ("page:P" → "page", "P"), as program.ts's
 * refKind and refId give them, worked out once per value string: loads, stores and the
 * primitives' arguments name the same few objects at every step, and a kept part keeps
 * its hash for the map lookups that follow, where a fresh slice is hashed again.
 */
import { refId, refKind, type Value } from './program.js';

/** Value strings kept; past this many (values are object names, bounded in practice) parts are sliced each time. */
const MAX_KEPT = 100_000;

const kinds = new Map<string, string | undefined>();
const ids = new Map<string, string | undefined>();

export function kindOf(v: Value): string | undefined {
  return typeof v === 'string' ? kept(kinds, v, refKind) : undefined;
}

export function idOf(v: Value): string | undefined {
  return typeof v === 'string' ? kept(ids, v, refId) : undefined;
}

/**
 * `part(v)`, from `memo` when it was worked out before (an undefined answer is kept too):
 * a string cut from a value once keeps its hash for the map lookups it goes to.
 */
export function kept<P extends string | undefined>(memo: Map<string, P>, v: string, part: (v: string) => P): P {
  let p = memo.get(v) as P;
  if (p === undefined && !memo.has(v)) {
    p = part(v);
    if (memo.size < MAX_KEPT) memo.set(v, p);
  }
  return p;
}
