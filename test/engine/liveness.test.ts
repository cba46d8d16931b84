/**
 * Dead locals are left out of the state: liveness over a program's control flow.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { liveness } from 'racelens-server/out/sim/liveness.js';
import type { FunctionProgram } from 'racelens-server/out/sim/program.js';

const local = (name: string) => ({ k: 'local' as const, name });

// ret = TestClearPageDirty(page); if (ret) { tmp = ret; set_page_writeback(page) } return 0;
const fn: FunctionProgram = {
  name: 'example', params: ['page'], notes: [],
  code: [
    /* 0 */ { op: 'call', callee: 'TestClearPageDirty', args: [local('page')], dst: 'ret' },
    /* 1 */ { op: 'br', c: local('ret'), t: 2, f: 4 },
    /* 2 */ { op: 'set', dst: 'tmp', e: local('ret') },
    /* 3 */ { op: 'call', callee: 'set_page_writeback', args: [local('page')] },
    /* 4 */ { op: 'ret', e: { k: 'num', v: 0 } },
  ],
};
const slots = new Map([['page', 0], ['ret', 1], ['tmp', 2]]);

describe('liveness', () => {
  const live = liveness(fn, slots);

  it('a local is live from its definition to its last use', () => {
    assert.deepEqual(live.atTop[0], [0]);
    assert.deepEqual(live.atTop[1], [0, 1]);
    assert.deepEqual(live.atTop[2], [0, 1]);
  });

  it('a local never read again is dead, even while it holds a value', () => {
    // tmp is written at 2 and never read; ret is dead after the copy
    assert.deepEqual(live.atTop[3], [0]);
    assert.deepEqual(live.atTop[4], []);
  });

  it('a frame below the top keeps what the code after its call reads, not the call\'s result slot', () => {
    assert.deepEqual(live.atReturn[0], [0]);
    assert.deepEqual(live.atReturn[3], []);
  });
});
