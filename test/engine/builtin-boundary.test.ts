/**
 * No built-in silently beats source: a name that a no-op or a simulator primitive
 * serves, when the source given with --src defines it, is said as a
 * 'builtin-over-source' assumption at the definition, with the reason from the tables
 * (catalog/noops.ts, catalog/primitive-reasons.ts); a name whose real body only uses
 * the modeled vocabulary runs from source, so a BUG() in it fires. Kernel-style
 * fixtures written here (test/fixtures/kernel/boundary-*).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runScenario, scenarioRoots, type RunResult } from 'racelens-server/out/scenario/index.js';
import { sourceModelSet } from 'racelens-server/out/catalog/source-models.js';
import { NOOP_GROUPS, isNoop, noopReason } from 'racelens-server/out/catalog/noops.js';
import { PRIMITIVE_OVER_SOURCE, SOURCE_OVER_PRIMITIVE, primitiveReason } from 'racelens-server/out/catalog/primitive-reasons.js';
import { primitives } from 'racelens-server/out/sim/ops/index.js';
import { describeFunction, describeText } from 'racelens-server/out/describe/index.js';
import { builtinRace, kernelFixture } from './fixtures.js';


function run(scenario: string, era: string, fixture: string): RunResult {
  const { race, file } = builtinRace(scenario);
  const models = sourceModelSet(era, [kernelFixture(fixture)], { roots: scenarioRoots(race), cache: false });
  return runScenario({ race, file, eraSpec: era, models });
}

const noted = (r: RunResult, fn: string) => (r.assumptions ?? []).filter((a) => a.kind === 'builtin-over-source' && a.function === fn);

describe('built-ins over source: the notes and their reasons', () => {
  it('a primitive-served helper and the block plug, defined in the source, are each noted at their definition with the reason', () => {
    const r = run('writeback-stale-wake', '6.1', 'boundary-notes');
    // the plug's BUG() does not fire: the plug is a stated boundary, not lifted
    assert.equal(r.verdict, 'holds', r.message);
    const wait = r.models.find((m) => m.function === 'folio_wait_writeback');
    assert.equal(wait?.from, 'source', 'the fixture\'s folio_wait_writeback runs');
    const cases: [fn: string, line: number, why: string][] = [
      ['folio_test_writeback', 4, primitiveReason('folio_test_writeback')!],
      ['blk_start_plug', 9, noopReason('blk_start_plug')!],
      ['blk_finish_plug', 14, noopReason('blk_finish_plug')!],
    ];
    for (const [fn, line, why] of cases) {
      const notes = noted(r, fn);
      assert.equal(notes.length, 1, `one note for ${fn}: ${JSON.stringify(r.assumptions)}`);
      const a = notes[0];
      assert.match(a.at!.file, /boundary-notes\/page-writeback\.c$/);
      assert.equal(a.at!.line, line, `${fn} is defined at line ${line}`);
      assert.equal(a.at!.column, 1);
      assert.ok(a.message.includes(why), `${fn}'s note gives the reason: ${a.message}`);
    }
    assert.match(noopReason('blk_start_plug')!, /block layer is a stated boundary/);
  });

  it('no note for a name the source does not define', () => {
    // wait-while defines only wait_on_page_writeback, which calls PageWriteback and trace_*
    const r = run('writeback-stale-wake', '5.10', 'wait-while');
    assert.deepEqual(r.assumptions.filter((a) => a.kind === 'builtin-over-source'), []);
  });

  it('a sentinel BUG() in a helper now served from source fires (unlock_page)', () => {
    assert.ok(SOURCE_OVER_PRIMITIVE.has('unlock_page'));
    const r = run('writeback-stale-wake', '6.1', 'boundary-unlock-bug');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.equal(r.models.find((m) => m.function === 'unlock_page')?.from, 'source');
    assert.deepEqual(noted(r, 'unlock_page'), [], 'no note: the source runs');
  });

  it('a helper meant to run from source whose body cannot be used: the primitive runs, and the note says why', () => {
    assert.ok(SOURCE_OVER_PRIMITIVE.has('i_size_read'));
    const set = sourceModelSet('6.1', [kernelFixture('boundary-unusable')], { roots: ['i_size_read'], cache: false });
    assert.equal(set.functions.get('i_size_read'), undefined, 'not lifted');
    const notes = (set.assumptions ?? []).filter((a) => a.kind === 'builtin-over-source' && a.function === 'i_size_read');
    assert.equal(notes.length, 1, JSON.stringify(set.assumptions));
    assert.equal(notes[0].at!.line, 2);
    assert.match(notes[0].message, /simulator primitive runs instead .*array subscript/);
  });

  it('explain gives the reason of a primitive and of a no-op', () => {
    assert.match(describeText(describeFunction('blk_start_plug', '6.1')), /known no-op for the simulator: the block layer is a stated boundary/);
    assert.ok(describeText(describeFunction('io_schedule', '6.1')).includes(`The kernel's body is not run: ${primitiveReason('io_schedule')}`));
  });

  it('the tables: every reason is a sentence, every name once, every source-over-primitive name a primitive', () => {
    for (const g of [...NOOP_GROUPS, ...PRIMITIVE_OVER_SOURCE]) assert.ok(g.why.length > 40, g.why);
    for (const g of NOOP_GROUPS) for (const n of g.names) assert.ok(isNoop(n), n);
    for (const g of PRIMITIVE_OVER_SOURCE) for (const n of g.names) assert.ok(primitives.get(n), `${n} is a primitive`);
    for (const n of SOURCE_OVER_PRIMITIVE) assert.ok(primitives.get(n), `${n} is a primitive`);
    // the plug is no longer an unknown call: the block layer is below the boundary
    assert.ok(isNoop('blk_start_plug') && isNoop('blk_finish_plug'));
    // statistics prefixes no longer catch unrelated mod_* functions under the wrong reason
    assert.match(noopReason('mod_timer')!, /timers/);
    assert.match(noopReason('__mod_lruvec_page_state')!, /statistics/);
  });
});
