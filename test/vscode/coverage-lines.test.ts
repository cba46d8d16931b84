/**
 * The Test Explorer's coverage, as data (client/src/coverage-lines.ts): runs' coverage
 * merged per document, built-in models left out, a line executed by any run executed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coverageCounts, mergeCoverage } from 'racelens-client/out/coverage-lines.js';
import type { RunResultJson } from 'racelens-server/out/lsp/protocol.js';

const PW = 'file:///k/mm/page-writeback.c';

function result(coverage: RunResultJson['coverage']): RunResultJson {
  return {
    version: 2, scenario: 's', era: '6.1', verdict: 'holds', executions: 1, states: 1, violations: 0, ms: 1,
    models: [], assumptions: [], cpus: [], args: { scenario: 's', era: '6.1', sources: [], reduction: 'full' }, coverage,
  };
}

test('merges runs per document: executed wins over missed, built-ins are left out, lines become 0-based', () => {
  const docs = mergeCoverage([
    result([
      { function: 'folio_clear_dirty_for_io', at: { uri: PW, line: 2, column: 1 }, executed: [4, 5, 9], missed: [19] },
      { function: 'folio_mkclean', at: { uri: 'racelens-builtin:/models/6.1/rmap.c', line: 1, column: 1 }, executed: [3], missed: [] },
    ]),
    result([{ function: 'folio_clear_dirty_for_io', at: { uri: PW, line: 2, column: 1 }, executed: [4, 19], missed: [5, 9] }]),
  ]);
  assert.deepEqual(docs.map((d) => d.uri), [PW]);
  const d = docs[0]!;
  assert.deepEqual([...d.lines].sort((a, b) => a[0] - b[0]), [[3, true], [4, true], [8, true], [18, true]]);
  assert.deepEqual(d.functions.get('folio_clear_dirty_for_io'), { line: 1, executed: true });
  assert.deepEqual(coverageCounts(d), { covered: 4, total: 4 });
});

test('a line no run reached counts against the document', () => {
  const [d] = mergeCoverage([result([{ function: 'f', at: { uri: PW, line: 10, column: 1 }, executed: [11], missed: [12, 13] }])]);
  assert.deepEqual(coverageCounts(d!), { covered: 1, total: 3 });
});
