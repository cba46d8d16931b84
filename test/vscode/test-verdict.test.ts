/** The Test Explorer's reading of a run: pass/fail from the expect line, the failure as text. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { failureLines, runPassed } from 'racelens-client/out/test-verdict.js';
import type { RunResultJson } from 'racelens-server/out/lsp/protocol.js';

function result(over: Partial<RunResultJson>): RunResultJson {
  return {
    version: 2, scenario: 'mmap-dirty-lost', era: '2.6.20', verdict: 'holds', executions: 10, states: 100, violations: 0, ms: 5,
    models: [], assumptions: [], cpus: [], args: { scenario: 'mmap-dirty-lost', era: '2.6.20', sources: [], reduction: 'full' }, ...over,
  };
}

describe('Test Explorer verdicts', () => {
  it('passes a run that ends as its expect line says, violated ones included', () => {
    assert.equal(runPassed(result({ verdict: 'violated', invariant: 'lost-write', asExpected: true })), true);
    assert.equal(runPassed(result({ verdict: 'violated', invariant: 'lost-write', asExpected: false })), false);
    assert.equal(runPassed(result({ verdict: 'holds', asExpected: false })), false);
  });

  it('without an expect line, passes only a run that holds', () => {
    assert.equal(runPassed(result({ verdict: 'holds' })), true);
    assert.equal(runPassed(result({ verdict: 'violated', invariant: 'bug-on' })), false);
  });

  it('never passes a run that did not finish', () => {
    assert.equal(runPassed(result({ verdict: 'incomplete', budgetHit: 'cancelled', asExpected: true })), false);
    assert.equal(runPassed(result({ verdict: 'error', message: 'x' })), false);
  });

  it('writes the failure as the verdict, the expectation and the trace, the firing row marked', () => {
    const lines = failureLines(result({
      era: '2.6.19', verdict: 'violated', invariant: 'lost-write', asExpected: false,
      invariantExplanation: 'After the final sync memory differs from disk.',
      expected: { verdict: 'holds', invariants: [] },
      trace: [
        { step: 1, cpu: 'P2', label: 'writeback', op: 'TestClearPageDirty(P) = 1', function: 'clear_page_dirty_for_io', state: 'P -dirty', changes: [], remarks: [], at: { uri: 'file:///k/mm/page-writeback.c', line: 12, column: 2 } },
        { step: 2, cpu: 'final', label: 'final', op: 'sync(F)', function: 'sync', state: '', changes: [], remarks: [], violation: true },
      ],
    }));
    assert.deepEqual(lines, [
      '**mmap-dirty-lost 2.6.19: violated lost-write**', '',
      'why: expected holds, but lost-write was violated (the trace below)', '',
      'After the final sync memory differs from disk.', '',
      'expected: holds', '',
      '```',
      '  1 P2     clear_page_dirty_for_io: TestClearPageDirty(P) = 1   [P -dirty]   (page-writeback.c:12)',
      '  2 final  sync: sync(F)   <-- lost-write',
      '```',
    ]);
  });

  it('every red result says why in one line: a hold against an expected violation, a budget, an error, another release', () => {
    const held = result({
      era: '6.1+no-writeback-wait', verdict: 'holds', asExpected: false, expected: { verdict: 'violated', invariants: ['bug-on'] },
      models: [{ function: 'folio_wait_writeback', from: 'source' }, { function: 'folio_end_writeback', from: 'builtin' }],
    });
    assert.equal(runPassed(held), false);
    assert.equal(failureLines(held)[2], "why: expected violated bug-on, but no interleaving violated it; 1 function ran from the workspace's source in place of the era's built-in models, which the expect line was written for");
    assert.equal(failureLines(result({ verdict: 'incomplete', budgetHit: 'time' }))[2], 'why: stopped by the time budget before every interleaving was explored');
    assert.equal(failureLines(result({ verdict: 'error', message: 'mm/x.c:3:1: expected ;\nmore' }))[2], 'why: the run could not be made: mm/x.c:3:1: expected ;');
    const other = failureLines(result({ era: '5.9', verdict: 'holds', asExpected: false, expected: { verdict: 'violated', invariants: ['bug-on'] }, sourceNote: 'ran on the built-in models of era 5.9: the workspace is the Linux 6.1 tree, not 5.9' }));
    assert.equal(other[4], 'ran on the built-in models of era 5.9: the workspace is the Linux 6.1 tree, not 5.9');
  });
});
