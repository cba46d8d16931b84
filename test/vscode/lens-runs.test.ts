/** The runs a document's lenses offer, and "Run All Races of This File": each race once. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lensRuns, onePerRace } from 'racelens-client/out/lens-runs.js';

const pick = (line: number, fn: string, races: string[]) => ({
  line,
  command: {
    title: `▶ ${races.length} races`, command: 'racelens.pickRace',
    arguments: [{ uri: 'file:///k/mm/page-writeback.c', function: fn, choices: races.map((r) => ({ label: `▶ Run ${r}`, params: { scenario: r, uri: 'file:///k/mm/page-writeback.c', function: fn, era: '6.1' } })) }],
  },
});

test('a lens with several races offers each, most relevant first; a lens with none offers nothing', () => {
  const runs = lensRuns([
    pick(40, 'folio_wait_writeback', ['writeback-stale-wake', 'truncate-vs-writeback']),
    { line: 10, command: { title: 'no race reaches this body', command: '' } },
    { line: 20, command: { title: '▶ Run mmap-dirty-lost (2006)', command: 'racelens.runRace', arguments: [{ scenario: 'mmap-dirty-lost', function: 'folio_clear_dirty_for_io', era: '6.1' }] } },
  ]);
  assert.deepEqual(runs.map((r) => [r.line, r.params.scenario]), [[20, 'mmap-dirty-lost'], [40, 'writeback-stale-wake'], [40, 'truncate-vs-writeback']]);
});

test('Run All runs each race once per file, whichever functions offer it', () => {
  const runs = lensRuns([
    pick(10, 'folio_clear_dirty_for_io', ['mmap-dirty-lost', 'writeback-stale-wake', 'truncate-vs-writeback']),
    pick(40, 'folio_wait_writeback', ['writeback-stale-wake', 'truncate-vs-writeback']),
    pick(90, 'folio_end_writeback', ['truncate-vs-writeback', 'writeback-stale-wake']),
  ]);
  assert.equal(runs.length, 7);
  assert.deepEqual(onePerRace(runs).map((r) => r.params.scenario), ['mmap-dirty-lost', 'writeback-stale-wake', 'truncate-vs-writeback']);
});
