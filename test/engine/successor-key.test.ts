/**
 * The search asks for the key of the state a step leads to before it makes that state
 * (explore/system.ts successorKey), and makes it only when the visited set does not
 * prune it. A remembered step's key is told from the state before (transition-memo.ts
 * keyAfter): it must be the key of the state the step makes, worked out afresh.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { explore } from 'racelens-server/out/explore/index.js';
import type { SimState } from 'racelens-server/out/sim/machine.js';
import type { PlacedMachine } from 'racelens-server/out/sim/machine-places.js';
import { stateKey } from 'racelens-server/out/sim/state-key.js';
import { builtinRace } from './fixtures.js';

function machine(name: string, era: string): PlacedMachine {
  const { race, file } = builtinRace(name);
  return scenarioMachine({ race, file, eraSpec: era }).machine as PlacedMachine;
}

/** Depth-first over every enabled thread from the initial state, up to `limit` states. */
function reached(m: PlacedMachine, limit: number): SimState[] {
  const first = m.initial();
  const seen = new Set([stateKey(first)]);
  const out: SimState[] = [first];
  const todo: SimState[] = [first];
  while (todo.length > 0 && out.length < limit) {
    const s = todo.pop()!;
    for (let i = 0; i < m.threadCount(s); i++) {
      if (!m.enabledAt(s, i)) continue;
      const r = m.stepAt(s, i);
      const k = stateKey(r.state);
      if (r.violation || seen.has(k)) continue;
      seen.add(k);
      out.push(r.state);
      todo.push(r.state);
    }
  }
  return out;
}

describe('the key of the state after a step, before that state is made', () => {
  for (const [name, era] of [['writeback-stale-wake', '6.1'], ['mmap-dirty-lost', '6.1'], ['truncate-vs-writeback', '5.9']] as const) {
    it(`${name} ${era}: the key told is the key of the state made, at every step`, () => {
      const m = machine(name, era);
      const states = reached(m, 1500);
      let told = 0;
      let remembered = 0;
      for (const s of states) {
        // asked afresh: the outcomes of the walk above are forgotten, most now come from the memo
        m.release(s);
        for (let i = 0; i < m.threadCount(s); i++) {
          if (!m.enabledAt(s, i)) continue;
          if (m.footprintAt(s, i) && s.outcomes![i]!.state === undefined) remembered++;
          const key = m.successorKey(s, i);
          const r = m.stepAt(s, i);
          if (r.violation) {
            assert.equal(key, undefined, 'a violating step has no state after');
            continue;
          }
          assert.equal(key, stateKey(r.state), `${name} ${era}: thread ${s.threads[i]!.id}`);
          told++;
        }
        m.release(s);
      }
      assert.ok(told > 1000, `${told} steps`);
      assert.ok(remembered > told / 2, `most steps remembered (${remembered} of ${told}): their state is made after the key`);
    });
  }

  it('a search that tells keys first counts as one that makes every state', () => {
    const a = machine('writeback-stale-wake', '5.10');
    const b = machine('writeback-stale-wake', '5.10');
    // the same machine without successorKey: every step makes its state
    Object.defineProperty(b, 'successorKey', { value: undefined });
    const opts = { reduction: 'full', shortest: false } as const;
    const x = explore(a, opts);
    const y = explore(b, opts);
    assert.deepEqual([x.verdict, x.executions, x.states, x.transitions, x.sleepBlocked, x.persistentSets, x.firstViolation?.schedule],
      [y.verdict, y.executions, y.states, y.transitions, y.sleepBlocked, y.persistentSets, y.firstViolation?.schedule]);
  });
});
