/**
 * The transition memo (sim/transition-memo.ts) stands in for running a thread's code:
 * at every state a search reaches, a transition the memo gives must lead where running
 * the code leads. Checked by asking a second machine over the same programs, whose memo
 * is empty, for the same steps at the same states, on races whose transitions submit
 * I/O (kept since the memo replays what they do to the completion thread).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { builtinRace } from './fixtures.js';
import { reachedStates } from './reached-states.js';


function compare(name: string, era: string): { asked: number; started: number; queued: number } {
  const { race, file } = builtinRace(name);
  const warm = scenarioMachine({ race, file, eraSpec: era }).machine;
  const states = reachedStates(warm, 1200, 'depth');
  let asked = 0;
  let started = 0;
  let queued = 0;
  for (const s of states) {
    for (const tid of warm.threads(s)) {
      if (!warm.enabled(s, tid)) continue;
      // the memo of `warm` has met most of these places; a fresh machine runs the code
      s.outcomes = undefined;
      const remembered = warm.step(s, tid);
      const fp = warm.footprint(s, tid);
      s.outcomes = undefined;
      const fresh = scenarioMachine({ race, file, eraSpec: era }).machine;
      const ran = fresh.step(s, tid);
      const ranFp = fresh.footprint(s, tid);
      s.outcomes = undefined;
      const where = `${name} ${era}, ${tid} at a state of ${s.threads.map((t) => t.id).join(' ')}`;
      assert.equal(warm.key(remembered.state), fresh.key(ran.state), `${where}: the state after`);
      assert.deepEqual(remembered.state.threads.map((t) => [t.id, t.queue.map((q) => q.fn)]), ran.state.threads.map((t) => [t.id, t.queue.map((q) => q.fn)]), where);
      assert.deepEqual(remembered.violation, ran.violation, where);
      assert.deepEqual([...fp.reads].sort(), [...ranFp.reads].sort(), `${where}: reads`);
      assert.deepEqual([...fp.writes].sort(), [...ranFp.writes].sort(), `${where}: writes`);
      asked++;
      const was = s.threads.find((t) => t.id === 'io');
      const now = ran.state.threads.find((t) => t.id === 'io');
      if (now && !was) started++;
      if (now && was && tid !== 'io' && now.queue.length > was.queue.length) queued++;
    }
  }
  return { asked, started, queued };
}

describe('a remembered transition leads where running the code leads', () => {
  for (const [name, era] of [['mmap-dirty-lost', '6.1'], ['writeback-stale-wake', '5.10'], ['truncate-vs-writeback', '5.9']] as const) {
    it(`${name} ${era}: every step from the first states, against a machine with an empty memo, I/O submissions included`, () => {
      const { asked, started, queued } = compare(name, era);
      assert.ok(asked > 100, `${asked} steps compared`);
      assert.ok(started > 0, 'some steps start the completion thread');
      // mmap-dirty-lost's second buffer is submitted in the transition that submits the first since the
      // completion's future is bound to its buffer (futures per object): no step of it appends alone any more
      if (name === 'writeback-stale-wake') assert.ok(queued > 0, 'some steps add to the queue of a completion thread already there');
    });
  }
});
