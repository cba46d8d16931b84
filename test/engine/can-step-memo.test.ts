/**
 * Whether a thread can step is kept on its place with the slots the answer read
 * (sim/can-step-memo.ts): it stands while those slots hold the values they held, and a
 * new answer that read the same slots is written over the kept one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keepCanStep, keptCanStep } from 'racelens-server/out/sim/can-step-memo.js';
import { WorldStore } from 'racelens-server/out/sim/store.js';
import { newPlace } from 'racelens-server/out/sim/thread-copy.js';
import type { Value } from 'racelens-server/out/sim/program.js';

const world = (values: Value[]): WorldStore => WorldStore.of(values);

describe('whether a thread can step, kept on its place', () => {
  it('answers while the slots it read hold the same values, and not once one differs', () => {
    const place = newPlace();
    assert.equal(keptCanStep(place, world([0, 'lock:P0', 7])), undefined, 'nothing kept yet');
    keepCanStep(place, [1], world([0, 'lock:P0', 7]), false);
    assert.equal(keptCanStep(place, world([5, 'lock:P0', 9])), false, 'slot 1 as it was: the answer stands');
    assert.equal(keptCanStep(place, world([0, null, 7])), undefined, 'slot 1 changed: asked again');
  });

  it('rewrites the kept answer when a new one read the same slots, and replaces it when they differ', () => {
    const place = newPlace();
    const slots = [1, 2];
    keepCanStep(place, slots, world([0, 'lock:P0', 7]), false);
    const kept = place.canStep;
    slots.length = 0; // the caller's list is reused: what was kept must not change with it
    slots.push(1, 2);
    keepCanStep(place, slots, world([0, null, 7]), true);
    assert.equal(place.canStep, kept, 'the same slots: written in place');
    assert.deepEqual(kept!.values, [null, 7]);
    assert.equal(keptCanStep(place, world([3, null, 7])), true);
    keepCanStep(place, [0], world([4, null, 7]), false);
    assert.notEqual(place.canStep, kept, 'other slots: a new answer');
    assert.deepEqual(place.canStep!.slots, [0]);
    assert.equal(keptCanStep(place, world([4, 'lock:P1', 8])), false);
    slots.length = 0;
    assert.deepEqual(kept!.slots, [1, 2], 'a kept answer holds its own copy of the slots');
  });
});
