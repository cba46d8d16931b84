/**
 * Under a whole-tree verdict, the functions the race's fix changed that ran as built-in
 * models are named: the verdict is that model's, not the tree's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fixOnBuiltin, fixOnBuiltinLines } from 'racelens-server/out/report/fix-on-builtin.js';

const TREE = '/cache/linux-6.12';
const waitBuiltin = {
  kind: 'builtin-over-source', function: 'folio_wait_bit_common',
  message: `folio_wait_bit_common: the built-in model (builtin/models/6.1/filemap.c:12) runs instead of the source at ${TREE}/mm/filemap.c:1221: wait-queue internals`,
  at: { file: `${TREE}/mm/filemap.c`, line: 1221, column: 1 },
};
const other = { ...waitBuiltin, function: 'submit_bh', message: 'submit_bh: the built-in model runs instead' };

describe('a fix\'s function that ran as a built-in model', () => {
  it('is picked out of the run\'s assumptions by the race\'s history', () => {
    assert.deepEqual(fixOnBuiltin('killable-lock-wakeup', [other, waitBuiltin]).map((a) => a.function), ['folio_wait_bit_common']);
    // another race's fix is elsewhere
    assert.deepEqual(fixOnBuiltin('mmap-dirty-lost', [other, waitBuiltin]), []);
    // from source: no such assumption, nothing said
    assert.deepEqual(fixOnBuiltin('killable-lock-wakeup', [other]), []);
  });

  it('is said with the model and the tree\'s own place, inside the tree', () => {
    const [line] = fixOnBuiltinLines('killable-lock-wakeup', [waitBuiltin], [TREE]);
    assert.match(line, /built-in model of folio_wait_bit_common\(\) \(builtin\/models\/6\.1\/filemap\.c:12\)/);
    assert.match(line, /tree's body at mm\/filemap\.c:1221/);
  });
});
