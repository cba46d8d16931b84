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
  if (typeof v !== 'string') return undefined;
  let k = kinds.get(v);
  if (k === undefined && !kinds.has(v)) {
    k = refKind(v);
    if (kinds.size < MAX_KEPT) kinds.set(v, k);
  }
  return k;
}

export function idOf(v: Value): string | undefined {
  if (typeof v !== 'string') return undefined;
  let id = ids.get(v);
  if (id === undefined && !ids.has(v)) {
    id = refId(v);
    if (ids.size < MAX_KEPT) ids.set(v, id);
  }
  return id;
}
