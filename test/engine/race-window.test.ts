/**
 * The race window of the seed races: the pairs of steps of different CPUs whose order
 * decides the verdict (explore/window.ts, from the explorer's dependence relation) and
 * the sentence built from them (scenario/race-window.ts), in the JSON result and the
 * CLI's text trace. Steps are found by what they do, not by their numbers.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runBuiltin } from './fixtures.js';
import { traceColumns } from 'racelens-server/out/report/run-report.js';
import { toResultJson } from 'racelens-server/out/scenario/to-result-json.js';
import type { RunResult } from 'racelens-server/out/scenario/run.js';

/** The window pair whose first row matches `first` and whose second row matches `then`. */
function pair(r: RunResult, first: { cpu: string; op: RegExp }, then: { cpu: string; op: RegExp }) {
  const is = (row: number, m: { cpu: string; op: RegExp }): boolean => r.trace![row]!.cpu === m.cpu && m.op.test(r.trace![row]!.op);
  return r.window?.pairs.find((p) => is(p.rows[0], first) && is(p.rows[1], then));
}

describe('the race window', () => {
  it('writeback-stale-wake 5.10: CPU1 and CPU2 run between CPU0 clearing PG_writeback and its wake-up', () => {
    const r = runBuiltin('writeback-stale-wake', '5.10');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.invariant, 'bug-on');
    assert.ok(r.window, 'a violated run has a window');
    const cleared = pair(r, { cpu: 'P0', op: /^TestClearPageWriteback\(P\)/ }, { cpu: 'P1', op: /^PageWriteback\(P\) = 0/ });
    assert.ok(cleared, `CPU1 finds PG_writeback clear after CPU0 cleared it: ${JSON.stringify(r.window.pairs)}`);
    assert.deepEqual(cleared.on, ['P.writeback']);
    const slept = pair(r, { cpu: 'P2', op: /^page_wait_queue_add\(P, writeback\)/ }, { cpu: 'P0', op: /^PageWaiters\(P\) = 1/ });
    assert.ok(slept, 'CPU2 queues itself on the writeback bit before CPU0 looks for waiters (the stale wake-up)');
    assert.deepEqual(slept.on, ['P.waiters']);
    for (const p of r.window.pairs) {
      assert.ok(p.rows[0] < p.rows[1] && p.first <= p.then);
      assert.equal(r.trace![p.rows[0]]!.step, p.first);
      assert.equal(r.trace![p.rows[1]]!.step, p.then);
      assert.notEqual(r.trace![p.rows[0]]!.cpu, r.trace![p.rows[1]]!.cpu, 'a window pair is two CPUs');
      assert.ok(r.window.steps.includes(p.first) && r.window.steps.includes(p.then));
      assert.ok(r.window.rows.includes(p.rows[0]) && r.window.rows.includes(p.rows[1]));
    }
    // the sentence: Linus's three columns in words
    assert.match(r.window.sentence, new RegExp(`P1's PageWriteback\\(\\) \\(step ${cleared.then}\\) and P2's page_wait_queue_add\\(\\) \\(step ${slept.first}\\) land after P0's TestClearPageWriteback\\(\\) \\(step ${cleared.first}\\) and before its PageWaiters\\(\\) \\(step ${slept.then}\\)`));
    assert.match(r.window.sentence, /the same schedule no longer ends in bug-on\.$/);
  });

  it('writeback-stale-wake 5.11 holds and has no window', () => {
    const r = runBuiltin('writeback-stale-wake', '5.11');
    assert.equal(r.verdict, 'holds');
    assert.equal(r.window, undefined);
  });

  it('mmap-dirty-lost 2.6.19: the fault marks the page dirty after writeback tested and cleared PG_dirty', () => {
    const r = runBuiltin('mmap-dirty-lost', '2.6.19');
    assert.equal(r.invariant, 'sync-durability');
    const p = pair(r, { cpu: 'P2', op: /^TestClearPageDirty\(P\)/ }, { cpu: 'P0', op: /^TestSetPageDirty\(P\)/ });
    assert.ok(p, JSON.stringify(r.window));
    assert.deepEqual(p.on, ['P.dirty']);
    assert.match(r.window!.sentence, new RegExp(`^P0's TestSetPageDirty\\(\\) \\(step ${p.then}\\) comes after P2's TestClearPageDirty\\(\\) \\(step ${p.first}\\)`));
  });

  it('truncate-vs-writeback 5.9: truncation drops the last reference between clearing PG_writeback and the wake-up', () => {
    const r = runBuiltin('truncate-vs-writeback', '5.9');
    assert.equal(r.invariant, 'freed-under-writeback');
    const cleared = pair(r, { cpu: 'io', op: /^TestClearPageWriteback\(P\)/ }, { cpu: 'P1', op: /^PageWriteback\(P\) = 0/ });
    const freed = pair(r, { cpu: 'P1', op: /^put_page\(P\)/ }, { cpu: 'io', op: /^PageWaiters\(P\)/ });
    assert.ok(cleared && freed, JSON.stringify(r.window));
    assert.deepEqual(cleared.on, ['P.writeback']);
    assert.deepEqual(freed.on, ['P.freed']);
    // the window 073861ed77b6 closed, in words
    assert.match(r.window!.sentence, new RegExp(`^P1's steps from PageWriteback\\(\\) \\(step ${cleared.then}\\) to put_page\\(\\) \\(step ${freed.first}\\) land after the I/O completion's TestClearPageWriteback\\(\\) \\(step ${cleared.first}\\) and before its PageWaiters\\(\\) \\(step ${freed.then}\\)`));
  });

  it('mmap-dirty-lost 2.6.20: the fault and the journal run between writeback cleaning the PTE and writing the buffers', () => {
    const r = runBuiltin('mmap-dirty-lost', '2.6.20');
    assert.equal(r.invariant, 'sync-durability');
    const mkclean = pair(r, { cpu: 'P2', op: /^page_mkclean\(P\)/ }, { cpu: 'P0', op: /^pte_mkwrite_dirty\(U, P\)/ });
    assert.ok(mkclean, JSON.stringify(r.window));
    assert.match(r.window!.sentence, new RegExp(`P0's pte_mkwrite_dirty\\(\\) \\(step ${mkclean.then}\\) and P1's journal_write_buffer\\(\\) \\(step \\d+\\) land after P2's page_mkclean\\(\\) \\(step ${mkclean.first}\\) and before its `));
  });

  it('a truncation that never waits for writeback frees the page in every order: no window', () => {
    const r = runBuiltin('truncate-vs-writeback', '6.1+no-writeback-wait');
    assert.equal(r.verdict, 'violated');
    assert.equal(r.window, undefined);
    assert.match(traceColumns(r, 100), /no race window: reversing any one pair of conflicting steps of different CPUs leaves the\s+violation in place/);
  });

  it('is in the JSON result and marked in the CLI text trace', () => {
    const r = runBuiltin('writeback-stale-wake', '5.10');
    const json = toResultJson(r, { scenario: r.scenario, era: r.era, sources: [], reduction: 'full' });
    assert.deepEqual(json.window, r.window);
    const text = traceColumns(r, 120);
    // one mark per window row (the row of a step's own number, or one merged under it)
    assert.equal((text.match(/^ *\d*↔(?! the race window)/gm) ?? []).length, r.window!.rows.length);
    assert.match(text, /↔ the race window, steps [\d, ]+: P1's PageWriteback\(\)/);
  });
});
