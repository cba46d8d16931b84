/**
 * Machines built again over the same programs share their program facts, futures and
 * compiled functions (sim/program-facts.ts sharedFacts): a rerun must then explore
 * exactly what the first run explored, and say its own assumptions, although the code it
 * runs was compiled for the first machine. Machines over other programs share nothing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario, scenarioMachine } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { explore } from 'racelens-server/out/explore/index.js';
import { builtinRace, kernelFixture } from './fixtures.js';

const EXHAUSTIVE = { reduction: 'full', stopAtFirstViolation: false, shortest: false } as const;

describe('machines over the same programs share what depends on the programs alone', () => {
  it('a second machine of the same scenario and era shares the facts; another era or another scenario does not', () => {
    const { race, file } = builtinRace('writeback-stale-wake');
    const a = scenarioMachine({ race, file, eraSpec: '5.10' }).machine;
    const b = scenarioMachine({ race, file, eraSpec: '5.10' }).machine;
    assert.equal(a.facts, b.facts);
    assert.notEqual(scenarioMachine({ race, file, eraSpec: '5.11' }).machine.facts, a.facts);
    const other = builtinRace('truncate-vs-writeback');
    assert.notEqual(scenarioMachine({ race: other.race, file: other.file, eraSpec: '5.10' }).machine.facts, a.facts);
  });

  it('a rerun explores the same verdict, executions, states and transitions, and a fresh machine after it too', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const runs = [0, 1, 2].map(() => explore(scenarioMachine({ race, file, eraSpec: '2.6.20' }).machine, EXHAUSTIVE));
    for (const r of runs.slice(1)) {
      assert.deepEqual([r.verdict, r.executions, r.states, r.transitions], [runs[0].verdict, runs[0].executions, runs[0].states, runs[0].transitions]);
    }
    assert.equal(runs[0].verdict, 'violated');
  });

  it('each run over shared compiled code says its own assumptions (an unknown call, an unknown identifier)', () => {
    const { race, file } = builtinRace('mmap-dirty-lost');
    const models = sourceModelSet('6.1', [kernelFixture('unknown-names')]);
    const first = runScenario({ race, file, eraSpec: '6.1', models });
    const second = runScenario({ race, file, eraSpec: '6.1', models });
    const kinds = (r: typeof first) => r.assumptions.map((a) => `${a.kind} ${a.function} ${a.at?.line}:${a.at?.column}`);
    assert.ok(kinds(first).includes('unknown-identifier folio_clear_dirty_for_io 11:59'), kinds(first).join('\n'));
    assert.deepEqual(kinds(second), kinds(first));
    assert.deepEqual([second.verdict, second.executions, second.states], [first.verdict, first.executions, first.states]);
  });
});
