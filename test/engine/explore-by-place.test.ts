/**
 * The search asks the machine by thread place when it can (explore/system.ts, the optional
 * six; sim/machine-places.ts): the same machine asked only by thread id must give the
 * same search, count for count and trace for trace, for one thread's place shifts as
 * threads start and end (I/O completions) and waiters block.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { builtinScenarios, parseScenarioText, scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { explore, type TransitionSystem } from 'racelens-server/out/explore/index.js';
import { recordingSteps } from 'racelens-server/out/scenario/entry-check.js';

/** The machine with only the id-based questions: the search cannot ask by place. */
function byIdOnly<S, E>(m: TransitionSystem<S, E>): TransitionSystem<S, E> {
  return {
    initial: () => m.initial(),
    key: (s) => m.key(s),
    threads: (s) => m.threads(s),
    enabled: (s, t) => m.enabled(s, t),
    footprint: (s, t) => m.footprint(s, t),
    step: (s, t) => m.step(s, t),
    finish: (s) => m.finish(s),
    persistent: (s, e) => m.persistent!(s, e),
    release: (s) => m.release!(s),
  };
}

function machine(name: string, era: string): TransitionSystem<unknown, unknown> {
  const src = builtinScenarios().find((s) => s.name === name)!;
  const race = parseScenarioText(src.text, src.file).race!;
  return scenarioMachine({ race, file: src.file, eraSpec: era }).machine as unknown as TransitionSystem<unknown, unknown>;
}

describe('explore by thread place', () => {
  // a violated line with I/O completions, one that holds, and one whose first trace is a deadlock
  for (const [name, era] of [['writeback-stale-wake', '5.10'], ['truncate-vs-writeback', '5.10'], ['killable-lock-wakeup', '4.10']] as const) {
    it(`${name} ${era}: by place and by id, the same search`, () => {
      const placed = machine(name, era);
      assert.equal(typeof placed.stepAt, 'function', 'the scenario machine answers by place');
      const opts = { reduction: 'full', shortest: false } as const;
      const a = explore(placed, opts);
      const b = explore(byIdOnly(machine(name, era)), opts);
      assert.deepEqual(
        [a.verdict, a.executions, a.states, a.transitions, a.violations, a.sleepBlocked, a.persistentSets],
        [b.verdict, b.executions, b.states, b.transitions, b.violations, b.sleepBlocked, b.persistentSets],
      );
      assert.equal(a.firstViolation?.schedule, b.firstViolation?.schedule);
      assert.equal(a.firstViolation?.violation.message, b.firstViolation?.violation.message);
    });
  }

  it('the record of which CPUs stepped (a holds with an idle CPU is vacuous) sees steps taken by place', () => {
    const recorded = recordingSteps(machine('truncate-vs-writeback', '5.10'));
    assert.equal(typeof recorded.sys.stepAt, 'function');
    const r = explore(recorded.sys, { reduction: 'full', shortest: false });
    assert.equal(r.verdict, 'holds');
    assert.ok(['P0', 'P1'].every((cpu) => recorded.stepped.has(cpu)), [...recorded.stepped].join(' '));
  });
});
