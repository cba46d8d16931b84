/**
 * Local arrays as values. A thread's local array (`pgoff_t indices[PAGEVEC_SIZE]`, a
 * `struct folio_batch`) lives in one local slot as an immutable value "arr:[...]"
 * whose elements are ordinary values (numbers, object references, NULL). The state
 * key already covers locals, so two threads' batches and their contents are part of
 * the explored state like any other local.
 */
import type { Value } from './program.js';
import { PrimitiveError } from './primitive.js';

const PREFIX = 'arr:';

export function isArrayValue(v: Value): boolean {
  return typeof v === 'string' && v.startsWith(PREFIX);
}

export function arrayValue(items: readonly Value[]): string {
  return PREFIX + JSON.stringify(items);
}

export const EMPTY_ARRAY = arrayValue([]);

export function arrayItems(v: Value): Value[] {
  if (!isArrayValue(v)) throw new PrimitiveError(`expected a local array, got ${v === undefined ? 'no argument (the call gives too few)' : v === null ? 'NULL' : String(v)}`);
  return JSON.parse((v as string).slice(PREFIX.length)) as Value[];
}

/** Element i; reading past the elements written so far is reported, not taken as 0. */
export function arrayElement(v: Value, i: number): Value {
  const items = arrayItems(v);
  if (!Number.isInteger(i) || i < 0 || i >= items.length) {
    throw new PrimitiveError(`array element ${i} read, but the array holds ${items.length}`);
  }
  return items[i];
}
