/** The full search's visited set (explore/visited.ts): keys of the simulator's four-unit hash and any other string. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VisitedSet } from 'racelens-server/out/explore/visited.js';

const key = (n: number): string => String.fromCharCode(n & 0xffff, (n >>> 16) & 0xffff, (n * 7) & 0xffff, 0xd800 + (n % 1024));

describe('VisitedSet', () => {
  it('keeps every key with its value through growth, and tells a key never stored', () => {
    const v = new VisitedSet();
    for (let n = 0; n < 50_000; n++) v.set(key(n), n % 0x7fffffff);
    assert.equal(v.size, 50_000);
    for (let n = 0; n < 50_000; n += 97) assert.equal(v.get(key(n)), n);
    assert.equal(v.get(key(50_001)), undefined);
    v.set(key(5), 0);
    assert.equal(v.get(key(5)), 0);
    assert.equal(v.size, 50_000);
  });

  it('takes keys of any other length, and marks keys of both kinds', () => {
    const v = new VisitedSet();
    v.set('a readable state', 3);
    v.set(key(1), 2 ** 31 - 1);
    assert.equal(v.get('a readable state'), 3);
    assert.equal(v.get(key(1)), 2 ** 31 - 1);
    assert.equal(v.size, 2);
    v.add(key(1));
    v.add('a readable state');
    assert.ok(v.has(key(1)) && v.has('a readable state'));
    for (let n = 10; n < 10_000; n++) v.set(key(n), 1);
    assert.ok(v.has(key(1)), 'a mark survives the table growing');
    v.delete(key(1));
    v.delete('a readable state');
    assert.ok(!v.has(key(1)) && !v.has('a readable state'));
    assert.ok(!v.has(key(2)));
  });

  it('answers the same after a key was asked about before it was stored, and after the table grew under a kept slot', () => {
    const v = new VisitedSet();
    assert.equal(v.get(key(7)), undefined);
    assert.ok(!v.has(key(7)));
    v.set(key(7), 4);
    assert.equal(v.get(key(7)), 4);
    const hint = v.add(key(7));
    assert.ok(v.has(key(7)));
    // the table grows and the slot moves: the stale hint must not unmark another key
    for (let n = 100; n < 20_000; n++) v.set(key(n), 1);
    v.add(key(100));
    v.delete(key(7), hint);
    assert.ok(!v.has(key(7)));
    assert.ok(v.has(key(100)));
    assert.equal(v.get(key(7)), 4);
  });
});
