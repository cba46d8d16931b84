/**
 * A step's writer hashes the slots it changed when it freezes (sim/store.ts), and the
 * memo takes a transition's change to the hash as the two worlds' hashes XORed
 * (transition-memo.ts memoEntry). Both rest on the world's hash being a function of its
 * values alone, however a transition reached them: written once, several times, or
 * written and put back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorldStore, WorldWriter } from 'racelens-server/out/sim/store.js';
import type { Value } from 'racelens-server/out/sim/program.js';

/** 600 slots (three pages of chunks), of the kinds of value a world holds. */
function values(): Value[] {
  return Array.from({ length: 600 }, (_, i): Value => (i % 3 === 0 ? i : i % 3 === 1 ? null : `page:P${i}`));
}

function hashOf(w: WorldStore): [number, number] {
  return [w.h1, w.h2];
}

describe('world writer', () => {
  it('freezes into the hash of a world made from the values it ends with', () => {
    const before = values();
    const base = WorldStore.of(before);
    const writer = new WorldWriter(base);
    writer.set(5, 'lock:P1');
    writer.set(5, null);
    writer.set(5, 'P2');
    writer.set(300, 7);
    writer.set(599, 'bh:P0.0');
    writer.set(17, before[17]);
    const after = before.slice();
    after[5] = 'P2';
    after[300] = 7;
    after[599] = 'bh:P0.0';
    const frozen = writer.freeze();
    assert.deepEqual(hashOf(frozen), hashOf(WorldStore.of(after)));
    for (const i of [0, 5, 17, 300, 599]) assert.equal(frozen.get(i), after[i]);
    assert.equal(base.get(5), before[5], 'the world before is not changed');
  });

  it('freezes into the hash it started with when every write was put back', () => {
    const before = values();
    const base = WorldStore.of(before);
    const writer = new WorldWriter(base);
    writer.set(40, 'lock:P1');
    writer.set(41, 99);
    writer.set(40, before[40]);
    writer.set(41, before[41]);
    assert.deepEqual(hashOf(writer.freeze()), hashOf(base));
  });

  it('lists its slots from the start of a lent list, whatever an earlier writer left past that', () => {
    const before = values();
    const base = WorldStore.of(before);
    // the list a transition lends: an earlier writer's slots in it, one of them written again here
    const lent = [7, 300, 12, 599];
    const writer = new WorldWriter(base, lent);
    writer.set(300, 'lock:P1');
    writer.set(8, 5);
    const alone = new WorldWriter(base);
    alone.set(300, 'lock:P1');
    alone.set(8, 5);
    // a stale 300 past the count does not stop 300 being listed, nor 7 and 12 being hashed
    assert.deepEqual(hashOf(writer.freeze()), hashOf(alone.freeze()));
    assert.deepEqual(lent.slice(0, 2), [300, 8]);
  });

  it('gives a replayed transition the same world as the one it replays', () => {
    const before = values();
    const base = WorldStore.of(before);
    const writer = new WorldWriter(base);
    writer.set(3, 'x');
    writer.set(256, null);
    const frozen = writer.freeze();
    // the memo's entry: the slots changed, their values after, the hashes' difference
    const replayed = base.with([3, 256], ['x', null], base.h1 ^ frozen.h1, base.h2 ^ frozen.h2);
    assert.deepEqual(hashOf(replayed), hashOf(frozen));
    assert.equal(replayed.get(3), 'x');
    assert.equal(replayed.get(256), null);
  });
});
