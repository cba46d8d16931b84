/**
 * Local arrays are values (sim/arrays.ts): what a value's elements are is parsed once
 * and kept, and every reader gets a list of its own, since primitives append to the
 * batch they read (folio_batch_add, filemap_get_folios_tag).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { arrayCursor, arrayItems, arrayValue } from 'racelens-server/out/sim/arrays.js';

describe('array values', () => {
  it('gives each reader its own list of the elements', () => {
    const batch = arrayValue(['page:P.0', 'page:P.1'], 1);
    const first = arrayItems(batch);
    first.push('page:P.2');
    first[0] = null;
    assert.deepEqual(arrayItems(batch), ['page:P.0', 'page:P.1']);
    assert.equal(arrayCursor(batch), 1);
    assert.notEqual(arrayItems(batch), arrayItems(batch));
  });

  it('says a value that is no array is none, read before or not', () => {
    assert.throws(() => arrayItems('page:P.0'), /expected a local array/);
    assert.throws(() => arrayCursor(7), /expected a local array/);
  });
});
