/**
 * What a transition touched, as the explorer's dependence sees it: its sink's reads and
 * writes, net of the writes that left a location as they found it.
 */
import type { WorldStore } from './store.js';
import type { StepSink } from './transition-context.js';

/**
 * A transition's footprint, with a location it wrote but left as it found it (a
 * test_and_set_bit that found the bit set, a lock taken and released in one
 * transition) counted as read, not written. Sound for the explorer's dependence,
 * which judges two transitions at the state they both start from: there such a
 * transition is the identity on that location and depends on its value, which is
 * what a read is. If another thread's step changes the location first, that step
 * writes what this one reads, so the two are dependent all the same; and a thread
 * that could change it later is in the futures a persistent set is checked against.
 */
export function netFootprint(before: WorldStore, after: WorldStore, sink: StepSink): { reads: string[]; writes: string[] } {
  const { reads, writes, writeSlots, readCount, writeCount } = sink;
  let same: string[] | undefined;
  // a world that froze into the one it started from has every slot as it was
  for (let k = 0; k < writeCount; k++) {
    const i = writeSlots[k];
    if (i >= 0 && (before === after || before.get(i) === after.get(i))) (same ??= []).push(writes[k]);
  }
  // the sink's lists are emptied for the next transition: the footprint is a copy
  if (!same) return { reads: reads.slice(0, readCount), writes: writes.slice(0, writeCount) };
  const net: string[] = [];
  for (let k = 0; k < writeCount; k++) if (!same.includes(writes[k])) net.push(writes[k]);
  const all = reads.slice(0, readCount);
  for (let k = 0; k < same.length; k++) if (!all.includes(same[k])) all.push(same[k]);
  return { reads: all, writes: net };
}
