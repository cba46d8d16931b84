/**
 * A lookup table keyed by names that come from input (C identifiers, field names): with
 * no prototype, `table['constructor']` or `table['__proto__']` is undefined, not
 * Object's own members.
 */
export function ownTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
