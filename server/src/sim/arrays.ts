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

/**
 * An array value; `cursor` is a batch's iteration cursor (struct folio_batch's `i`,
 * advanced by folio_batch_next), kept with its folios because folio_batch_release
 * still drops the references of the folios already iterated.
 */
export function arrayValue(items: readonly Value[], cursor = 0): string {
  return cursor > 0 ? `${PREFIX}${cursor}|${JSON.stringify(items)}` : PREFIX + JSON.stringify(items);
}

function body(v: string): string {
  const rest = v.slice(PREFIX.length);
  const bar = rest.startsWith('[') ? -1 : rest.indexOf('|');
  return bar < 0 ? rest : rest.slice(bar + 1);
}

/** A batch's iteration cursor (0 unless folio_batch_next moved it). */
export function arrayCursor(v: Value): number {
  arrayItems(v);
  const rest = (v as string).slice(PREFIX.length);
  return rest.startsWith('[') ? 0 : Number(rest.slice(0, rest.indexOf('|')));
}

export const EMPTY_ARRAY = arrayValue([]);

export function arrayItems(v: Value): Value[] {
  if (!isArrayValue(v)) throw new PrimitiveError(`expected a local array, got ${v === undefined ? 'no argument (the call gives too few)' : v === null ? 'NULL' : String(v)}`);
  return JSON.parse(body(v as string)) as Value[];
}

/** Element i; reading past the elements written so far is reported, not taken as 0. */
export function arrayElement(v: Value, i: number): Value {
  const items = arrayItems(v);
  if (!Number.isInteger(i) || i < 0 || i >= items.length) {
    throw new PrimitiveError(`array element ${i} read, but the array holds ${items.length}`);
  }
  return items[i];
}
