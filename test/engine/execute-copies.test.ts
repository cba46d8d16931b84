/**
 * A transition runs on copies (sim/machine.ts execute): threads, frames and locals are
 * shared by the states a search keeps, and a thread's code changes in place only the
 * frames its transition made itself (Frame.owner: a call's frame, the copy of the top
 * frame, a caller copied on a return). Checked by stepping every enabled thread of the
 * first states of two races with a machine whose memo is empty, so that the code runs,
 * and comparing each state's frames before and after.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import type { SimState } from 'racelens-server/out/sim/machine.js';
import { builtinRace } from './fixtures.js';
import { reachedStates } from './reached-states.js';


/** What a state's threads are, as plain data: per frame its function, pc and locals. */
function snapshot(s: SimState): string {
  return JSON.stringify(s.threads.map((t) => [t.id, t.queue.length, t.frames.map((f) => [f.fn, f.pc, f.locals.slice()])]));
}

describe('a transition leaves the state it started from as it was', () => {
  for (const [name, era] of [['writeback-stale-wake', '6.1'], ['mmap-dirty-lost', '6.1']] as const) {
    it(`${name} ${era}: every step from the first states, calls and returns inside them included`, () => {
      const { race, file } = builtinRace(name);
      const states = reachedStates(scenarioMachine({ race, file, eraSpec: era }).machine, 150, 'breadth');
      let ran = 0;
      for (const s of states) {
        const before = snapshot(s);
        const fresh = scenarioMachine({ race, file, eraSpec: era }).machine;
        s.outcomes = undefined;
        for (const tid of fresh.threads(s)) {
          if (!fresh.enabled(s, tid)) continue;
          const after = fresh.step(s, tid).state;
          // the step's own state moved on: it is not the one it started from
          assert.notEqual(after, s);
          ran++;
        }
        s.outcomes = undefined;
        assert.equal(snapshot(s), before, `${name} ${era}: a state of ${s.threads.map((t) => t.id).join(' ')}`);
      }
      assert.ok(ran > 150, `${ran} steps run`);
    });
  }
});
