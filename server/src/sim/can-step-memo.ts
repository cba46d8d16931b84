/**
 * Whether a thread can step, kept on its place (ThreadPlace.canStep) with the world slots
 * the answer read and their values then. A thread the last steps did not move is asked
 * again at every state, and the answer is a function of what it read: while those slots
 * hold the same values it stands. Most new answers read the same slots with other values,
 * so the kept one is rewritten in place rather than made again (it was a tenth of what a
 * search allocated).
 */
import type { ThreadPlace } from './machine-types.js';
import type { WorldStore } from './store.js';

/** The kept answer, when the world holds the values it read; undefined when it must be asked again. */
export function keptCanStep(place: ThreadPlace, world: WorldStore): boolean | undefined {
  const last = place.canStep;
  if (!last) return undefined;
  const { slots, values } = last;
  for (let k = 0; k < slots.length; k++) if (world.get(slots[k]) !== values[k]) return undefined;
  return last.result;
}

/** Keeps `result`, which read `slots` of `world` (a list the caller reuses: copied when kept anew). */
export function keepCanStep(place: ThreadPlace, slots: readonly number[], world: WorldStore, result: boolean): void {
  const last = place.canStep;
  if (last && sameNumbers(last.slots, slots)) {
    for (let k = 0; k < slots.length; k++) last.values[k] = world.get(slots[k]);
    last.result = result;
    return;
  }
  place.canStep = { slots: slots.slice(), values: slots.map((i) => world.get(i)), result };
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
