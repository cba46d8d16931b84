/**
 * Which threads can come back to where they are (sim/loop-free.ts): the search walks a
 * sleeping only thread alone to look for a livelock only when it can. A thread whose
 * code from where it is has no jump backwards, no recursion and calls nothing that
 * loops cannot; anything else can.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LoopFreedom } from 'racelens-server/out/sim/loop-free.js';
import type { Expr, FunctionProgram, Instr } from 'racelens-server/out/sim/program.js';
import type { Thread } from 'racelens-server/out/sim/machine.js';
import { newPlace } from 'racelens-server/out/sim/thread-copy.js';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { explore } from 'racelens-server/out/explore/index.js';
import type { PlacedMachine } from 'racelens-server/out/sim/machine-places.js';
import { builtinRace } from './fixtures.js';

const x: Expr = { k: 'local', name: 'x' };
const one: Expr = { k: 'num', v: 1 };

function fn(name: string, code: Instr[]): FunctionProgram {
  return { name, params: [], code, notes: [] };
}

const PROGRAMS = new Map<string, FunctionProgram>([
  // straight on: a step, a call of a primitive (no program), a return
  ['straight', fn('straight', [{ op: 'load', dst: 'x', obj: one, field: 'f' }, { op: 'call', callee: 'prim', args: [] }, { op: 'ret' }])],
  // a loop first (0 -> 1 -> 0), then straight on from 2
  ['spins', fn('spins', [{ op: 'load', dst: 'x', obj: one, field: 'f' }, { op: 'br', c: x, t: 0, f: 2 }, { op: 'load', dst: 'x', obj: one, field: 'g' }, { op: 'ret' }])],
  // calls `spins` at 0, then `straight` at 1
  ['callsSpins', fn('callsSpins', [{ op: 'call', callee: 'spins', args: [] }, { op: 'call', callee: 'straight', args: [] }, { op: 'ret' }])],
  // calls `straight`, then `spins`
  ['spinsLater', fn('spinsLater', [{ op: 'call', callee: 'straight', args: [] }, { op: 'call', callee: 'spins', args: [] }, { op: 'ret' }])],
  // calls itself through `again`
  ['recurses', fn('recurses', [{ op: 'call', callee: 'again', args: [] }, { op: 'ret' }])],
  ['again', fn('again', [{ op: 'call', callee: 'recurses', args: [] }, { op: 'ret' }])],
  // calls through a pointer that may reach `spins`
  ['viaPointer', fn('viaPointer', [{ op: 'call', callee: x, args: [] }, { op: 'ret' }])],
]);

function freedom(): LoopFreedom {
  return new LoopFreedom({
    program: (name) => PROGRAMS.get(name),
    calleeTargets: () => ['straight', 'spins'],
  });
}

/** A thread with frames at these functions and pcs, the first the bottom one. */
function thread(frames: [string, number][], id = 'P0'): Thread {
  return {
    id, label: 'user', steps: 0, spawned: 0, queue: [], place: newPlace(),
    frames: frames.map(([name, pc]) => ({ fn: name, pc, locals: [], ret: -1, c: { fn: PROGRAMS.get(name)! } as never, below: undefined, owner: undefined })),
  };
}

describe('which threads can come back to where they are', () => {
  it('straight-line code cannot', () => {
    assert.equal(freedom().mayReturn(thread([['straight', 0]])), false);
  });

  it('a loop ahead can; the same function past its loop cannot', () => {
    const f = freedom();
    assert.equal(f.mayReturn(thread([['spins', 0]])), true);
    assert.equal(f.mayReturn(thread([['spins', 2]])), false);
  });

  it('a caller goes on after the call it is in: a loop in the callee counts only where the callee is', () => {
    const f = freedom();
    // in `spins` past its loop, called from callsSpins, which then calls straight code
    assert.equal(f.mayReturn(thread([['callsSpins', 0], ['spins', 2]])), false);
    // inside the loop
    assert.equal(f.mayReturn(thread([['callsSpins', 0], ['spins', 1]])), true);
    // the caller calls a looping function after this one returns
    assert.equal(f.mayReturn(thread([['spinsLater', 0], ['straight', 0]])), true);
  });

  it('recursion can, and so can a call through a pointer that may reach a loop', () => {
    const f = freedom();
    assert.equal(f.mayReturn(thread([['recurses', 0]])), true);
    assert.equal(f.mayReturn(thread([['again', 1]])), false, 'past its call, nothing is left to run');
    assert.equal(f.mayReturn(thread([['viaPointer', 0]])), true);
  });

  it('the I/O completion thread can (its own requests may refill its queue)', () => {
    assert.equal(freedom().mayReturn(thread([['straight', 0]], 'io')), true);
  });
});

describe('the search skips the livelock walk of a thread that cannot come back', () => {
  // one that ends in a deadlock, one where most walks are skipped
  for (const [name, era] of [['killable-lock-wakeup', '4.10'], ['writeback-stale-wake', '6.1']] as const) {
    it(`${name} ${era}: the same search as one that walks every sleeping only thread`, () => {
      const { race, file } = builtinRace(name);
      const skips = scenarioMachine({ race, file, eraSpec: era }).machine as PlacedMachine;
      const walks = scenarioMachine({ race, file, eraSpec: era }).machine as PlacedMachine;
      let asked = 0;
      let skipped = 0;
      const answer = skips.mayReturnAt.bind(skips);
      Object.defineProperty(skips, 'mayReturnAt', { value: (s: never, i: number) => { asked++; const a = answer(s, i); if (!a) skipped++; return a; } });
      Object.defineProperty(walks, 'mayReturnAt', { value: () => true });
      const opts = { reduction: 'full', shortest: false, stopAtFirstViolation: false } as const;
      const x = explore(skips, opts);
      const y = explore(walks, opts);
      assert.deepEqual([x.verdict, x.executions, x.states, x.transitions, x.violations, x.sleepBlocked, x.firstViolation?.schedule],
        [y.verdict, y.executions, y.states, y.transitions, y.violations, y.sleepBlocked, y.firstViolation?.schedule]);
      assert.ok(asked > 0 && skipped > 0, `${skipped} of ${asked} walks skipped`);
    });
  }
});
