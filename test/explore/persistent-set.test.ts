/**
 * explore/persistent.ts on a question made by hand: three enabled threads whose steps
 * and futures are bits of locations read and written. Thread 1 is about to wait (it
 * reads Y on its way to a wait, and writes nothing): a system that lets such a thread
 * stay outside the stubborn set says so (`waits`), and one that does not is never asked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { persistentSet, type PersistentQuestion } from 'racelens-server/out/explore/persistent.js';

interface Touch { r: number; w: number }

const X = 1, Y = 2, Z = 4;

function question(waits: boolean): PersistentQuestion<Touch> {
  const futures: Touch[] = [{ r: 0, w: X }, { r: X | Y | Z, w: X }, { r: 0, w: Y | Z }];
  const taken: Touch[] = [{ r: 0, w: X }, { r: Y, w: 0 }, { r: 0, w: Z }];
  return {
    count: 3,
    enabled: [0, 1, 2],
    futures,
    waits,
    stated: () => undefined,
    taken: (i) => taken[i],
    pending: (x) => futures[x],
    waiting: (i) => {
      if (!waits) throw new Error('asked whether a thread waits of a system that lets none stay out');
      return i === 1 ? { r: Y, w: 0 } : undefined;
    },
    conflict: (step, future) => (step.w & (future.r | future.w)) !== 0 || (step.r & future.w) !== 0,
  };
}

describe('persistent sets', () => {
  it('without waiters left out: the smallest stubborn set holds the waiting thread and the one it conflicts with', () => {
    // 0's step writes X, which 1 may read; 1's reads Y, which 2 may write; 2's writes Z, which 1 may read
    assert.deepEqual(persistentSet(question(false)), [1, 2]);
  });

  it('with waiters left out: thread 1 stays outside while nothing outside can let it go on', () => {
    assert.deepEqual(persistentSet(question(true)), [2]);
  });
});
