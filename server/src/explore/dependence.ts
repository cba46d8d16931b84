/**
 * Independence of two steps of different threads, judged from their footprints alone.
 * This is the only knowledge partial-order reduction has about the system.
 */
import type { Footprint } from './system.js';

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  // Footprints are a handful of names; a Set would cost more than it saves.
  for (const x of a) if (b.includes(x)) return true;
  return false;
}

/** Dependent iff one writes a location the other reads or writes. */
export function dependent(a: Footprint, b: Footprint): boolean {
  return overlaps(a.writes, b.writes) || overlaps(a.writes, b.reads) || overlaps(b.writes, a.reads);
}
