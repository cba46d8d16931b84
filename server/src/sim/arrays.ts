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
  // a value that is no array is an error here too
  arrayItems(v);
  const rest = (v as string).slice(PREFIX.length);
  return rest.startsWith('[') ? 0 : Number(rest.slice(0, rest.indexOf('|')));
}

export const EMPTY_ARRAY = arrayValue([]);

/**
 * The elements of array values parsed so far, by value: a batch is read at step after
 * step (its count, its next folio, its release) and the few values a run makes come back.
 * Bounded like the other per-value caches: started again when full.
 */
const parsed = new Map<string, readonly Value[]>();
const MAX_PARSED = 10_000;

/** The array's elements, as a list of the caller's own (callers append to it). */
export function arrayItems(v: Value): Value[] {
  if (!isArrayValue(v)) throw new PrimitiveError(`expected a local array, got ${v === undefined ? 'no argument (the call gives too few)' : v === null ? 'NULL' : String(v)}`);
  let items = parsed.get(v as string);
  if (items === undefined) {
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(v as string, (items = JSON.parse(body(v as string)) as Value[]));
  }
  return items.slice();
}

/** Element i; reading past the elements written so far is reported, not taken as 0. */
export function arrayElement(v: Value, i: number): Value {
  const items = arrayItems(v);
  if (!Number.isInteger(i) || i < 0 || i >= items.length) {
    throw new PrimitiveError(`array element ${i} read, but the array holds ${items.length}`);
  }
  return items[i];
}
